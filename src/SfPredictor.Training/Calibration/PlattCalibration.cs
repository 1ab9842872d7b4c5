namespace SfPredictor.Training.Calibration;

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

    /// <summary>
    /// Fits A and B by maximum likelihood (Newton's method on the log loss) on held-out margins and labels.
    /// </summary>
    /// <param name="margins">Raw scores.</param>
    /// <param name="labels">1 for won, 0 for lost.</param>
    /// <param name="weights">Row weights, or empty for 1 each.</param>
    /// <exception cref="ArgumentException">The rows hold only one class: nothing to fit against.</exception>
    public static PlattCalibration Fit(ReadOnlySpan<float> margins, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default)
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
        var loss = LogLoss(margins, labels, weights, a, b);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            // Gradient and Hessian of the weighted log loss in (a, b).
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (var i = 0; i < margins.Length; i++)
            {
                var w = weights.IsEmpty ? 1 : weights[i];
                var m = (double)margins[i];
                var p = Sigmoid((a * m) + b);
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
                newLoss = LogLoss(margins, labels, weights, na, nb);
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

    internal static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double LogLoss(ReadOnlySpan<float> margins, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights, double a, double b)
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
}
