using SfPredictor.Features.Training;
using SfPredictor.Training.Evaluation;

namespace SfPredictor.Training.Boosting;

/// <summary>One way of regularising the trees, and its time-ordered cross-validated log loss.</summary>
/// <param name="Name">Shown in the manifest and report.</param>
/// <param name="MaxDepth">XGBoost max_depth.</param>
/// <param name="MinChildWeight">XGBoost min_child_weight.</param>
/// <param name="L2Regularization">XGBoost lambda.</param>
/// <param name="LogLoss">Mean log loss over the folds (NaN before measuring).</param>
/// <param name="Rounds">Mean best number of boosting rounds over the folds (0 for the stage win rates).</param>
public sealed record RegularisationCandidate(string Name, int MaxDepth, double MinChildWeight, double L2Regularization, double LogLoss = double.NaN, int Rounds = 0)
{
    /// <summary>True for the simplest candidate: the win rate of each stage, no trees.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsStageRates => MaxDepth == 0;
}

/// <summary>
/// For orgs with few closed deals: tries the configured trees, two more strongly regularised ones and the
/// stage win rates alone on time-ordered folds (learn from the earlier deals, measure on the next ones,
/// three times with a growing past) and keeps the one with the lowest mean log loss, with the number of
/// rounds the folds found best. Deep trees with small leaves memorise a few hundred deals; shallow ones
/// with large leaves generalise; and sometimes the stage says all the data can support. The folds say which.
/// </summary>
internal static class RegularisationChoice
{
    public const string ConfiguredName = "configured";

    public static List<RegularisationCandidate> Candidates(TrainingOptions options) =>
    [
        new(ConfiguredName, options.MaxDepth, options.MinChildWeight, options.L2Regularization),
        new("shallow", Math.Min(options.MaxDepth, 3), Math.Max(options.MinChildWeight, 20), Math.Max(options.L2Regularization, 10)),
        new("shallowest", Math.Min(options.MaxDepth, 2), Math.Max(options.MinChildWeight, 50), Math.Max(options.L2Regularization, 30)),
        new(StageRatesName, 0, 0, 0),
    ];

    public const string StageRatesName = "stage win rates";

    /// <summary>Measures every candidate on time-ordered folds of <paramref name="rows"/> and returns them, the chosen one first.</summary>
    public static List<RegularisationCandidate> Choose(
        TrainingSet rows,
        TrainingOptions options,
        IReadOnlyList<int>? monotoneConstraints,
        CancellationToken cancellationToken)
    {
        var folds = Folds(rows);
        var measured = new List<RegularisationCandidate>();
        foreach (var candidate in Candidates(options))
        {
            var candidateOptions = candidate.IsStageRates ? options : Apply(options, candidate);
            var losses = new List<double>();
            var rounds = new List<int>();
            foreach (var (train, validate) in folds)
            {
                if (candidate.IsStageRates)
                {
                    var stages = StageWinRates.Build(train.Features, train.Width, ModelFitter.StageColumn(train), train.Labels);
                    var p = new float[validate.Count];
                    for (var i = 0; i < p.Length; i++)
                    {
                        p[i] = (float)Calibration.PlattCalibration.Sigmoid(stages.Margin(validate.Row(i)));
                    }

                    losses.Add(Metrics.LogLoss(p, validate.Labels, options.WeightOpportunitiesEqually ? validate.Weights : default));
                    continue;
                }

                var trainRows = new BoostingRows(train.Features, train.Width, train.Labels, options.WeightOpportunitiesEqually ? train.Weights : null);
                var validateRows = new BoostingRows(validate.Features, validate.Width, validate.Labels, options.WeightOpportunitiesEqually ? validate.Weights : null);
                using var trained = BoosterTrainer.Train(trainRows, validateRows, candidateOptions, monotoneConstraints, null, cancellationToken);
                losses.Add(trained.ValidationLogLoss.Min());
                rounds.Add(trained.Rounds);
            }

            measured.Add(candidate with
            {
                LogLoss = losses.Count > 0 ? losses.Average() : double.NaN,
                Rounds = rounds.Count > 0 ? (int)Math.Round(rounds.Average()) : 0,
            });
        }

        // Ties and unmeasurable folds keep the configured trees.
        var best = measured.Where(c => double.IsFinite(c.LogLoss)).OrderBy(c => c.LogLoss).FirstOrDefault() ?? measured[0];
        return [best, .. measured.Where(c => c != best)];
    }

    public static TrainingOptions Apply(TrainingOptions options, RegularisationCandidate candidate)
    {
        var copy = Copy(options);
        copy.MaxDepth = candidate.MaxDepth;
        copy.MinChildWeight = candidate.MinChildWeight;
        copy.L2Regularization = candidate.L2Regularization;
        return copy;
    }

    // Three folds over four equal spans of deals by close time: learn from the first one, two, three spans,
    // measure on the next. A fold whose sets lack an outcome is left out.
    private static List<(TrainingSet Train, TrainingSet Validate)> Folds(TrainingSet rows)
    {
        var folds = new List<(TrainingSet, TrainingSet)>();
        var past = rows;
        foreach (var share in new[] { 0.25, 1 / 3.0, 0.5 })
        {
            var (earlier, next) = past.SplitByCloseTime(share);
            if (HasBoth(earlier) && HasBoth(next))
            {
                folds.Add((earlier, next));
            }

            past = earlier;
        }

        return folds;
    }

    private static bool HasBoth(TrainingSet rows) => rows.Count > 0 && Calibration.ModelCalibration.HasBothOutcomes(rows.Labels);

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
        ExtraParameters = new Dictionary<string, string>(o.ExtraParameters, StringComparer.Ordinal),
    };
}
