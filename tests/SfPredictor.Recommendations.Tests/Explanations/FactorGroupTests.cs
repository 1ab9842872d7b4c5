using SfPredictor.Features.Schema;
using SfPredictor.Recommendations.Explanations;

namespace SfPredictor.Recommendations.Tests.Explanations;

[Collection(TrainedOrgCollection.Name)]
public sealed class FactorGroupTests(TrainedOrgFixture fixture)
{
    private FeatureSchema Schema => fixture.Builder.Schema;

    [Fact]
    public void Describe_NoActivityFor24Days_SaysSo() =>
        Assert.Equal("No activity in 24 days", Text("activity:any", ("activity_any_days_since", 24)));

    [Fact]
    public void Describe_RecentDemosInThisStage_GivesRecencyAndCount() =>
        Assert.Equal("Last Demo 3 days ago, 2 in this stage", Text("activity:Demo", ("activity_demo_days_since", 3), ("activity_demo_count_in_stage", 2)));

    [Fact]
    public void Describe_NoDemoEver_SaysNoneYet() =>
        Assert.Equal("No Demo yet", Text("activity:Demo", ("activity_demo_days_since", float.NaN)));

    [Fact]
    public void Describe_AccountTrackRecord_CountsWins() =>
        Assert.Equal("Account won 4 of its 5 earlier deals", Text("account_history", ("account_past_deals", 5), ("account_past_wins", 4), ("account_win_rate", 5 / 7f)));

    [Fact]
    public void Describe_TimeInStage_NamesTheStage() =>
        Assert.Equal("In Negotiation/Review for 41 days", Text("days_in_stage", ("stage_position", 5), ("days_in_stage", 41.2f)));

    [Fact]
    public void Describe_Stage_NamesItAndItsPlace() =>
        Assert.Equal("Stage Proposal/Price Quote (5 of 6)", Text("stage", ("stage_position", 4), ("stage_probability", 0.7f)));

    [Fact]
    public void Describe_CloseDatePushes_CountsThem() =>
        Assert.Equal("Close date pushed 3 times (45 days in all)", Text("close_date_pushes", ("close_date_pushes", 3), ("close_date_push_days", 45)));

    [Fact]
    public void Describe_OverdueTasks_ComeFirst() =>
        Assert.Equal("2 overdue tasks", Text("open_items", ("open_tasks", 3), ("overdue_tasks", 2), ("upcoming_events", 1)));

    [Fact]
    public void Describe_LeadSource_NamesTheValueOrSaysOther()
    {
        Assert.Equal("Lead Source is Referral", Text("lead_source", ("lead_source=Referral", 1)));
        Assert.Equal("Lead Source is another value or blank", Text("lead_source"));
    }

    [Fact]
    public void For_Groups_NeverShareAColumnAndCoverEveryActivityColumn()
    {
        var groups = FactorGroup.For(Schema);
        var columns = groups.SelectMany(g => g.Columns).ToList();

        Assert.Equal(columns.Count, columns.Distinct().Count());
        Assert.Equal(groups.Count, groups.Select(g => g.Name).Distinct().Count());
        for (var c = 0; c < Schema.Width; c++)
        {
            if (Schema.Features[c].Group is FeatureGroup.Activity or FeatureGroup.Stage or FeatureGroup.History)
            {
                Assert.Contains(c, columns);
            }
        }
    }

    [Fact]
    public void Matches_RowEqualToReference_IsTrueIncludingMissingValues()
    {
        var group = FactorGroup.For(Schema).Single(g => g.Name == "activity:Demo");
        var reference = new float[Schema.Width];
        reference[Schema.IndexOf("activity_demo_days_since")] = float.NaN;
        var row = (float[])reference.Clone();

        Assert.True(group.Matches(row, reference));
        row[Schema.IndexOf("activity_demo_count_30d")] = 1;
        Assert.False(group.Matches(row, reference));
    }

    private string Text(string group, params (string Feature, float Value)[] values)
    {
        var row = new float[Schema.Width];
        foreach (var (feature, value) in values)
        {
            var column = Schema.IndexOf(feature);
            Assert.True(column >= 0, $"no feature {feature}");
            row[column] = value;
        }

        return FactorGroup.For(Schema).Single(g => g.Name == group).Describe(row);
    }
}
