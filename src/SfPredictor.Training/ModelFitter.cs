using System.Globalization;
using Google.Protobuf;
using SfPredictor.Features.Training;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Calibration;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training.Boosting;
using SfPredictor.Training.Calibration;
using SfPredictor.Training.Export;
using SfPredictor.Training.Native;

namespace SfPredictor.Training;

/// <summary>A model fitted on training rows, exported to ONNX, checked, and loaded for scoring.</summary>
internal sealed class FittedModel : IDisposable
{
    public required string Kind { get; init; }

    public string? FallbackReason { get; init; }

    public required byte[] Onnx { get; init; }

    public required OnnxScorer Scorer { get; init; }

    public required TreeEnsemble Ensemble { get; init; }

    public required ModelCalibration Calibration { get; init; }

    /// <summary>Rows the trees (or stage rates) learned from.</summary>
    public required TrainingSet Train { get; init; }

    /// <summary>Later rows that chose the number of trees (empty for the stage fallback).</summary>
    public required TrainingSet Stopping { get; init; }

    /// <summary>The rows whose margins fitted and chose the calibration: the latest rows given, or on a small org the cross-validation folds' held-out rows (scored by the fold models).</summary>
    public required TrainingSet CalibrationRows { get; init; }

    /// <summary>Every row given: <see cref="Train"/>, <see cref="Stopping"/> and <see cref="CalibrationRows"/>.</summary>
    public required TrainingSet LearnedFrom { get; init; }

    /// <summary>The candidates tried on a small org, the simplest first; empty when none was chosen.</summary>
    public IReadOnlyList<RegularisationCandidate> Regularisation { get; init; } = [];

    /// <summary>What the cross-validation chose on a small org, or null.</summary>
    public ModelChoice? Choice { get; init; }

    public required double ParityMaxDifference { get; init; }

    public string? XGBoostVersion { get; init; }

    public required int WonOpportunities { get; init; }

    public required int LostOpportunities { get; init; }

    public void Dispose() => Scorer.Dispose();
}

/// <summary>
/// Decides between the boosted model, the stage win-rate fallback and a refusal from the number of
/// closed deals; trains; calibrates; exports to ONNX; and refuses to return a model whose ONNX
/// probabilities differ from the trained model's by more than <see cref="ParityTolerance"/>.
/// The rows given are cut by close time into three periods, each with one job: the earliest teach the
/// trees, the next decide when boosting stops, the latest fit the calibration and choose its method.
/// On a small org (<see cref="TrainingOptions.ChooseRegularisationBelow"/>) time-ordered cross-validation
/// replaces the periods (<see cref="RegularisationChoice"/>).
/// Nothing here sees the deals a caller measures the model on.
/// </summary>
internal static class ModelFitter
{
    public const double ParityTolerance = 1e-5;

    /// <summary>The feature the stage-only model and baseline read.</summary>
    public const string StageFeature = "stage_position";

    public static FittedModel Fit(
        TrainingSet rows,
        TrainingOptions options,
        ScorerOptions? scorerOptions,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken,
        int? wonOverall = null,
        int? lostOverall = null)
    {
        // Whether there is enough for a model is judged on every closed deal, the test deals included,
        // so that train and evaluate decide alike.
        var won = wonOverall ?? rows.WonOpportunityCount;
        var lost = lostOverall ?? rows.OpportunityCount - won;
        if (won < options.MinWonForFallback || lost < options.MinLostForFallback)
        {
            throw new InsufficientTrainingDataException(won, lost, options.MinWonForFallback, options.MinLostForFallback);
        }

        var (train, stopping, calibrationRows) = Periods(rows, options);
        var fallback = won < options.MinWonForModel || lost < options.MinLostForModel;
        string? fallbackReason = fallback
            ? string.Create(CultureInfo.InvariantCulture, $"{won} won and {lost} lost closed Opportunities; the boosted model needs at least {options.MinWonForModel} won and {options.MinLostForModel} lost.")
            : null;
        TreeEnsemble ensemble;
        float[] calibrationMargins;
        string? xgboostVersion = null;
        ModelCalibration calibration;
        IReadOnlyList<RegularisationCandidate> regularisation = [];
        ModelChoice? choice = null;
        if (fallback)
        {
            // The fallback's leaves already are smoothed win rates; calibrating them again would fit noise.
            (train, stopping) = (rows, rows.Slice(0, 0));
            ensemble = StageWinRates.Build(train.Features, train.Width, StageColumn(train), train.Labels);
            calibrationMargins = Margins(ensemble, calibrationRows);
            calibration = ModelCalibration.Identity;
        }
        else
        {
            var xgboost = options.Trainer == TrainingOptions.XGBoostTrainer;
            RegularisationResult? chosen = null;
            if (xgboost && rows.OpportunityCount < options.ChooseRegularisationBelow)
            {
                // Few deals: time-ordered folds over all of them choose the model and its rounds, and no
                // period is set aside: the trees learn from every deal and the calibration from the
                // folds' held-out predictions, which are many more deals than a calibration period.
                progress?.Report(new TrainingProgress("choosing the model by time-ordered cross-validation", 0, 1));
                chosen = RegularisationChoice.Choose(rows, options, rows.Schema.MonotoneConstraints, cancellationToken);
                progress?.Report(new TrainingProgress("choosing the model by time-ordered cross-validation", 1, 1));
                if (chosen is not null)
                {
                    regularisation = chosen.Tried;
                    choice = new ModelChoice(
                        chosen.Chosen.Name, chosen.Chosen.Rounds, chosen.Chosen.LogLoss, chosen.Chosen.StandardError, chosen.Best.Name, chosen.Folds,
                        CalibratedOutOfFold: !chosen.Chosen.IsStageRates);
                }
            }

            if (chosen is { Chosen.IsStageRates: true })
            {
                var bestTrees = chosen.Tried.Where(c => !c.IsStageRates).MinBy(c => c.LogLoss)!;
                fallback = true;
                fallbackReason = string.Create(CultureInfo.InvariantCulture, $"{won} won and {lost} lost closed Opportunities; on so few, time-ordered cross-validation found the stage win rates better than any trees (mean log loss {chosen.Chosen.LogLoss:0.000} against {bestTrees.LogLoss:0.000} for {bestTrees.Name}).");
                (train, stopping) = (rows, rows.Slice(0, 0));
                ensemble = StageWinRates.Build(train.Features, train.Width, StageColumn(train), train.Labels);
                calibrationMargins = Margins(ensemble, calibrationRows);
                calibration = ModelCalibration.Identity;
            }
            else if (chosen is not null)
            {
                options = RegularisationChoice.Apply(options, chosen.Chosen);
                options.MaxRounds = Math.Max(1, chosen.Chosen.Rounds);
                (train, stopping, calibrationRows) = (rows, rows.Slice(0, 0), chosen.HeldOut);
                var trainRows = new BoostingRows(train.Features, train.Width, train.Labels, options.WeightOpportunitiesEqually ? train.Weights : null);
                // The held-out deals only watch the rounds: every round up to the chosen number is kept.
                var watchRows = new BoostingRows(calibrationRows.Features, calibrationRows.Width, calibrationRows.Labels, null);
                using var trained = BoosterTrainer.Train(trainRows, watchRows, options, rows.Schema.MonotoneConstraints, progress, cancellationToken, keepAllRounds: true);
                ensemble = TreeEnsemble.FromXGBoostJson(trained.Booster.SaveJson());
                calibrationMargins = Margins(ensemble, calibrationRows);
                xgboostVersion = XGBoostLibrary.Version;
                calibration = Calibrate(calibrationRows, chosen.HeldOutMargins, options);
            }
            else if (!xgboost)
            {
                var trees = MlNet.MlNetTrainer.Train(options.Trainer, train, stopping, options, progress, cancellationToken);
                ensemble = trees.Ensemble;
                calibrationMargins = Margins(ensemble, calibrationRows);
                xgboostVersion = $"ML.NET {trees.Version}";
                calibration = Calibrate(calibrationRows, calibrationMargins, options);
            }
            else
            {
                var trainRows = new BoostingRows(train.Features, train.Width, train.Labels, options.WeightOpportunitiesEqually ? train.Weights : null);
                var stoppingRows = new BoostingRows(stopping.Features, stopping.Width, stopping.Labels, options.WeightOpportunitiesEqually ? stopping.Weights : null);
                using var trained = BoosterTrainer.Train(trainRows, stoppingRows, options, rows.Schema.MonotoneConstraints, progress, cancellationToken);
                ensemble = TreeEnsemble.FromXGBoostJson(trained.Booster.SaveJson());
                using var matrix = new XGBoostMatrix(calibrationRows.Features, calibrationRows.Width, calibrationRows.Labels, null);
                calibrationMargins = trained.Booster.PredictMargins(matrix);
                xgboostVersion = XGBoostLibrary.Version;
                calibration = Calibrate(calibrationRows, calibrationMargins, options);
            }
        }

        var kind = fallback ? ModelManifest.StageFallbackKind : options.Trainer;
        var metadata = new Dictionary<string, string>
        {
            [ModelPackage.FeatureHashMetadataKey] = rows.Schema.Hash,
            [ModelPackage.KindMetadataKey] = kind,
        };
        var onnx = OnnxModelWriter.Build(ensemble, calibration, metadata).ToByteArray();

        progress?.Report(new TrainingProgress("checking ONNX against the trained model", 0, 1));
        var scorer = OnnxScorer.Load(onnx, scorerOptions);
        try
        {
            var parity = CheckParity(scorer, calibrationRows, calibrationMargins, calibration, cancellationToken);
            progress?.Report(new TrainingProgress("checking ONNX against the trained model", 1, 1));
            return new FittedModel
            {
                Kind = kind,
                FallbackReason = fallbackReason,
                Onnx = onnx,
                Scorer = scorer,
                Ensemble = ensemble,
                Calibration = calibration,
                Train = train,
                Stopping = stopping,
                CalibrationRows = calibrationRows,
                LearnedFrom = rows,
                Regularisation = regularisation,
                Choice = choice,
                ParityMaxDifference = parity,
                XGBoostVersion = xgboostVersion,
                WonOpportunities = won,
                LostOpportunities = lost,
            };
        }
        catch
        {
            scorer.Dispose();
            throw;
        }
    }

    public static int StageColumn(TrainingSet rows)
    {
        var column = rows.Schema.IndexOf(StageFeature);
        return column >= 0
            ? column
            : throw new InvalidOperationException($"The feature schema has no '{StageFeature}' column, which the stage model needs.");
    }

    /// <summary>
    /// Cuts rows by close time into the periods that teach the trees, stop the boosting and fit the
    /// calibration (the last two shares of <see cref="TrainingOptions"/> are of all the rows given).
    /// </summary>
    internal static (TrainingSet Train, TrainingSet Stopping, TrainingSet Calibration) Periods(TrainingSet rows, TrainingOptions options)
    {
        var (earlier, calibration) = rows.SplitByCloseTime(options.CalibrationShare);
        var (train, stopping) = earlier.SplitByCloseTime(Math.Min(0.9, options.StoppingShare / (1 - options.CalibrationShare)));
        return (train, stopping, calibration);
    }

    private static ModelCalibration Calibrate(TrainingSet rows, float[] margins, TrainingOptions options)
    {
        if (!CalibrationFitter.HasBothOutcomes(rows.Labels))
        {
            return ModelCalibration.Identity;
        }

        // The method is chosen on the later half of the calibration deals, so a deal's rows stay together.
        var (early, _) = rows.SplitByCloseTime(0.5);
        return CalibrationFitter.Choose(margins, rows.Labels, options.WeightOpportunitiesEqually ? rows.Weights : null, early.Count);
    }

    private static float[] Margins(TreeEnsemble ensemble, TrainingSet rows)
    {
        var margins = new float[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            margins[i] = ensemble.Margin(rows.Row(i));
        }

        return margins;
    }

    internal static double CheckParity(OnnxScorer scorer, TrainingSet validation, float[] margins, PlattCalibration calibration, CancellationToken cancellationToken) =>
        CheckParity(scorer, validation, margins, ModelCalibration.FromPlatt(calibration), cancellationToken);

    internal static double CheckParity(OnnxScorer scorer, TrainingSet validation, float[] margins, ModelCalibration calibration, CancellationToken cancellationToken)
    {
        var onnx = new float[validation.Count];
        scorer.Score(validation.Features, onnx, cancellationToken);
        var worst = 0.0;
        for (var i = 0; i < onnx.Length; i++)
        {
            // ONNX Runtime may add the trees in another order than the trainer, so the margin may differ
            // in its last bits; the probability must match the calibration at a margin that close.
            var expected = calibration.Apply(margins[i]);
            var slack = Math.Max(1, Math.Abs(margins[i])) * 2e-6f;
            var low = Math.Min(calibration.Apply(margins[i] - slack), calibration.Apply(margins[i] + slack));
            var high = Math.Max(calibration.Apply(margins[i] - slack), calibration.Apply(margins[i] + slack));
            var difference = Math.Max(0, Math.Max(low - onnx[i], onnx[i] - high));
            if (!(difference <= ParityTolerance))
            {
                throw new ModelParityException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The ONNX model gives {onnx[i]:R} for validation row {i} (Opportunity {validation.OpportunityIds[i]} as of " +
                    $"{validation.SnapshotTimes[i]:O}) but the trained model gives {expected:R}; the difference exceeds {ParityTolerance}. No model was written."));
            }

            worst = Math.Max(worst, Math.Abs(onnx[i] - expected));
        }

        return worst;
    }

}
