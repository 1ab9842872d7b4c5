using SfPredictor.Recommendations;
using SfPredictor.Recommendations.Tests;
using SfPredictor.Features;
using SfPredictor.Benchmarks.Quality;
using SfPredictor.Scoring;
using SfPredictor.SyntheticOrg;
using SfPredictor.Training;

namespace SfPredictor.Benchmarks.Tests.Quality;

[Collection(TrainedOrgCollection.Name)]
public sealed class QualityTests(TrainedOrgFixture fixture)
{
    [Fact]
    public void Measure_HandMadeTruth_GivesPrecisionAndGainShare()
    {
        TrueUplifts[] truth =
        [
            new("A", Uplifts(("Demo", 0.05), ("Call", 0.01), ("Meeting", 0.03), ("Proposal", -0.02))),
            new("B", Uplifts(("Demo", 0.02), ("Call", -0.01))),
            new("C", Uplifts(("Demo", -0.01))),
        ];
        var recommended = new Dictionary<string, IReadOnlyList<string>>
        {
            ["A"] = ["Demo", "Proposal", "Call"],
            ["B"] = [],
            ["C"] = ["Demo"],
        };

        var scores = QualityScores.Measure("m", recommended, truth);

        // A: 2 of its top 3 (Demo, Meeting, Call) hit; B: 0 of 1; C has no helpful kind and is left out.
        Assert.Equal(2, scores.Opportunities);
        Assert.Equal(((2 / 3.0) + 0) / 2, scores.PrecisionAt3, 12);
        Assert.Equal((0.05 - 0.02 + 0.01) / (0.05 + 0.03 + 0.01 + 0.02), scores.GainShare, 12);
        Assert.Equal(1.5, scores.MeanRecommended);
    }

    [Fact]
    public void Measure_MissingRecommendation_NamesTheOpportunity()
    {
        var error = Assert.Throws<KeyNotFoundException>(() =>
            QualityScores.Measure("m", new Dictionary<string, IReadOnlyList<string>>(), [new("X1", Uplifts(("Demo", 0.1)))]));

        Assert.Contains("X1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recommender_OnGeneratedOrg_BeatsBothNaiveBaselines()
    {
        var truth = Truth();
        var quality = new RecommendationQuality(fixture.Org.Data, truth, fixture.AsOf);

        var baselines = quality.MeasureBaselines();
        var model = quality.Measure("model", fixture.Model.Schema, fixture.Scorer);

        Assert.Equal(3, baselines.Count);
        var ceiling = Assert.Single(baselines, b => b.Method == RecommendationQuality.CeilingName);
        Assert.All(baselines.Where(b => b != ceiling), b => Assert.True(ceiling.PrecisionAt3 > b.PrecisionAt3, $"ceiling {ceiling.PrecisionAt3:0.000} vs {b.Method} {b.PrecisionAt3:0.000}"));
        Assert.All(baselines.Where(b => b != ceiling), b =>
        {
            Assert.Equal(3, b.MeanRecommended);
            Assert.True(model.PrecisionAt3 > b.PrecisionAt3, $"precision@3 {model.PrecisionAt3:0.000} vs {b.Method} {b.PrecisionAt3:0.000}");
            Assert.True(model.GainShare > b.GainShare, $"gain share {model.GainShare:0.000} vs {b.Method} {b.GainShare:0.000}");
        });
    }

    [Fact]
    public void Measure_SparselyLoggedOrg_StatingTheLoggedShareBringsThePromisesCloserToTheTruth()
    {
        var org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 4000, Seed = 2, World = OrgWorld.SparseLogging });
        var quality = new RecommendationQuality(org.Data, TruthOf(org), org.Truth.AsOf);
        var choices = RecommendationQuality.StageChoices(OrgWorlds.LoggedShare(OrgWorld.SparseLogging));

        var stated = quality.Measure(choices[0]).RankingScores.UpliftRatio;
        var notStated = quality.Measure(Assert.Single(choices, c => c.Training.ActivityLoggedShare == 1)).RankingScores.UpliftRatio;

        // With every activity taken as logged, one more is promised what a logged one went with: several done.
        Assert.True(notStated > 1, $"not stated: expected / true {notStated:0.00}");
        Assert.True(Math.Abs(Math.Log(stated)) < Math.Abs(Math.Log(notStated)), $"stated {stated:0.00}, not stated {notStated:0.00}");
    }

    [Fact]
    public void MeasureUpliftLearner_GeneratedOrg_RanksKindsOfTheSchema_AndPromisesMoreThanTheTruth()
    {
        var truth = Truth();
        var quality = new RecommendationQuality(fixture.Org.Data, truth, fixture.AsOf);

        var learned = quality.MeasureUpliftLearner();

        Assert.True(learned.Opportunities > 100, $"{learned.Opportunities} deals scored");
        Assert.InRange(learned.MeanRecommended, 0.5, 3);
        // Whether a kind is done in the next two weeks says where the deal is going as much as what the
        // kind does: the two models' difference credits the kind with far more than its effect.
        Assert.True(learned.UpliftRatio > 2, $"expected / true {learned.UpliftRatio:0.00}");
    }

    [Fact]
    public void ModellingChoices_CompareTheFeatureSwitches()
    {
        var choices = RecommendationQuality.ModellingChoices;
        var defaults = new FeatureOptions();

        // Each switch is flipped from its default in exactly one variant, with nothing else changed.
        Assert.Null(choices[0].Features);
        Assert.Single(choices, c => c.Features is { ExtraFields.Count: 0 } f
            && f.StageActivityFeatures != defaults.StageActivityFeatures && f.OwnerFeatures == defaults.OwnerFeatures);
        Assert.Single(choices, c => c.Features is { ExtraFields.Count: 0 } f
            && f.StageActivityFeatures == defaults.StageActivityFeatures && f.OwnerFeatures != defaults.OwnerFeatures);
        Assert.Single(choices, c => !c.Training.UseMonotoneConstraints);
    }

    [Fact]
    public void Measure_ModelWithoutInStageCountsAndOwnerTrackRecord_RecommendsAndExplains()
    {
        var features = new FeatureOptions { StageActivityFeatures = false, OwnerFeatures = false };
        var model = new TrainingPipeline(new TrainingOptions { Threads = 1 }, features).Train(fixture.Org.Data, fixture.AsOf);
        using var scorer = OnnxScorer.Load(model.OnnxModel);
        var quality = new RecommendationQuality(fixture.Org.Data, Truth(), fixture.AsOf);

        var scores = quality.Measure("reduced", model.Schema, scorer);
        var ranking = quality.Measure("reduced", model.Schema, scorer, RecommendationQuality.RankingOnly());
        var results = Recommender.Create(fixture.Org.Data, model.Schema, scorer, fixture.AsOf).RecommendOpen(fixture.AsOf);

        Assert.Equal(fixture.Model.Schema.Width - 10, model.Schema.Width);
        Assert.True(scores.Opportunities > 100, $"{scores.Opportunities} scored");
        Assert.True(scores.PrecisionAt3 > 0.3, $"precision@3 {scores.PrecisionAt3:0.000}");
        Assert.InRange(scores.UpliftRatio, 0.1, 10);
        Assert.True(ranking.MeanRecommended >= scores.MeanRecommended, $"{ranking.MeanRecommended:0.00} kinds without the minimum, {scores.MeanRecommended:0.00} with it");
        Assert.Contains(results, r => r.Recommendations.Count > 0);
        Assert.Contains(results, r => r.TopFactors.Count > 0);
        Assert.DoesNotContain(results.SelectMany(r => r.TopFactors), f => f.Text.StartsWith("Owner", StringComparison.Ordinal));
        Assert.DoesNotContain(results.SelectMany(r => r.TopFactors), f => f.Text.Contains("in this stage", StringComparison.Ordinal));
    }

    private List<TrueUplifts> Truth() => TruthOf(fixture.Org);

    private static List<TrueUplifts> TruthOf(GeneratedOrg org) =>
        [.. org.Truth.Opportunities
            .Select(t => new TrueUplifts(t.OpportunityId, t.Kinds.Select((k, i) => (k, t.Uplifts[i])).ToDictionary(x => x.k, x => x.Item2, StringComparer.OrdinalIgnoreCase)))];

    private static Dictionary<string, double> Uplifts(params (string Kind, double Uplift)[] values) =>
        values.ToDictionary(v => v.Kind, v => v.Uplift, StringComparer.OrdinalIgnoreCase);
}
