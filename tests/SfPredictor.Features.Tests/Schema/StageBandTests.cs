using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;

namespace SfPredictor.Features.Tests.Schema;

public class StageBandTests
{
    // Four open stages; the Opportunity is in Qualify (stage 1) until day 5, then in Prove (stage 3).
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

    private static FeatureOptions Options(int bands, int halfLife = 0) =>
        new() { MinCategoryCount = 1, StageBands = bands, StageBandHalfLifeDays = halfLife };

    [Fact]
    public void Build_PerStage_CountsEachActivityInTheStageItWasDoneIn()
    {
        var data = Org().Build();
        var rows = new Rows(data, Options(12));
        var o = data.Opportunities[1].Id;

        Assert.Equal(1f, rows.At(o, 9, "activity_call_in_stages_1"));
        Assert.Equal(0f, rows.At(o, 9, "activity_call_in_stages_3"));
        Assert.Equal(1f, rows.At(o, 9, "activity_demo_in_stages_3"));
        Assert.Equal(1f, rows.At(o, 9, "activity_email_in_stages_3"));
        Assert.Equal(0f, rows.At(o, 4, "activity_demo_in_stages_3"));
        Assert.DoesNotContain(rows.Builder.Schema.Names, n => n.Contains("_in_stages_5", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_TwoBandsWithHalfLife_WeightsByRecency()
    {
        var data = Org().Build();
        var rows = new Rows(data, Options(2, halfLife: 10));
        var o = data.Opportunities[1].Id;

        Assert.Equal(MathF.Pow(0.5f, 0.6f), rows.At(o, 9, "activity_call_in_stages_1_2"), 4);
        // An event counts when it ended (day 6.5).
        Assert.Equal(MathF.Pow(0.5f, 0.25f), rows.At(o, 9, "activity_demo_in_stages_3_4"), 4);
        Assert.Equal(MathF.Pow(0.5f, 0.1f), rows.At(o, 9, "activity_email_in_stages_3_4"), 4);
    }

    [Theory]
    [InlineData("Demo")]
    [InlineData("Call")]
    public void ApplyActivity_AddsTheActivityToTheCurrentStagesBand_AsIfDoneAtT(string kind)
    {
        var org = Org();
        var o = org.Build().Opportunities[1].Id;
        var options = Options(2, halfLife: 30);
        options.OwnerFeatures = false;
        var before = new Rows(org.Build(), options);
        var row = before.At(o, OrgBuilder.Day(10));
        var k = before.Builder.Schema.ActivityKindIndex(kind);

        before.Builder.ApplyActivity(row, k);
        org.Task(10, o, kind, completed: 10);
        var after = new Rows(org.Build(), options);

        Assert.Equal(after.At(o, OrgBuilder.Day(10)), row);
    }

    [Fact]
    public void FromJson_StageBands_RoundTrip()
    {
        var data = Org().Build();
        var schema = new Rows(data, Options(2, halfLife: 45)).Builder.Schema;

        var restored = FeatureSchema.FromJson(schema.ToJson());

        Assert.Equal(2, restored.Options.StageBands);
        Assert.Equal(45, restored.Options.StageBandHalfLifeDays);
        Assert.Equal(schema.Hash, restored.Hash);
        Assert.Equal(schema.Names, restored.Names);
        Assert.NotEqual(new Rows(data, Options(0)).Builder.Schema.Hash, schema.Hash);
        var builder = new FeatureBuilder(new OrgIndex(data, restored.Options), restored);
        var row = new float[builder.Width];
        builder.Build(data.Opportunities[1].Id, OrgBuilder.Day(9), row);
        Assert.Equal(new Rows(data, Options(2, halfLife: 45)).At(data.Opportunities[1].Id, OrgBuilder.Day(9)), row);
    }
}
