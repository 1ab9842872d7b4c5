namespace SfPredictor.SyntheticOrg.Truth;

/// <summary>
/// What a generated org knows about one open Opportunity and a real org never does: its true win
/// probability at the as-of date, and the true change in it if one more activity of each kind were
/// done at the as-of date, in its current stage.
/// </summary>
public sealed class OpportunityTruth
{
    /// <summary>Creates the truth of one Opportunity.</summary>
    /// <param name="opportunityId">18-character Opportunity Id.</param>
    /// <param name="winProbability">True win probability (0–1).</param>
    /// <param name="kinds">Activity kind names, in the order of <paramref name="uplifts"/>.</param>
    /// <param name="uplifts">Per kind, the true change in win probability (probability units, -1–1).</param>
    public OpportunityTruth(string opportunityId, double winProbability, IReadOnlyList<string> kinds, IReadOnlyList<double> uplifts)
    {
        ArgumentNullException.ThrowIfNull(opportunityId);
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(uplifts);
        if (kinds.Count != uplifts.Count)
        {
            throw new ArgumentException($"{kinds.Count} kinds but {uplifts.Count} uplifts.", nameof(uplifts));
        }

        OpportunityId = opportunityId;
        WinProbability = winProbability;
        Kinds = kinds;
        Uplifts = uplifts;
    }

    /// <summary>18-character Opportunity Id.</summary>
    public string OpportunityId { get; }

    /// <summary>True probability (0–1) that the Opportunity is won.</summary>
    public double WinProbability { get; }

    /// <summary>Activity kind names, in the order of <see cref="Uplifts"/>.</summary>
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>Per kind, the true change in win probability if one more such activity were done now.</summary>
    public IReadOnlyList<double> Uplifts { get; }

    /// <summary>The true change in win probability for one more activity of <paramref name="kind"/> (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">The truth has no such kind.</exception>
    public double Uplift(string kind)
    {
        for (var k = 0; k < Kinds.Count; k++)
        {
            if (string.Equals(Kinds[k], kind, StringComparison.OrdinalIgnoreCase))
            {
                return Uplifts[k];
            }
        }

        throw new KeyNotFoundException($"The truth of {OpportunityId} has no activity kind '{kind}'; it has {string.Join(", ", Kinds)}.");
    }

    /// <summary>
    /// Up to <paramref name="count"/> kinds that truly raise the win probability, largest change first
    /// (ties in kind order); fewer when fewer help.
    /// </summary>
    public IReadOnlyList<string> BestKinds(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return [.. Enumerable.Range(0, Kinds.Count)
            .Where(k => Uplifts[k] > 0)
            .OrderByDescending(k => Uplifts[k])
            .ThenBy(k => k)
            .Take(count)
            .Select(k => Kinds[k])];
    }
}
