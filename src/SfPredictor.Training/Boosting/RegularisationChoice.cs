using System.Globalization;
using SfPredictor.Features.Training;
using SfPredictor.Scoring.Calibration;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training.Calibration;
using SfPredictor.Training.Evaluation;

namespace SfPredictor.Training.Boosting;

/// <summary>The candidates measured, the choice, and the chosen candidate's held-out margins on the folds.</summary>
internal sealed record RegularisationResult(
    IReadOnlyList<RegularisationCandidate> Tried,
    RegularisationCandidate Chosen,
    RegularisationCandidate Best,
    int Folds,
    TrainingSet HeldOut,
    float[] HeldOutMargins);

/// <summary>
/// For orgs with few closed deals: measures the stage win rates alone, stumps (depth-1 trees: one
/// feature each, an additive model), two more strongly regularised tree sets and the configured trees
/// on time-ordered folds (learn from the earlier deals, measure on the next ones, three times with a
/// growing past). Every tree candidate boosts its folds side by side and the number of rounds is where
/// the mean validation log loss across the folds is lowest, so one lucky fold does not set it. Then the
/// one-standard-error rule: the simplest candidate whose mean log loss is within one standard error of
/// the best is kept, since a few hundred deals cannot tell apart candidates closer than that and the
/// simpler one carries less of the noise into later deals. The stage win rates alone are kept only when
/// they beat every tree candidate by more than their standard error: they carry no activity effect, so
/// that org's reps get no next activities, which is worth it only when the trees measurably do worse.
/// </summary>
internal static class RegularisationChoice
{
    public const string ConfiguredName = "configured";

    public const string StumpsName = "stumps";

    public const string StageRatesName = "stage win rates";

    /// <summary>The candidates from the simplest to the most complex.</summary>
    public static List<RegularisationCandidate> Candidates(TrainingOptions options) =>
    [
        new(StageRatesName, 0, 0, 0),
        new(StumpsName, 1, Math.Max(options.MinChildWeight, 20), Math.Max(options.L2Regularization, 10)),
        new("shallowest", Math.Min(options.MaxDepth, 2), Math.Max(options.MinChildWeight, 50), Math.Max(options.L2Regularization, 30)),
        new("shallow", Math.Min(options.MaxDepth, 3), Math.Max(options.MinChildWeight, 20), Math.Max(options.L2Regularization, 10)),
        new(ConfiguredName, options.MaxDepth, options.MinChildWeight, options.L2Regularization),
    ];

    /// <summary>Measures every candidate on time-ordered folds of <paramref name="rows"/> and chooses one.</summary>
    /// <returns>Null when no fold has both outcomes on both sides (nothing can be measured).</returns>
    public static RegularisationResult? Choose(
        TrainingSet rows,
        TrainingOptions options,
        IReadOnlyList<int>? monotoneConstraints,
        CancellationToken cancellationToken)
    {
        var folds = Folds(rows);
        if (folds.Count == 0)
        {
            return null;
        }

        var measured = new List<RegularisationCandidate>();
        var heldOutMargins = new List<float[][]>();
        foreach (var candidate in Candidates(options))
        {
            var (logLoss, rounds, margins) = candidate.IsStageRates
                ? MeasureStageRates(folds, options)
                : MeasureTrees(folds, Apply(options, candidate), monotoneConstraints, cancellationToken);
            measured.Add(candidate with { LogLoss = logLoss, Rounds = rounds, StandardError = StandardError(folds, margins, options) });
            heldOutMargins.Add(margins);
        }

        var best = measured.Where(c => double.IsFinite(c.LogLoss)).MinBy(c => c.LogLoss) ?? measured[^1];
        var trees = measured.Where(c => !c.IsStageRates && double.IsFinite(c.LogLoss)).ToList();
        var stageRates = measured[0];
        RegularisationCandidate chosen;
        if (trees.Count == 0 || stageRates.LogLoss + Finite(stageRates.StandardError) < trees.Min(c => c.LogLoss))
        {
            chosen = trees.Count == 0 && !double.IsFinite(stageRates.LogLoss) ? measured[^1] : stageRates;
        }
        else
        {
            var bestTrees = trees.MinBy(c => c.LogLoss)!;
            chosen = trees.First(c => c.LogLoss <= bestTrees.LogLoss + Finite(bestTrees.StandardError));
        }

        var index = measured.IndexOf(chosen);

        // The folds' held-out sets are consecutive spans reaching the last deal; keep the contiguous run
        // of them that ends there (a fold without both outcomes leaves a gap).
        var start = folds[0].ValidateStart;
        var parts = new List<float[]> { heldOutMargins[index][0] };
        for (var f = 1; f < folds.Count && folds[f].ValidateStart + folds[f].Validate.Count == start; f++)
        {
            start = folds[f].ValidateStart;
            parts.Insert(0, heldOutMargins[index][f]);
        }

        return new RegularisationResult(measured, chosen, best, folds.Count, rows.Slice(start, rows.Count), [.. parts.SelectMany(p => p)]);
    }

    public static TrainingOptions Apply(TrainingOptions options, RegularisationCandidate candidate)
    {
        var copy = Copy(options);
        copy.MaxDepth = candidate.MaxDepth;
        copy.MinChildWeight = candidate.MinChildWeight;
        copy.L2Regularization = candidate.L2Regularization;
        return copy;
    }

    private sealed record Fold(TrainingSet Train, TrainingSet Validate, int ValidateStart);

    private static (double LogLoss, int Rounds, float[][] Margins) MeasureStageRates(List<Fold> folds, TrainingOptions options)
    {
        var margins = new float[folds.Count][];
        var losses = new double[folds.Count];
        for (var f = 0; f < folds.Count; f++)
        {
            var (train, validate, _) = folds[f];
            var stages = StageWinRates.Build(train.Features, train.Width, ModelFitter.StageColumn(train), train.Labels);
            margins[f] = new float[validate.Count];
            for (var i = 0; i < validate.Count; i++)
            {
                margins[f][i] = stages.Margin(validate.Row(i));
            }

            losses[f] = Metrics.LogLoss(Probabilities(margins[f]), validate.Labels, Weights(validate, options));
        }

        return (losses.Average(), 0, margins);
    }

    // Boosts one booster per fold, round by round together, and stops when the mean validation log loss
    // across the folds has not improved for EarlyStoppingRounds.
    private static (double LogLoss, int Rounds, float[][] Margins) MeasureTrees(
        List<Fold> folds, TrainingOptions options, IReadOnlyList<int>? monotoneConstraints, CancellationToken cancellationToken)
    {
        var matrices = new List<XGBoostMatrix>();
        var boosters = new List<XGBoostBooster>();
        try
        {
            foreach (var (train, validate, _) in folds)
            {
                var trainRows = new BoostingRows(train.Features, train.Width, train.Labels, options.WeightOpportunitiesEqually ? train.Weights : null);
                var trainMatrix = trainRows.ToMatrix();
                matrices.Add(trainMatrix);
                var validateMatrix = new XGBoostMatrix(validate.Features, validate.Width, validate.Labels, null);
                matrices.Add(validateMatrix);
                var booster = XGBoostBooster.Create(trainMatrix, validateMatrix);
                boosters.Add(booster);
                foreach (var (name, value) in BoosterTrainer.Parameters(options, monotoneConstraints, BoosterTrainer.BaseScore(trainRows)))
                {
                    booster.SetParameter(name, value);
                }
            }

            var mean = new List<double>();
            var best = 0;
            for (var round = 0; round < options.MaxRounds && round - best < options.EarlyStoppingRounds; round++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sum = 0.0;
                for (var f = 0; f < folds.Count; f++)
                {
                    boosters[f].UpdateOneIteration(round, matrices[2 * f]);
                    sum += Metrics.LogLoss(boosters[f].PredictProbabilities(matrices[(2 * f) + 1]), folds[f].Validate.Labels, Weights(folds[f].Validate, options));
                }

                mean.Add(sum / folds.Count);
                if (mean[round] < mean[best])
                {
                    best = round;
                }
            }

            var rounds = best + 1;
            var margins = new float[folds.Count][];
            for (var f = 0; f < folds.Count; f++)
            {
                if (rounds == boosters[f].BoostedRounds())
                {
                    margins[f] = boosters[f].PredictMargins(matrices[(2 * f) + 1]);
                }
                else
                {
                    using var sliced = boosters[f].Slice(rounds);
                    margins[f] = sliced.PredictMargins(matrices[(2 * f) + 1]);
                }
            }

            return (mean[best], rounds, margins);
        }
        finally
        {
            boosters.ForEach(b => b.Dispose());
            matrices.ForEach(m => m.Dispose());
        }
    }

    // The standard error of the mean held-out log loss, with the snapshots of one deal as one cluster
    // (they share an outcome, so they are not independent evidence).
    private static double StandardError(List<Fold> folds, float[][] margins, TrainingOptions options)
    {
        var losses = new List<(string Deal, double Weight, double Loss)>();
        for (var f = 0; f < folds.Count; f++)
        {
            var validate = folds[f].Validate;
            var p = Probabilities(margins[f]);
            for (var i = 0; i < validate.Count; i++)
            {
                var weight = options.WeightOpportunitiesEqually ? validate.Weights[i] : 1.0;
                var loss = Metrics.LogLoss(p.AsSpan(i, 1), validate.Labels.AsSpan(i, 1));
                losses.Add((validate.OpportunityIds[i], weight, loss));
            }
        }

        var total = losses.Sum(l => l.Weight);
        var deals = losses.Select(l => l.Deal).Distinct(StringComparer.Ordinal).Count();
        if (total <= 0 || deals < 2)
        {
            return double.NaN;
        }

        var meanLoss = losses.Sum(l => l.Weight * l.Loss) / total;
        var squares = losses.GroupBy(l => l.Deal, StringComparer.Ordinal).Sum(g =>
        {
            var s = g.Sum(l => l.Weight * (l.Loss - meanLoss));
            return s * s;
        });

        // The usual small-sample factor of a clustered standard error.
        return Math.Sqrt(squares * deals / (deals - 1.0)) / total;
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private static float[] Probabilities(float[] margins) => [.. margins.Select(m => (float)PlattCalibration.Sigmoid(m))];

    private static ReadOnlySpan<float> Weights(TrainingSet rows, TrainingOptions options) => options.WeightOpportunitiesEqually ? rows.Weights : default;

    // Three folds over four equal spans of deals by close time: learn from the first three, two, one
    // spans, measure on the next; the latest fold first. A fold whose sets lack an outcome is left out.
    private static List<Fold> Folds(TrainingSet rows)
    {
        var folds = new List<Fold>();
        var past = rows;
        foreach (var share in new[] { 0.25, 1 / 3.0, 0.5 })
        {
            var (earlier, next) = past.SplitByCloseTime(share);
            if (HasBoth(earlier) && HasBoth(next))
            {
                folds.Add(new Fold(earlier, next, earlier.Count));
            }

            past = earlier;
        }

        return folds;
    }

    private static bool HasBoth(TrainingSet rows) => rows.Count > 0 && CalibrationFitter.HasBothOutcomes(rows.Labels);

    /// <summary>One line for the report: the choice, and every candidate's log loss ± standard error and rounds.</summary>
    public static string Describe(RegularisationCandidate chosen, IReadOnlyList<RegularisationCandidate> tried) =>
        (chosen.IsStageRates
            ? "the stage win rates alone (better than every tree candidate by more than a standard error)"
            : string.Create(CultureInfo.InvariantCulture, $"{chosen.Name}: depth {chosen.MaxDepth}, leaf weight ≥ {chosen.MinChildWeight}, L2 {chosen.L2Regularization}, {chosen.Rounds} rounds (the simplest trees within one standard error of the best)")) +
        "; mean log loss ± standard error: " +
        string.Join(", ", tried.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Name} {r.LogLoss:0.000} ± {r.StandardError:0.000}{(r.IsStageRates ? "" : $" ({r.Rounds} rounds)")}")));

    private static TrainingOptions Copy(TrainingOptions o) => new()
    {
        Trainer = o.Trainer,
        MaxRounds = o.MaxRounds,
        EarlyStoppingRounds = o.EarlyStoppingRounds,
        MaxDepth = o.MaxDepth,
        LearningRate = o.LearningRate,
        Subsample = o.Subsample,
        ColumnSample = o.ColumnSample,
        MinChildWeight = o.MinChildWeight,
        L2Regularization = o.L2Regularization,
        MinSplitLoss = o.MinSplitLoss,
        Seed = o.Seed,
        Threads = o.Threads,
        UseMonotoneConstraints = o.UseMonotoneConstraints,
        WeightOpportunitiesEqually = o.WeightOpportunitiesEqually,
        DecisionThreshold = o.DecisionThreshold,
        TestShare = o.TestShare,
        StoppingShare = o.StoppingShare,
        CalibrationShare = o.CalibrationShare,
        ChooseRegularisationBelow = o.ChooseRegularisationBelow,
        MinWonForModel = o.MinWonForModel,
        MinLostForModel = o.MinLostForModel,
        MinWonForFallback = o.MinWonForFallback,
        MinLostForFallback = o.MinLostForFallback,
        MinDealsPerActivityKind = o.MinDealsPerActivityKind,
        ExtraParameters = new Dictionary<string, string>(o.ExtraParameters, StringComparer.Ordinal),
    };
}
