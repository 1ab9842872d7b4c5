using System.Text.Json.Serialization;

namespace SfPredictor.Scoring.Calibration;

/// <summary>
/// How a model's margin becomes the win probability it reports, and how that way was chosen. Platt
/// scaling and isotonic calibration are both fitted on the calibration deals' earlier half and the one
/// with the lower log loss on their later half is kept, refitted on all of them.
/// </summary>
public sealed record ModelCalibration
{
    /// <summary><see cref="Method"/> of Platt scaling.</summary>
    public const string PlattMethod = "platt";

    /// <summary><see cref="Method"/> of isotonic calibration.</summary>
    public const string IsotonicMethod = "isotonic";

    /// <summary><see cref="Method"/> of a model whose margins already are calibrated log-odds (the stage fallback).</summary>
    public const string NoneMethod = "none";

    /// <summary>No change: probability = sigmoid(margin).</summary>
    public static ModelCalibration Identity { get; } = new() { Method = NoneMethod };

    /// <summary><see cref="PlattMethod"/>, <see cref="IsotonicMethod"/> or <see cref="NoneMethod"/>.</summary>
    /// <remarks>Manifests written before the method was recorded hold Platt scaling, so a missing value reads as Platt.</remarks>
    public string Method
    {
        get => field ?? PlattMethod;
        init => field = value;
    }

    /// <summary>Platt slope: p = sigmoid(A · margin + B); 1 unless the method is Platt.</summary>
    public double A { get; init; } = 1;

    /// <summary>Platt offset; 0 unless the method is Platt.</summary>
    public double B { get; init; }

    /// <summary>The isotonic knots, when the method is isotonic.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IsotonicCalibration? Isotonic { get; init; }

    /// <summary>Log loss of Platt scaling on the later half of the calibration deals, when both were tried.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PlattLogLoss { get; init; }

    /// <summary>Log loss of isotonic calibration on the later half of the calibration deals, when both were tried.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? IsotonicLogLoss { get; init; }

    /// <summary>The calibrated probability for one margin.</summary>
    /// <param name="margin">The raw score (log-odds).</param>
    public double Apply(float margin) => Isotonic is { } isotonic && Method == IsotonicMethod
        ? isotonic.Apply(margin)
        : PlattCalibration.Sigmoid((A * margin) + B);

    /// <summary>Wraps a Platt fit.</summary>
    /// <param name="platt">The fit.</param>
    public static ModelCalibration FromPlatt(PlattCalibration platt)
    {
        ArgumentNullException.ThrowIfNull(platt);
        return new ModelCalibration { Method = PlattMethod, A = platt.A, B = platt.B };
    }
}
