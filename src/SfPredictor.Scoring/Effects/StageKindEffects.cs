using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfPredictor.Scoring.Effects;

/// <summary>
/// What one more activity of each kind does to the log-odds of winning, per stage the deal is in when it
/// is done: a logistic regression (L2-regularised) fitted at training time on the closed deals' snapshot
/// rows, whose inputs are the stage at the snapshot and, per open stage s, <c>ln(1 + n)</c> of the n
/// activities of any kind and of each kind k done while the deal was in stage s. The trees read activity
/// counts whatever the stage; these weights say where in the sales process a kind goes with winning.
/// Stored as <see cref="FileName"/> beside the ONNX model.
/// </summary>
public sealed record StageKindEffects
{
    /// <summary>File name in the model package.</summary>
    public const string FileName = "activity-effects.json";

    /// <summary>The format this build writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Format of the file.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The feature schema hash of the model the effects were fitted with.</summary>
    public required string FeatureHash { get; init; }

    /// <summary>The activity kinds, in the schema's order; each stage's weights follow it.</summary>
    public required IReadOnlyList<string> ActivityKinds { get; init; }

    /// <summary>One entry per open stage: the weights of <c>ln(1 + n)</c> for each kind and for any kind.</summary>
    public required IReadOnlyList<StageKindWeights> Stages { get; init; }

    /// <summary>The regression's intercept.</summary>
    public double Intercept { get; init; }

    /// <summary>L2 regularisation of the fit.</summary>
    public double L2Regularization { get; init; }

    /// <summary>Training rows (snapshots of closed deals) the regression was fitted on.</summary>
    public int Rows { get; init; }

    /// <summary>How a count enters the regression: <c>ln(1 + count)</c>, so each further activity adds less.</summary>
    public static double Term(double count) => Math.Log(1 + count);

    /// <summary>
    /// The change in log-odds of doing one more activity of a kind in a stage where <paramref name="count"/>
    /// of that kind and <paramref name="anyCount"/> of any kind were already done.
    /// </summary>
    /// <param name="stage">The stage's weights.</param>
    /// <param name="kind">The kind's index in <see cref="ActivityKinds"/>.</param>
    /// <param name="count">Activities of the kind already done in the stage.</param>
    /// <param name="anyCount">Activities of any kind already done in the stage.</param>
    public static double LogOddsGain(StageKindWeights stage, int kind, double count, double anyCount)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return (stage.Weights[kind] * (Term(count + 1) - Term(count))) + (stage.AnyKindWeight * (Term(anyCount + 1) - Term(anyCount)));
    }

    /// <summary>Writes the effects as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, EffectsJsonContext.Default.StageKindEffects);

    /// <summary>Reads effects written by <see cref="ToJson"/> and checks that they are whole.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="JsonException">The text is not stage × kind effects, or its weights do not match its kinds.</exception>
    public static StageKindEffects FromJson(string json)
    {
        var effects = JsonSerializer.Deserialize(json, EffectsJsonContext.Default.StageKindEffects)
            ?? throw new JsonException("The activity effects are empty (null).");
        if (effects.FormatVersion != CurrentFormatVersion)
        {
            throw new JsonException($"The activity effects have format version {effects.FormatVersion}; this build reads version {CurrentFormatVersion}.");
        }

        foreach (var stage in effects.Stages)
        {
            if (stage.Weights.Count != effects.ActivityKinds.Count || stage.Weights.Any(w => !double.IsFinite(w)) || !double.IsFinite(stage.AnyKindWeight))
            {
                throw new JsonException($"Stage '{stage.Stage}' has {stage.Weights.Count} weights for {effects.ActivityKinds.Count} activity kinds, or a weight that is not a number.");
            }
        }

        return effects;
    }
}

/// <summary>The weights of one stage in <see cref="StageKindEffects"/>.</summary>
/// <param name="Stage">The stage name.</param>
/// <param name="Weights">Per activity kind (in <see cref="StageKindEffects.ActivityKinds"/> order), the weight of <c>ln(1 + n)</c>.</param>
/// <param name="AnyKindWeight">The weight of <c>ln(1 + n)</c> of the activities of any kind done in the stage.</param>
public sealed record StageKindWeights(string Stage, IReadOnlyList<double> Weights, double AnyKindWeight);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(StageKindEffects))]
internal sealed partial class EffectsJsonContext : JsonSerializerContext;
