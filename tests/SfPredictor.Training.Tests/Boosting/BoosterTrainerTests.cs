using SfPredictor.Training.Boosting;

namespace SfPredictor.Training.Tests.Boosting;

public sealed class BoosterTrainerTests
{
    private static readonly TrainingOptions Fast = new() { MaxRounds = 60, EarlyStoppingRounds = 10, Threads = 2 };

    [Fact]
    public void Train_SameSeedTwice_IdenticalModels()
    {
        var (train, validation) = Data(seed: 11);

        using var first = BoosterTrainer.Train(train, validation, Fast, null, null, default);
        using var second = BoosterTrainer.Train(train, validation, Fast, null, null, default);

        Assert.Equal(first.Booster.SaveJson(), second.Booster.SaveJson());
        Assert.Equal(first.ValidationLogLoss, second.ValidationLogLoss);
    }

    [Fact]
    public void Train_OtherSeed_OtherModel()
    {
        var (train, validation) = Data(seed: 11);

        using var first = BoosterTrainer.Train(train, validation, Fast, null, null, default);
        using var second = BoosterTrainer.Train(train, validation, new TrainingOptions { MaxRounds = 60, EarlyStoppingRounds = 10, Threads = 2, Seed = 7 }, null, null, default);

        Assert.NotEqual(first.Booster.SaveJson(), second.Booster.SaveJson());
    }

    [Fact]
    public void Train_ValidationStopsImproving_KeepsBestRound()
    {
        var (train, validation) = Data(seed: 12);
        var options = new TrainingOptions { MaxRounds = 400, EarlyStoppingRounds = 5, LearningRate = 0.5, MaxDepth = 6, MinChildWeight = 0, Threads = 2 };

        using var trained = BoosterTrainer.Train(train, validation, options, null, null, default);

        var best = trained.ValidationLogLoss.Select((loss, round) => (loss, round)).MinBy(p => p.loss).round;
        Assert.True(trained.ValidationLogLoss.Count < 400, "stopped early");
        Assert.Equal(best + 1, trained.Rounds);
        Assert.Equal(trained.ValidationLogLoss.Count, best + 1 + 5);
        Assert.Equal(trained.Rounds, trained.Booster.BoostedRounds());
    }

    [Fact]
    public void Train_ProgressAndCancellation_ReportsAndStops()
    {
        var (train, validation) = Data(seed: 13);
        using var cancellation = new CancellationTokenSource();
        var reports = new List<TrainingProgress>();
        var progress = new SynchronousProgress(p =>
        {
            reports.Add(p);
            if (p.Done == 3)
            {
                cancellation.Cancel();
            }
        });

        Assert.Throws<OperationCanceledException>(() => BoosterTrainer.Train(train, validation, Fast, null, progress, cancellation.Token));
        Assert.Equal([1, 2, 3], reports.Select(r => r.Done));
        Assert.All(reports, r => Assert.Equal("boosting", r.Step));
    }

    [Fact]
    public void Parameters_MonotoneConstraintsOnOrOff_AppearOnlyWhenOn()
    {
        int[] constraints = [0, 1, -1];

        var on = BoosterTrainer.Parameters(new TrainingOptions(), constraints, 0.3);
        var off = BoosterTrainer.Parameters(new TrainingOptions { UseMonotoneConstraints = false }, constraints, 0.3);

        Assert.Contains(new KeyValuePair<string, string>("monotone_constraints", "(0,1,-1)"), on);
        Assert.DoesNotContain(off, p => p.Key == "monotone_constraints");
        Assert.Contains(new KeyValuePair<string, string>("base_score", "0.3"), on);
    }

    [Fact]
    public void Parameters_ExtraParameters_ComeLastAndOverride()
    {
        var options = new TrainingOptions { ExtraParameters = { ["max_depth"] = "2" } };

        var parameters = BoosterTrainer.Parameters(options, null, 0.5);

        Assert.Equal(new KeyValuePair<string, string>("max_depth", "2"), parameters[^1]);
    }

    [Fact]
    public void Train_MonotoneIncreasingFeature_PredictionNeverFallsAlongIt()
    {
        var (train, validation) = Data(seed: 14);
        using var trained = BoosterTrainer.Train(train, validation, Fast, [1, 0, -1, 0], null, default);

        // Sweep feature 0 upwards and feature 2 upwards on a fixed row.
        var sweep = new float[101 * 4];
        for (var i = 0; i <= 100; i++)
        {
            sweep[i * 4] = i / 10f;
            sweep[(i * 4) + 1] = 5;
            sweep[(i * 4) + 2] = 10 - (i / 10f);
            sweep[(i * 4) + 3] = 5;
        }

        using var matrix = new XGBoostMatrix(sweep, 4);
        var margins = trained.Booster.PredictMargins(matrix);
        for (var i = 1; i < margins.Length; i++)
        {
            Assert.True(margins[i] >= margins[i - 1], $"margin fell from {margins[i - 1]} to {margins[i]} at step {i}");
        }
    }

    internal static (BoostingRows Train, BoostingRows Validation) Data(int seed, int rows = 2000)
    {
        var (x, y) = SyntheticRows.Logistic(rows, 4, seed);
        var (vx, vy) = SyntheticRows.Logistic(rows / 2, 4, seed + 1000);
        return (new BoostingRows(x, 4, y, null), new BoostingRows(vx, 4, vy, null));
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
