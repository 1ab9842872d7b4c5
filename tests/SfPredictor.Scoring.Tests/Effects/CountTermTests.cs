using SfPredictor.Scoring.Effects;

namespace SfPredictor.Scoring.Tests.Effects;

public sealed class CountTermTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.25)]
    public void Term_EveryActivityLoggedOrNoSpreadKnown_IsLnOnePlusN(double share)
    {
        var terms = share >= 1 ? new CountTerm(share, new LoggedCounts(2, 3)) : new CountTerm(share, null);

        foreach (var n in new[] { 0, 1, 5, 80 })
        {
            Assert.Equal(Math.Log(1 + n), terms.Term(n), 12);
            Assert.Equal(Math.Log(2 + n) - Math.Log(1 + n), terms.Gain(n), 12);
            Assert.Equal(Math.Log(1 + n), CountTerm.Plain.Term(n), 12);
        }
    }

    [Theory]
    [InlineData(0.25, 1.5, 2.0)]
    [InlineData(0.5, 0.8, 0.7)]
    [InlineData(0.1, 3.0, 50.0)]
    public void Term_PartLogged_IsTheMeanLnOnePlusDoneOfDealsWithThatManyLogged(double share, double mean, double shape)
    {
        // Deals log at gamma-distributed rates; each logged activity came with (1 - share) / share unlogged
        // ones on average. Among simulated deals with n logged, the mean ln(1 + done) is the term.
        var random = new Random(7);
        var sums = new double[6];
        var gains = new double[6];
        var deals = new int[6];
        for (var d = 0; d < 400_000; d++)
        {
            var rate = Gamma(random, shape) * mean / shape;
            var logged = Poisson(random, rate);
            if (logged >= deals.Length)
            {
                continue;
            }

            var done = logged + Poisson(random, rate * (1 - share) / share);
            sums[logged] += Math.Log(1 + done);
            gains[logged] += Math.Log(2 + done) - Math.Log(1 + done);
            deals[logged]++;
        }

        var terms = new CountTerm(share, new LoggedCounts(mean, shape));
        for (var n = 0; n < deals.Length; n++)
        {
            Assert.True(deals[n] > 2_000, $"{deals[n]} deals with {n} logged");
            Assert.InRange(terms.Term(n), (sums[n] / deals[n]) - 0.02, (sums[n] / deals[n]) + 0.02);
            Assert.InRange(terms.Gain(n), (gains[n] / deals[n]) - 0.01, (gains[n] / deals[n]) + 0.01);
            // Unlogged activities stand beside the logged ones: one more done adds less than one more logged.
            Assert.True(terms.Gain(n) < CountTerm.Plain.Gain(n));
            Assert.True(n == 0 || terms.Term(n) > terms.Term(n - 1));
        }
    }

    [Fact]
    public void Term_BeyondTheTable_ContinuesTheSameExpectation()
    {
        var terms = new CountTerm(0.25, new LoggedCounts(20, 4));

        Assert.True(terms.Term(63) < terms.Term(64));
        Assert.True(terms.Term(64) < terms.Term(200));
        Assert.True(terms.Gain(63) > terms.Gain(64));
        Assert.True(terms.Gain(64) > 0);
    }

    [Fact]
    public void Of_SpreadCounts_FitsMeanAndShape_EvenCountsArePoisson()
    {
        // Variance = mean + mean² / shape: mean 2 and variance 64/9 give shape 4 / (64/9 - 2) = 36/46.
        var spread = LoggedCounts.Of([0, 0, 0, 0, 1, 1, 2, 3, 5, 8]);
        Assert.Equal(2, spread.Mean, 12);
        Assert.Equal(36.0 / 46, spread.Shape, 12);

        Assert.Equal(LoggedCounts.PoissonShape, LoggedCounts.Of([2, 2, 2, 2]).Shape);
        Assert.Equal(0, LoggedCounts.Of([]).Mean);
    }

    private static int Poisson(Random random, double mean)
    {
        // Knuth's method: fine for the small means here.
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble())
        {
            k++;
        }

        return k;
    }

    // Marsaglia and Tsang's method (shape below 1 through the boost u^(1/shape)).
    private static double Gamma(Random random, double shape)
    {
        if (shape < 1)
        {
            return Gamma(random, shape + 1) * Math.Pow(random.NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(random);
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = random.NextDouble();
            if (Math.Log(u) < (0.5 * x * x) + d - (d * v) + (d * Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
