namespace SfPredictor.Scoring.Calibration;

/// <summary>
/// Isotonic calibration: the win probability is a non-decreasing function of the margin, fitted by
/// pool-adjacent-violators on held-out rows (by the trainer). Each pooled block gives one knot, at its mean margin and
/// its win rate; between knots the probability is interpolated linearly, outside them it is held
/// constant. Knots at block means rather than block ends keep the slopes gentle, so that the rounding
/// differences between XGBoost's and ONNX Runtime's sums of trees stay tiny in probability.
/// </summary>
/// <param name="Margins">Knot margins, strictly increasing.</param>
/// <param name="Probabilities">The probability at each knot, non-decreasing.</param>
public sealed record IsotonicCalibration(IReadOnlyList<float> Margins, IReadOnlyList<float> Probabilities)
{
    // A block of a few rows can be all won or all lost; a probability of exactly 0 or 1 would make one
    // surprise cost an unbounded log loss.
    /// <summary>The lowest (and one minus the highest) probability a knot may hold.</summary>
    public const float MinProbability = 0.001f;

    /// <summary>The calibrated probability for one margin, computed as the ONNX graph does (single precision).</summary>
    /// <param name="margin">The raw score (log-odds).</param>
    public double Apply(float margin)
    {
        var x = Margins;
        var y = Probabilities;
        if (x.Count == 1)
        {
            return y[0];
        }

        var m = Math.Clamp(margin, x[0], x[^1]);
        var segment = 0;
        for (var k = 1; k < x.Count; k++)
        {
            segment += m >= x[k] ? 1 : 0;
        }

        segment = Math.Min(segment, x.Count - 2);
        var t = (m - x[segment]) / (x[segment + 1] - x[segment]);
        return y[segment] + (t * (y[segment + 1] - y[segment]));
    }
}
