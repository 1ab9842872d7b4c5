using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SfPredictor.Worker.Health;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.Tests.Health;

public sealed class HealthServerTests
{
    private static readonly RunSummary FailedRun = new(
        "score", "run-7", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1), RunOutcome.Failed, "Salesforce answered 403 REQUEST_LIMIT_EXCEEDED", "v3",
        Read: 10, Scored: 10, Written: 4, Unchanged: 0, Failed: 6, ApiCalls: 12, Detail: null);

    private sealed class StatusPage : IHealthPortEndpoints
    {
        public void MapEndpoints(IEndpointRouteBuilder endpoints) =>
            endpoints.MapGet("/status", () => Results.Text("<html>status</html>", "text/html"));
    }

    /// <summary>A health server over a health check service whose single check answers <paramref name="check"/>.</summary>
    private static async Task<(HealthServer Server, HttpClient Http, ServiceProvider Services)> StartAsync(Func<HealthCheckResult> check)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks().AddCheck(WorkerHealthCheck.Name, check);
        var provider = services.BuildServiceProvider();
        var server = new HealthServer(
            Options.Create(new HealthOptions { Urls = "http://127.0.0.1:0" }),
            provider.GetRequiredService<HealthCheckService>(),
            [new StatusPage()],
            NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        return (server, new HttpClient { BaseAddress = server.Addresses[0] }, provider);
    }

    [Fact]
    public void Urls_Default_IsLoopbackOnly()
    {
        Assert.Equal("http://127.0.0.1:8080", new HealthOptions().Urls);
    }

    [Fact]
    public async Task Get_LatestRunFailed_Answers200WithTheDocumentSayingFailing()
    {
        var document = new HealthDocument("failing", "v3", FailedRun, new Dictionary<string, RunSummary> { ["score"] = FailedRun }, RetryPending: 6);
        var (server, http, services) = await StartAsync(() =>
            HealthCheckResult.Degraded("failed", data: new Dictionary<string, object> { [WorkerHealthCheck.DocumentKey] = document }));
        await using (server)
        using (http)
        await using (services)
        {
            using var response = await http.GetAsync("/health");
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(document.ToJson(), body);
            var json = JsonDocument.Parse(body).RootElement;
            Assert.Equal("failing", json.GetProperty("status").GetString());
            Assert.Equal("Failed", json.GetProperty("lastRun").GetProperty("outcome").GetString());
            Assert.Equal(6, json.GetProperty("retryPending").GetInt32());
            Assert.True(server.Addresses.All(a => a.Host == "127.0.0.1"));
            await server.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Get_StateUnreadable_Answers503NamingTheProblem()
    {
        var (server, http, services) = await StartAsync(() => throw new IOException("database is locked"));
        await using (server)
        using (http)
        await using (services)
        {
            using var response = await http.GetAsync("/health");
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("unhealthy", json.GetProperty("status").GetString());
            Assert.Contains("database is locked", json.GetProperty("error").GetString(), StringComparison.Ordinal);
            await server.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Get_RegisteredPortEndpoints_AreServedBesideHealth()
    {
        var (server, http, services) = await StartAsync(() => HealthCheckResult.Healthy());
        await using (server)
        using (http)
        await using (services)
        {
            Assert.Equal("<html>status</html>", await http.GetStringAsync("/status"));
            await server.StopAsync(CancellationToken.None);
        }
    }
}
