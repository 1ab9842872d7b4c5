using System.Text.RegularExpressions;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training.Evaluation;
using SfPredictor.Worker.Health;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Status;

namespace SfPredictor.Worker.Tests.Status;

public sealed partial class StatusPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 6, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Render_RunsModelAndSchedules_ShowsEachWithItsNumbers()
    {
        var html = StatusPage.Render(Report());

        Assert.Contains("<td>full-rescore</td><td>2026-12-03 02:00</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">4,301</td><td class=\"num\">4,301</td><td class=\"num\">1,250</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">95.0</td>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Holdout AUC</dt><dd>0.834 (stage-only baseline 0.767)</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Closed deals learned from</dt><dd>15,699</dd>", html, StringComparison.Ordinal);
        Assert.Contains("2026-12-03 06:45 (in 15 min)", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"tile-value\">91,234</div>", html, StringComparison.Ordinal);
        Assert.Contains("<td>2026-11-29-0300</td>", html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(html, "<svg "));
        Assert.Equal(10, Regex.Count(Chart(html, "chart-scores"), "<rect "));
        Assert.Equal(3, Regex.Count(Chart(html, "chart-api-calls"), "<rect "));
    }

    [Fact]
    public void Render_AnyReport_LoadsNothingFromElsewhereAndRunsNoScript()
    {
        var html = StatusPage.Render(Report());

        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_ErrorText_IsEscaped()
    {
        var report = Report();
        var failed = report.Runs[0] with { Outcome = RunOutcome.Failed, Error = "<script>alert(1)</script> & more" };
        var html = StatusPage.Render(report with { Runs = [failed, .. report.Runs.Skip(1)] });

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FreshWorker_SaysNothingRanAndNoModelYet()
    {
        var health = new HealthDocument("ok", null, null, new Dictionary<string, RunSummary>(), 0);
        var html = StatusPage.Render(new StatusReport(Now, health, [], null, [new(JobNames.Score, null, null)], null, [], [], null));

        Assert.Contains("id=\"no-runs\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"no-model\"", html, StringComparison.Ordinal);
        Assert.Contains("not reported yet", html, StringComparison.Ordinal);
        Assert.Contains("not scheduled", html, StringComparison.Ordinal);
        Assert.Contains("No run has scored yet.", html, StringComparison.Ordinal);
    }

    private static string Chart(string html, string id)
    {
        var start = html.IndexOf($"<svg id=\"{id}\"", StringComparison.Ordinal);
        return html[start..html.IndexOf("</svg>", start, StringComparison.Ordinal)];
    }

    private static StatusReport Report()
    {
        RunReport Run(string job, int hour, int scored, int written, long calls, double seconds) => new()
        {
            RunId = $"{job}-{hour}",
            Job = job,
            Started = Now.Date.AddHours(hour),
            Finished = Now.Date.AddHours(hour).AddSeconds(seconds),
            Outcome = RunOutcome.Succeeded,
            ModelVersion = "2026-11-29-0300",
            Read = scored,
            Scored = scored,
            Written = written,
            Unchanged = scored - written,
            ApiCalls = calls,
            DailyApiRemaining = 91_234,
            ScoreHistogram = scored == 0 ? [] : [400, 800, 700, 600, 500, 400, 300, 250, 200, 151],
        };
        var runs = new[] { Run(JobNames.Score, 6, 12, 3, 4, 2.5), Run(JobNames.Score, 5, 20, 5, 5, 3), Run(JobNames.FullRescore, 2, 4301, 1250, 28, 95) };
        var health = new HealthDocument("ok", "2026-12-01-0300", RunSummary.Of(runs[0]), new Dictionary<string, RunSummary>
        {
            [JobNames.Score] = RunSummary.Of(runs[0]),
            [JobNames.FullRescore] = RunSummary.Of(runs[2]),
        }, 2);
        var metrics = new ClassificationMetrics(0.834348, 0.487352, 0.162189, 0.756, 0.699, 0.662, 0.680, 26426, 0.391, 0.5);
        var baseline = metrics with { Auc = 0.766828, LogLoss = 0.552125, Brier = 0.184826 };
        return new StatusReport(
            Now,
            health,
            runs,
            91_234,
            [new(JobNames.Score, "0 0/15 * * * ?", Now.AddMinutes(15)), new(JobNames.FullRescore, "0 0 2 * * ?", Now.Date.AddDays(1).AddHours(2)), new(JobNames.Retrain, "0 0 3 ? * SUN", Now.AddDays(3))],
            new ModelStatus("2026-12-01-0300", "xgboost", Now.AddDays(-2), 15_699, metrics, baseline),
            [new ModelStatus("2026-11-29-0300", "xgboost", Now.AddDays(-4), 15_501, metrics with { Auc = 0.83 }, baseline)],
            runs[0].ScoreHistogram,
            runs[0]);
    }

    [GeneratedRegex(@"(src|href)\s*=|url\(|@import", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
