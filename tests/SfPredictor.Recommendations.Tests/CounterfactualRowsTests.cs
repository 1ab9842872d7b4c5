using SfPredictor.Features;
using SfPredictor.Scoring;
using SfPredictor.SyntheticOrg;
using SfPredictor.Training;

namespace SfPredictor.Recommendations.Tests;

public sealed class CounterfactualRowsTests
{
    [Fact]
    public void Recommend_StageDependentWorld_TopKindEarlyDiffersFromTopKindLate_AsTheTruthSays()
    {
        // Counterfactual rows (no stage × kind effects) learn the stages from activity features by stage band.
        var org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 3000, Seed = 3, World = OrgWorld.StageDependent });
        var asOf = org.Truth.AsOf;
        var features = new FeatureOptions { StageActivityFeatures = true, StageBands = 12, StageBandHalfLifeDays = 90 };
        var model = new TrainingPipeline(new TrainingOptions { Threads = 1 }, features).Train(org.Data, asOf);
        using var scorer = OnnxScorer.Load(model.OnnxModel);

        var results = Recommender.Create(org.Data, model.Schema, scorer, asOf, StageOrdering.EveryKind()).RecommendOpen(asOf);

        StageOrdering.AssertTopKindsFollowTheStages(org, results);
    }
}
