namespace SfPredictor.LocalOrg.Api;

/// <summary>Decides which calls fail on purpose, from a seeded draw so that a test sees the same failures each run.</summary>
internal sealed class FaultInjector(double failureRate, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();

    public bool ShouldFail()
    {
        if (failureRate <= 0)
        {
            return false;
        }

        lock (_lock)
        {
            return _random.NextDouble() < failureRate;
        }
    }
}
