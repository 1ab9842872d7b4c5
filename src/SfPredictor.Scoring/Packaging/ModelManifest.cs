using System.Text.Json;
using System.Text.Json.Serialization;
using SfPredictor.Scoring.Calibration;

namespace SfPredictor.Scoring.Packaging;

/// <summary>What a model package holds and how it was made; written as <c>manifest.json</c> beside <c>model.onnx</c>.</summary>
public sealed record ModelManifest
{
    /// <summary>The manifest layout this build writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary><see cref="Kind"/> of a gradient-boosted tree model.</summary>
    public const string XGBoostKind = "xgboost";

    /// <summary><see cref="Kind"/> of trees grown by ML.NET's LightGBM.</summary>
    public const string LightGbmKind = "lightgbm";

    /// <summary><see cref="Kind"/> of trees grown by ML.NET's FastTree.</summary>
    public const string FastTreeKind = "fasttree";

    /// <summary><see cref="Kind"/> of the stage win-rate model used when an org has too few closed deals.</summary>
    public const string StageFallbackKind = "stage-fallback";

    /// <summary>Layout version of this manifest.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Unique, sortable id: creation time (UTC) and the start of the model's SHA-256, e.g. <c>2026-10-01T00-00-00Z-1a2b3c4d</c>.</summary>
    public required string Version { get; init; }

    /// <summary><see cref="XGBoostKind"/>, <see cref="LightGbmKind"/>, <see cref="FastTreeKind"/> or <see cref="StageFallbackKind"/>.</summary>
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

    /// <summary>The names of <see cref="LeftOutActivityKinds"/>, for the recommender's settings.</summary>
    [JsonIgnore]
    public IEnumerable<string> LeftOutKindNames => LeftOutActivityKinds.Select(k => k.Kind);

    /// <summary>
    /// Metrics of the calibrated model on the test deals: the latest-closed, which chose nothing (see
    /// <see cref="Periods"/>). Packages written before the periods were separated measured these on the
    /// deals that also stopped the boosting and fitted the calibration.
    /// </summary>
    public required ClassificationMetrics ValidationMetrics { get; init; }

    /// <summary>The stage-only baseline on the same test deals.</summary>
    public required ClassificationMetrics BaselineValidationMetrics { get; init; }

    /// <summary>The calibration inside the ONNX graph (Platt: p = sigmoid(A · margin + B); or isotonic), and how it was chosen.</summary>
    public required ModelCalibration Calibration { get; init; }

    /// <summary>
    /// On a small org, the candidates tried by time-ordered cross-validation with their mean log loss,
    /// standard error and rounds, the simplest first (manifests before <see cref="ModelChoice"/> put the
    /// chosen one first); empty when the org had enough deals for the configured trees.
    /// </summary>
    public IReadOnlyList<RegularisationCandidate> Regularisation
    {
        get => field ?? [];
        init => field = value;
    }

    /// <summary>
    /// On a small org, what time-ordered cross-validation chose (candidate, rounds, CV log loss and its
    /// standard error) by the one-standard-error rule; <see langword="null"/> otherwise.
    /// </summary>
    public ModelChoice? ModelChoice { get; init; }

    /// <summary>Which deals did what: taught the trees, stopped the boosting, fitted the calibration, measured the model.</summary>
    /// <remarks>Empty in manifests written before the periods were recorded.</remarks>
    public IReadOnlyList<ModelPeriod> Periods
    {
        get => field ?? [];
        init => field = value;
    }

    /// <summary>Trees in the model (boosting rounds kept after early stopping); 1 for the fallback.</summary>
    public required int Trees { get; init; }

    /// <summary>The library version that trained the model (XGBoost's, or "ML.NET x.y.z"), or <see langword="null"/> for the fallback.</summary>
    public string? XGBoostVersion { get; init; }

    /// <summary>The largest difference between XGBoost's and ONNX Runtime's probability on the validation rows.</summary>
    public required double ParityMaxDifference { get; init; }

    /// <summary>
    /// The settings training ran with, as the trainer wrote them (its options object, snake_case keys such as
    /// <c>max_depth</c>): a record of how the model was made, which scoring does not need to understand.
    /// </summary>
    public required JsonElement TrainingOptions { get; init; }

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

/// <summary>The deals closed in one period of a model's data and what they were used for.</summary>
/// <param name="Role">One of <see cref="TreesRole"/>, <see cref="StoppingRole"/>, <see cref="CalibrationRole"/>, <see cref="TestRole"/>.</param>
/// <param name="FirstClose">Earliest close in the period.</param>
/// <param name="LastClose">Latest close in the period.</param>
/// <param name="Opportunities">Closed Opportunities in the period.</param>
/// <param name="Rows">Snapshot rows of those Opportunities.</param>
public sealed record ModelPeriod(string Role, DateTimeOffset FirstClose, DateTimeOffset LastClose, int Opportunities, int Rows)
{
    /// <summary>The deals the trees (or stage win rates) learned from.</summary>
    public const string TreesRole = "trees";

    /// <summary>The deals that decided when boosting stopped.</summary>
    public const string StoppingRole = "stopping";

    /// <summary>The deals that fitted and chose the calibration.</summary>
    public const string CalibrationRole = "calibration";

    /// <summary>The deals the reported metrics come from, which chose nothing.</summary>
    public const string TestRole = "test";
}

/// <summary>How much data a model saw.</summary>
/// <param name="TrainRows">Snapshot rows the model learned from (trees, stopping and calibration).</param>
/// <param name="ValidationRows">Snapshot rows of the test deals the metrics come from.</param>
/// <param name="TrainOpportunities">Closed Opportunities the model learned from.</param>
/// <param name="ValidationOpportunities">Closed Opportunities of the test deals.</param>
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
