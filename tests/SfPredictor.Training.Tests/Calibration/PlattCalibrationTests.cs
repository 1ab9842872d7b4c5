using SfPredictor.Scoring.Calibration;
using SfPredictor.Training.Boosting;
using SfPredictor.Training.Calibration;
using SfPredictor.Training.Evaluation;

namespace SfPredictor.Training.Tests.Calibration;

public sealed class PlattCalibrationTests
{
    [Fact]
    public void Fit_LabelsDrawnFromKnownScaling_RecoversIt()
    {
        var random = new Random(3);
        var margins = new float[20000];
        var labels = new float[margins.Length];
        for (var i = 0; i < margins.Length; i++)
        {
            margins[i] = (float)((random.NextDouble() * 6) - 3);
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-((2 * margins[i]) - 1))) ? 1 : 0;
        }

        var fitted = CalibrationFitter.Platt(margins, labels);

        Assert.Equal(2, fitted.A, 0.1);
        Assert.Equal(-1, fitted.B, 0.1);
    }

    [Fact]
    public void Fit_WeightsCountAsRepeatedRows()
    {
        float[] margins = [-1, 0, 1, 2];
        float[] labels = [0, 1, 0, 1];
        float[] repeatedMargins = [-1, -1, 0, 1, 2, 2, 2];
        float[] repeatedLabels = [0, 0, 1, 0, 1, 1, 1];

        var weighted = CalibrationFitter.Platt(margins, labels, [2, 1, 1, 3]);
        var repeated = CalibrationFitter.Platt(repeatedMargins, repeatedLabels);

        Assert.Equal(repeated.A, weighted.A, 6);
        Assert.Equal(repeated.B, weighted.B, 6);
    }

    [Fact]
    public void Fit_OneClassOnly_ThrowsClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => CalibrationFitter.Platt([0.1f, 0.2f], [1, 1]));
        Assert.Contains("both won and lost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_SkewedBooster_LowersLogLossOnFreshRows()
    {
        // Up-weighting won rows makes the booster over-confident about wins: a miscalibrated model.
        var (x, y) = SyntheticRows.Logistic(3000, 4, seed: 31, offset: -2);
        var (vx, vy) = SyntheticRows.Logistic(1500, 4, seed: 32, offset: -2);
        var (tx, ty) = SyntheticRows.Logistic(1500, 4, seed: 33, offset: -2);
        var options = new TrainingOptions { MaxRounds = 60, Threads = 2, ExtraParameters = { ["scale_pos_weight"] = "6" } };
        using var trained = BoosterTrainer.Train(new BoostingRows(x, 4, y, null), new BoostingRows(vx, 4, vy, null), options, null, null, default);
        using var validation = new XGBoostMatrix(vx, 4, vy);
        using var test = new XGBoostMatrix(tx, 4, ty);

        var calibration = CalibrationFitter.Platt(trained.Booster.PredictMargins(validation), vy);
        var testMargins = trained.Booster.PredictMargins(test);
        var raw = testMargins.Select(m => (float)PlattCalibration.Identity.Apply(m)).ToArray();
        var calibrated = testMargins.Select(m => (float)calibration.Apply(m)).ToArray();

        var rawLoss = Metrics.LogLoss(raw, ty);
        var calibratedLoss = Metrics.LogLoss(calibrated, ty);
        Assert.True(calibratedLoss < rawLoss - 0.05, $"calibrated {calibratedLoss} vs raw {rawLoss}");
        var observed = ty.Average();
        Assert.True(raw.Average() > observed + 0.1, $"raw mean {raw.Average()} vs observed {observed}: the booster should be skewed");
        Assert.Equal(observed, calibrated.Average(), 0.03);
    }
}
