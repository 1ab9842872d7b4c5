using SfPredictor.Recommendations;
using SfPredictor.Recommendations.Tests;
using SfPredictor.Features;
using SfPredictor.Benchmarks.Quality;
using SfPredictor.Scoring;
using SfPredictor.SyntheticOrg;
using SfPredictor.Training;

namespace SfPredictor.Benchmarks.Tests.Quality;

public sealed class WorldQualityTests
{
    [Fact]
    public void Recommend_StageDependentWorld_TopKindEarlyDiffersFromTopKindLate_AsTheTruthSays()
    {
        var org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 3000, Seed = 3, World = OrgWorld.StageDependent });
        var asOf = org.Truth.AsOf;
        var features = new FeatureOptions { StageActivityFeatures = true, StageBands = 12, StageBandHalfLifeDays = 90 };
        var model = new TrainingPipeline(new TrainingOptions { Threads = 1 }, features).Train(org.Data, asOf);
        using var scorer = OnnxScorer.Load(model.OnnxModel);
        var results = Recommender.Create(org.Data, model.Schema, scorer, asOf, RecommendationQuality.RankingOnly()).RecommendOpen(asOf);
        var stageOf = org.Data.Opportunities.ToDictionary(o => o.Id, o => o.StageName);
        var truth = org.Truth.Opportunities.ToDictionary(t => t.OpportunityId);
        string[] early = ["Prospecting", "Qualification"];
        string[] late = ["Proposal/Price Quote", "Negotiation/Review"];

        var trueEarly = MostCommon(truth.Values.Where(t => early.Contains(stageOf[t.OpportunityId])).Select(t => t.BestKinds(1).FirstOrDefault()));
        var trueLate = MostCommon(truth.Values.Where(t => late.Contains(stageOf[t.OpportunityId])).Select(t => t.BestKinds(1).FirstOrDefault()));
        var modelEarly = MostCommon(results.Where(r => early.Contains(stageOf[r.OpportunityId])).Select(r => r.Recommendations.FirstOrDefault()?.Kind));
        var modelLate = MostCommon(results.Where(r => late.Contains(stageOf[r.OpportunityId])).Select(r => r.Recommendations.FirstOrDefault()?.Kind));

        Assert.NotEqual(trueEarly, trueLate);
        Assert.NotEqual(modelEarly, modelLate);
        Assert.Contains(modelLate, new[] { "Proposal", "Executive Meeting" });
        Assert.DoesNotContain(modelEarly, new[] { "Proposal", "Executive Meeting" });
    }

    private static string? MostCommon(IEnumerable<string?> kinds) =>
        kinds.Where(k => k is not null).GroupBy(k => k).MaxBy(g => g.Count())?.Key;
}
