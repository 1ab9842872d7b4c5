namespace SfPredictor.Training.Calibration;

/// <summary>
/// Isotonic calibration: the win probability is a non-decreasing function of the margin, fitted by
/// pool-adjacent-violators on held-out rows. Each pooled block gives one knot, at its mean margin and
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
    internal const float MinProbability = 0.001f;

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

    /// <summary>Fits the calibration to held-out margins and labels (rows of equal margin are pooled first).</summary>
    /// <param name="margins">Raw scores.</param>
    /// <param name="labels">1 for won, 0 for lost.</param>
    /// <param name="weights">Row weights, or empty for 1 each.</param>
    /// <exception cref="ArgumentException">No rows, or lengths differ.</exception>
    public static IsotonicCalibration Fit(ReadOnlySpan<float> margins, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default)
    {
        if (margins.Length == 0 || margins.Length != labels.Length || (!weights.IsEmpty && weights.Length != labels.Length))
        {
            throw new ArgumentException($"{margins.Length} margins, {labels.Length} labels and {weights.Length} weights: isotonic calibration needs matching, non-empty rows.");
        }

        var m = margins.ToArray();
        var order = Enumerable.Range(0, m.Length).OrderBy(i => m[i]).ToArray();

        // Blocks: (highest margin, weighted margin sum, weighted won, weight), pooled while a block's
        // rate is not above the one before; rows of equal margin always share a block.
        var blocks = new List<(float High, double MarginSum, double Won, double Weight)>();
        foreach (var i in order)
        {
            var w = weights.IsEmpty ? 1 : weights[i];
            if (blocks.Count > 0 && blocks[^1].High == m[i])
            {
                var last = blocks[^1];
                blocks[^1] = (last.High, last.MarginSum + (w * m[i]), last.Won + (w * labels[i]), last.Weight + w);
            }
            else
            {
                blocks.Add((m[i], w * m[i], w * labels[i], w));
            }

            while (blocks.Count > 1 && blocks[^2].Won / blocks[^2].Weight >= blocks[^1].Won / blocks[^1].Weight)
            {
                var below = blocks[^2];
                var top = blocks[^1];
                blocks.RemoveAt(blocks.Count - 1);
                blocks[^1] = (top.High, below.MarginSum + top.MarginSum, below.Won + top.Won, below.Weight + top.Weight);
            }
        }

        var knots = new List<float>();
        var values = new List<float>();
        foreach (var (_, marginSum, won, weight) in blocks)
        {
            var knot = (float)(marginSum / weight);
            if (knots.Count > 0 && knot <= knots[^1])
            {
                // Weights of zero or rounding can leave two means equal; the later, higher rate wins.
                values[^1] = Math.Clamp((float)(won / weight), MinProbability, 1 - MinProbability);
                continue;
            }

            knots.Add(knot);
            values.Add(Math.Clamp((float)(won / weight), MinProbability, 1 - MinProbability));
        }

        return new IsotonicCalibration(knots, values);
    }
}
