using SfPredictor.SyntheticOrg;

namespace SfPredictor.Recommendations.Tests;

/// <summary>
/// The ordering the stage-dependent world's truth implies: the kind that helps most early in the sales
/// process is not the one that helps most late, and a recommender should say so too.
/// </summary>
internal static class StageOrdering
{
    private static readonly string[] Early = ["Prospecting", "Qualification"];
    private static readonly string[] Late = ["Proposal/Price Quote", "Negotiation/Review"];

    /// <summary>Every kind allowed: no minimum gain, no cooldown, no factors; the ranking alone is compared.</summary>
    public static RecommendationOptions EveryKind() => new() { MinUpliftPoints = 0, CooldownDays = 0, MaxFactors = 0 };

    public static void AssertTopKindsFollowTheStages(GeneratedOrg org, IReadOnlyList<OpportunityRecommendation> results)
    {
        var stageOf = org.Data.Opportunities.ToDictionary(o => o.Id, o => o.StageName);
        var truth = org.Truth.Opportunities;
        var trueEarly = MostCommon(truth.Where(t => Early.Contains(stageOf[t.OpportunityId])).Select(t => t.BestKinds(1).FirstOrDefault()));
        var trueLate = MostCommon(truth.Where(t => Late.Contains(stageOf[t.OpportunityId])).Select(t => t.BestKinds(1).FirstOrDefault()));
        var modelEarly = MostCommon(results.Where(r => Early.Contains(stageOf[r.OpportunityId])).Select(r => r.Recommendations.FirstOrDefault()?.Kind));
        var modelLate = MostCommon(results.Where(r => Late.Contains(stageOf[r.OpportunityId])).Select(r => r.Recommendations.FirstOrDefault()?.Kind));

        Assert.NotEqual(trueEarly, trueLate);
        Assert.NotEqual(modelEarly, modelLate);
        Assert.Contains(modelLate, new[] { "Proposal", "Executive Meeting" });
        Assert.DoesNotContain(modelEarly, new[] { "Proposal", "Executive Meeting" });
    }

    private static string? MostCommon(IEnumerable<string?> kinds) =>
        kinds.Where(k => k is not null).GroupBy(k => k).MaxBy(g => g.Count())?.Key;
}
