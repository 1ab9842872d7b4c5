using SfPredictor.Features.Indexing;
using SfPredictor.Records;

namespace SfPredictor.Features.Tests;

// A builder over an org plus by-name access to a row's values.
internal sealed class Rows
{
    public Rows(OrgData data, FeatureOptions? options = null)
    {
        Index = new OrgIndex(data, options ?? new FeatureOptions());
        Builder = new FeatureBuilder(Index, options ?? new FeatureOptions());
    }

    public OrgIndex Index { get; }

    public FeatureBuilder Builder { get; }

    public float[] At(string opportunity, DateTimeOffset asOf)
    {
        var row = new float[Builder.Width];
        Builder.Build(opportunity, asOf, row);
        return row;
    }

    public float At(string opportunity, double day, string feature) =>
        Value(At(opportunity, OrgBuilder.Day(day)), feature);

    public float Value(float[] row, string feature)
    {
        var column = Builder.Schema.IndexOf(feature);
        Assert.True(column >= 0, $"No feature named {feature}; the schema has {string.Join(", ", Builder.Schema.Names)}.");
        return row[column];
    }
}
