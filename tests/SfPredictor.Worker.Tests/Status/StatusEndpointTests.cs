using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SfPredictor.Worker.Health;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.Status;
using SfPredictor.Worker.Tests.Infrastructure;

namespace SfPredictor.Worker.Tests.Status;

[Collection(WorkerCollection.Name)]
public sealed class StatusEndpointTests(WorkerFixture fixture)
{
    [Fact]
    public async Task GetStatus_AfterRuns_ServesThePageOverHttpAndItRendersInHeadlessChromium()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        var settings = org.Settings(new Dictionary<string, string?>
        {
            // Fires at 07:00, an hour after the test org's now, which stands still: no run but the test's own.
            ["SfPredictor:Schedules:ScoreCron"] = "0 0 7 * * ?",
            ["SfPredictor:Schedules:FullRescoreCron"] = TestHosts.Never,
            ["SfPredictor:Schedules:RetrainCron"] = TestHosts.Never,
            ["SfPredictor:Health:Enabled"] = "true",
            ["SfPredictor:Health:Urls"] = "http://127.0.0.1:0",
        });
        using var host = TestHosts.Build(settings, services => services.AddSingleton<TimeProvider>(org.Time));
        await host.StartAsync();
        try
        {
            var runs = host.Services.GetRequiredService<ScheduledRuns>();
            var full = await runs.ScoreAsync(full: true, firing: null, CancellationToken.None);
            await runs.ScoreAsync(full: false, firing: null, CancellationToken.None);
            var address = host.Services.GetRequiredService<HealthServer>().Addresses[0];

            // Over HTTP: the page and the health document tell the same story.
            using var http = new HttpClient { BaseAddress = address };
            using var response = await http.GetAsync(new Uri(StatusPage.Path, UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();
            var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("/health", UriKind.Relative))).RootElement;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains(fixture.ModelVersion, html, StringComparison.Ordinal);
            Assert.Equal(fixture.ModelVersion, health.GetProperty("modelVersion").GetString());
            Assert.Contains($"<td class=\"num\">{full!.Written:N0}</td>", html, StringComparison.Ordinal);
            Assert.Contains("<dt>Holdout AUC</dt>", html, StringComparison.Ordinal);

            // In a browser, as a person sees it.
            var shot = Path.Combine(Repo.Root, "artifacts", "screenshots", "status-page.png");
            Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
            var page = PageCheck(
                new Uri(address, StatusPage.Path),
                shot,
                ("lastRuns", "#last-runs tbody tr"),
                ("recentRuns", "#recent-runs tbody tr"),
                ("charts", "svg.chart"),
                ("bars", "#chart-scores rect"),
                ("model", "#current-model dd"),
                ("schedules", "#schedules tbody tr"),
                ("overall", "#overall"));
            var queries = page.GetProperty("queries");

            Assert.Empty(page.GetProperty("errors").EnumerateArray());
            Assert.Empty(page.GetProperty("external").EnumerateArray());
            Assert.Equal(2, Count(queries, "lastRuns"));
            Assert.Equal(2, Count(queries, "recentRuns"));
            Assert.Equal(2, Count(queries, "charts"));
            Assert.Equal(10, Count(queries, "bars"));
            Assert.Equal(JobNames.All.Count, Count(queries, "schedules"));
            Assert.Equal(fixture.ModelVersion, queries.GetProperty("model").GetProperty("texts")[0].GetString());
            Assert.Equal("OK", queries.GetProperty("overall").GetProperty("texts")[0].GetString());
            Assert.Contains("(in 1 h 0 min)", queries.GetProperty("schedules").GetProperty("texts")[0].GetString(), StringComparison.Ordinal);
            Assert.InRange(page.GetProperty("height").GetInt32(), 600, 6000);
            Assert.InRange(page.GetProperty("nonBackgroundShare").GetDouble(), 0.2, 1);
            Assert.True(page.GetProperty("colours").GetInt32() >= 10);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static int Count(JsonElement queries, string name) => queries.GetProperty(name).GetProperty("count").GetInt32();

    // The repository's page checker (infra/salesforce/scripts/page-check.mjs): Debian's headless Chromium via playwright-core.
    private static JsonElement PageCheck(Uri url, string shot, params (string Name, string Selector)[] queries)
    {
        var salesforce = Path.Combine(Repo.Root, "infra", "salesforce");
        var start = new ProcessStartInfo("node") { WorkingDirectory = salesforce, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["scripts/page-check.mjs", "--url", url.ToString(), "--out", shot, "--width", "1200", "--wait", "#overall"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, selector) in queries)
        {
            start.ArgumentList.Add("--query");
            start.ArgumentList.Add($"{name}={selector}");
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.Result + stdout);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }
}
