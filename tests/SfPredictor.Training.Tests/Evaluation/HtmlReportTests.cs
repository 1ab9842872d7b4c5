using SfPredictor.Scoring.Packaging;
using SfPredictor.Training.Evaluation;

namespace SfPredictor.Training.Tests.Evaluation;

public sealed class HtmlReportTests
{
    [Fact]
    public void Render_Result_SelfContainedWithChartsAndEncodedNames()
    {
        var metrics = new ClassificationMetrics(0.81, 0.5, 0.17, 0.74, 0.77, 0.6, 0.67, 1000, 0.45, 0.5);
        var result = new EvaluationResult
        {
            Holdout = "deals closed from 2026-06-25",
            Model = metrics,
            Baseline = metrics with { Auc = 0.77 },
            TrainRows = 5000,
            TrainOpportunities = 800,
            TestOpportunities = 200,
            Calibration = [new CalibrationBin(1, 0, 0.1, 100, 0.06, 0.08), new CalibrationBin(2, 0.1, 0.2, 0, double.NaN, double.NaN)],
            Lift = [new LiftBin(1, 100, 0.9, 2, 0.3)],
            AucByStage = [new StageAuc("<script>alert(1)</script>", 10, 0.5, 0.7)],
            Roc = [new RocPoint(0, 0), new RocPoint(0.2, 0.7), new RocPoint(1, 1)],
            BaselineRoc = [new RocPoint(0, 0), new RocPoint(1, 1)],
            FeatureImportance = [new FeatureImportance("stage_position", "Position of the current stage", 0.4)],
            ActivityEffects = [new ActivityEffect("Demo", 0.02, 0.8, 100), new ActivityEffect("Email", -0.01, 0.2, 100)],
        };

        var html = HtmlReport.Render("Report", [new ReportFact("Data as of", "2026-10-01")], result);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(5, html.Split("<svg").Length - 1);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("81 % of the time", html, StringComparison.Ordinal);
        Assert.Contains("+2.0 points", html, StringComparison.Ordinal);
        Assert.Contains("−1.0 points", html, StringComparison.Ordinal);
        Assert.Contains("Position of the current stage", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToSummaryJson_UndefinedAuc_WritesNullAndRequiredKeys()
    {
        var metrics = new ClassificationMetrics(double.NaN, 0.5, 0.17, 0.74, 0.77, 0.6, 0.67, 10, 1, 0.5);
        var result = TestEvaluations.Bare(metrics, trainRows: 50, trainOpportunities: 8, testOpportunities: 2);

        using var json = System.Text.Json.JsonDocument.Parse(result.ToSummaryJson([new("seconds", 1.5)]));

        var root = json.RootElement;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("auc").ValueKind);
        foreach (var key in new[] { "logloss", "brier", "accuracy", "precision", "recall", "f1", "n_train", "n_test", "seconds" })
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Number, root.GetProperty(key).ValueKind);
        }

        Assert.Equal(50, root.GetProperty("n_train").GetInt32());
        Assert.Equal(10, root.GetProperty("n_test").GetInt32());
    }
}
