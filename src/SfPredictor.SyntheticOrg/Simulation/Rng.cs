namespace SfPredictor.SyntheticOrg.Simulation;

/// <summary>
/// A small, fast pseudo-random generator (xoshiro256**) with the distributions the simulation needs.
/// Its own implementation rather than <see cref="Random"/> so that a seed gives the same org on every
/// .NET version; independent streams come from hashing (seed, stream), so deals can be simulated in
/// any order or in parallel and still come out identical.
/// </summary>
internal sealed class Rng
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public Rng(long seed, long stream)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xD1B54A32D192ED03UL);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform integer in [0, count).</summary>
    public int NextInt(int count) => (int)((Next() >> 33) * (ulong)count >> 31);

    /// <summary>Uniform integer in [min, max].</summary>
    public int Between(int min, int max) => min + NextInt(max - min + 1);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[NextInt(items.Count)];

    /// <summary>An index drawn with the given (non-negative, not all zero) weights.</summary>
    public int PickWeighted(ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }

        var target = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    /// <summary>Standard normal (Marsaglia polar method).</summary>
    public double Normal()
    {
        while (true)
        {
            var u = (2 * NextDouble()) - 1;
            var v = (2 * NextDouble()) - 1;
            var s = (u * u) + (v * v);
            if (s is > 0 and < 1)
            {
                return u * Math.Sqrt(-2 * Math.Log(s) / s);
            }
        }
    }

    public double Normal(double mean, double sd) => mean + (sd * Normal());

    /// <summary>exp(N(log median, sigma)): positive, right-skewed, with the given median.</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * Normal());

    /// <summary>Gamma(shape, scale), mean shape*scale (Marsaglia and Tsang).</summary>
    public double Gamma(double shape, double scale)
    {
        if (shape < 1)
        {
            return Gamma(shape + 1, scale) * Math.Pow(NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal();
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = NextDouble();
            if (u < 1 - (0.0331 * x * x * x * x) || Math.Log(u) < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
            {
                return d * v * scale;
            }
        }
    }

    /// <summary>Poisson(mean) by inversion; the means here are small (a few activities per stage).</summary>
    public int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 50)
        {
            return Math.Max(0, (int)Math.Round(Normal(mean, Math.Sqrt(mean))));
        }

        var p = Math.Exp(-mean);
        var cumulative = p;
        var u = NextDouble();
        var k = 0;
        while (u > cumulative && k < 1000)
        {
            k++;
            p *= mean / k;
            cumulative += p;
        }

        return k;
    }

    private ulong Next()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
