using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SfPredictor.Salesforce.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static SfPredictor.Salesforce.Tests.Faults.SalesforceFaults;

namespace SfPredictor.Salesforce.Tests.Faults;

/// <summary>
/// Faults around writes and sessions: every record ends with exactly one outcome, none is saved twice by a
/// repeated create, and whatever went wrong is reported on the records it touched.
/// </summary>
public sealed class WriteFaultTests : IDisposable
{
    private readonly SalesforceMock _salesforce = SalesforceMock.Start();

    public void Dispose() => _salesforce.Dispose();

    private static IRequestBuilder Patch => Request.Create().WithPath(CollectionsPath).UsingPatch();

    private IReadOnlyList<ReceivedCall> Patches => _salesforce.Received("PATCH", CollectionsPath);

    [Fact]
    public async Task Query_SessionExpiresMidRun_LogsInAgainOnceAndCarriesOn()
    {
        var query = Request.Create().WithPath(QueryPath).UsingGet();
        _salesforce.InTurn(query.WithHeader("Authorization", "Bearer token-1"), Count(), SalesforceMock.Json(401, TestData.Read("expired_session_response.json")));
        _salesforce.Server.Given(Request.Create().WithPath(QueryPath).UsingGet().WithHeader("Authorization", "Bearer token-2")).RespondWith(Count());
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System);

        Assert.Equal(26, await test.Client.CountAsync(CountQuery));
        Assert.Equal(26, await test.Client.CountAsync(CountQuery));
        Assert.Equal(26, await test.Client.CountAsync(CountQuery));

        Assert.Equal(2, _salesforce.Logins);
        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2", "Bearer token-2"], _salesforce.Received("GET", QueryPath).Select(r => r.Authorization));
        Assert.Single(test.Logs.Lines, l => l.Contains("session expired", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(test.Logs.Lines, l => l.Contains("token-1", StringComparison.Ordinal) || l.Contains(TestClient.ClientSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_SessionExpiresBeforeAWrite_SendsTheBatchAgainWithTheNewSessionAndSavesEachRecordOnce()
    {
        _salesforce.Server.Given(Request.Create().WithPath(QueryPath).UsingGet()).RespondWith(Count());
        _salesforce.InTurn(Patch.WithHeader("Authorization", "Bearer token-1"), SaveResults(), SalesforceMock.Json(401, TestData.Read("expired_session_response.json")));
        _salesforce.Server.Given(Request.Create().WithPath(CollectionsPath).UsingPatch().WithHeader("Authorization", "Bearer token-2")).RespondWith(SaveResults());
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System);
        var updates = Updates(450);

        var results = await test.Client.UpdateAsync("Opportunity", updates);

        Assert.All(results, r => Assert.True(r.Success, $"{r.Id}: {r.ErrorCode}"));
        Assert.Equal(updates.Select(u => u.Id), results.Select(r => r.Id));
        var saved = Patches.Where((p, i) => i == 0 || p.Authorization == "Bearer token-2").SelectMany(p => IdsIn(p.Body)).ToList();
        Assert.Equal(updates.Select(u => u.Id), saved);
        Assert.Equal(4, Patches.Count);
        Assert.Equal(IdsIn(Patches[1].Body), IdsIn(Patches[2].Body));
        Assert.Equal(2, _salesforce.Logins);
    }

    [Fact]
    public async Task Update_PartialCollectionsFailure_ReportsEachRejectedRecordAndSavesTheRestOnce()
    {
        var rejected = new HashSet<string> { OpportunityId(3), OpportunityId(250), OpportunityId(251) };
        _salesforce.Server.Given(Patch).RespondWith(SaveResults(rejected.Contains));
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System);
        var updates = Updates(300);

        var results = await test.Client.UpdateAsync("Opportunity", updates);

        Assert.Equal(updates.Select(u => u.Id), results.Select(r => r.Id));
        Assert.Equal(rejected.Order(StringComparer.Ordinal), results.Where(r => !r.Success).Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.All(results.Where(r => !r.Success), r => Assert.Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION", r.ErrorCode));
        Assert.Equal(updates.Select(u => u.Id), Patches.SelectMany(p => IdsIn(p.Body)));
        Assert.Contains(test.Logs.Lines, l => l.Contains("3 of 300 Opportunity updates failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_503OnABatch_SendsThatBatchAgainWithTheSameValues()
    {
        _salesforce.InTurn(Patch, SaveResults(), SalesforceMock.Error(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable"), SaveResults());
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System);
        var updates = Updates(300);

        var results = await test.Client.UpdateAsync("Opportunity", updates);

        Assert.All(results, r => Assert.True(r.Success));
        Assert.Equal(3, Patches.Count);
        Assert.Equal(Patches[1].Body, Patches[2].Body);
        Assert.Equal(updates.Select(u => u.Id), Patches.Where((_, i) => i != 1).SelectMany(p => IdsIn(p.Body)));
    }

    [Fact]
    public async Task Update_429WithRetryAfterOnABatch_WaitsAsAskedThenSendsThatBatchOnceMore()
    {
        _salesforce.InTurn(Patch,
            SaveResults(),
            Response.Create().WithStatusCode(429).WithHeader("Retry-After", "5").WithHeader("Content-Type", "text/plain").WithBody("Too Many Requests"),
            SaveResults());
        var time = new FakeTimeProvider();
        await using var test = TestClient.Create(_salesforce.Url, time, ("RetryBaseDelay", "00:00:00"), ("RequestTimeout", "00:05:00"), ("TotalRequestTimeout", "00:30:00"));
        var updates = Updates(450);

        var update = test.Client.UpdateAsync("Opportunity", updates);
        await Eventually.HoldsAsync(() => Patches.Count >= 2, "the throttled batch");
        var waited = await Eventually.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => Patches.Count >= 3, "the batch sent again");
        var results = await update;

        Assert.All(results, r => Assert.True(r.Success, $"{r.Id}: {r.ErrorCode}"));
        Assert.True(waited >= TimeSpan.FromSeconds(5), $"sent again after {waited} despite Retry-After: 5");
        // Salesforce did not act on the throttled call: apart from it, every record was sent exactly once.
        Assert.Equal(4, Patches.Count);
        Assert.Equal(Patches[1].Body, Patches[2].Body);
        Assert.Equal(updates.Select(u => u.Id), Patches.Where((_, i) => i != 1).SelectMany(p => IdsIn(p.Body)));
        Assert.Contains(test.Logs.Lines, l => l.Contains("HTTP 429", StringComparison.Ordinal) && l.Contains("PATCH /services/data/v62.0/composite/sobjects", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[{\"id\":\"0065g0000000200AAA\",\"success\":true,\"errors\":[]},{\"id\":\"0065g00")]
    [InlineData("<html><body>Bad Gateway</body></html>")]
    public async Task Update_MalformedOrTruncatedSaveResults_ReportsEveryRecordNotKnownSavedAndSendsNothingTwice(string body)
    {
        _salesforce.InTurn(Patch, SaveResults(), SalesforceMock.Json(200, body));
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System);
        var updates = Updates(450);

        var results = await test.Client.UpdateAsync("Opportunity", updates);

        // The first batch was answered; the second may or may not have been saved, so it is reported, not sent again,
        // and the run stops before the third.
        Assert.Equal(updates.Select(u => u.Id), results.Select(r => r.Id));
        Assert.All(results.Take(200), r => Assert.True(r.Success));
        Assert.All(results.Skip(200), r =>
        {
            Assert.Equal("MALFORMED_RESPONSE", r.ErrorCode);
            Assert.Contains("PATCH /services/data/v62.0/composite/sobjects", r.Message, StringComparison.Ordinal);
        });
        Assert.Equal(2, Patches.Count);
        Assert.Equal(updates.Take(400).Select(u => u.Id), Patches.SelectMany(p => IdsIn(p.Body)));
        Assert.Contains(test.Logs.Lines, l => l.Contains("250 of 450 Opportunity updates failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_DailyLimitExceededMidway_StopsWithoutRetryingAndReportsEveryUnsavedRecord()
    {
        _salesforce.InTurn(Patch, SaveResults(), SalesforceMock.Error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System);

        var results = await test.Client.UpdateAsync("Opportunity", Updates(500));

        Assert.All(results.Take(200), r => Assert.True(r.Success));
        Assert.All(results.Skip(200), r => Assert.Equal("REQUEST_LIMIT_EXCEEDED", r.ErrorCode));
        Assert.Equal(2, Patches.Count);
        Assert.Contains(test.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("TotalRequests Limit exceeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BulkUpdate_JobCreationAnswers503_IsNotSentAgainAndEveryRecordFails()
    {
        _salesforce.Server.Given(Request.Create().WithPath(IngestJobs).UsingPost()).RespondWith(SalesforceMock.Error(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable"));
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System);

        var results = await test.Client.UpdateAsync("Opportunity", Updates(5), TransferMode.Bulk);

        Assert.All(results, r => Assert.Equal("SERVER_UNAVAILABLE", r.ErrorCode));
        Assert.Single(_salesforce.Received("POST", IngestJobs));
        Assert.DoesNotContain(_salesforce.Server.LogEntries, e => e.RequestMessage.Method == "PUT");
    }

    [Fact]
    public async Task BulkUpdate_JobCreationSlowerThanTheAttemptTimeout_IsNotSentAgainAndEveryRecordReportsTheTimeout()
    {
        _salesforce.Server.Given(Request.Create().WithPath(IngestJobs).UsingPost())
            .RespondWith(SalesforceMock.Json(200, TestData.Read("create_job_success_response.json")).WithDelay(TimeSpan.FromSeconds(2)));
        var time = new FakeTimeProvider();
        await using var test = TestClient.Create(_salesforce.Url, time, ("RetryBaseDelay", "00:00:00"), ("RequestTimeout", "00:00:01"));

        var update = test.Client.UpdateAsync("Opportunity", Updates(5), TransferMode.Bulk);
        await Eventually.HoldsAsync(() => test.Usage.ApiCalls == 1, "the job creation");
        time.Advance(TimeSpan.FromSeconds(1));
        var results = await update;

        Assert.All(results, r => Assert.Equal("TIMEOUT", r.ErrorCode));
        Assert.Equal(1, test.Usage.ApiCalls);
    }

    [Fact]
    public async Task BulkUpdate_Upload502_IsNotSentAgainTheJobIsAbortedAndEveryRecordFails()
    {
        const string Job = IngestJobs + "/0123456789ABC";
        _salesforce.Server.Given(Request.Create().WithPath(IngestJobs).UsingPost()).RespondWith(SalesforceMock.Json(200, TestData.Read("create_job_success_response.json")));
        _salesforce.Server.Given(Request.Create().WithPath(Job + "/batches").UsingPut()).RespondWith(Html(502, "Bad Gateway"));
        _salesforce.Server.Given(Request.Create().WithPath(Job).UsingPatch()).RespondWith(SalesforceMock.Json(200, TestData.Read("close_job_success_response.json")));
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System);

        var results = await test.Client.UpdateAsync("Opportunity", Updates(5), TransferMode.Bulk);

        Assert.All(results, r => Assert.Equal("HTTP_502", r.ErrorCode));
        Assert.Single(_salesforce.Received("PUT", Job + "/batches"));
        var abort = Assert.Single(_salesforce.Received("PATCH", Job));
        Assert.Equal("Aborted", JsonDocument.Parse(abort.Body!).RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task BulkUpdate_JobFails_EveryRecordReportsTheJobErrorAndNoResultIsRead()
    {
        const string Job = IngestJobs + "/0123456789ABC";
        _salesforce.Server.Given(Request.Create().WithPath(IngestJobs).UsingPost()).RespondWith(SalesforceMock.Json(200, TestData.Read("create_job_success_response.json")));
        _salesforce.Server.Given(Request.Create().WithPath(Job + "/batches").UsingPut()).RespondWith(Response.Create().WithStatusCode(201));
        _salesforce.Server.Given(Request.Create().WithPath(Job).UsingPatch()).RespondWith(SalesforceMock.Json(200, TestData.Read("close_job_success_response.json")));
        _salesforce.InTurn(Request.Create().WithPath(Job).UsingGet(),
            SalesforceMock.Json(200, """{"id":"0123456789ABC","state":"InProgress"}"""),
            SalesforceMock.Json(200, """{"id":"0123456789ABC","state":"Failed","errorMessage":"InvalidBatch : Field name not found : SfP_Win_Probability__c"}"""));
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System);

        var results = await test.Client.UpdateAsync("Opportunity", Updates(5), TransferMode.Bulk);

        Assert.All(results, r =>
        {
            Assert.Equal("BULK_JOB_FAILED", r.ErrorCode);
            Assert.Contains("Field name not found", r.Message, StringComparison.Ordinal);
        });
        Assert.Single(_salesforce.Received("POST", IngestJobs));
        Assert.DoesNotContain(_salesforce.Server.LogEntries, e => e.RequestMessage.Path.Contains("Results", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BulkUpdate_JobNeverFinishes_EveryRecordReportsTheJobTimeoutAndNothingIsSentAgain()
    {
        const string Job = IngestJobs + "/0123456789ABC";
        _salesforce.Server.Given(Request.Create().WithPath(IngestJobs).UsingPost()).RespondWith(SalesforceMock.Json(200, TestData.Read("create_job_success_response.json")));
        _salesforce.Server.Given(Request.Create().WithPath(Job + "/batches").UsingPut()).RespondWith(Response.Create().WithStatusCode(201));
        _salesforce.Server.Given(Request.Create().WithPath(Job).UsingPatch()).RespondWith(SalesforceMock.Json(200, TestData.Read("close_job_success_response.json")));
        _salesforce.Server.Given(Request.Create().WithPath(Job).UsingGet())
            .RespondWith(SalesforceMock.Json(200, """{"id":"0123456789ABC","operation":"update","object":"Opportunity","state":"InProgress"}"""));
        var time = new FakeTimeProvider();
        await using var test = TestClient.Create(_salesforce.Url, time,
            ("RetryBaseDelay", "00:00:00"), ("BulkJobTimeout", "00:01:00"), ("BulkPollInitialDelay", "00:00:02"), ("BulkPollMaxDelay", "00:00:10"),
            ("RequestTimeout", "00:30:00"), ("TotalRequestTimeout", "01:00:00"));

        var update = test.Client.UpdateAsync("Opportunity", Updates(5), TransferMode.Bulk);
        await Eventually.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => update.IsCompleted, "the job timeout");
        var results = await update;

        Assert.All(results, r =>
        {
            Assert.Equal("BULK_JOB_TIMEOUT", r.ErrorCode);
            Assert.Contains("Salesforce:BulkJobTimeout", r.Message, StringComparison.Ordinal);
        });
        Assert.Single(_salesforce.Received("POST", IngestJobs));
        Assert.Equal(5, IdsInCsv(Assert.Single(_salesforce.Received("PUT", Job + "/batches")).Body).Count);
        Assert.Equal("UploadComplete", JsonDocument.Parse(Assert.Single(_salesforce.Received("PATCH", Job)).Body!).RootElement.GetProperty("state").GetString());
        Assert.DoesNotContain(_salesforce.Server.LogEntries, e => e.RequestMessage.Path.Contains("Results", StringComparison.Ordinal));
        Assert.Contains(test.Logs.Lines, l => l.Contains("5 of 5 Opportunity updates failed", StringComparison.Ordinal));
    }

    private static List<string> IdsInCsv(string? csv) => [.. csv!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0].Trim('"'))];

    [Fact]
    public async Task BulkQuery_JobNeverFinishes_GivesUpAfterTheJobTimeoutNamingTheSetting()
    {
        _salesforce.Server.Given(Request.Create().WithPath(QueryJobs).UsingPost()).RespondWith(SalesforceMock.Json(200, """{"id":"750R0000000zlh9IAA","state":"UploadComplete"}"""));
        _salesforce.Server.Given(Request.Create().WithPath(QueryJobs + "/750R0000000zlh9IAA").UsingGet()).RespondWith(SalesforceMock.Json(200, """{"id":"750R0000000zlh9IAA","state":"InProgress"}"""));
        var time = new FakeTimeProvider();
        // Attempt and total timeouts far beyond the job timeout: the fake clock keeps moving while a poll is in
        // flight on a loaded machine, and that must not end a poll before the job timeout ends the wait.
        await using var test = TestClient.Create(_salesforce.Url, time,
            ("RetryBaseDelay", "00:00:00"), ("BulkJobTimeout", "00:01:00"), ("BulkPollInitialDelay", "00:00:02"), ("BulkPollMaxDelay", "00:00:10"),
            ("RequestTimeout", "00:30:00"), ("TotalRequestTimeout", "01:00:00"));

        var rows = test.Client.BulkQueryAsync("SELECT Id FROM Opportunity").ToListAsync().AsTask();
        var moved = await Eventually.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => rows.IsCompleted, "the job timeout");
        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => rows);

        Assert.Equal("BULK_JOB_TIMEOUT", error.ErrorCode);
        Assert.Contains("Salesforce:BulkJobTimeout", error.Message, StringComparison.Ordinal);
        Assert.True(moved >= TimeSpan.FromSeconds(40), $"gave up after {moved} of a one-minute job timeout");
        Assert.InRange(_salesforce.Received("GET", QueryJobs + "/750R0000000zlh9IAA").Count, 1, 8);
        Assert.DoesNotContain(_salesforce.Server.LogEntries, e => e.RequestMessage.Path.EndsWith("/results", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BulkQuery_CancelledWhileWaitingForTheJob_StopsWithoutPolling()
    {
        _salesforce.Server.Given(Request.Create().WithPath(QueryJobs).UsingPost()).RespondWith(SalesforceMock.Json(200, """{"id":"750R0000000zlh9IAA","state":"UploadComplete"}"""));
        var time = new FakeTimeProvider();
        await using var test = TestClient.Create(_salesforce.Url, time, ("BulkPollInitialDelay", "00:00:30"), ("BulkPollMaxDelay", "00:01:00"));
        using var cancel = new CancellationTokenSource();

        var rows = test.Client.BulkQueryAsync("SELECT Id FROM Opportunity", cancellationToken: cancel.Token).ToListAsync().AsTask();
        await Eventually.HoldsAsync(() => _salesforce.Received("POST", QueryJobs).Count == 1, "the job creation");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rows);
        Assert.Equal(1, test.Usage.ApiCalls);
    }
}
