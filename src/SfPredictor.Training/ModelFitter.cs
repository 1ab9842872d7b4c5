using System.Globalization;
using Google.Protobuf;
using SfPredictor.Features.Training;
using SfPredictor.Scoring;
using SfPredictor.Training.Boosting;
using SfPredictor.Training.Calibration;
using SfPredictor.Training.Export;
using SfPredictor.Training.Native;
using SfPredictor.Training.Packaging;

namespace SfPredictor.Training;

/// <summary>A model fitted on training rows, exported to ONNX, checked, and loaded for scoring.</summary>
internal sealed class FittedModel : IDisposable
{
    public required string Kind { get; init; }

    public string? FallbackReason { get; init; }

    public required byte[] Onnx { get; init; }

    public required OnnxScorer Scorer { get; init; }

    public required TreeEnsemble Ensemble { get; init; }

    public required PlattCalibration Calibration { get; init; }

    /// <summary>Rows the trees (or stage rates) learned from.</summary>
    public required TrainingSet Train { get; init; }

    /// <summary>Later rows that chose the number of trees and the calibration.</summary>
    public required TrainingSet Validation { get; init; }

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
        CancellationToken cancellationToken)
    {
        var won = rows.WonOpportunityCount;
        var lost = rows.OpportunityCount - won;
        if (won < options.MinWonForFallback || lost < options.MinLostForFallback)
        {
            throw new InsufficientTrainingDataException(won, lost, options.MinWonForFallback, options.MinLostForFallback);
        }

        var (train, validation) = rows.SplitByCloseTime(options.ValidationShare);
        var fallback = won < options.MinWonForModel || lost < options.MinLostForModel;
        var weights = options.WeightOpportunitiesEqually ? validation.Weights : null;
        TreeEnsemble ensemble;
        float[] referenceMargins;
        string? xgboostVersion = null;
        if (fallback)
        {
            ensemble = StageWinRates.Build(train.Features, train.Width, StageColumn(train), train.Labels);
            referenceMargins = new float[validation.Count];
            for (var i = 0; i < validation.Count; i++)
            {
                referenceMargins[i] = ensemble.Margin(validation.Row(i));
            }
        }
        else
        {
            var trainRows = new BoostingRows(train.Features, train.Width, train.Labels, options.WeightOpportunitiesEqually ? train.Weights : null);
            var validationRows = new BoostingRows(validation.Features, validation.Width, validation.Labels, weights);
            using var trained = BoosterTrainer.Train(trainRows, validationRows, options, rows.Schema.MonotoneConstraints, progress, cancellationToken);
            ensemble = TreeEnsemble.FromXGBoostJson(trained.Booster.SaveJson());
            using var matrix = validationRows.ToMatrix();
            referenceMargins = trained.Booster.PredictMargins(matrix);
            xgboostVersion = XGBoostLibrary.Version;
        }

        // The fallback's leaves already are smoothed win rates; calibrating them again would fit noise.
        var calibration = !fallback && HasBothOutcomes(validation)
            ? PlattCalibration.Fit(referenceMargins, validation.Labels, weights)
            : PlattCalibration.Identity;
        var kind = fallback ? ModelManifest.StageFallbackKind : ModelManifest.XGBoostKind;
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
            var parity = CheckParity(scorer, validation, referenceMargins, calibration, cancellationToken);
            progress?.Report(new TrainingProgress("checking ONNX against the trained model", 1, 1));
            return new FittedModel
            {
                Kind = kind,
                FallbackReason = fallback
                    ? string.Create(CultureInfo.InvariantCulture, $"{won} won and {lost} lost closed Opportunities; the boosted model needs at least {options.MinWonForModel} won and {options.MinLostForModel} lost.")
                    : null,
                Onnx = onnx,
                Scorer = scorer,
                Ensemble = ensemble,
                Calibration = calibration,
                Train = train,
                Validation = validation,
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

    internal static double CheckParity(OnnxScorer scorer, TrainingSet validation, float[] margins, PlattCalibration calibration, CancellationToken cancellationToken)
    {
        var onnx = new float[validation.Count];
        scorer.Score(validation.Features, onnx, cancellationToken);
        var worst = 0.0;
        for (var i = 0; i < onnx.Length; i++)
        {
            var expected = calibration.Apply(margins[i]);
            var difference = Math.Abs(onnx[i] - expected);
            if (!(difference <= ParityTolerance))
            {
                throw new ModelParityException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The ONNX model gives {onnx[i]:R} for validation row {i} (Opportunity {validation.OpportunityIds[i]} as of " +
                    $"{validation.SnapshotTimes[i]:O}) but the trained model gives {expected:R}; the difference exceeds {ParityTolerance}. No model was written."));
            }

            worst = Math.Max(worst, difference);
        }

        return worst;
    }

    private static bool HasBothOutcomes(TrainingSet rows) =>
        rows.Labels.Any(l => l > 0.5f) && rows.Labels.Any(l => l <= 0.5f);
}
