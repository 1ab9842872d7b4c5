using System.Runtime.CompilerServices;
using SfPredictor.Features;
using SfPredictor.Features.Schema;
using SfPredictor.Scoring.Trees;

namespace SfPredictor.Recommendations.Explanations;

/// <summary>
/// The feature values of a typical Opportunity, against which a score is explained: a factor's impact
/// is how much the score changes when that aspect of the Opportunity is replaced by the typical value.
/// Each value is the median of its column; a missing value (NaN, e.g. "no Demo yet") counts as larger
/// than any number, so a column that is missing for most Opportunities has a missing median. One-hot
/// columns of one field (<c>lead_source=Web</c>, <c>lead_source=Referral</c>, ...) take the field's most
/// common value instead, because their medians could describe "none of the values", which few deals are.
/// The rows themselves are kept too: tree-path explanations take the expected score at every split from them.
/// </summary>
public sealed class ExplanationReference
{
    /// <summary>The most rows <see cref="FromOpenOpportunities"/> looks at by default.</summary>
    public const int DefaultSampleSize = 2000;

    private readonly float[] _values;
    private readonly float[] _rows;
    private readonly ConditionalWeakTable<OnnxTreeEnsemble, TreePathContributions> _paths = new();

    private ExplanationReference(string schemaHash, float[] values, float[] rows)
    {
        SchemaHash = schemaHash;
        _values = values;
        _rows = rows;
    }

    /// <summary>The hash of the feature schema the values belong to.</summary>
    public string SchemaHash { get; }

    /// <summary>The reference value of every column.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The rows the values were taken from, row-major: the population a score is compared with.</summary>
    internal ReadOnlySpan<float> Rows => _rows;

    /// <summary>
    /// The path contributions of a model's trees against these rows, computed once per model: a worker makes a
    /// recommender per run with the same reference and model.
    /// </summary>
    internal TreePathContributions PathsFor(OnnxTreeEnsemble trees) =>
        _paths.GetValue(trees, t => TreePathContributions.FromRows(t, _rows));

    /// <summary>The column medians of row-major <paramref name="rows"/> built with <paramref name="schema"/>.</summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of the schema, or there are none.</exception>
    public static ExplanationReference FromRows(FeatureSchema schema, ReadOnlySpan<float> rows)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var width = schema.Width;
        if (rows.Length == 0 || rows.Length % width != 0)
        {
            throw new ArgumentException($"Expected whole rows of {width} features, got {rows.Length} values.", nameof(rows));
        }

        var count = rows.Length / width;
        var column = new float[count];
        var values = new float[width];
        for (var c = 0; c < width; c++)
        {
            for (var r = 0; r < count; r++)
            {
                column[r] = rows[(r * width) + c];
            }

            // Array.Sort puts NaN first; missing must sort last ("never" is longer ago than any number of days).
            Array.Sort(column, static (a, b) => float.IsNaN(a) ? (float.IsNaN(b) ? 0 : 1) : float.IsNaN(b) ? -1 : a.CompareTo(b));
            values[c] = column[(count - 1) / 2];
        }

        foreach (var field in OneHotFields.Of(schema))
        {
            SetMostCommon(field, rows, width, values);
        }

        return new ExplanationReference(schema.Hash, values, rows.ToArray());
    }

    /// <summary>
    /// The medians over the Opportunities open at <paramref name="asOf"/> (an evenly spaced sample of at most
    /// <paramref name="sampleSize"/> of them, so the result does not depend on the order of batches):
    /// "compared with a typical open deal right now".
    /// </summary>
    /// <exception cref="InvalidOperationException">No Opportunity is open at <paramref name="asOf"/>.</exception>
    public static ExplanationReference FromOpenOpportunities(FeatureBuilder builder, DateTimeOffset asOf, int sampleSize = DefaultSampleSize)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 1);
        var open = builder.Index.OpenAt(asOf);
        if (open.Length == 0)
        {
            throw new InvalidOperationException($"No Opportunity is open at {asOf:O}; there is nothing to compare a score with.");
        }

        var count = Math.Min(sampleSize, open.Length);
        var width = builder.Width;
        var rows = new float[count * width];
        for (var s = 0; s < count; s++)
        {
            builder.Build(open[(int)((long)s * open.Length / count)], asOf, rows.AsSpan(s * width, width));
        }

        return FromRows(builder.Schema, rows);
    }

    // The value set in most rows ("none of them" included); ties go to the earlier column.
    private static void SetMostCommon(int[] columns, ReadOnlySpan<float> rows, int width, float[] values)
    {
        var counts = new int[columns.Length + 1];
        for (var r = 0; r < rows.Length / width; r++)
        {
            var set = columns.Length;
            for (var i = 0; i < columns.Length; i++)
            {
                if (rows[(r * width) + columns[i]] >= 0.5f)
                {
                    set = i;
                    break;
                }
            }

            counts[set]++;
        }

        var best = Array.IndexOf(counts, counts.Max());
        for (var i = 0; i < columns.Length; i++)
        {
            values[columns[i]] = i == best ? 1 : 0;
        }
    }
}
