using SfPredictor.Training.Boosting;

namespace SfPredictor.Training.Tests.Boosting;

public sealed class StageWinRatesTests
{
    [Fact]
    public void Build_RowsPerStage_SmoothedRatesAndOverallForUnknown()
    {
        // Column 1 is the stage. Stage 0: 1 of 3 won; stage 2: 3 of 3 won; stage 5: 0 of 2 won.
        float[] stages = [0, 0, 0, 2, 2, 2, 5, 5];
        float[] labels = [1, 0, 0, 1, 1, 1, 0, 0];
        var features = stages.SelectMany(s => new[] { 99f, s }).ToArray();

        var model = StageWinRates.Build(features, 2, 1, labels);

        Assert.Equal((1 + 1) / 5.0, Probability(model, 0), 6);
        Assert.Equal((3 + 1) / 5.0, Probability(model, 2), 6);
        Assert.Equal((0 + 1) / 4.0, Probability(model, 5), 6);
        Assert.Equal((4 + 1) / 10.0, Probability(model, float.NaN), 6);
        Assert.Equal((3 + 1) / 5.0, Probability(model, 3), 6);
        Assert.Equal((0 + 1) / 4.0, Probability(model, 9), 6);
    }

    [Fact]
    public void Build_NoKnownStage_OneLeafWithOverallRate()
    {
        var model = StageWinRates.Build([float.NaN, float.NaN], 1, 0, [1, 0]);

        Assert.Equal(0.5, Probability(model, 3, width: 1), 6);
        Assert.Single(model.Trees);
        Assert.Equal(1, model.Trees[0].NodeCount);
    }

    private static double Probability(TreeEnsemble model, float stage, int width = 2)
    {
        var row = width == 2 ? new[] { 0f, stage } : [stage];
        return 1 / (1 + Math.Exp(-model.Margin(row)));
    }
}
