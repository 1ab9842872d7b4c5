using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;

namespace SfPredictor.Features.Tests.Schema;

public class OptionalColumnsTests
{
    private static OrgBuilder Org()
    {
        var org = new OrgBuilder().WithCustomStages();
        var account = org.Account("Banking");
        var won = org.Opportunity(0, "Qualify", account, "005000000000001", type: "New Business", leadSource: "Web");
        org.Close(won, 3, "Signed", won: true);
        var o = org.Opportunity(1, "Qualify", account, "005000000000001", type: "New Business", leadSource: "Web");
        org.History(o, 5, "Prove");
        org.Task(3, o, "Call", completed: 3);
        org.Event(6, 6.5, o, subject: "Product demo");
        org.Task(8, o, "Email", completed: 8);
        return org;
    }

    private static FeatureOptions Options(bool stage = true, bool owner = true) =>
        new() { MinCategoryCount = 1, StageActivityFeatures = stage, OwnerFeatures = owner };

    [Fact]
    public void Defaults_LeaveOutTheInStageCountsAndKeepTheOwnerTrackRecord()
    {
        var schema = new Rows(Org().Build()).Builder.Schema;

        Assert.False(new FeatureOptions().StageActivityFeatures);
        Assert.True(new FeatureOptions().OwnerFeatures);
        Assert.DoesNotContain(schema.Features, f => f.Statistic == ActivityStatistic.CountInStage);
        Assert.Contains("owner_win_rate", schema.Names);
        Assert.Contains("\"stageActivityFeatures\":false", schema.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("ownerFeatures", schema.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void StageActivityFeaturesOff_RemovesExactlyTheInStageCounts()
    {
        var data = Org().Build();
        var full = new Rows(data, Options()).Builder.Schema;
        var reduced = new Rows(data, Options(stage: false)).Builder.Schema;

        Assert.Equal(
            ["activity_executive_meeting_count_in_stage", "activity_demo_count_in_stage", "activity_proposal_count_in_stage",
             "activity_meeting_count_in_stage", "activity_call_count_in_stage", "activity_email_count_in_stage", "activity_any_count_in_stage"],
            full.Names.Except(reduced.Names));
        Assert.Empty(reduced.Names.Except(full.Names));
        Assert.Equal(full.Width - 7, reduced.Width);
        Assert.NotEqual(full.Hash, reduced.Hash);
    }

    [Fact]
    public void OwnerFeaturesOff_RemovesExactlyTheOwnerTrackRecord()
    {
        var data = Org().Build();
        var full = new Rows(data, Options()).Builder.Schema;
        var reduced = new Rows(data, Options(owner: false)).Builder.Schema;
        var both = new Rows(data, Options(stage: false, owner: false)).Builder.Schema;

        Assert.Equal(["owner_past_deals", "owner_past_wins", "owner_win_rate"], full.Names.Except(reduced.Names));
        Assert.Empty(reduced.Names.Except(full.Names));
        Assert.NotEqual(full.Hash, reduced.Hash);
        Assert.Equal(full.Width - 10, both.Width);
        Assert.Equal(4, new[] { full.Hash, reduced.Hash, both.Hash, new Rows(data, Options(stage: false)).Builder.Schema.Hash }.Distinct().Count());
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void Build_SwitchesOff_WritesTheFullRowsValuesInTheRemainingColumns(bool stage, bool owner)
    {
        var data = Org().Build();
        var full = new Rows(data, Options());
        var reduced = new Rows(data, Options(stage, owner));
        var o = data.Opportunities[1].Id;

        foreach (var day in new[] { 2.0, 5.5, 9.0 })
        {
            var fullRow = full.At(o, OrgBuilder.Day(day));
            var row = reduced.At(o, OrgBuilder.Day(day));
            var expected = reduced.Builder.Schema.Names.Select(n => fullRow[full.Builder.Schema.IndexOf(n)]);
            Assert.Equal(expected, row);
        }
    }

    [Theory]
    [InlineData("Demo")]
    [InlineData("Email")]
    public void ApplyActivity_WithoutInStageCounts_EqualsTheRowWithThatActivityDoneAtT(string kind)
    {
        var org = Org();
        var o = org.Build().Opportunities[1].Id;
        var options = Options(stage: false, owner: false);
        var before = new Rows(org.Build(), options);
        var row = before.At(o, OrgBuilder.Day(10));
        var k = before.Builder.Schema.ActivityKindIndex(kind);

        before.Builder.ApplyActivity(row, k);
        org.Task(10, o, kind, completed: 10);
        var after = new Rows(org.Build(), options);

        Assert.Equal(after.At(o, OrgBuilder.Day(10)), row);
        Assert.Equal(0f, row[before.Builder.Schema.DaysSinceColumn(k)]);
        Assert.Equal(before.Builder.Schema.Layout.PerKind * 2, before.Builder.Schema.ActivityColumns(k).Count);
    }

    [Fact]
    public void FromJson_SwitchesOff_RoundTripsThem()
    {
        var data = Org().Build();
        var schema = new Rows(data, Options(stage: false, owner: false)).Builder.Schema;

        var restored = FeatureSchema.FromJson(schema.ToJson());

        Assert.False(restored.Options.StageActivityFeatures);
        Assert.False(restored.Options.OwnerFeatures);
        Assert.Equal(schema.Hash, restored.Hash);
        Assert.Equal(schema.Names, restored.Names);
        var builder = new FeatureBuilder(new OrgIndex(data, restored.Options), restored);
        var row = new float[builder.Width];
        builder.Build(data.Opportunities[1].Id, OrgBuilder.Day(9), row);
        Assert.Equal(new Rows(data, Options(stage: false, owner: false)).At(data.Opportunities[1].Id, OrgBuilder.Day(9)), row);
    }

    [Fact]
    public void FromJson_SchemaWrittenBeforeTheSwitches_LoadsWithThemOn()
    {
        // A default schema omits the switches, so it has the form (and hash) older schema.json files have.
        var json = new Rows(Org().Build(), Options()).Builder.Schema.ToJson();
        Assert.DoesNotContain("stageActivityFeatures", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ownerFeatures", json, StringComparison.OrdinalIgnoreCase);

        var restored = FeatureSchema.FromJson(json);

        Assert.True(restored.Options.StageActivityFeatures);
        Assert.True(restored.Options.OwnerFeatures);
        Assert.Contains("activity_demo_count_in_stage", restored.Names);
        Assert.Contains("owner_win_rate", restored.Names);
    }

    [Fact]
    public void FromJson_SwitchEditedOn_IsRefused()
    {
        var json = new Rows(Org().Build(), Options(owner: false)).Builder.Schema.ToJson();

        Assert.Throws<InvalidDataException>(() => FeatureSchema.FromJson(json.Replace("\"ownerFeatures\":false", "\"ownerFeatures\":true", StringComparison.Ordinal)));
    }

    [Fact]
    public void Describe_WithoutOwnerFeatures_StillDescribesTheAccountsTrackRecord()
    {
        var data = Org().Build();
        var rows = new Rows(data, Options(stage: false, owner: false));
        var schema = rows.Builder.Schema;
        var row = rows.At(data.Opportunities[1].Id, OrgBuilder.Day(9));

        Assert.Equal(-1, schema.IndexOf("owner_win_rate"));
        Assert.Equal("Account won 1 of its 1 earlier deal", schema.Describe(schema.IndexOf("account_win_rate"), row));
        Assert.Equal("1 Demo so far", schema.Describe(schema.IndexOf("activity_demo_count_total"), row));
        Assert.Equal("Last Demo 3 days ago", schema.Describe(schema.IndexOf("activity_demo_days_since"), row));
    }
}
