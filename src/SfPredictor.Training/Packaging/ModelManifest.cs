using System.Text.Json;
using System.Text.Json.Serialization;
using SfPredictor.Training.Calibration;
using SfPredictor.Training.Evaluation;

namespace SfPredictor.Training.Packaging;

/// <summary>What a model package holds and how it was made; written as <c>manifest.json</c> beside <c>model.onnx</c>.</summary>
public sealed record ModelManifest
{
    /// <summary>The manifest layout this build writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary><see cref="Kind"/> of a gradient-boosted tree model.</summary>
    public const string XGBoostKind = "xgboost";

    /// <summary><see cref="Kind"/> of the stage win-rate model used when an org has too few closed deals.</summary>
    public const string StageFallbackKind = "stage-fallback";

    /// <summary>Layout version of this manifest.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Unique, sortable id: creation time (UTC) and the start of the model's SHA-256, e.g. <c>2026-10-01T00-00-00Z-1a2b3c4d</c>.</summary>
    public required string Version { get; init; }

    /// <summary><see cref="XGBoostKind"/> or <see cref="StageFallbackKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>True when the model is the stage win-rate fallback.</summary>
    public bool Fallback => Kind == StageFallbackKind;

    /// <summary>Why the fallback was used (counts of won and lost deals), or <see langword="null"/>.</summary>
    public string? FallbackReason { get; init; }

    /// <summary>When the package was made.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>The point in time of the data: nothing after it was used.</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>The close dates of the Opportunities learned from.</summary>
    public required TrainingWindow TrainingWindow { get; init; }

    /// <summary>Rows and Opportunities used.</summary>
    public required TrainingCounts Counts { get; init; }

    /// <summary>Number of features per row.</summary>
    public required int FeatureCount { get; init; }

    /// <summary>Feature names in column order.</summary>
    public required IReadOnlyList<string> FeatureNames { get; init; }

    /// <summary>The feature schema's hash; rows built with another schema must not be scored.</summary>
    public required string FeatureHash { get; init; }

    /// <summary>The activity kinds the features count.</summary>
    public required IReadOnlyList<string> ActivityKinds { get; init; }

    /// <summary>How well the activity kinds recognised the training data's activities; absent in older manifests.</summary>
    public ActivityCoverageSummary? ActivityCoverage { get; init; }

    /// <summary>Activity kinds never recommended with this model (too few examples to learn their effect from).</summary>
    public IReadOnlyList<LeftOutActivityKind> LeftOutActivityKinds { get; init; } = [];

    /// <summary>Metrics of the calibrated model on the validation rows (which also chose the number of trees and the calibration).</summary>
    public required ClassificationMetrics ValidationMetrics { get; init; }

    /// <summary>The stage-only baseline on the same validation rows.</summary>
    public required ClassificationMetrics BaselineValidationMetrics { get; init; }

    /// <summary>The calibration inside the ONNX graph: p = sigmoid(A · margin + B).</summary>
    public required PlattCalibration Calibration { get; init; }

    /// <summary>Trees in the model (boosting rounds kept after early stopping); 1 for the fallback.</summary>
    public required int Trees { get; init; }

    /// <summary>The XGBoost library version that trained the model, or <see langword="null"/> for the fallback.</summary>
    public string? XGBoostVersion { get; init; }

    /// <summary>The largest difference between XGBoost's and ONNX Runtime's probability on the validation rows.</summary>
    public required double ParityMaxDifference { get; init; }

    /// <summary>The settings training ran with.</summary>
    public required TrainingOptions TrainingOptions { get; init; }

    /// <summary>Lower-case hex SHA-256 of <c>model.onnx</c>.</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>The manifest as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ManifestJsonContext.Default.ModelManifest);

    /// <summary>Reads a manifest written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="JsonException">The text is not a manifest.</exception>
    public static ModelManifest FromJson(string json) =>
        JsonSerializer.Deserialize(json, ManifestJsonContext.Default.ModelManifest)
        ?? throw new JsonException("The manifest is empty (null).");
}

/// <summary>The close dates of the Opportunities a model learned from.</summary>
/// <param name="FirstClose">Earliest close.</param>
/// <param name="LastClose">Latest close.</param>
public sealed record TrainingWindow(DateTimeOffset FirstClose, DateTimeOffset LastClose);

/// <summary>How much data a model saw.</summary>
/// <param name="TrainRows">Snapshot rows the trees learned from.</param>
/// <param name="ValidationRows">Snapshot rows used for early stopping and calibration.</param>
/// <param name="TrainOpportunities">Closed Opportunities behind the training rows.</param>
/// <param name="ValidationOpportunities">Closed Opportunities behind the validation rows.</param>
/// <param name="Won">Closed-won Opportunities in both.</param>
/// <param name="Lost">Closed-lost Opportunities in both.</param>
public sealed record TrainingCounts(int TrainRows, int ValidationRows, int TrainOpportunities, int ValidationOpportunities, int Won, int Lost);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
