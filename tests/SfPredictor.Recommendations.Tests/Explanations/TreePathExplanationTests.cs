using Google.Protobuf;
using SfPredictor.Recommendations.Explanations;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Onnx;
using SfPredictor.Scoring.Trees;
using Xunit.Abstractions;

namespace SfPredictor.Recommendations.Tests.Explanations;

[Collection(TrainedOrgCollection.Name)]
public sealed class TreePathExplanationTests(TrainedOrgFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void TreeEnsemble_TrainedModel_ReproducesOnnxRuntimeMarginsAndProbabilities()
    {
        var trees = Assert.IsType<OnnxTreeEnsemble>(fixture.Scorer.TreeEnsemble);
        var (rows, probabilities) = OpenRows();
        var width = fixture.Builder.Width;

        Assert.Equal(fixture.Model.Manifest.Trees, trees.TreeCount);
        Assert.Equal(fixture.Model.Manifest.Calibration.A, trees.LogitScale, 1e-6);
        Assert.Equal(fixture.Model.Manifest.Calibration.B, trees.LogitOffset, 1e-6);
        for (var i = 0; i < probabilities.Length; i++)
        {
            var row = rows.AsSpan(i * width, width);
            Assert.Equal(probabilities[i], trees.Probability(row), 1e-5);
            AssertMargin(trees, probabilities[i], trees.Margin(row));
        }
    }

    [Fact]
    public void Contributions_TrainedModel_SumToTheMarginOnnxRuntimeComputes()
    {
        var trees = fixture.Scorer.TreeEnsemble!;
        var paths = TreePathContributions.FromRows(trees, fixture.Reference.Rows);
        var (rows, probabilities) = OpenRows();
        var width = fixture.Builder.Width;
        var contributions = new double[width];

        for (var i = 0; i < probabilities.Length; i++)
        {
            Array.Clear(contributions);
            var margin = paths.Add(rows.AsSpan(i * width, width), contributions);

            Assert.Equal(margin, paths.ExpectedMargin + contributions.Sum(), 1e-9);
            AssertMargin(trees, probabilities[i], paths.ExpectedMargin + contributions.Sum());
        }
    }

    [Fact]
    public void Recommend_TreePath_ScoresNoExplanationRowsAndStillNamesFactors()
    {
        var recommender = fixture.Recommender();

        var results = recommender.Recommend(fixture.Open, fixture.AsOf);

        Assert.Equal(ExplanationMethod.TreePath, recommender.Explanations);
        Assert.Equal(1 + fixture.Builder.Schema.ActivityKinds.Count, recommender.RowsPerOpportunity);
        Assert.True(results.Count(r => r.TopFactors.Count > 0) > results.Count * 0.9);
        Assert.All(results, r => Assert.True(r.TopFactors.Count <= new RecommendationOptions().MaxFactors));
        Assert.All(results, r => Assert.Equal(r.TopFactors.OrderByDescending(f => Math.Abs(f.Impact)).Select(f => f.Text), r.TopFactors.Select(f => f.Text)));
        Assert.All(results.SelectMany(r => r.TopFactors), f => Assert.True(Math.Abs(f.Impact) >= 0.005, $"{f.Text} {f.Impact}"));
        var texts = results.SelectMany(r => r.TopFactors).Select(f => f.Text).ToList();
        Assert.Contains(texts, t => t.StartsWith("Stage ", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("Account ", StringComparison.Ordinal));
    }

    [Fact]
    public void Recommend_TreePathImpact_IsTheProbabilityWithoutTheGroupsContributions()
    {
        var schema = fixture.Builder.Schema;
        var trees = fixture.Scorer.TreeEnsemble!;
        var results = fixture.Recommender().Recommend(fixture.Open, fixture.AsOf);
        static bool AccountHistory(ScoreFactor f) => f.Text.StartsWith("Account ", StringComparison.Ordinal) && f.Text.EndsWith(" deals", StringComparison.Ordinal);
        var j = Array.FindIndex(results.ToArray(), r => r.TopFactors.Any(AccountHistory));
        Assert.True(j >= 0);

        var row = new float[schema.Width];
        fixture.Builder.Build(fixture.Open[j], fixture.AsOf, row);
        var contributions = new double[schema.Width];
        var margin = TreePathContributions.FromRows(trees, fixture.Reference.Rows).Add(row, contributions);
        var group = new[] { "account_past_deals", "account_past_wins", "account_win_rate" }.Sum(name => contributions[schema.IndexOf(name)]);
        var logit = (trees.LogitScale * margin) + trees.LogitOffset;
        var expected = OnnxTreeEnsemble.Sigmoid(logit) - OnnxTreeEnsemble.Sigmoid(logit - (trees.LogitScale * group));

        Assert.Equal(expected, results[j].TopFactors.First(AccountHistory).Impact, 12);
    }

    [Fact]
    public void Recommend_TreePathAndReplacement_MostlyAgreeOnTheTopFactorsDirection()
    {
        var paths = fixture.Recommender(new RecommendationOptions { MaxFactors = 32, MinFactorPoints = 0 }).Recommend(fixture.Open, fixture.AsOf);
        var replaced = fixture.Recommender(new RecommendationOptions { MaxFactors = 32, MinFactorPoints = 0, Explanations = ExplanationMethod.Replacement })
            .Recommend(fixture.Open, fixture.AsOf);

        int compared = 0, sameSign = 0, measured = 0, measuredSameSign = 0;
        for (var i = 0; i < paths.Count; i++)
        {
            if (paths[i].TopFactors is not [var top, ..])
            {
                continue;
            }

            compared++;
            var other = replaced[i].TopFactors.FirstOrDefault(f => f.Text == top.Text);
            var agrees = other is not null && Math.Sign(other.Impact) == Math.Sign(top.Impact);
            sameSign += agrees ? 1 : 0;

            // Replacement finds no effect where the deal already has the typical value (a deal in the
            // median stage); the paths still compare it with the average open deal.
            measured += other is null ? 0 : 1;
            measuredSameSign += other is not null && agrees ? 1 : 0;
        }

        var signRate = sameSign / (double)compared;
        var measuredRate = measuredSameSign / (double)measured;
        output.WriteLine($"{compared} deals: the top tree-path factor has the same sign by replacement in {signRate:P1}; in {measuredRate:P1} of the {measured} where replacement gives it any effect.");
        Assert.True(compared > paths.Count * 0.9);
        Assert.True(signRate >= 0.8, $"sign agreement {signRate:P1}");
        Assert.True(measuredRate >= 0.95, $"sign agreement where replacement measures an effect {measuredRate:P1}");
    }

    [Fact]
    public void Recommender_ModelWhoseTreesCannotBeRead_FallsBackToReplacement()
    {
        // An Identity between the trees and the calibration changes no score but is not a shape the reader knows.
        var model = ModelProto.Parser.ParseFrom(fixture.Model.OnnxModel);
        var graph = model.Graph;
        var mul = graph.Node.Single(n => n.OpType == "Mul");
        var margin = mul.Input[0];
        mul.Input[0] = "margin_copy";
        graph.Node.Insert(graph.Node.IndexOf(mul), OnnxGraph.Node("Identity", [margin], ["margin_copy"]));
        using var scorer = OnnxScorer.Load(model.ToByteArray());
        var groups = FactorGroup.For(fixture.Builder.Schema).Count;

        var fallback = new Recommender(fixture.Builder, scorer, fixture.Reference);
        var replacement = fixture.Recommender(new RecommendationOptions { Explanations = ExplanationMethod.Replacement });
        var open = fixture.Open.Take(100).ToArray();

        Assert.Null(scorer.TreeEnsemble);
        Assert.Equal(ExplanationMethod.Replacement, fallback.Explanations);
        Assert.Equal(1 + fixture.Builder.Schema.ActivityKinds.Count + groups, fallback.RowsPerOpportunity);
        Assert.Equal(replacement.RowsPerOpportunity, fallback.RowsPerOpportunity);
        var expected = replacement.Recommend(open, fixture.AsOf);
        var actual = fallback.Recommend(open, fixture.AsOf);
        Assert.Contains(actual, r => r.TopFactors.Count > 0);
        for (var i = 0; i < open.Length; i++)
        {
            Assert.Equal(expected[i].TopFactors.Select(f => f.Text), actual[i].TopFactors.Select(f => f.Text));
        }
    }

    [Fact]
    public void Recommender_NoFactorsWanted_ReportsNoExplanationMethod()
    {
        var recommender = fixture.Recommender(new RecommendationOptions { MaxFactors = 0, Explanations = ExplanationMethod.Replacement });

        Assert.Null(recommender.Explanations);
        Assert.Equal(1 + fixture.Builder.Schema.ActivityKinds.Count, recommender.RowsPerOpportunity);
    }

    [Fact]
    public void Validate_UndefinedExplanationMethod_FailsNamingTheKey()
    {
        var result = new ValidateRecommendationOptions().Validate(null, new RecommendationOptions { Explanations = (ExplanationMethod)7 });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("SfPredictor:Recommendations:Explanations", StringComparison.Ordinal) && f.Contains("TreePath or Replacement", StringComparison.Ordinal));
    }

    // The runtime's margin, recovered from its probability through the logit and the calibration. The
    // probability is a float, so the margin is known only to a few units in its last place seen through the
    // logit's slope 1 / (p (1 - p)); a probability rounded to 0 or 1 tells nothing.
    private static void AssertMargin(OnnxTreeEnsemble trees, float probability, double margin)
    {
        if (probability is <= 0 or >= 1)
        {
            return;
        }

        var runtime = (Math.Log(probability / (1.0 - probability)) - trees.LogitOffset) / trees.LogitScale;
        var tolerance = 1e-5 + (Math.ScaleB(1, -22) / (probability * (1.0 - probability) * Math.Abs(trees.LogitScale)));
        Assert.True(Math.Abs(runtime - margin) <= tolerance, $"margin {margin} vs {runtime} from the runtime's probability {probability}");
    }

    private (float[] Rows, float[] Probabilities) OpenRows()
    {
        var width = fixture.Builder.Width;
        var rows = new float[fixture.Open.Length * width];
        for (var i = 0; i < fixture.Open.Length; i++)
        {
            fixture.Builder.Build(fixture.Open[i], fixture.AsOf, rows.AsSpan(i * width, width));
        }

        var probabilities = new float[fixture.Open.Length];
        fixture.Scorer.Score(rows, probabilities);
        return (rows, probabilities);
    }
}
