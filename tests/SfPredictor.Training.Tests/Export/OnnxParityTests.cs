using Google.Protobuf;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Calibration;
using SfPredictor.Training.Boosting;
using SfPredictor.Training.Export;
using SfPredictor.Training.Tests.Boosting;

namespace SfPredictor.Training.Tests.Export;

public sealed class OnnxParityTests
{
    private static readonly Dictionary<string, string> NoMetadata = [];

    [Fact]
    public void FromXGBoostJson_TrainedBooster_MarginsEqualXGBoostExactly()
    {
        var (train, validation) = BoosterTrainerTests.Data(seed: 21);
        using var trained = BoosterTrainer.Train(train, validation, new TrainingOptions { MaxRounds = 40, Threads = 2 }, null, null, default);

        var ensemble = TreeEnsemble.FromXGBoostJson(trained.Booster.SaveJson());
        using var matrix = validation.ToMatrix();
        var expected = trained.Booster.PredictMargins(matrix);

        Assert.Equal(trained.Rounds, ensemble.Trees.Count);
        Assert.NotEqual(0f, ensemble.BaseMargin);
        for (var i = 0; i < validation.Count; i++)
        {
            Assert.Equal(expected[i], ensemble.Margin(validation.Features.AsSpan(i * 4, 4)));
        }
    }

    [Fact]
    public void Build_TrainedBooster_OnnxProbabilitiesMatchXGBoostIncludingMissingAndSplitPoints()
    {
        var (train, validation) = BoosterTrainerTests.Data(seed: 22);
        using var trained = BoosterTrainer.Train(train, validation, new TrainingOptions { MaxRounds = 80, Threads = 2 }, null, null, default);
        var ensemble = TreeEnsemble.FromXGBoostJson(trained.Booster.SaveJson());
        var rows = EdgeRows(ensemble, validation.Features);
        var calibration = new PlattCalibration(1.3, -0.2);

        using var matrix = new XGBoostMatrix(rows, 4);
        var margins = trained.Booster.PredictMargins(matrix);
        using var scorer = OnnxScorer.Load(OnnxModelWriter.Build(ensemble, calibration, NoMetadata).ToByteArray());
        var onnx = new float[margins.Length];
        scorer.Score(rows, onnx);

        for (var i = 0; i < margins.Length; i++)
        {
            Assert.True(
                Math.Abs(onnx[i] - calibration.Apply(margins[i])) <= 1e-5,
                $"row {i}: ONNX {onnx[i]} vs XGBoost {calibration.Apply(margins[i])}");
        }
    }

    [Fact]
    public void Build_HandWrittenTree_FollowsXGBoostSplitRule()
    {
        // x0 < 2 goes left (leaf -1); NaN goes right (default_left false, leaf +1).
        var tree = new RegressionTree([1, -1, -1], [2, -1, -1], [0, 0, 0], [2f, -1f, 1f], [false, false, false], [5, 0, 0]);
        var ensemble = new TreeEnsemble([tree], 0.5f, 1);
        using var scorer = OnnxScorer.Load(OnnxModelWriter.Build(ensemble, PlattCalibration.Identity, NoMetadata).ToByteArray());
        float[] rows = [1.9999999f, 2f, 2.0000002f, float.NaN];
        var p = new float[4];

        scorer.Score(rows, p);

        double[] expected = [Sigmoid(-0.5), Sigmoid(1.5), Sigmoid(1.5), Sigmoid(1.5)];
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], p[i], 6);
            Assert.Equal(expected[i], Sigmoid(ensemble.Margin(rows.AsSpan(i, 1))), 6);
        }
    }

    [Fact]
    public void Build_Metadata_StoredInModel()
    {
        var ensemble = new TreeEnsemble([new RegressionTree([-1], [-1], [0], [0.25f], [false], [0])], 0f, 3);

        var model = OnnxModelWriter.Build(ensemble, PlattCalibration.Identity, new Dictionary<string, string> { ["k"] = "v" });

        Assert.Contains(model.MetadataProps, p => p.Key == "k" && p.Value == "v");
        Assert.Equal("features", model.Graph.Input.Single().Name);
        Assert.Equal("probabilities", model.Graph.Output.Single().Name);
    }

    [Fact]
    public void FromXGBoostJson_OtherObjective_IsRefused()
    {
        var (x, y) = SyntheticRows.Logistic(100, 4, seed: 1);
        using var matrix = new XGBoostMatrix(x, 4, y);
        using var booster = XGBoostBooster.Create(matrix);
        booster.SetParameter("objective", "reg:squarederror");
        booster.UpdateOneIteration(0, matrix);

        var error = Assert.Throws<NotSupportedException>(() => TreeEnsemble.FromXGBoostJson(booster.SaveJson()));
        Assert.Contains("reg:squarederror", error.Message, StringComparison.Ordinal);
    }

    // Validation rows, then for every split one row exactly at its threshold, one just below, and the
    // same rows with the split feature missing.
    private static float[] EdgeRows(TreeEnsemble ensemble, float[] baseRows)
    {
        var rows = new List<float>(baseRows);
        var template = baseRows.AsSpan(0, 4).ToArray();
        foreach (var tree in ensemble.Trees)
        {
            for (var node = 0; node < tree.NodeCount; node++)
            {
                if (tree.IsLeaf(node))
                {
                    continue;
                }

                foreach (var value in new[] { tree.Values[node], MathF.BitDecrement(tree.Values[node]), float.NaN })
                {
                    var row = (float[])template.Clone();
                    row[tree.Feature[node]] = value;
                    rows.AddRange(row);
                }
            }
        }

        return [.. rows];
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
