using Google.Protobuf;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Calibration;
using SfPredictor.Scoring.Trees;
using SfPredictor.Training.Boosting;
using SfPredictor.Training.Calibration;
using SfPredictor.Training.Evaluation;
using SfPredictor.Training.Export;

namespace SfPredictor.Training.Tests.Calibration;

public sealed class IsotonicCalibrationTests
{
    [Fact]
    public void Fit_ViolatorsPooled_NonDecreasingWithKnotsAtBlockMeans()
    {
        // Margins 1..6 with outcomes 0 1 0 1 1 1: the 1 at margin 2 and the 0 at margin 3 pool into one block of rate 0.5.
        float[] margins = [1, 2, 3, 4, 5, 6];
        float[] labels = [0, 1, 0, 1, 1, 1];

        var isotonic = CalibrationFitter.Isotonic(margins, labels);

        Assert.Equal([1f, 2.5f, 5f], isotonic.Margins);
        Assert.Equal([0.001f, 0.5f, 0.999f], isotonic.Probabilities);
        Assert.Equal(0.5, isotonic.Apply(2.5f), 6);
        Assert.Equal(0.001 + (0.5 * (0.5 - 0.001)), isotonic.Apply(1.75f), 6);
        Assert.Equal(0.001, isotonic.Apply(-10f), 6);
        Assert.Equal(0.999, isotonic.Apply(10f), 6);
    }

    [Fact]
    public void Choose_StepShapedOutcome_IsotonicBeatsPlatt()
    {
        // The win rate jumps from 10 % to 90 % at margin 0, which no sigmoid follows as closely.
        var random = new Random(3);
        var margins = Enumerable.Range(0, 4000).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
        var labels = margins.Select(m => random.NextDouble() < (m < 0 ? 0.1 : 0.9) ? 1f : 0f).ToArray();

        var chosen = CalibrationFitter.Choose(margins, labels, null, 2000);

        Assert.Equal(ModelCalibration.IsotonicMethod, chosen.Method);
        Assert.True(chosen.IsotonicLogLoss < chosen.PlattLogLoss, $"isotonic {chosen.IsotonicLogLoss} vs Platt {chosen.PlattLogLoss}");
        Assert.Equal(0.1, chosen.Apply(-2f), 1);
        Assert.Equal(0.9, chosen.Apply(2f), 1);
    }

    [Fact]
    public void Choose_LogisticOutcomeFewRows_PlattKept()
    {
        var (x, y) = SyntheticRows.Logistic(300, 3, seed: 5);
        var margins = Enumerable.Range(0, 300).Select(i => 0.8f * (x[3 * i] - 5)).ToArray();

        var chosen = CalibrationFitter.Choose(margins, y, null, 150);

        Assert.Equal(ModelCalibration.PlattMethod, chosen.Method);
        Assert.NotNull(chosen.IsotonicLogLoss);
        Assert.True(chosen.PlattLogLoss <= chosen.IsotonicLogLoss);
    }

    [Fact]
    public void Build_IsotonicCalibration_OnnxMatchesManagedAtKnotsBetweenAndOutside()
    {
        var random = new Random(9);
        var margins = Enumerable.Range(0, 500).Select(_ => (float)((random.NextDouble() * 6) - 3)).ToArray();
        var labels = margins.Select(m => random.NextDouble() < 1 / (1 + Math.Exp(-2 * m)) ? 1f : 0f).ToArray();
        var calibration = new ModelCalibration { Method = ModelCalibration.IsotonicMethod, Isotonic = CalibrationFitter.Isotonic(margins, labels) };
        var knots = calibration.Isotonic!.Margins;
        Assert.True(knots.Count > 4);

        // A one-leaf tree scores every row at the ensemble's base margin, so each probe is a model of its own.
        var probes = new[] { knots[0], knots[1], (knots[1] + knots[2]) / 2, knots[knots.Count / 2] + 1e-4f, knots[^1], -100f, 100f };
        foreach (var probe in probes)
        {
            var ensemble = new TreeEnsemble([new RegressionTree([-1], [-1], [0], [0f], [false], [0])], probe, 1);
            using var scorer = OnnxScorer.Load(OnnxModelWriter.Build(ensemble, calibration, new Dictionary<string, string>()).ToByteArray());
            var onnx = new float[1];
            scorer.Score([0.5f], onnx);

            Assert.True(Math.Abs(onnx[0] - calibration.Apply(probe)) <= 1e-6, $"margin {probe}: ONNX {onnx[0]} vs managed {calibration.Apply(probe)}");

            // The trees read back from the graph follow the same lookup, so score factors can walk their paths.
            var trees = Assert.IsType<OnnxTreeEnsemble>(scorer.TreeEnsemble);
            Assert.True(Math.Abs(onnx[0] - trees.Probability([0.5f])) <= 1e-6, $"margin {probe}: ONNX {onnx[0]} vs read trees {trees.Probability([0.5f])}");
        }
    }
}
