using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfPredictor.Scoring.Effects;

/// <summary>
/// What one more activity of each kind does to the log-odds of winning, per stage the deal is in when it
/// is done: a logistic regression (L2-regularised) fitted at training time on the closed deals, whose
/// inputs are the stage, per open stage s <c>ln(1 + n)</c> of the n activities of any kind and of each kind
/// k done while the deal was in stage s (<see cref="CountTerm"/>: the expected value given n logged, in an
/// org that logs part of what it does), and the deal's traits as controls (their weights are not kept). Fitted per stage gate (each stage a deal left, labelled
/// with whether it moved on; the stages then carry <see cref="StageKindWeights.PassRate"/>) or on
/// snapshots labelled with the final outcome. The trees read activity counts whatever the stage; these
/// weights say where in the sales process a kind helps. Stored as <see cref="FileName"/> beside the ONNX
/// model.
/// </summary>
public sealed record StageKindEffects
{
    /// <summary>File name in the model package.</summary>
    public const string FileName = "activity-effects.json";

    /// <summary>
    /// The format this build writes; it also reads version 1 (snapshot weights, no pass rates) and 2 (no
    /// logged share: every activity logged).
    /// </summary>
    public const int CurrentFormatVersion = 3;

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

    /// <summary>
    /// The share of the activities done that the org logs, as the admin stated it at training
    /// (<c>SfPredictor:Training:ActivityLoggedShare</c>); 1, the default, when every activity is logged.
    /// Below 1 the regression read each logged count through <see cref="CountTerm"/>, and one more activity
    /// is worth what one more done activity is, not what one more logged one went with.
    /// </summary>
    public double LoggedShare { get; init; } = 1;

    /// <summary>
    /// The count terms of open stage <paramref name="stage"/> (its index in <see cref="Stages"/>): one per kind, in
    /// <see cref="ActivityKinds"/> order, then one for any kind; <see cref="CountTerm.Plain"/> when every activity is logged.
    /// </summary>
    /// <param name="stage">The open stage's index.</param>
    public CountTerm[] CountTerms(int stage)
    {
        var counts = Stages[stage].LoggedCounts;
        return [.. Enumerable.Range(0, ActivityKinds.Count + 1).Select(k => counts is null ? CountTerm.Plain : new CountTerm(LoggedShare, counts[k]))];
    }

    /// <summary>
    /// The change in log-odds of doing one more activity of a kind in a stage where <paramref name="count"/>
    /// of that kind and <paramref name="anyCount"/> of any kind were already logged.
    /// </summary>
    /// <param name="stage">The stage's weights.</param>
    /// <param name="terms">The stage's count terms (<see cref="CountTerms"/>).</param>
    /// <param name="kind">The kind's index in <see cref="ActivityKinds"/>.</param>
    /// <param name="count">Activities of the kind already logged in the stage.</param>
    /// <param name="anyCount">Activities of any kind already logged in the stage.</param>
    public static double LogOddsGain(StageKindWeights stage, CountTerm[] terms, int kind, double count, double anyCount)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(terms);
        return (stage.Weights[kind] * terms[kind].Gain(count)) + (stage.AnyKindWeight * terms[^1].Gain(anyCount));
    }

    /// <summary>
    /// The log-odds of the typical pass rates of the stage gates a deal in open stage <paramref name="stage"/>
    /// (its index in <see cref="Stages"/>) still has to pass, that stage's first (for <see cref="GatesAhead"/>);
    /// empty when the effects were not fitted per gate (then one more activity moves the win log-odds directly).
    /// </summary>
    public double[] RemainingGateLogOdds(int stage) =>
        Stages.All(s => s.PassRate is not null) ? [.. Stages.Skip(stage).Select(s => Math.Log(s.PassRate!.Value / (1 - s.PassRate.Value)))] : [];

    /// <summary>Writes the effects as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, EffectsJsonContext.Default.StageKindEffects);

    /// <summary>Reads effects written by <see cref="ToJson"/> and checks that they are whole.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="JsonException">The text is not stage × kind effects, or its weights do not match its kinds.</exception>
    public static StageKindEffects FromJson(string json)
    {
        var effects = JsonSerializer.Deserialize(json, EffectsJsonContext.Default.StageKindEffects)
            ?? throw new JsonException("The activity effects are empty (null).");
        if (effects.FormatVersion is < 1 or > CurrentFormatVersion)
        {
            throw new JsonException($"The activity effects have format version {effects.FormatVersion}; this build reads versions 1 to {CurrentFormatVersion}.");
        }

        foreach (var stage in effects.Stages)
        {
            if (stage.Weights.Count != effects.ActivityKinds.Count || stage.Weights.Any(w => !double.IsFinite(w)) || !double.IsFinite(stage.AnyKindWeight))
            {
                throw new JsonException($"Stage '{stage.Stage}' has {stage.Weights.Count} weights for {effects.ActivityKinds.Count} activity kinds, or a weight that is not a number.");
            }

            if (stage.PassRate is { } rate && !(rate > 0 && rate < 1))
            {
                throw new JsonException($"Stage '{stage.Stage}' has pass rate {rate}; it must lie between 0 and 1.");
            }

            if (stage.LoggedCounts is { } counts && (counts.Count != effects.ActivityKinds.Count + 1 || counts.Any(c => !(c.Mean >= 0 && c.Shape > 0 && double.IsFinite(c.Mean) && double.IsFinite(c.Shape)))))
            {
                throw new JsonException($"Stage '{stage.Stage}' has {counts.Count} logged counts for {effects.ActivityKinds.Count} activity kinds and any kind, or a mean below 0 or a shape not above 0.");
            }
        }

        if (!(effects.LoggedShare > 0 && effects.LoggedShare <= 1))
        {
            throw new JsonException($"The activity effects have logged share {effects.LoggedShare}; it must be above 0 and at most 1.");
        }

        return effects;
    }
}

/// <summary>
/// The stage gates one deal still has to pass, for the change in its win probability when one more
/// activity raises every gate's log-odds by a gain (<see cref="StageKindEffects.LogOddsGain"/>): an
/// activity done now counts at every later gate, so it is worth more to a deal with many gates ahead. The
/// deal's gates are the typical ones (<see cref="StageKindEffects.RemainingGateLogOdds"/>) all shifted by one
/// amount, so that passing them all has the deal's probability. Without gates (effects fitted on
/// snapshots) the win log-odds itself rises by the gain.
/// </summary>
public readonly ref struct GatesAhead
{
    private readonly ReadOnlySpan<double> _gates;
    private readonly double _probability;
    private readonly double _shift;

    /// <summary>Finds the deal's shift of the typical gates.</summary>
    /// <param name="gateLogOdds">The log-odds of the typical pass rates of the gates ahead, the current stage's first; may be empty.</param>
    /// <param name="probability">The deal's win probability now.</param>
    public GatesAhead(ReadOnlySpan<double> gateLogOdds, double probability)
    {
        _probability = probability;
        var p = Math.Clamp(probability, 1e-6, 1 - 1e-6);
        if (gateLogOdds.Length <= 1)
        {
            // One gate (or none): it is the win itself.
            _gates = default;
            _shift = Logit(p);
            return;
        }

        _gates = gateLogOdds;
        // Newton's method on the log of the product of the shifted gates, which is increasing and concave
        // in the shift, so the steps close in on the root from one side.
        var target = Math.Log(p);
        for (var step = 0; step < 50; step++)
        {
            double logProduct = 0, slope = 0;
            foreach (var logOdds in gateLogOdds)
            {
                var gate = Sigmoid(logOdds + _shift);
                logProduct += Math.Log(gate);
                slope += 1 - gate;
            }

            var move = (target - logProduct) / slope;
            _shift += move;
            if (Math.Abs(move) < 1e-7)
            {
                break;
            }
        }
    }

    /// <summary>The change in the deal's win probability when every gate ahead rises by <paramref name="gain"/> in log-odds.</summary>
    /// <param name="gain">The activity's log-odds gain.</param>
    public double Uplift(double gain)
    {
        if (_gates.IsEmpty)
        {
            return Sigmoid(_shift + gain) - _probability;
        }

        var product = 1.0;
        foreach (var logOdds in _gates)
        {
            product *= Sigmoid(logOdds + _shift + gain);
        }

        return product - _probability;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Logit(double p) => Math.Log(p / (1 - p));
}

/// <summary>The weights of one stage in <see cref="StageKindEffects"/>.</summary>
/// <param name="Stage">The stage name.</param>
/// <param name="Weights">Per activity kind (in <see cref="StageKindEffects.ActivityKinds"/> order), the weight of <c>ln(1 + n)</c>.</param>
/// <param name="AnyKindWeight">The weight of <c>ln(1 + n)</c> of the activities of any kind done in the stage.</param>
public sealed record StageKindWeights(string Stage, IReadOnlyList<double> Weights, double AnyKindWeight)
{
    /// <summary>
    /// Fitted per stage gate: the share of the training deals that left this stage for a later one or a
    /// win rather than a loss; <see langword="null"/> for weights fitted on snapshots.
    /// </summary>
    public double? PassRate { get; init; }

    /// <summary>
    /// For an org that logs part of what it does (<see cref="StageKindEffects.LoggedShare"/> below 1): how the
    /// logged counts of each kind, then of any kind, were spread in this stage; <see langword="null"/> otherwise.
    /// </summary>
    public IReadOnlyList<LoggedCounts>? LoggedCounts { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(StageKindEffects))]
internal sealed partial class EffectsJsonContext : JsonSerializerContext;
