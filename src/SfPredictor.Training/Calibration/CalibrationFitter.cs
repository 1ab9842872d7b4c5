using SfPredictor.Scoring.Calibration;

namespace SfPredictor.Training.Calibration;

/// <summary>
/// Fits the calibrations a model package carries (<see cref="PlattCalibration"/>, <see cref="IsotonicCalibration"/>)
/// on held-out margins, and chooses between them by log loss on the later calibration deals.
/// </summary>
internal static class CalibrationFitter
{
    /// <summary>
    /// Fits Platt scaling's A and B by maximum likelihood (Newton's method on the log loss) on held-out
    /// margins and labels.
    /// </summary>
    /// <param name="margins">Raw scores.</param>
    /// <param name="labels">1 for won, 0 for lost.</param>
    /// <param name="weights">Row weights, or empty for 1 each.</param>
    /// <exception cref="ArgumentException">The rows hold only one class: nothing to fit against.</exception>
    public static PlattCalibration Platt(ReadOnlySpan<float> margins, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default)
    {
        if (margins.Length != labels.Length || (!weights.IsEmpty && weights.Length != labels.Length))
        {
            throw new ArgumentException($"{margins.Length} margins, {labels.Length} labels and {weights.Length} weights do not match.");
        }

        double positive = 0, total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var w = weights.IsEmpty ? 1 : weights[i];
            positive += w * labels[i];
            total += w;
        }

        if (positive <= 0 || positive >= total)
        {
            throw new ArgumentException("Calibration needs both won and lost rows.", nameof(labels));
        }

        double a = 1, b = 0;
        var loss = PlattLogLoss(margins, labels, weights, a, b);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            // Gradient and Hessian of the weighted log loss in (a, b).
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (var i = 0; i < margins.Length; i++)
            {
                var w = weights.IsEmpty ? 1 : weights[i];
                var m = (double)margins[i];
                var p = PlattCalibration.Sigmoid((a * m) + b);
                var r = w * (p - labels[i]);
                var h = w * p * (1 - p);
                ga += r * m;
                gb += r;
                haa += h * m * m;
                hab += h * m;
                hbb += h;
            }

            // A tiny ridge keeps the step defined when all margins are equal.
            haa += 1e-9;
            hbb += 1e-9;
            var det = (haa * hbb) - (hab * hab);
            var da = ((hbb * ga) - (hab * gb)) / det;
            var db = ((haa * gb) - (hab * ga)) / det;

            // Halve the step until the loss does not grow: Newton can overshoot on separable data.
            var step = 1.0;
            double na = a, nb = b, newLoss = loss;
            for (var halving = 0; halving < 30; halving++)
            {
                na = a - (step * da);
                nb = b - (step * db);
                newLoss = PlattLogLoss(margins, labels, weights, na, nb);
                if (newLoss <= loss)
                {
                    break;
                }

                step /= 2;
            }

            if (newLoss > loss)
            {
                break;
            }

            var improvement = loss - newLoss;
            (a, b, loss) = (na, nb, newLoss);
            if (improvement < 1e-12 * Math.Max(1, total))
            {
                break;
            }
        }

        return new PlattCalibration(a, b);
    }

    private static double PlattLogLoss(ReadOnlySpan<float> margins, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, double a, double b)
    {
        double sum = 0;
        for (var i = 0; i < margins.Length; i++)
        {
            var w = weights.IsEmpty ? 1 : weights[i];
            var z = (a * margins[i]) + b;

            // log(1 + e^z) - y z, written to stay finite for large |z|.
            var softplus = z > 0 ? z + double.LogP1(Math.Exp(-z)) : double.LogP1(Math.Exp(z));
            sum += w * (softplus - (labels[i] * z));
        }

        return sum;
    }

    /// <summary>Fits isotonic calibration to held-out margins and labels (rows of equal margin are pooled first).</summary>
    /// <param name="margins">Raw scores.</param>
    /// <param name="labels">1 for won, 0 for lost.</param>
    /// <param name="weights">Row weights, or empty for 1 each.</param>
    /// <exception cref="ArgumentException">No rows, or lengths differ.</exception>
    public static IsotonicCalibration Isotonic(ReadOnlySpan<float> margins, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default)
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
                values[^1] = Math.Clamp((float)(won / weight), IsotonicCalibration.MinProbability, 1 - IsotonicCalibration.MinProbability);
                continue;
            }

            knots.Add(knot);
            values.Add(Math.Clamp((float)(won / weight), IsotonicCalibration.MinProbability, 1 - IsotonicCalibration.MinProbability));
        }

        return new IsotonicCalibration(knots, values);
    }

    /// <summary>
    /// Fits Platt and isotonic calibration on the earlier half of the rows (in the order given, which is
    /// by close time), keeps the one with the lower log loss on the later half, and refits it on all rows.
    /// </summary>
    /// <param name="margins">The model's margins on the calibration rows.</param>
    /// <param name="labels">Outcomes.</param>
    /// <param name="weights">Row weights, or null for 1 each.</param>
    /// <param name="splitRow">The first row of the later half (a deal's rows are not split).</param>
    public static ModelCalibration Choose(float[] margins, float[] labels, float[]? weights, int splitRow)
    {
        ArgumentNullException.ThrowIfNull(margins);
        ArgumentNullException.ThrowIfNull(labels);
        var early = new Range(0, splitRow);
        var late = new Range(splitRow, margins.Length);
        double? plattLoss = null, isotonicLoss = null;
        if (HasBothOutcomes(labels.AsSpan(early)) && splitRow < margins.Length)
        {
            var w = weights is null ? default : weights.AsSpan(early);
            var lw = weights is null ? default : weights.AsSpan(late);
            var platt = Platt(margins.AsSpan(early), labels.AsSpan(early), w);
            var isotonic = Isotonic(margins.AsSpan(early), labels.AsSpan(early), w);
            var lateMargins = margins[late];
            plattLoss = Evaluation.Metrics.LogLoss([.. lateMargins.Select(m => (float)platt.Apply(m))], labels.AsSpan(late), lw);
            isotonicLoss = Evaluation.Metrics.LogLoss([.. lateMargins.Select(m => (float)isotonic.Apply(m))], labels.AsSpan(late), lw);
        }

        var all = weights ?? default(ReadOnlySpan<float>);
        if (isotonicLoss < plattLoss)
        {
            return new ModelCalibration
            {
                Method = ModelCalibration.IsotonicMethod,
                Isotonic = Isotonic(margins, labels, all),
                PlattLogLoss = plattLoss,
                IsotonicLogLoss = isotonicLoss,
            };
        }

        return ModelCalibration.FromPlatt(Platt(margins, labels, all)) with { PlattLogLoss = plattLoss, IsotonicLogLoss = isotonicLoss };
    }

    public static bool HasBothOutcomes(ReadOnlySpan<float> labels)
    {
        bool won = false, lost = false;
        foreach (var label in labels)
        {
            won |= label > 0.5f;
            lost |= label <= 0.5f;
        }

        return won && lost;
    }
}
