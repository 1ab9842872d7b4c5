using SfPredictor.Features.Schema;

namespace SfPredictor.Features.Tests;

public class ApplyActivityTests
{
    [Theory]
    [InlineData("Executive Meeting")]
    [InlineData("Demo")]
    [InlineData("Proposal")]
    [InlineData("Meeting")]
    [InlineData("Call")]
    [InlineData("Email")]
    public void ApplyActivity_EachKind_EqualsTheRowWithThatActivityDoneAtT(string kind)
    {
        var org = new OrgBuilder().WithCustomStages();
        var account = org.Account("Banking");
        var o = org.Opportunity(0, "Qualify", account);
        org.History(o, 10, "Prove");
        org.Task(4, o, "Call", completed: 4);
        org.Event(12, 12.5, o, subject: "Product demo");
        org.Task(13, o, "Email", completed: 13);
        var asOf = 20.25;
        var before = new Rows(org.Build());
        var row = before.At(o, OrgBuilder.Day(asOf));
        var k = before.Builder.Schema.ActivityKindIndex(kind);

        before.Builder.ApplyActivity(row, k);
        org.Task(asOf, o, kind, completed: asOf);
        var after = new Rows(org.Build());
        Assert.Equal(before.Builder.Schema.Hash, after.Builder.Schema.Hash);

        Assert.Equal(after.At(o, OrgBuilder.Day(asOf)), row);
    }

    [Fact]
    public void ApplyActivity_ChangesExactlyTheKindsAndAnyActivityColumns()
    {
        var org = new OrgBuilder().WithCustomStages();
        var o = org.Opportunity(0, "Qualify");
        org.Task(4, o, "Call", completed: 4);
        var rows = new Rows(org.Build());
        var schema = rows.Builder.Schema;
        var original = rows.At(o, OrgBuilder.Day(20));
        var demo = schema.ActivityKindIndex("demo");

        var row = (float[])original.Clone();
        rows.Builder.ApplyActivity(row, demo);

        var changed = Enumerable.Range(0, schema.Width)
            .Where(c => !row[c].Equals(original[c]))
            .ToHashSet();
        Assert.Equal(schema.ActivityColumns(demo).ToHashSet(), changed);
        Assert.All(changed, c => Assert.True(
            schema.Features[c].ActivityKindIndex is -1 || schema.Features[c].ActivityKindIndex == demo));
        Assert.Equal(0f, row[schema.DaysSinceColumn(demo)]);
        Assert.Equal(1f, row[schema.IndexOf("activity_demo_count_7d")]);
        Assert.Equal(2f, row[schema.IndexOf("activity_any_count_30d")]);
        Assert.Equal(0f, row[schema.IndexOf("activity_any_days_since")]);
        Assert.Equal(original[schema.IndexOf("activity_call_count_30d")], row[schema.IndexOf("activity_call_count_30d")]);
    }

    [Fact]
    public void ApplyActivity_BadKindOrRow_Throws()
    {
        var org = new OrgBuilder().WithCustomStages();
        org.Opportunity(0, "Qualify");
        var schema = new Rows(org.Build()).Builder.Schema;

        Assert.Throws<ArgumentOutOfRangeException>(() => schema.ApplyActivity(new float[schema.Width], schema.ActivityKinds.Count));
        Assert.Throws<ArgumentException>(() => schema.ApplyActivity(new float[2], 0));
        Assert.Equal(-1, schema.ActivityKindIndex("Webinar"));
        Assert.Equal(FeatureGroup.Activity, schema.Features[schema.DaysSinceColumn(0)].Group);
    }
}
