namespace SfPredictor.Scoring.Calibration;

/// <summary>
/// Platt scaling: the calibrated win probability is <c>sigmoid(A * margin + B)</c>, where margin is
/// the model's raw score (log-odds). Fitted on held-out rows so that predicted probabilities match
/// observed win rates.
/// </summary>
/// <param name="A">The slope applied to the margin.</param>
/// <param name="B">The offset added after the slope.</param>
public sealed record PlattCalibration(double A, double B)
{
    /// <summary>No change: probability = sigmoid(margin).</summary>
    public static PlattCalibration Identity { get; } = new(1, 0);

    /// <summary>The calibrated probability for one raw score.</summary>
    /// <param name="margin">The raw score (log-odds).</param>
    public double Apply(double margin) => Sigmoid((A * margin) + B);

    /// <summary>The logistic function.</summary>
    /// <param name="x">Log-odds.</param>
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
