using SfPredictor.Features.Schema;
using SfPredictor.Features.Training;

namespace SfPredictor.Benchmarks.Quality;

/// <summary>
/// Two recommenders without a model, to measure the real one against: (a) the kinds done most often
/// overall, (b) per stage, the kinds done most often in that stage by deals that were won.
/// </summary>
internal sealed class NaiveBaselines
{
    private readonly Dictionary<string, IReadOnlyList<string>> _byStage;

    private NaiveBaselines(IReadOnlyList<string> mostFrequent, Dictionary<string, IReadOnlyList<string>> byStage)
    {
        MostFrequent = mostFrequent;
        _byStage = byStage;
    }

    /// <summary>Baseline (a): every kind, most frequent first.</summary>
    public IReadOnlyList<string> MostFrequent { get; }

    /// <summary>
    /// Baseline (b): every kind, most frequent in won deals while in <paramref name="stage"/> first;
    /// <see cref="MostFrequent"/> for a stage no won deal was seen in.
    /// </summary>
    public IReadOnlyList<string> ForStage(string? stage) =>
        stage is not null && _byStage.TryGetValue(stage, out var kinds) ? kinds : MostFrequent;

    /// <summary>
    /// Learns both from training rows: (a) counts every Opportunity's activities of each kind at its latest
    /// snapshot; (b) sums, over the won Opportunities' snapshots in each stage, the activities of each kind
    /// done in that stage so far.
    /// </summary>
    /// <exception cref="ArgumentException">The rows lack the in-stage activity counts (<see cref="Features.FeatureOptions.StageActivityFeatures"/> off).</exception>
    public static NaiveBaselines Learn(TrainingSet rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var schema = rows.Schema;
        if (!schema.Options.StageActivityFeatures)
        {
            throw new ArgumentException("The per-stage baseline needs the in-stage activity counts; build the rows with StageActivityFeatures on.", nameof(rows));
        }

        var kinds = schema.ActivityKinds;
        var total = KindColumns(schema, ActivityStatistic.CountTotal);
        var inStage = KindColumns(schema, ActivityStatistic.CountInStage);
        var overall = new double[kinds.Count];
        var byStage = new Dictionary<string, double[]>(StringComparer.OrdinalIgnoreCase);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows.Row(r);
            var last = r == rows.Count - 1 || rows.OpportunityIds[r + 1] != rows.OpportunityIds[r];
            if (last)
            {
                Add(overall, row, total);
            }

            if (rows.Labels[r] > 0.5f && rows.Stages[r] is { } stage)
            {
                if (!byStage.TryGetValue(stage, out var sums))
                {
                    byStage[stage] = sums = new double[kinds.Count];
                }

                Add(sums, row, inStage);
            }
        }

        return new NaiveBaselines(
            Rank(kinds, overall),
            byStage.ToDictionary(s => s.Key, s => (IReadOnlyList<string>)Rank(kinds, s.Value), StringComparer.OrdinalIgnoreCase));
    }

    private static int[] KindColumns(FeatureSchema schema, ActivityStatistic statistic) =>
        [.. Enumerable.Range(0, schema.ActivityKinds.Count).Select(k =>
            Enumerable.Range(0, schema.Width).First(c => schema.Features[c].ActivityKindIndex == k && schema.Features[c].Statistic == statistic))];

    private static void Add(double[] sums, ReadOnlySpan<float> row, int[] columns)
    {
        for (var k = 0; k < columns.Length; k++)
        {
            sums[k] += row[columns[k]];
        }
    }

    private static string[] Rank(IReadOnlyList<string> kinds, double[] counts) =>
        [.. Enumerable.Range(0, kinds.Count).OrderByDescending(k => counts[k]).ThenBy(k => k).Select(k => kinds[k])];
}
