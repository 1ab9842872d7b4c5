namespace SfPredictor.Benchmarks.Quality;

/// <summary>
/// What is known only in a generated org: the true change in an open Opportunity's win probability if
/// one more activity of each kind were done now.
/// </summary>
/// <param name="OpportunityId">The Opportunity.</param>
/// <param name="Uplifts">Per activity kind name (case-insensitive), the true change in probability units.</param>
public sealed record TrueUplifts(string OpportunityId, IReadOnlyDictionary<string, double> Uplifts)
{
    /// <summary>Up to <paramref name="count"/> kinds that truly help, largest change first (ties by name).</summary>
    public IReadOnlyList<string> Best(int count) =>
        [.. Uplifts.Where(u => u.Value > 0)
            .OrderByDescending(u => u.Value)
            .ThenBy(u => u.Key, StringComparer.Ordinal)
            .Take(count)
            .Select(u => u.Key)];

    /// <summary>The true change for a kind; 0 for a kind the truth does not know.</summary>
    public double Of(string kind) => Uplifts.TryGetValue(kind, out var value) ? value : 0;
}
