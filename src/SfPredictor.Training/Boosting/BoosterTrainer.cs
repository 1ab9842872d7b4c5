using System.Globalization;
using SfPredictor.Training.Evaluation;

namespace SfPredictor.Training.Boosting;

/// <summary>Rows for XGBoost: row-major features (NaN = missing), 0/1 labels, optional weights.</summary>
internal sealed record BoostingRows(float[] Features, int Width, float[] Labels, float[]? Weights)
{
    public int Count => Labels.Length;

    public XGBoostMatrix ToMatrix() => new(Features, Width, Labels, Weights);
}

/// <summary>A trained booster cut to its best round, with the validation log loss of every round tried.</summary>
internal sealed class TrainedBooster(XGBoostBooster booster, int bestRounds, IReadOnlyList<double> validationLogLoss) : IDisposable
{
    public XGBoostBooster Booster { get; } = booster;

    /// <summary>Number of rounds kept (best validation log loss).</summary>
    public int Rounds { get; } = bestRounds;

    public IReadOnlyList<double> ValidationLogLoss { get; } = validationLogLoss;

    public void Dispose() => Booster.Dispose();
}

/// <summary>Boosts one round at a time and stops when the validation log loss stops improving.</summary>
internal static class BoosterTrainer
{
    public static TrainedBooster Train(
        BoostingRows train,
        BoostingRows validation,
        TrainingOptions options,
        IReadOnlyList<int>? monotoneConstraints,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken,
        bool keepAllRounds = false)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        if (train.Count == 0 || validation.Count == 0)
        {
            throw new ArgumentException($"Training needs rows to learn from and rows to validate on (got {train.Count} and {validation.Count}).");
        }

        using var trainMatrix = train.ToMatrix();
        using var validationMatrix = validation.ToMatrix();
        var history = new List<double>();
        XGBoostBooster? full = null;
        try
        {
            full = XGBoostBooster.Create(trainMatrix, validationMatrix);
            foreach (var (name, value) in Parameters(options, monotoneConstraints, BaseScore(train)))
            {
                full.SetParameter(name, value);
            }

            var best = 0;
            for (var round = 0; round < options.MaxRounds; round++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                full.UpdateOneIteration(round, trainMatrix);
                var loss = Metrics.LogLoss(full.PredictProbabilities(validationMatrix), validation.Labels, validation.Weights);
                history.Add(loss);
                if (keepAllRounds || loss < history[best])
                {
                    best = round;
                }

                progress?.Report(new TrainingProgress("boosting", round + 1, options.MaxRounds));
                if (!keepAllRounds && round - best >= options.EarlyStoppingRounds)
                {
                    break;
                }
            }

            var rounds = best + 1;
            if (rounds == history.Count)
            {
                var trained = new TrainedBooster(full, rounds, history);
                full = null;
                return trained;
            }

            return new TrainedBooster(full.Slice(rounds), rounds, history);
        }
        finally
        {
            full?.Dispose();
        }
    }

    /// <summary>The XGBoost parameters for <paramref name="options"/>, in the order they are set.</summary>
    internal static List<KeyValuePair<string, string>> Parameters(TrainingOptions options, IReadOnlyList<int>? monotoneConstraints, double baseScore)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("objective", "binary:logistic"),
            new("tree_method", "hist"),
            new("verbosity", "1"),
            new("base_score", Format(baseScore)),
            new("max_depth", Format(options.MaxDepth)),
            new("eta", Format(options.LearningRate)),
            new("subsample", Format(options.Subsample)),
            new("colsample_bytree", Format(options.ColumnSample)),
            new("min_child_weight", Format(options.MinChildWeight)),
            new("lambda", Format(options.L2Regularization)),
            new("gamma", Format(options.MinSplitLoss)),
            new("seed", Format(options.Seed)),
            new("nthread", Format(options.Threads)),
        };
        if (options.UseMonotoneConstraints && monotoneConstraints is { Count: > 0 } constraints && constraints.Any(c => c != 0))
        {
            parameters.Add(new("monotone_constraints", $"({string.Join(",", constraints.Select(c => Format(Math.Sign(c))))})"));
        }

        parameters.AddRange(options.ExtraParameters);
        return parameters;
    }

    // Starting from the observed win rate instead of XGBoost's 0.5 saves the first trees the work of
    // learning the average.
    internal static double BaseScore(BoostingRows rows)
    {
        double won = 0, total = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var weight = rows.Weights?[i] ?? 1;
            won += weight * rows.Labels[i];
            total += weight;
        }

        return Math.Clamp(won / total, 0.001, 0.999);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
