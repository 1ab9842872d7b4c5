using SfPredictor.Recommendations.Explanations;

namespace SfPredictor.Recommendations.Tests.Explanations;

[Collection(TrainedOrgCollection.Name)]
public sealed class ExplanationReferenceTests(TrainedOrgFixture fixture)
{
    [Fact]
    public void FromRows_Median_CountsMissingAsLargest()
    {
        var schema = fixture.Builder.Schema;
        var width = schema.Width;
        var rows = new float[3 * width];
        float[] first = [5, float.NaN, 1];
        float[] second = [float.NaN, float.NaN, 2];
        for (var r = 0; r < 3; r++)
        {
            rows[r * width] = first[r];
            rows[(r * width) + 1] = second[r];
        }

        var reference = ExplanationReference.FromRows(schema, rows);

        Assert.Equal(5, reference.Values[0]);
        Assert.True(float.IsNaN(reference.Values[1]));
        Assert.Equal(schema.Hash, reference.SchemaHash);
    }

    [Fact]
    public void FromRows_OneHotField_TakesItsMostCommonValue()
    {
        var schema = fixture.Builder.Schema;
        var width = schema.Width;
        var web = schema.IndexOf("lead_source=Web");
        var referral = schema.IndexOf("lead_source=Referral");
        var rows = new float[4 * width];
        rows[web] = 1;
        rows[width + referral] = 1;
        rows[(2 * width) + referral] = 1;

        var reference = ExplanationReference.FromRows(schema, rows);

        // Medians would say "no lead source" (the most common single pattern is Referral, in 2 of 4 rows).
        Assert.Equal(1, reference.Values[referral]);
        Assert.Equal(0, reference.Values[web]);
    }

    [Fact]
    public void FromRows_PartialRow_Throws()
    {
        var schema = fixture.Builder.Schema;

        Assert.Throws<ArgumentException>(() => ExplanationReference.FromRows(schema, new float[schema.Width + 1]));
        Assert.Throws<ArgumentException>(() => ExplanationReference.FromRows(schema, []));
    }

    [Fact]
    public void FromOpenOpportunities_NothingOpen_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ExplanationReference.FromOpenOpportunities(fixture.Builder, new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Contains("1990-01-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOpenOpportunities_IsTheMedianOfTheOpenRows()
    {
        var builder = fixture.Builder;
        var open = fixture.Open;
        var rows = new float[open.Length * builder.Width];
        for (var i = 0; i < open.Length; i++)
        {
            builder.Build(open[i], fixture.AsOf, rows.AsSpan(i * builder.Width, builder.Width));
        }

        var expected = ExplanationReference.FromRows(builder.Schema, rows);

        Assert.Equal(expected.Values.ToArray(), fixture.Reference.Values.ToArray());
    }
}
