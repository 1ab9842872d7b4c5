using SfPredictor.Features.Activities;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;

namespace SfPredictor.Features.Tests.Schema;

public class FeatureSchemaTests
{
    private static OrgBuilder Org()
    {
        var org = new OrgBuilder().WithCustomStages();
        var account = org.Account("Banking");
        var o = org.Opportunity(0, "Qualify", account, type: "New Business", leadSource: "Web");
        org.History(o, 5, "Prove");
        org.Task(3, o, "Call", completed: 3);
        return org;
    }

    private static readonly FeatureOptions Options = new() { MinCategoryCount = 1 };

    [Fact]
    public void Names_DefaultOptions_FollowTheDocumentedLayout()
    {
        var schema = new Rows(Org().Build(), Options).Builder.Schema;

        Assert.Equal(FeatureSchema.CurrentVersion, schema.Version);
        Assert.Equal(["Executive Meeting", "Demo", "Proposal", "Meeting", "Call", "Email"], schema.ActivityKinds);
        Assert.Equal(
            ["stage_position", "stage_probability", "days_in_stage", "stage_changes", "stage_backward_moves",
             "close_date_pushes", "close_date_push_days", "amount", "log_amount", "age_days", "days_to_close",
             "activity_executive_meeting_count_7d", "activity_executive_meeting_count_30d", "activity_executive_meeting_count_90d",
             "activity_executive_meeting_count_total", "activity_executive_meeting_days_since"],
            schema.Names.Take(16));
        Assert.Equal(
            ["activity_any_count_7d", "activity_any_count_30d", "activity_any_count_90d", "activity_any_count_total",
             "activity_any_days_since", "open_tasks", "overdue_tasks", "upcoming_events",
             "account_log_employees", "account_log_revenue", "account_past_deals", "account_past_wins", "account_win_rate",
             "owner_past_deals", "owner_past_wins", "owner_win_rate", "type=New Business", "lead_source=Web", "industry=Banking"],
            schema.Names.Skip(11 + (6 * 5)));
        Assert.Equal(11 + (7 * 5) + 11 + 3, schema.Width);
    }

    [Fact]
    public void MonotoneConstraints_CountsUpRecencyDownOthersFree()
    {
        var schema = new Rows(Org().Build(), Options).Builder.Schema;

        Assert.Equal(1, schema.MonotoneConstraints[schema.IndexOf("activity_demo_count_30d")]);
        Assert.Equal(1, schema.MonotoneConstraints[schema.IndexOf("activity_any_count_total")]);
        Assert.Equal(-1, schema.MonotoneConstraints[schema.IndexOf("activity_demo_days_since")]);
        Assert.Equal(0, schema.MonotoneConstraints[schema.IndexOf("amount")]);
        Assert.Equal(0, schema.MonotoneConstraints[schema.IndexOf("open_tasks")]);
        Assert.StartsWith("(0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,-1,", schema.XgboostMonotoneConstraints, StringComparison.Ordinal);
        Assert.Equal(schema.Width, schema.XgboostMonotoneConstraints.Split(',').Length);
    }

    [Fact]
    public void FromJson_RoundTrip_ReproducesSchemaAndRows()
    {
        var data = Org().Build();
        var rows = new Rows(data, Options);
        var json = rows.Builder.Schema.ToJson();

        var restored = FeatureSchema.FromJson(json);
        var builder = new FeatureBuilder(new OrgIndex(data, restored.Options), restored);

        Assert.Equal(rows.Builder.Schema.Hash, restored.Hash);
        Assert.Equal(rows.Builder.Schema.Names, restored.Names);
        Assert.Equal(rows.Builder.Schema.Stages, restored.Stages);
        var expected = rows.At(data.Opportunities[0].Id, OrgBuilder.Day(6));
        var actual = new float[builder.Width];
        builder.Build(data.Opportunities[0].Id, OrgBuilder.Day(6), actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Hash_ChangesWithAnythingThatShapesTheVector()
    {
        var data = Org().Build();
        string Hash(FeatureOptions o) => new Rows(data, o).Builder.Schema.Hash;
        var baseline = Hash(new FeatureOptions { MinCategoryCount = 1 });

        Assert.Equal(baseline, Hash(new FeatureOptions { MinCategoryCount = 1 }));
        Assert.Equal(64, baseline.Length);
        Assert.NotEqual(baseline, Hash(new FeatureOptions { MinCategoryCount = 1, ActivityWindowsDays = [14] }));
        Assert.NotEqual(baseline, Hash(new FeatureOptions()));
        Assert.NotEqual(baseline, Hash(new FeatureOptions { MinCategoryCount = 1, CorporateCurrency = "USD" }));
        var kinds = new FeatureOptions { MinCategoryCount = 1 };
        foreach (var kind in ActivityKind.Defaults)
        {
            kinds.ActivityKinds.Add(kind);
        }

        Assert.Equal(baseline, Hash(kinds));
        kinds.ActivityKinds[1].SubjectKeywords.Add("presentation");
        Assert.NotEqual(baseline, Hash(kinds));
    }

    [Fact]
    public void FromJson_EditedOrForeignSchema_IsRefused()
    {
        var json = new Rows(Org().Build(), Options).Builder.Schema.ToJson();

        Assert.Throws<InvalidDataException>(() => FeatureSchema.FromJson(json.Replace("\"version\":1", "\"version\":99", StringComparison.Ordinal)));
        Assert.Throws<InvalidDataException>(() => FeatureSchema.FromJson(json.Replace("\"amount\"", "\"amount2\"", StringComparison.Ordinal)));
        Assert.Throws<InvalidDataException>(() => FeatureSchema.FromJson(json.Replace("\"values\":[\"Web\"]", "\"values\":[\"Email\"]", StringComparison.Ordinal)));
        Assert.Throws<InvalidDataException>(() => FeatureSchema.FromJson("{not json"));
    }

    [Fact]
    public void FeatureBuilder_IndexWithOtherKinds_IsRefused()
    {
        var data = Org().Build();
        var schema = new Rows(data, Options).Builder.Schema;
        var other = new FeatureOptions { ActivityKinds = [new ActivityKind { Name = "Call", Types = ["Call"] }] };

        var e = Assert.Throws<ArgumentException>(() => new FeatureBuilder(new OrgIndex(data, other), schema));
        Assert.Contains("Executive Meeting", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stages_FrozenAtTraining_KeepPositionsWhenTheOrgAddsAStage()
    {
        var org = Org();
        var data = org.Build();
        var schema = new Rows(data, Options).Builder.Schema;
        org.Stages.Insert(0, new SfPredictor.Records.OpportunityStage { Name = "Prospect", SortOrder = 0, DefaultProbability = 5 });
        var o = org.Opportunity(10, "Prospect");
        var later = org.Build();
        var builder = new FeatureBuilder(new OrgIndex(later, schema.Options), schema);
        var row = new float[builder.Width];

        builder.Build(data.Opportunities[0].Id, OrgBuilder.Day(6), row);
        Assert.Equal(2f, row[schema.IndexOf("stage_position")]);
        builder.Build(o, OrgBuilder.Day(11), row);
        Assert.True(float.IsNaN(row[schema.IndexOf("stage_position")]));
        Assert.Equal(0.05f, row[schema.IndexOf("stage_probability")]);
    }

    [Fact]
    public void Describe_Values_ReadAsPlainWords()
    {
        var data = Org().Build();
        var rows = new Rows(data, Options);
        var schema = rows.Builder.Schema;
        var row = rows.At(data.Opportunities[0].Id, OrgBuilder.Day(27));

        Assert.Equal("No activity in 24 days", schema.Describe(schema.IndexOf("activity_any_days_since"), row));
        Assert.Equal("Last Call 24 days ago", schema.Describe(schema.IndexOf("activity_call_days_since"), row));
        Assert.Equal("No Demo yet", schema.Describe(schema.IndexOf("activity_demo_days_since"), row));
        Assert.Equal("1 Call in the last 30 days", schema.Describe(schema.IndexOf("activity_call_count_30d"), row));
        Assert.Equal("0 Demos so far", schema.Describe(schema.IndexOf("activity_demo_count_total"), row));
        Assert.Equal("Account has no earlier closed deals", schema.Describe(schema.IndexOf("account_win_rate"), row));
        Assert.Equal("22 days in the current stage", schema.Describe(schema.IndexOf("days_in_stage"), row));
        Assert.Equal("Account Industry is Banking", schema.Describe(schema.IndexOf("industry=Banking"), row));
        Assert.Equal("Planned close in 64 days", schema.Describe(schema.IndexOf("days_to_close"), row));

        row[schema.IndexOf("account_past_deals")] = 5;
        row[schema.IndexOf("account_past_wins")] = 4;
        Assert.Equal("Account won 4 of its 5 earlier deals", schema.Describe(schema.IndexOf("account_win_rate"), row));
    }
}
