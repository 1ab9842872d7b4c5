using SfPredictor.Scoring.Packaging;
using SfPredictor.Training.Evaluation;

namespace SfPredictor.Training.Tests.Evaluation;

public sealed class MetricsTests
{
    [Fact]
    public void Auc_TieBetweenWonAndLost_CountsHalf()
    {
        // Pairs (won, lost): (0.4, 0.1) right, (0.4, 0.4) tie = 1/2, (0.8, 0.1) right, (0.8, 0.4) right: 3.5 / 4.
        Assert.Equal(0.875, Metrics.Auc([0.1f, 0.4f, 0.4f, 0.8f], [0, 0, 1, 1]), 6);
    }

    [Fact]
    public void Auc_PerfectReversedAndConstant_KnownValues()
    {
        Assert.Equal(1.0, Metrics.Auc([0.1f, 0.2f, 0.9f], [0, 0, 1]), 6);
        Assert.Equal(0.0, Metrics.Auc([0.9f, 0.2f, 0.1f], [0, 0, 1]), 6);
        Assert.Equal(0.5, Metrics.Auc([0.3f, 0.3f, 0.3f, 0.3f], [0, 1, 0, 1]), 6);
        Assert.True(double.IsNaN(Metrics.Auc([0.3f, 0.4f], [1, 1])));
    }

    [Fact]
    public void Auc_ManyTies_MatchesPairCount()
    {
        var random = new Random(5);
        var scores = Enumerable.Range(0, 300).Select(_ => random.Next(5) / 4f).ToArray();
        var labels = Enumerable.Range(0, 300).Select(_ => (float)random.Next(2)).ToArray();

        double pairs = 0, credit = 0;
        for (var i = 0; i < 300; i++)
        {
            for (var j = 0; j < 300; j++)
            {
                if (labels[i] == 1 && labels[j] == 0)
                {
                    pairs++;
                    credit += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }

        Assert.Equal(credit / pairs, Metrics.Auc(scores, labels), 6);
    }

    [Theory]
    [InlineData(1, 1_000, 0)]
    [InlineData(2, 20_000, 0)]
    [InlineData(3, 20_000, 100)]
    public void Auc_FromMlNet_AgreesWithTheMannWhitneyRankSumToSixDecimals(int seed, int rows, int levels)
    {
        // Probabilities that lean towards the outcome; with levels > 0 rounded onto a grid, so most scores tie.
        var random = new Random(seed);
        var labels = Enumerable.Range(0, rows).Select(_ => random.NextDouble() < 0.4 ? 1f : 0f).ToArray();
        var scores = labels.Select(y => (float)Math.Clamp((0.35 * y) + (0.65 * random.NextDouble()), 0, 1)).ToArray();
        if (levels > 0)
        {
            scores = [.. scores.Select(p => MathF.Round(p * levels) / levels)];
        }

        Assert.Equal(MannWhitneyAuc(scores, labels), Metrics.Auc(scores, labels), 6);
    }

    // The rank-sum AUC the project computed itself before ML.NET's evaluator: tied scores share their mean rank.
    private static double MannWhitneyAuc(float[] scores, float[] labels)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double positives = 0, rankSum = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            for (var k = i; k <= j; k++)
            {
                if (labels[order[k]] == 1)
                {
                    positives++;
                    rankSum += (i + j + 2) / 2.0;
                }
            }

            i = j + 1;
        }

        var negatives = scores.Length - positives;
        return (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    [Fact]
    public void LogLossAndBrier_HandComputed()
    {
        float[] p = [0.9f, 0.2f, 0.6f];
        float[] y = [1, 0, 0];

        var expectedLogLoss = -(Math.Log(0.9f) + Math.Log(1 - (double)0.2f) + Math.Log(1 - (double)0.6f)) / 3;
        var expectedBrier = (Math.Pow((double)0.9f - 1, 2) + Math.Pow(0.2f, 2) + Math.Pow(0.6f, 2)) / 3;

        Assert.Equal(expectedLogLoss, Metrics.LogLoss(p, y), 12);
        Assert.Equal(expectedBrier, Metrics.Brier(p, y), 12);
        Assert.Equal(-Math.Log(Metrics.Epsilon), Metrics.LogLoss([0f], [1]), 6);
    }

    [Fact]
    public void LogLoss_Weights_ActAsRepeats()
    {
        Assert.Equal(
            Metrics.LogLoss([0.7f, 0.7f, 0.3f], [1, 1, 0]),
            Metrics.LogLoss([0.7f, 0.3f], [1, 0], [2, 1]),
            12);
    }

    [Fact]
    public void Evaluate_ThresholdCounts_HandComputed()
    {
        // At 0.5: predicted won = rows 0, 2, 3; TP = 0, 3; FP = 2; FN = 4; TN = 1.
        float[] p = [0.9f, 0.1f, 0.5f, 0.7f, 0.4f];
        float[] y = [1, 0, 0, 1, 1];

        var metrics = Metrics.Evaluate(p, y, 0.5);

        Assert.Equal(3.0 / 5, metrics.Accuracy, 12);
        Assert.Equal(2.0 / 3, metrics.Precision, 12);
        Assert.Equal(2.0 / 3, metrics.Recall, 12);
        Assert.Equal(2.0 / 3, metrics.F1, 12);
        Assert.Equal(5, metrics.Rows);
        Assert.Equal(0.6, metrics.WinRate, 12);

        var strict = Metrics.Evaluate(p, y, 0.95);
        Assert.Equal(0, strict.Precision);
        Assert.Equal(0, strict.Recall);
        Assert.Equal(0, strict.F1);
    }

    [Fact]
    public void Reliability_RowsInEqualWidthBins_CountsMeansAndEmptyBins()
    {
        float[] p = [0.05f, 0.15f, 0.12f, 0.95f, 1f];
        float[] y = [0, 1, 0, 1, 1];

        var bins = Metrics.Reliability(p, y);

        Assert.Equal(10, bins.Count);
        Assert.Equal([1, 2, 0, 0, 0, 0, 0, 0, 0, 2], bins.Select(b => b.Rows));
        Assert.Equal((0.15 + 0.12) / 2, bins[1].MeanPredicted, 6);
        Assert.Equal(0.5, bins[1].ObservedWinRate, 12);
        Assert.True(double.IsNaN(bins[4].MeanPredicted));
        Assert.Equal(0.9, bins[9].Lower, 12);
        Assert.Equal(1.0, bins[9].Upper, 12);
    }

    [Fact]
    public void ExpectedCalibrationError_KnownGaps_WeightedByRows()
    {
        // Bin 0–10 %: 2 rows predicted 0.05, one won → gap 0.45; bin 90–100 %: 2 rows at 0.95, both won → gap 0.05.
        float[] p = [0.05f, 0.05f, 0.95f, 0.95f];
        float[] y = [1, 0, 1, 1];

        var ece = Metrics.ExpectedCalibrationError(p, y);

        Assert.Equal(((0.45 * 2) + (0.05 * 2)) / 4, ece, 6);
        Assert.Equal(ece, Metrics.Evaluate(p, y, 0.5).Ece, 12);
        Assert.True(double.IsNaN(Metrics.ExpectedCalibrationError([], [])));
    }

    [Fact]
    public void LiftByDecile_WinsConcentratedAtTop_HighLiftFirst()
    {
        var p = Enumerable.Range(0, 100).Select(i => i / 100f).ToArray();
        var y = Enumerable.Range(0, 100).Select(i => i >= 90 ? 1f : 0f).ToArray();

        var lift = Metrics.LiftByDecile(p, y);

        Assert.Equal(10, lift.Count);
        Assert.Equal(1.0, lift[0].WinRate, 12);
        Assert.Equal(10.0, lift[0].Lift, 12);
        Assert.Equal(1.0, lift[0].CumulativeWinShare, 12);
        Assert.All(lift.Skip(1), b => Assert.Equal(0, b.WinRate));
    }

    [Fact]
    public void RocCurve_TiesMoveDiagonally_EndsAtCorners()
    {
        var roc = Metrics.RocCurve([0.9f, 0.5f, 0.5f, 0.1f], [1, 1, 0, 0]);

        Assert.Equal(new RocPoint(0, 0), roc[0]);
        Assert.Equal(new RocPoint(0, 0.5), roc[1]);
        Assert.Equal(new RocPoint(0.5, 1), roc[2]);
        Assert.Equal(new RocPoint(1, 1), roc[^1]);
    }

    [Fact]
    public void EceNoiseFloor_CertainOutcomesHaveNoFloorAndSharedOutcomesRaiseIt()
    {
        var certain = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 0f : 1f).ToArray();
        var half = Enumerable.Repeat(0.5f, 200).ToArray();
        var ownDeal = Enumerable.Range(0, 200).Select(i => $"deal {i}").ToArray();
        var tenSnapshotsPerDeal = Enumerable.Range(0, 200).Select(i => $"deal {i / 10}").ToArray();

        var none = Metrics.EceNoiseFloor(certain, [.. Enumerable.Range(0, 100).Select(i => $"deal {i}")]);
        var independent = Metrics.EceNoiseFloor(half, ownDeal);
        var shared = Metrics.EceNoiseFloor(half, tenSnapshotsPerDeal);

        Assert.Equal(0, none, 12);
        // |win rate − 0.5| of 200 fair coins averages about 0.8 · 0.5 / √200 = 0.028; of 20 deals, 0.089.
        Assert.InRange(independent, 0.02, 0.04);
        Assert.InRange(shared, 0.07, 0.11);
        Assert.Equal(independent, Metrics.EceNoiseFloor(half, ownDeal), 12);
    }

    [Fact]
    public void Pooled_TakesEvaluationsAsOneSetAndKeepsTheirDealsApart()
    {
        // Two small orgs, each 0.1 too optimistic one way: pooled, the errors stay (same direction), and the
        // same deal Ids in both orgs count as different deals.
        var first = Evaluation(Enumerable.Range(0, 10).Select(i => new HoldoutPrediction($"deal {i}", 0.35f, 0.5f, i < 3)));
        var second = Evaluation(Enumerable.Range(0, 10).Select(i => new HoldoutPrediction($"deal {i}", 0.35f, 0.5f, i < 2)));

        var pooled = Metrics.Pooled([first, second]);

        Assert.Equal(20, pooled.Deals);
        Assert.Equal(Math.Abs(0.35 - 0.25), pooled.ModelEce, 6);
        Assert.Equal(Math.Abs(0.5 - 0.25), pooled.BaselineEce, 6);
        Assert.Equal(Metrics.EceNoiseFloor(Enumerable.Repeat(0.35f, 20).ToArray(), [.. Enumerable.Range(0, 20).Select(i => $"{i}")]), pooled.NoiseFloor, 12);
    }

    private static EvaluationResult Evaluation(IEnumerable<HoldoutPrediction> predictions) =>
        TestEvaluations.Bare(new ClassificationMetrics(0.8, 0.5, 0.2, 0.7, 0.7, 0.6, 0.6, 10, 0.3, 0.5), trainRows: 40, trainOpportunities: 40, testOpportunities: 10)
            with { Predictions = [.. predictions] };
}
