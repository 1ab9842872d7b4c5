using Microsoft.Extensions.Options;

namespace SfPredictor.Recommendations.Tests;

[Collection(TrainedOrgCollection.Name)]
public sealed class RecommenderTests(TrainedOrgFixture fixture)
{
    [Fact]
    public void Recommend_DisabledKinds_AreNeverRecommendedNorScored()
    {
        var all = fixture.Recommender();
        var recommender = fixture.Recommender(new RecommendationOptions { DisabledKinds = ["demo", "Meeting"] });

        var usual = all.Recommend(fixture.Open, fixture.AsOf);
        var results = recommender.Recommend(fixture.Open, fixture.AsOf);

        Assert.Contains(usual, r => r.Recommendations.Any(x => x.Kind is "Demo" or "Meeting"));
        Assert.DoesNotContain(results, r => r.Recommendations.Any(x => x.Kind is "Demo" or "Meeting"));
        Assert.Equal(["Executive Meeting", "Proposal", "Call", "Email"], recommender.EnabledKinds);
        Assert.Equal(all.RowsPerOpportunity - 2, recommender.RowsPerOpportunity);
    }

    [Fact]
    public void Recommend_KindDoneWithinCooldown_IsNotRecommended()
    {
        var schema = fixture.Builder.Schema;
        var cooled = fixture.Recommender(new RecommendationOptions { CooldownDays = 7, MinUpliftPoints = 0 }).Recommend(fixture.Open, fixture.AsOf);
        var uncooled = fixture.Recommender(new RecommendationOptions { CooldownDays = 0, MinUpliftPoints = 0 }).Recommend(fixture.Open, fixture.AsOf);

        var row = new float[schema.Width];
        var recentAndRecommendedWithoutCooldown = 0;
        for (var j = 0; j < fixture.Open.Length; j++)
        {
            fixture.Builder.Build(fixture.Open[j], fixture.AsOf, row);
            foreach (var kind in schema.ActivityKinds)
            {
                var daysSince = row[schema.DaysSinceColumn(schema.ActivityKindIndex(kind))];
                if (daysSince < 7)
                {
                    Assert.DoesNotContain(cooled[j].Recommendations, r => r.Kind == kind);
                    recentAndRecommendedWithoutCooldown += uncooled[j].Recommendations.Count(r => r.Kind == kind);
                }
            }
        }

        // The rule, not the model, is what kept those kinds out.
        Assert.True(recentAndRecommendedWithoutCooldown > 0);
    }

    [Fact]
    public void Recommend_HighMinimumUplift_RecommendsFewerThanThreeAndOnlyLargeGains()
    {
        var results = fixture.Recommender(new RecommendationOptions { MinUpliftPoints = 2 }).Recommend(fixture.Open, fixture.AsOf);

        Assert.Contains(results, r => r.Recommendations.Count is > 0 and < 3);
        Assert.Contains(results, r => r.Recommendations.Count == 0);
        Assert.All(results.SelectMany(r => r.Recommendations), r => Assert.True(r.Uplift >= 0.02, $"{r.Kind} {r.Uplift}"));
    }

    [Fact]
    public void Recommend_Results_AreSortedBestFirstAndCappedAtMaxRecommendations()
    {
        var results = fixture.Recommender(new RecommendationOptions { MinUpliftPoints = 0, CooldownDays = 0, MaxRecommendations = 2 }).Recommend(fixture.Open, fixture.AsOf);

        Assert.All(results, r =>
        {
            Assert.True(r.Recommendations.Count <= 2);
            Assert.Equal(r.Recommendations.OrderByDescending(x => x.Uplift).Select(x => x.Kind), r.Recommendations.Select(x => x.Kind));
            Assert.All(r.Recommendations, x => Assert.True(x.Uplift > 0));
            Assert.InRange(r.WinProbability, 0, 1);
        });
    }

    [Fact]
    public void Recommend_KindGains_HoldEveryEnabledKindBestFirstIncludingTheRecommendedOnes()
    {
        var recommender = fixture.Recommender(new RecommendationOptions { DisabledKinds = ["Email"], CooldownDays = 7 });
        var results = recommender.Recommend(fixture.Open, fixture.AsOf);

        Assert.All(results, r =>
        {
            Assert.NotNull(r.KindGains);
            Assert.Equal(recommender.EnabledKinds.Order(StringComparer.Ordinal), r.KindGains.Select(g => g.Kind).Order(StringComparer.Ordinal));
            Assert.Equal(r.KindGains.OrderByDescending(g => g.Uplift).Select(g => g.Uplift), r.KindGains.Select(g => g.Uplift));
            Assert.All(r.Recommendations, x => Assert.Contains(x, r.KindGains));
        });
        Assert.Contains(results, r => r.KindGains!.Any(g => g.Uplift < 0.005));
    }

    [Fact]
    public void Recommend_Uplifts_EqualScoresOfHandBuiltRowsOneByOne()
    {
        var schema = fixture.Builder.Schema;
        var results = fixture.Recommender(new RecommendationOptions { MinUpliftPoints = 0, CooldownDays = 0, MaxRecommendations = schema.ActivityKinds.Count })
            .Recommend(fixture.Open, fixture.AsOf);
        var j = Array.FindIndex(results.ToArray(), r => r.Recommendations.Count >= 2);
        Assert.True(j >= 0);

        var row = new float[schema.Width];
        fixture.Builder.Build(fixture.Open[j], fixture.AsOf, row);
        var probability = ScoreOne(row);
        Assert.Equal(probability, results[j].WinProbability, 6);
        foreach (var recommendation in results[j].Recommendations)
        {
            var counterfactual = (float[])row.Clone();
            schema.ApplyActivity(counterfactual, schema.ActivityKindIndex(recommendation.Kind));
            Assert.Equal(ScoreOne(counterfactual) - probability, recommendation.Uplift, 6);
        }
    }

    [Fact]
    public void Recommend_ReplacementFactorImpacts_EqualScoreChangeWhenTheAspectIsTypical()
    {
        var schema = fixture.Builder.Schema;
        var result = fixture.Recommender(new RecommendationOptions { Explanations = ExplanationMethod.Replacement }).Recommend(fixture.Open, fixture.AsOf);
        static bool AccountHistory(ScoreFactor f) => f.Text.StartsWith("Account ", StringComparison.Ordinal) && f.Text.EndsWith(" deals", StringComparison.Ordinal);
        var j = Array.FindIndex(result.ToArray(), r => r.TopFactors.Any(AccountHistory));
        Assert.True(j >= 0);
        var factor = result[j].TopFactors.First(AccountHistory);

        var row = new float[schema.Width];
        fixture.Builder.Build(fixture.Open[j], fixture.AsOf, row);
        var typical = (float[])row.Clone();
        foreach (var name in new[] { "account_past_deals", "account_past_wins", "account_win_rate" })
        {
            var column = schema.IndexOf(name);
            typical[column] = fixture.Reference.Values[column];
        }

        Assert.Equal(ScoreOne(row) - ScoreOne(typical), factor.Impact, 6);
        Assert.All(result, r => Assert.Equal(r.TopFactors.OrderByDescending(f => Math.Abs(f.Impact)).Select(f => f.Text), r.TopFactors.Select(f => f.Text)));
    }

    [Theory]
    [InlineData(ExplanationMethod.TreePath)]
    [InlineData(ExplanationMethod.Replacement)]
    public void Recommend_BatchSizeAndParallelism_DoNotChangeResults(ExplanationMethod explanations)
    {
        var one = fixture.Recommender(new RecommendationOptions { BatchSize = 256, Explanations = explanations }).Recommend(fixture.Open, fixture.AsOf);
        var many = fixture.Recommender(new RecommendationOptions { BatchSize = 7, Parallelism = 2, Explanations = explanations }).Recommend(fixture.Open, fixture.AsOf);

        Assert.Equal(one.Count, many.Count);
        for (var i = 0; i < one.Count; i++)
        {
            Assert.Equal(one[i].OpportunityId, many[i].OpportunityId);
            Assert.Equal(one[i].WinProbability, many[i].WinProbability);
            Assert.Equal(one[i].Recommendations, many[i].Recommendations);
            Assert.Equal(one[i].TopFactors, many[i].TopFactors);
        }
    }

    [Fact]
    public void Recommend_ByIds_MatchesByIndexAndNamesAnUnknownId()
    {
        var recommender = fixture.Recommender();
        var ids = fixture.Open.Take(5).Select(i => fixture.Builder.Index.Opportunities[i].Id).ToList();

        var byId = recommender.Recommend(ids, fixture.AsOf);
        var error = Assert.Throws<KeyNotFoundException>(() => recommender.Recommend(["006000000000000AAA"], fixture.AsOf));

        Assert.Equal(ids, byId.Select(r => r.OpportunityId));
        Assert.Contains("006000000000000AAA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecommendOpen_ReturnsEveryOpenOpportunity()
    {
        var results = fixture.Recommender().RecommendOpen(fixture.AsOf);

        Assert.Equal(fixture.Org.Truth.Opportunities.Select(t => t.OpportunityId).Order(StringComparer.Ordinal), results.Select(r => r.OpportunityId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Recommend_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => fixture.Recommender().Recommend(fixture.Open, fixture.AsOf, cancellation.Token));
    }

    [Fact]
    public void Recommend_ScorerFailsInParallelBatches_ThrowsTheScorersOwnException()
    {
        var scorer = SfPredictor.Scoring.OnnxScorer.Load(fixture.Model.OnnxModel);
        var recommender = new Recommender(fixture.Builder, scorer, fixture.Reference, new RecommendationOptions { BatchSize = 7, Parallelism = 2 });
        scorer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => recommender.Recommend(fixture.Open, fixture.AsOf));
    }

    [Fact]
    public void Constructor_UnknownDisabledKind_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => fixture.Recommender(new RecommendationOptions { DisabledKinds = ["Call", "Webinar"] }));

        Assert.Contains("SfPredictor:Recommendations:DisabledKinds:1 'Webinar'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => fixture.Recommender(new RecommendationOptions { BatchSize = 0, MinUpliftPoints = -1 }));

        Assert.Contains(error.Failures, f => f.Contains("BatchSize", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MinUpliftPoints", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateRecommendationOptions_EmptyDisabledKind_FailsNamingTheKey()
    {
        var result = new ValidateRecommendationOptions().Validate(null, new RecommendationOptions { DisabledKinds = ["Demo", " "], CooldownDays = 400 });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("SfPredictor:Recommendations:DisabledKinds:1", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("CooldownDays", StringComparison.Ordinal));
        Assert.True(new ValidateRecommendationOptions().Validate(null, new RecommendationOptions()).Succeeded);
    }

    private double ScoreOne(float[] row)
    {
        var probability = new float[1];
        fixture.Scorer.Score(row, probability);
        return probability[0];
    }
}
