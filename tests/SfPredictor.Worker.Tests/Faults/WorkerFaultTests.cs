using Microsoft.Extensions.DependencyInjection;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Tests.Infrastructure;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace SfPredictor.Worker.Tests.Faults;

/// <summary>
/// Whole scoring runs against a local org behind a WireMock.Net proxy that injects Salesforce's faults. Each
/// test checks that every open Opportunity is saved exactly once in the end (none lost, none doubled) and
/// that the fault is reported. Storms, throttling, timeouts, malformed answers and Bulk job failures are
/// covered call by call in SfPredictor.Salesforce.Tests/Faults; these are the ones whose effect spans runs.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class WorkerFaultTests(WorkerFixture fixture)
{
    private const string Collections = "/composite/sobjects";

    private static IRequestBuilder Patches => Request.Create().WithPath(new WildcardMatcher("*" + Collections)).UsingPatch();

    private static IResponseBuilder Error(int status, string code, string message) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json")
            .WithBody($$"""[{"message":"{{message}}","errorCode":"{{code}}"}]""");

    private static Dictionary<string, string?> Retrying(int retries, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(more ?? []) { ["Salesforce:MaxRetries"] = retries.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Salesforce:RetryBaseDelay"] = "00:00:00" };
        return settings;
    }

    private static void SavedOnceEach(TestOrg org)
    {
        Assert.Equal(org.OpenIds, org.Writes.Saved.Keys.Order(StringComparer.Ordinal));
        Assert.All(org.Writes.Saved.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Run_SessionExpiresMidRun_LogsInAgainAndSavesEveryRecordOnce()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        using var proxy = OrgProxy.Start(org.Local.Org.BaseUri);
        org.Writes.AfterPatch = n =>
        {
            if (n == 2)
            {
                org.Local.Org.ExpireTokens();
            }
        };
        await using var session = await org.SessionAsync(proxy.Settings(new Dictionary<string, string?> { ["SfPredictor:Worker:WriteBatchSize"] = "20" }));

        var report = (await session.ScoreAsync(new ScoringRequest(Full: true))).Report;

        Assert.Equal(RunOutcome.Succeeded, report.Outcome);
        Assert.Equal(org.OpenIds.Count, report.Written);
        SavedOnceEach(org);
        Assert.Equal(2, proxy.Logins);
        Assert.Single(proxy.Received("PATCH", Collections), c => c.Status == 401);
    }

    [Fact]
    public async Task Run_503StormOutlastsTheRetries_ReportsTheRecordsAndTheNextRunSavesThemOnce()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        using var proxy = OrgProxy.Start(org.Local.Org.BaseUri);
        proxy.Server.Given(Patches).AtPriority(1).RespondWith(Error(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable"));
        await using var session = await org.SessionAsync(proxy.Settings(Retrying(2)));

        var failed = (await session.ScoreAsync(new ScoringRequest(Full: true))).Report;
        var retries = await session.Services.GetRequiredService<StateStore>().GetRetriesAsync();
        proxy.ClearFaults();
        org.Time.Advance(TimeSpan.FromMinutes(5));
        var next = (await session.ScoreAsync(new ScoringRequest(Full: false))).Report;

        Assert.Equal(RunOutcome.Failed, failed.Outcome);
        Assert.Equal(0, failed.Written);
        Assert.Equal(org.OpenIds.Count, failed.Failed);
        Assert.All(failed.Failures, f => Assert.Equal("SERVER_UNAVAILABLE", f.ErrorCode));
        Assert.Equal(org.OpenIds, retries.Select(r => r.Id));
        Assert.Equal(3, proxy.Received("PATCH", Collections).Count(c => c.Status == 503));
        Assert.Equal(RunOutcome.Succeeded, next.Outcome);
        Assert.Equal(org.OpenIds.Count, next.Written);
        SavedOnceEach(org);
    }

    [Fact]
    public async Task Run_DailyLimitExceededMidRun_StopsReportsItAndTheNextRunSavesTheRestOnce()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        using var proxy = OrgProxy.Start(org.Local.Org.BaseUri);
        proxy.InTurn(Patches, proxy.ToOrg(), Error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
        var settings = proxy.Settings(Retrying(3, new() { ["SfPredictor:Worker:WriteBatchSize"] = "20" }));
        RunReport stopped;
        await using (var first = await org.SessionAsync(settings))
        {
            stopped = (await first.ScoreAsync(new ScoringRequest(Full: true))).Report;
        }

        proxy.ClearFaults();
        org.Time.Advance(TimeSpan.FromMinutes(5));
        await using var second = await org.SessionAsync(settings);
        var resumed = (await second.ScoreAsync(new ScoringRequest(Full: false))).Report;

        Assert.Equal(RunOutcome.Failed, stopped.Outcome);
        Assert.Contains("REQUEST_LIMIT_EXCEEDED", stopped.Error, StringComparison.Ordinal);
        Assert.Equal(20, stopped.Written);
        Assert.Equal(1, proxy.Received("PATCH", Collections).Count(c => c.Status == 403));
        Assert.Equal(RunOutcome.Succeeded, resumed.Outcome);
        Assert.Equal(org.OpenIds.Count - 20, resumed.Written);
        SavedOnceEach(org);
    }
}
