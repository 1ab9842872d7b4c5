using SfPredictor.Features.Schema;

namespace SfPredictor.Recommendations.Explanations;

/// <summary>One-hot columns are named <c>field=value</c>; the columns of one field belong together.</summary>
internal static class OneHotFields
{
    /// <summary>"lead_source=Web" → "lead_source"; null for a column that is not one value of a field.</summary>
    public static string? FieldOf(string featureName)
    {
        var cut = featureName.IndexOf('=', StringComparison.Ordinal);
        return cut < 0 ? null : featureName[..cut];
    }

    /// <summary>The columns of every one-hot field, in column order.</summary>
    public static IEnumerable<int[]> Of(FeatureSchema schema) =>
        Enumerable.Range(0, schema.Width)
            .Where(c => FieldOf(schema.Features[c].Name) is not null)
            .GroupBy(c => FieldOf(schema.Features[c].Name)!, StringComparer.Ordinal)
            .Select(g => g.ToArray());
}
