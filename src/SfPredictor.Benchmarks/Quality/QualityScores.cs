namespace SfPredictor.Benchmarks.Quality;

/// <summary>How well a method's recommended kinds match the true best kinds.</summary>
/// <param name="Method">The method's name.</param>
/// <param name="Opportunities">Open Opportunities scored (those with at least one truly helpful kind).</param>
/// <param name="PrecisionAt3">
/// Mean share of the true top kinds that were recommended: hits / min(3, number of truly helpful kinds),
/// so 1 is perfect and recommending fewer than three counts the empty places as misses.
/// </param>
/// <param name="GainShare">
/// Sum over Opportunities of the true uplifts of the recommended kinds, divided by the sum of the true
/// uplifts of the true top three: the share of the achievable gain captured (a harmful kind subtracts).
/// </param>
/// <param name="MeanRecommended">Average number of kinds recommended.</param>
/// <param name="UpliftRatio">
/// Sum of the expected uplifts the method gave for the kinds it recommended, divided by the sum of their
/// true uplifts: above 1 the method promises more than the activities deliver, as a model does that
/// credits activities with wins owed to who logs them. NaN for a method without expected uplifts.
/// </param>
/// <param name="Top1">Share of Opportunities whose first recommended kind is the truly best one.</param>
public sealed record QualityScores(string Method, int Opportunities, double PrecisionAt3, double GainShare, double MeanRecommended, double UpliftRatio = double.NaN, double Top1 = double.NaN)
{
    /// <summary>Compares recommendations with the truth.</summary>
    /// <param name="method">The method's name.</param>
    /// <param name="recommended">Per Opportunity Id, the kinds recommended (at most three are counted).</param>
    /// <param name="truth">The true uplifts, per Opportunity Id.</param>
    /// <exception cref="KeyNotFoundException">An Opportunity of the truth has no recommendation entry.</exception>
    public static QualityScores Measure(string method, IReadOnlyDictionary<string, IReadOnlyList<string>> recommended, IReadOnlyList<TrueUplifts> truth)
    {
        ArgumentNullException.ThrowIfNull(recommended);
        ArgumentNullException.ThrowIfNull(truth);
        const int K = 3;
        double precision = 0, captured = 0, achievable = 0, count = 0, first = 0;
        var scored = 0;
        foreach (var t in truth)
        {
            var best = t.Best(K);
            if (best.Count == 0)
            {
                continue;
            }

            if (!recommended.TryGetValue(t.OpportunityId, out var kinds))
            {
                throw new KeyNotFoundException($"No recommendation for Opportunity {t.OpportunityId}, which the truth lists as open.");
            }

            var top = kinds.Take(K).ToList();
            precision += top.Count(k => best.Contains(k, StringComparer.OrdinalIgnoreCase)) / (double)best.Count;
            captured += top.Sum(t.Of);
            achievable += best.Sum(t.Of);
            count += top.Count;
            first += top.Count > 0 && string.Equals(top[0], best[0], StringComparison.OrdinalIgnoreCase) ? 1 : 0;
            scored++;
        }

        return scored == 0
            ? new QualityScores(method, 0, double.NaN, double.NaN, double.NaN)
            : new QualityScores(method, scored, precision / scored, captured / achievable, count / scored, Top1: first / scored);
    }
}
