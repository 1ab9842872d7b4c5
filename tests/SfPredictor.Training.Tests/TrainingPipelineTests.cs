using Microsoft.Extensions.Time.Testing;
using SfPredictor.Features;
using SfPredictor.Features.Indexing;
using SfPredictor.Scoring.Packaging;
using SfPredictor.SyntheticOrg;

namespace SfPredictor.Training.Tests;

public sealed class TrainingPipelineTests(GeneratedOrgFixture fixture) : IClassFixture<GeneratedOrgFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 10, 2, 8, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Backtest_GeneratedOrg_BeatsStageOnlyBaseline()
    {
        var pipeline = new TrainingPipeline(new TrainingOptions { Threads = 2 });

        var result = pipeline.Backtest(fixture.Org);

        var e = result.Evaluation;
        Assert.Equal(ModelManifest.XGBoostKind, result.Kind);
        Assert.True(e.Model.Auc > e.Baseline.Auc + 0.02, $"model AUC {e.Model.Auc:0.000} vs stage only {e.Baseline.Auc:0.000}");
        Assert.True(e.Model.LogLoss < e.Baseline.LogLoss, $"model log loss {e.Model.LogLoss:0.000} vs stage only {e.Baseline.LogLoss:0.000}");
        Assert.True(e.TestOpportunities > 0 && e.TrainOpportunities > e.TestOpportunities);
        Assert.Equal(10, e.Calibration.Count);
        Assert.NotEmpty(e.FeatureImportance);
        Assert.NotEmpty(e.ActivityEffects);
        Assert.Contains("<svg", result.ReportHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_GeneratedOrg_PackageLoadsAndScoresLikeTheModel()
    {
        var time = new FakeTimeProvider(Now);
        var pipeline = new TrainingPipeline(new TrainingOptions { Threads = 2 }, timeProvider: time);
        var folder = Path.Combine(Path.GetTempPath(), $"sfp-model-{Guid.NewGuid():N}");
        try
        {
            var model = pipeline.Train(fixture.Org);
            model.Save(folder);
            using var package = ModelPackage.Load(folder);

            var manifest = package.Manifest;
            Assert.StartsWith("2026-10-02T08-30-00Z-", manifest.Version, StringComparison.Ordinal);
            Assert.Equal(Now, manifest.Created);
            Assert.Equal(fixture.Org.ExtractedAt, manifest.AsOf);
            Assert.False(manifest.Fallback);
            Assert.True(manifest.ParityMaxDifference <= 1e-5);
            Assert.Equal(package.Schema.Hash, manifest.FeatureHash);
            Assert.True(manifest.Counts.Won >= 20 && manifest.Counts.Lost >= 20);
            Assert.True(File.Exists(Path.Combine(folder, ModelPackage.ReportFileName)));

            // Rows built for live scoring with the package's schema score as the trained model did.
            var index = new OrgIndex(fixture.Org, package.Schema.Options);
            var builder = new FeatureBuilder(index, package.Schema);
            var open = index.OpenAt(manifest.AsOf).Take(50).ToArray();
            var rows = new float[open.Length * builder.Width];
            for (var i = 0; i < open.Length; i++)
            {
                builder.Build(open[i], manifest.AsOf, rows.AsSpan(i * builder.Width, builder.Width));
            }

            var p = new float[open.Length];
            package.Scorer.Score(rows, p);
            Assert.All(p, v => Assert.InRange(v, 0f, 1f));
            Assert.True(p.Distinct().Count() > 5, "scores vary between deals");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void TrainAndBacktest_SameLaterClosedDeals_AgreeOnTheFigures()
    {
        var pipeline = new TrainingPipeline(new TrainingOptions { Threads = 2 });

        var model = pipeline.Train(fixture.Org);
        var backtest = pipeline.Backtest(fixture.Org);

        var trained = model.Manifest.ValidationMetrics;
        var tested = backtest.Evaluation.Model;
        Assert.Equal(model.Manifest.Counts.ValidationOpportunities, backtest.Evaluation.TestOpportunities);
        Assert.Equal(trained.Rows, tested.Rows);
        Assert.True(Math.Abs(trained.Auc - tested.Auc) <= 0.01, $"AUC: train {trained.Auc:0.000}, evaluate {tested.Auc:0.000}");
        Assert.True(Math.Abs(trained.LogLoss - tested.LogLoss) <= 0.02, $"log loss: train {trained.LogLoss:0.000}, evaluate {tested.LogLoss:0.000}");
        Assert.True(Math.Abs(trained.Ece - tested.Ece) <= 0.02, $"ECE: train {trained.Ece:0.000}, evaluate {tested.Ece:0.000}");
    }

    [Fact]
    public void Train_GeneratedOrg_PeriodsFollowOneAnotherAndTheReportNamesThem()
    {
        var pipeline = new TrainingPipeline(new TrainingOptions { Threads = 2 });

        var model = pipeline.Train(fixture.Org);

        var periods = model.Manifest.Periods;
        Assert.Equal([ModelPeriod.TreesRole, ModelPeriod.StoppingRole, ModelPeriod.CalibrationRole, ModelPeriod.TestRole], periods.Select(p => p.Role));
        for (var i = 1; i < periods.Count; i++)
        {
            Assert.True(periods[i].FirstClose > periods[i - 1].LastClose, $"{periods[i].Role} starts after {periods[i - 1].Role} ends");
        }

        Assert.Equal(model.Manifest.Counts.ValidationOpportunities, periods[^1].Opportunities);
        Assert.Equal(model.Manifest.Counts.Won + model.Manifest.Counts.Lost, periods.Sum(p => p.Opportunities));
        Assert.Contains(model.Manifest.Calibration.Method, new[] { "platt", "isotonic" });
        Assert.True(double.IsFinite(model.Manifest.ValidationMetrics.Ece));
        Assert.Contains("which chose nothing", model.ReportHtml, StringComparison.Ordinal);
        Assert.Contains("Boosting stopped by", model.ReportHtml, StringComparison.Ordinal);
        Assert.Contains("reliability diagram", model.ReportHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_SmallOrg_ModelChosenByTimeOrderedFoldsWithTheOneStandardErrorRule()
    {
        var pipeline = new TrainingPipeline(new TrainingOptions { Threads = 2 });

        var model = pipeline.Train(fixture.WithClosed(won: 90, lost: 150));

        var tried = model.Manifest.Regularisation;
        Assert.Equal(["stage win rates", "stumps", "shallowest", "shallow", "configured"], tried.Select(c => c.Name));
        Assert.All(tried, c => Assert.True(double.IsFinite(c.LogLoss) && c.StandardError > 0, $"{c.Name} measured"));
        Assert.All(tried.Skip(1), c => Assert.InRange(c.Rounds, 1, new TrainingOptions().MaxRounds));
        Assert.Equal(1, tried.Single(c => c.Name == "stumps").MaxDepth);

        var choice = model.Manifest.ModelChoice;
        Assert.NotNull(choice);
        var best = tried.MinBy(c => c.LogLoss)!;
        Assert.Equal(best.Name, choice.BestCandidate);
        var chosen = tried.Single(c => c.Name == choice.Candidate);
        Assert.Equal(chosen.LogLoss, choice.CvLogLoss);
        Assert.Equal(chosen.StandardError, choice.StandardError);
        Assert.Equal(chosen.Rounds, choice.Rounds);
        var trees = tried.Skip(1).ToList();
        var bestTrees = trees.MinBy(c => c.LogLoss)!;
        if (choice.Candidate == "stage win rates")
        {
            // Only when they beat every tree candidate by more than their standard error: they recommend nothing.
            Assert.True(chosen.LogLoss + chosen.StandardError < bestTrees.LogLoss);
            Assert.True(model.Manifest.Fallback);
            Assert.False(choice.CalibratedOutOfFold);
        }
        else
        {
            // The simplest trees within one standard error of the best trees; no simpler trees are.
            Assert.True(tried[0].LogLoss + tried[0].StandardError >= bestTrees.LogLoss);
            Assert.True(chosen.LogLoss <= bestTrees.LogLoss + bestTrees.StandardError);
            Assert.All(trees.TakeWhile(c => c != chosen), c => Assert.True(c.LogLoss > bestTrees.LogLoss + bestTrees.StandardError, $"{c.Name} is outside the bar"));
            Assert.Equal(chosen.Rounds, model.Manifest.Trees);
            Assert.True(choice.CalibratedOutOfFold);
            Assert.Contains("held-out predictions", model.ReportHtml, StringComparison.Ordinal);
        }

        Assert.Contains("\"model_choice\": {", model.Manifest.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"cv_log_loss\":", model.Manifest.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain(model.Manifest.Periods, p => p.Role == ModelPeriod.StoppingRole);
        Assert.Contains("one-standard-error rule", model.ReportHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainAndBacktest_SmallOrg_AgreeWithinNoiseOnTheSameLaterClosedDeals()
    {
        // About 300 closed deals: the org size whose training figures were once far better than its backtest.
        var org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 360, Seed = 11 }).Data;
        var pipeline = new TrainingPipeline(new TrainingOptions { Threads = 2 });

        var model = pipeline.Train(org);
        var backtest = pipeline.Backtest(org);

        var closed = model.Manifest.Counts.Won + model.Manifest.Counts.Lost;
        Assert.InRange(closed, 250, 350);
        Assert.NotNull(model.Manifest.ModelChoice);
        var trained = model.Manifest.ValidationMetrics;
        var tested = backtest.Evaluation.Model;
        Assert.Equal(model.Manifest.Counts.ValidationOpportunities, backtest.Evaluation.TestOpportunities);
        Assert.Equal(trained.Rows, tested.Rows);
        Assert.True(Math.Abs(trained.Auc - tested.Auc) <= 0.01, $"AUC: train {trained.Auc:0.000}, evaluate {tested.Auc:0.000}");
        Assert.True(Math.Abs(trained.LogLoss - tested.LogLoss) <= 0.02, $"log loss: train {trained.LogLoss:0.000}, evaluate {tested.LogLoss:0.000}");
        Assert.True(Math.Abs(trained.Ece - tested.Ece) <= 0.02, $"ECE: train {trained.Ece:0.000}, evaluate {tested.Ece:0.000}");
        Assert.Contains("which chose nothing", model.ReportHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_FewClosedDeals_FallsBackToStageWinRates()
    {
        var pipeline = new TrainingPipeline(new TrainingOptions { Threads = 2 });

        var model = pipeline.Train(fixture.WithClosed(won: 12, lost: 15));

        Assert.Equal(ModelManifest.StageFallbackKind, model.Manifest.Kind);
        Assert.True(model.Manifest.Fallback);
        Assert.Contains("12 won and 15 lost", model.Manifest.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(1, model.Manifest.Trees);
        Assert.Null(model.Manifest.XGBoostVersion);
        Assert.Contains("\"kind\": \"stage-fallback\"", model.Manifest.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"fallback\": true", model.Manifest.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Train_TooFewClosedDeals_RefusesNamingTheCounts()
    {
        var pipeline = new TrainingPipeline(new TrainingOptions { Threads = 2 });

        var error = Assert.Throws<InsufficientTrainingDataException>(() => pipeline.Train(fixture.WithClosed(won: 3, lost: 30)));

        Assert.Equal(3, error.Won);
        Assert.Equal(30, error.Lost);
        Assert.Contains("3 closed-won and 30 closed-lost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backtest_CutoffAfterEveryClose_ClearError()
    {
        var pipeline = new TrainingPipeline(new TrainingOptions { Threads = 2 });

        var error = Assert.Throws<ArgumentException>(() => pipeline.Backtest(fixture.Org, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        Assert.Contains("0 after", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_FallbackMinimumAboveModelMinimum_RejectedNamingSetting()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => new TrainingPipeline(new TrainingOptions { MinWonForFallback = 30 }));

        Assert.Contains("MinWonForFallback", error.Message, StringComparison.Ordinal);
    }
}
