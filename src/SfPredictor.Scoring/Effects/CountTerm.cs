namespace SfPredictor.Scoring.Effects;

/// <summary>
/// How the logged activities of one kind (or of any kind) in one stage were spread over the deals that
/// reached it: their mean and the shape of a gamma–Poisson (negative binomial) fit, by the method of
/// moments. Kept only for an org that logs part of what it does (<see cref="StageKindEffects.LoggedShare"/>
/// below 1), where it says how many unlogged activities a logged count likely stands beside.
/// </summary>
/// <param name="Mean">Mean logged count per deal.</param>
/// <param name="Shape">The gamma shape of the deals' logging rates; large when the counts vary no more than a Poisson's.</param>
public sealed record LoggedCounts(double Mean, double Shape)
{
    /// <summary>Shape of counts that vary no more than a Poisson's (every deal the same rate).</summary>
    public const double PoissonShape = 1e6;

    /// <summary>Fits the mean and shape of a set of counts.</summary>
    /// <param name="counts">Logged counts, one per deal row.</param>
    public static LoggedCounts Of(IReadOnlyCollection<double> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count < 2)
        {
            return new LoggedCounts(counts.Count == 1 ? counts.First() : 0, PoissonShape);
        }

        var mean = counts.Average();
        var variance = counts.Sum(c => (c - mean) * (c - mean)) / (counts.Count - 1);
        // Variance = mean + mean²/shape for a gamma–Poisson mixture.
        var shape = variance > mean && mean > 0 ? Math.Min(mean * mean / (variance - mean), PoissonShape) : PoissonShape;
        return new LoggedCounts(mean, shape);
    }
}

/// <summary>
/// The regression's term for n logged activities, and what one more done activity adds to it. Where every
/// activity is logged the term is <c>ln(1 + n)</c>. Where only a share q is (<see cref="StageKindEffects.LoggedShare"/>),
/// a logged count is a noisy, low reading of the done count, and a fit on <c>ln(1 + n)</c> of the logged
/// counts reads a logged activity as worth several done ones. The term is then the expected
/// <c>ln(1 + done)</c> given n logged (regression calibration): each deal logs at its own rate λ
/// (gamma-distributed across deals, <see cref="LoggedCounts"/>), each logged activity came with unlogged
/// ones at rate λ(1 − q)/q, so given n logged the unlogged count is negative binomial with shape
/// <c>shape + n</c> and success probability <c>(b + 1) / (b + 1 + (1 − q)/q)</c>, b = shape / mean.
/// </summary>
public sealed class CountTerm
{
    // Counts up to this are tabulated at construction; a deal rarely has more of one kind in one stage.
    private const int Tabulated = 64;

    private readonly double _shape;
    private readonly double _logSuccess;
    private readonly double _logFailure;
    private readonly double[]? _terms;
    private readonly double[]? _gains;

    /// <summary>The term for an org that logs every activity: <c>ln(1 + n)</c>.</summary>
    public static CountTerm Plain { get; } = new(1, null);

    /// <summary>Prepares the term.</summary>
    /// <param name="loggedShare">The share of done activities that are logged, in (0, 1].</param>
    /// <param name="counts">The logged counts' spread; <see langword="null"/> or a mean of 0 gives <c>ln(1 + n)</c>.</param>
    public CountTerm(double loggedShare, LoggedCounts? counts)
    {
        if (loggedShare >= 1 || counts is null || counts.Mean <= 0)
        {
            return;
        }

        var unloggedPerLogged = (1 - loggedShare) / loggedShare;
        var rate = counts.Shape / counts.Mean;
        _shape = counts.Shape;
        _logSuccess = Math.Log((rate + 1) / (rate + 1 + unloggedPerLogged));
        _logFailure = Math.Log(unloggedPerLogged / (rate + 1 + unloggedPerLogged));
        _terms = new double[Tabulated];
        _gains = new double[Tabulated];
        for (var n = 0; n < Tabulated; n++)
        {
            (_terms[n], _gains[n]) = Expected(n);
        }
    }

    /// <summary>The regression's input for <paramref name="logged"/> logged activities.</summary>
    /// <param name="logged">Logged activities (a whole number).</param>
    public double Term(double logged) =>
        _terms is null ? Math.Log(1 + logged)
        : logged < Tabulated ? _terms[(int)logged]
        : Expected((int)logged).Term;

    /// <summary>What one more done activity adds to <see cref="Term"/> at <paramref name="logged"/> logged activities.</summary>
    /// <param name="logged">Logged activities (a whole number).</param>
    public double Gain(double logged) =>
        _gains is null ? Math.Log(2 + logged) - Math.Log(1 + logged)
        : logged < Tabulated ? _gains[(int)logged]
        : Expected((int)logged).Gain;

    // E[ln(1 + n + u)] and E[ln(2 + n + u) - ln(1 + n + u)] over the unlogged count u given n logged.
    private (double Term, double Gain) Expected(int logged)
    {
        var shape = _shape + logged;
        var logP = shape * _logSuccess;
        double term = 0, gain = 0, mass = 0;
        for (var u = 0; u < 100_000 && mass < 1 - 1e-9; u++)
        {
            var p = Math.Exp(logP);
            var done = logged + u;
            term += p * Math.Log(1 + done);
            gain += p * (Math.Log(2 + done) - Math.Log(1 + done));
            mass += p;
            logP += Math.Log((u + shape) / (u + 1)) + _logFailure;
        }

        return (term / mass, gain / mass);
    }
}
