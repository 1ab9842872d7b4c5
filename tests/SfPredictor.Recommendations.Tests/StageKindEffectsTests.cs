using SfPredictor.Features;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Effects;
using SfPredictor.Scoring.Packaging;
using SfPredictor.SyntheticOrg;
using SfPredictor.Training;

namespace SfPredictor.Recommendations.Tests;

[Collection(TrainedOrgCollection.Name)]
public sealed class StageKindEffectsTests(TrainedOrgFixture fixture)
{
    [Fact]
    public void Recommend_StageDependentWorld_EffectsRankAnEarlyTopKindOtherThanTheLateOne_AsTheTruthSays()
    {
        var org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 3000, Seed = 3, World = OrgWorld.StageDependent });
        var asOf = org.Truth.AsOf;
        var model = new TrainingPipeline(TrainedOrgFixture.Training, new FeatureOptions()).Train(org.Data, asOf);
        using var scorer = OnnxScorer.Load(model.OnnxModel);
        Assert.NotNull(model.Effects);
        var recommender = Recommender.Create(org.Data, model.Schema, scorer, asOf, StageOrdering.EveryKind(), model.Effects);
        Assert.True(recommender.UsesStageKindEffects);
        Assert.Equal(1, recommender.RowsPerOpportunity);

        StageOrdering.AssertTopKindsFollowTheStages(org, recommender.RecommendOpen(asOf));

        // A kind that hurts early (a proposal before qualification) has the lower weight there than late.
        var weights = model.Effects.Stages.ToDictionary(s => s.Stage, s => s.Weights);
        var proposal = model.Effects.ActivityKinds.ToList().IndexOf("Proposal");
        Assert.True(weights["Prospecting"][proposal] < weights["Proposal/Price Quote"][proposal]);
    }

    [Fact]
    public void Load_SavedTreeModel_PackageKeepsTheEffects()
    {
        Assert.NotNull(fixture.Model.Effects);

        using var package = ModelPackage.Load(fixture.PackageDirectory);

        Assert.NotNull(package.Effects);
        Assert.Equal(fixture.Model.Effects.ToJson(), package.Effects.ToJson());
        Assert.True(File.Exists(Path.Combine(fixture.PackageDirectory, StageKindEffects.FileName)));
    }

    [Fact]
    public void Recommend_EffectsSwitchedOff_ScoresOneCounterfactualRowPerKind()
    {
        var options = new RecommendationOptions { UseStageKindEffects = false, MaxFactors = 0 };

        var recommender = new Recommender(fixture.Builder, fixture.Scorer, fixture.Reference, options, fixture.Model.Effects);

        Assert.False(recommender.UsesStageKindEffects);
        Assert.Equal(1 + fixture.Builder.Schema.ActivityKinds.Count, recommender.RowsPerOpportunity);
    }

    [Fact]
    public void Recommend_WithEffects_UpliftsFollowTheStageWeights()
    {
        var effects = fixture.Model.Effects!;
        var recommender = new Recommender(fixture.Builder, fixture.Scorer, fixture.Reference, StageOrdering.EveryKind(), effects);

        var results = recommender.Recommend(fixture.Open, fixture.AsOf);

        var stages = effects.Stages.ToDictionary(s => s.Stage);
        var kinds = effects.ActivityKinds.ToList();
        var counts = new float[fixture.Builder.Index.Stages.Stages.Count * kinds.Count];
        var checkedOne = false;
        foreach (var (result, opportunity) in results.Zip(fixture.Open))
        {
            var stage = fixture.Builder.CountActivitiesByStage(opportunity, fixture.AsOf, counts);
            var inStage = counts.AsSpan(stage * kinds.Count, kinds.Count).ToArray();
            var weights = stages[fixture.Builder.Index.Stages.Stages[stage].Name];
            foreach (var gain in result.KindGains!)
            {
                // The uplift goes the way of the stage's log-odds gain for the kind, given what was done in the stage.
                var k = kinds.IndexOf(gain.Kind);
                Assert.Equal(Math.Sign(StageKindEffects.LogOddsGain(weights, effects.CountTerms(effects.Stages.ToList().IndexOf(weights)), k, inStage[k], inStage.Sum())), Math.Sign(gain.Uplift));
                checkedOne = true;
            }

            Assert.All(result.Recommendations, r => Assert.True(r.Uplift > 0));
        }

        Assert.True(checkedOne);
    }

    [Fact]
    public void Train_StageRatesModel_HasNoEffects_AndKindsComeFromCounterfactualRows()
    {
        var training = TrainedOrgFixture.Training;
        training.MinWonForModel = 1_000_000;
        var model = new TrainingPipeline(training, new FeatureOptions()).Train(fixture.Org.Data, fixture.AsOf);
        using var scorer = OnnxScorer.Load(model.OnnxModel);

        var recommender = Recommender.Create(fixture.Org.Data, model.Schema, scorer, fixture.AsOf, new RecommendationOptions { MaxFactors = 0 }, model.Effects);
        var results = recommender.RecommendOpen(fixture.AsOf);

        Assert.Equal(ModelManifest.StageFallbackKind, model.Manifest.Kind);
        Assert.Null(model.Effects);
        Assert.False(recommender.UsesStageKindEffects);
        Assert.Equal(1 + model.Schema.ActivityKinds.Count, recommender.RowsPerOpportunity);
        // Stage win rates do not move with activities: no kind promises a gain, so none is recommended.
        Assert.All(results, r => Assert.Empty(r.Recommendations));
    }
}
