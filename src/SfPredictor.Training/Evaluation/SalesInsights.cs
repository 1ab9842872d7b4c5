using SfPredictor.Features;
using SfPredictor.Features.Training;
using SfPredictor.Records;

namespace SfPredictor.Training.Evaluation;

/// <summary>The win rate of one group of closed deals.</summary>
/// <param name="Group">The stage or segment.</param>
/// <param name="Deals">Closed deals in the group.</param>
/// <param name="Share">Share of them won.</param>
internal sealed record GroupWinRate(string Group, int Deals, double Share);

/// <summary>The model's average gain of every activity kind for the deals at one stage.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Rows">Snapshots averaged.</param>
/// <param name="Gains">Per activity kind (in <see cref="SalesInsights.Kinds"/> order), the average change in probability units.</param>
internal sealed record StageGains(string Stage, int Rows, IReadOnlyList<double> Gains);

/// <summary>Open deals whose win probability falls in one band.</summary>
/// <param name="From">Lower bound (0–1), inclusive.</param>
/// <param name="To">Upper bound (0–1); the last band includes 1.</param>
/// <param name="Deals">Open deals in the band.</param>
/// <param name="ExpectedWins">The sum of their probabilities: how many of them should be won.</param>
internal sealed record PipelineBand(double From, double To, int Deals, double ExpectedWins);

/// <summary>
/// What the closed deals and the model say about the org, for sales managers: win rates by stage and by
/// segment (the account's industry), the model's gain of each activity kind in each stage, and the open
/// pipeline by probability band with the expected number of wins.
/// </summary>
internal sealed record SalesInsights(
    IReadOnlyList<GroupWinRate> ByStage,
    string SegmentName,
    IReadOnlyList<GroupWinRate> BySegment,
    IReadOnlyList<string> Kinds,
    IReadOnlyList<StageGains> GainsByStage,
    IReadOnlyList<PipelineBand> OpenPipeline,
    DateTimeOffset AsOf)
{
    // Enough snapshots per stage for a stable average while keeping training quick.
    private const int MaxGainRowsPerStage = 300;

    /// <summary>Computes the insights.</summary>
    /// <param name="org">The org's records.</param>
    /// <param name="builder">Builds feature rows with the model's schema.</param>
    /// <param name="rows">Every closed-deal snapshot (training and validation).</param>
    /// <param name="holdout">The validation snapshots the gains are measured on (the model did not learn from them).</param>
    /// <param name="scorer">The model.</param>
    /// <param name="stageColumn">The stage feature column, to list stages in their order.</param>
    /// <param name="asOf">The point in time the open pipeline is scored at.</param>
    /// <param name="cancellationToken">Passed to the model.</param>
    public static SalesInsights Compute(
        OrgData org, FeatureBuilder builder, TrainingSet rows, TrainingSet holdout, Scoring.OnnxScorer scorer, int stageColumn, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var stageOrder = StageOrder(rows, stageColumn);
        var byStage = Enumerable.Range(0, rows.Count)
            .GroupBy(i => rows.Stages[i] ?? "(unknown)", StringComparer.Ordinal)
            .Select(g =>
            {
                // A deal counts once per stage it was seen at, however many snapshots it has there.
                var deals = g.GroupBy(i => rows.OpportunityIds[i], StringComparer.Ordinal).Select(d => rows.Labels[d.First()] > 0.5f).ToList();
                return new GroupWinRate(g.Key, deals.Count, deals.Count(w => w) / (double)deals.Count);
            })
            .OrderBy(w => stageOrder.GetValueOrDefault(w.Group, float.MaxValue))
            .ThenBy(w => w.Group, StringComparer.Ordinal)
            .ToList();

        var industries = org.Accounts.ToDictionary(a => a.Id, a => a.Industry, StringComparer.Ordinal);
        var closed = org.Opportunities.Where(o => o.IsClosed && o.CreatedDate <= asOf).ToList();
        var bySegment = closed
            .GroupBy(o => o.AccountId is { } id && industries.GetValueOrDefault(id) is { Length: > 0 } industry ? industry : "(no industry)", StringComparer.Ordinal)
            .Select(g => new GroupWinRate(g.Key, g.Count(), g.Count(o => o.IsWon) / (double)g.Count()))
            .OrderByDescending(w => w.Deals)
            .ThenBy(w => w.Group, StringComparer.Ordinal)
            .ToList();

        return new SalesInsights(
            byStage,
            "Account industry",
            bySegment,
            holdout.Schema.ActivityKinds,
            MeasureGainsByStage(holdout, scorer, stageOrder, cancellationToken),
            ScoreOpenPipeline(builder, scorer, asOf, cancellationToken),
            asOf);
    }

    private static Dictionary<string, float> StageOrder(TrainingSet rows, int stageColumn)
    {
        var order = new Dictionary<string, float>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var value = rows.Row(i)[stageColumn];
            if (rows.Stages[i] is { } stage && float.IsFinite(value) && (!order.TryGetValue(stage, out var seen) || value < seen))
            {
                order[stage] = value;
            }
        }

        return order;
    }

    private static List<StageGains> MeasureGainsByStage(TrainingSet holdout, Scoring.OnnxScorer scorer, Dictionary<string, float> stageOrder, CancellationToken cancellationToken)
    {
        var width = holdout.Width;
        var result = new List<StageGains>();
        var stages = Enumerable.Range(0, holdout.Count)
            .GroupBy(i => holdout.Stages[i] ?? "(unknown)", StringComparer.Ordinal)
            .OrderBy(g => stageOrder.GetValueOrDefault(g.Key, float.MaxValue))
            .ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var stage in stages)
        {
            var all = stage.ToArray();
            var step = Math.Max(1, all.Length / MaxGainRowsPerStage);
            var sample = all.Where((_, k) => k % step == 0).Take(MaxGainRowsPerStage).ToArray();
            var kinds = holdout.Schema.ActivityKinds.Count;

            // One batch per stage: each sampled snapshot as it is, then once per kind with one more activity.
            var batch = new float[sample.Length * (kinds + 1) * width];
            for (var s = 0; s < sample.Length; s++)
            {
                for (var k = 0; k <= kinds; k++)
                {
                    var row = batch.AsSpan(((s * (kinds + 1)) + k) * width, width);
                    holdout.Row(sample[s]).CopyTo(row);
                    if (k > 0)
                    {
                        holdout.Schema.ApplyActivity(row, k - 1);
                    }
                }
            }

            var probabilities = new float[sample.Length * (kinds + 1)];
            scorer.Score(batch, probabilities, cancellationToken);
            var gains = new double[kinds];
            for (var s = 0; s < sample.Length; s++)
            {
                var before = probabilities[s * (kinds + 1)];
                for (var k = 0; k < kinds; k++)
                {
                    gains[k] += (probabilities[(s * (kinds + 1)) + k + 1] - before) / sample.Length;
                }
            }

            result.Add(new StageGains(stage.Key, sample.Length, gains));
        }

        return result;
    }

    private static List<PipelineBand> ScoreOpenPipeline(FeatureBuilder builder, Scoring.OnnxScorer scorer, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var open = builder.Index.OpenAt(asOf);
        var probabilities = new float[open.Length];
        if (open.Length > 0)
        {
            var rows = new float[open.Length * builder.Width];
            for (var i = 0; i < open.Length; i++)
            {
                builder.Build(open[i], asOf, rows.AsSpan(i * builder.Width, builder.Width));
            }

            scorer.Score(rows, probabilities, cancellationToken);
        }

        var bands = new List<PipelineBand>();
        for (var b = 0; b < 10; b++)
        {
            var inBand = probabilities.Where(p => Math.Clamp((int)(p * 10), 0, 9) == b).ToList();
            bands.Add(new PipelineBand(b / 10.0, (b + 1) / 10.0, inBand.Count, inBand.Sum(p => (double)p)));
        }

        return bands;
    }
}
