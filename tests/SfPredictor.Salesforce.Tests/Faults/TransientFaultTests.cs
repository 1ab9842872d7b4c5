using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using SfPredictor.Salesforce.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static SfPredictor.Salesforce.Tests.Faults.SalesforceFaults;

namespace SfPredictor.Salesforce.Tests.Faults;

/// <summary>Storms, throttling, slow and broken answers: what is retried, how long it waits, what is reported.</summary>
public sealed class TransientFaultTests : IDisposable
{
    private readonly SalesforceMock _salesforce = SalesforceMock.Start();

    public void Dispose() => _salesforce.Dispose();

    private static IRequestBuilder Query => Request.Create().WithPath(QueryPath).UsingGet();

    private int Queries => _salesforce.Received("GET", QueryPath).Count;

    // On a fake clock: no backoff between attempts, and timeouts long enough that only the test moves them.
    private TestClient OnFakeClock(FakeTimeProvider time, params (string Key, string? Value)[] settings) =>
        TestClient.Create(_salesforce.Url, time, [("RetryBaseDelay", "00:00:00"), .. settings]);

    [Fact]
    public async Task Query_503And502StormThatRecovers_RetriesAndSucceeds()
    {
        _salesforce.InTurn(Query, Html(503, "Service Unavailable"), Html(502, "Bad Gateway"), Html(503, "Service Unavailable"), Count());
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System, ("MaxRetries", "3"));

        Assert.Equal(26, await test.Client.CountAsync(CountQuery));

        Assert.Equal(4, Queries);
        Assert.Equal(4, test.Usage.ApiCalls);
        Assert.Equal(3, test.Logs.Lines.Count(l => l.Contains("retrying in", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Query_502StormOutlastsTheRetries_ReportsTheLastStatusAndBody()
    {
        _salesforce.Server.Given(Query).RespondWith(Html(502, "Bad Gateway from the proxy"));
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System, ("MaxRetries", "2"));

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.CountAsync(CountQuery));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal("HTTP_502", error.ErrorCode);
        Assert.Contains("Bad Gateway from the proxy", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, Queries);
    }

    [Fact]
    public async Task Calls_503StormAcrossCalls_OpensTheCircuitAndStopsCalling()
    {
        _salesforce.Server.Given(Query).RespondWith(Html(503, "Service Unavailable"));
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System, ("MaxRetries", "1"), ("CircuitBreakerMinimumThroughput", "4"));

        var first = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.CountAsync(CountQuery));
        var second = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.CountAsync(CountQuery));
        var third = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.CountAsync(CountQuery));

        Assert.Equal(["HTTP_503", "HTTP_503", "CIRCUIT_OPEN"], [first.ErrorCode, second.ErrorCode, third.ErrorCode]);
        Assert.Contains("Salesforce:CircuitBreakDuration", third.Message, StringComparison.Ordinal);
        Assert.Equal(4, Queries);
    }

    [Fact]
    public async Task Query_429WithRetryAfter_WaitsAsLongAsAskedThenSucceeds()
    {
        _salesforce.InTurn(Query,
            Response.Create().WithStatusCode(429).WithHeader("Retry-After", "7").WithHeader("Content-Type", "text/plain").WithBody("Too Many Requests"),
            Count());
        var time = new FakeTimeProvider();
        await using var test = OnFakeClock(time, ("RequestTimeout", "00:05:00"), ("TotalRequestTimeout", "00:30:00"));

        var count = test.Client.CountAsync(CountQuery);
        await Eventually.HoldsAsync(() => Queries == 1, "the first attempt");
        var waited = await Eventually.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => Queries == 2, "the retry");

        Assert.Equal(26, await count);
        Assert.True(waited >= TimeSpan.FromSeconds(7), $"retried after {waited} despite Retry-After: 7");
    }

    [Fact]
    public async Task Query_503AskingForALongPause_IsReportedWithoutWaiting()
    {
        _salesforce.Server.Given(Query).RespondWith(Html(503, "Down for maintenance").WithHeader("Retry-After", "3600"));
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.CountAsync(CountQuery));

        Assert.Equal("HTTP_503", error.ErrorCode);
        Assert.Contains("Down for maintenance", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, Queries);
    }

    [Fact]
    public async Task Query_SlowerThanTheAttemptTimeout_TimesOutEachAttemptAndReportsTimeout()
    {
        _salesforce.Server.Given(Query).RespondWith(Count().WithDelay(TimeSpan.FromSeconds(2)));
        var time = new FakeTimeProvider();
        await using var test = OnFakeClock(time, ("RequestTimeout", "00:00:01"), ("MaxRetries", "1"));

        var count = test.Client.CountAsync(CountQuery);
        await Eventually.HoldsAsync(() => test.Usage.ApiCalls == 1, "the first attempt");
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => test.Usage.ApiCalls == 2, "the second attempt");
        time.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => count);

        Assert.Equal("TIMEOUT", error.ErrorCode);
        Assert.Null(error.StatusCode);
        Assert.Contains("Salesforce:RequestTimeout per attempt", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, test.Usage.ApiCalls);
    }

    [Fact]
    public async Task Query_SlowOnceThenFast_RetriesAfterTheAttemptTimeout()
    {
        _salesforce.InTurn(Query, Count().WithDelay(TimeSpan.FromSeconds(2)), Count());
        var time = new FakeTimeProvider();
        await using var test = OnFakeClock(time, ("RequestTimeout", "00:00:01"));

        var count = test.Client.CountAsync(CountQuery);
        await Eventually.HoldsAsync(() => test.Usage.ApiCalls == 1, "the first attempt");
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(26, await count);
        Assert.Equal(2, test.Usage.ApiCalls);
    }

    [Fact]
    public async Task Query_SlowBeyondTheTotalTimeout_StopsRetryingAndReportsTheTotalTimeout()
    {
        _salesforce.Server.Given(Query).RespondWith(Count().WithDelay(TimeSpan.FromSeconds(2)));
        var time = new FakeTimeProvider();
        await using var test = OnFakeClock(time, ("RequestTimeout", "00:00:02"), ("TotalRequestTimeout", "00:00:03"), ("MaxRetries", "5"));

        var count = test.Client.CountAsync(CountQuery);
        await Eventually.HoldsAsync(() => test.Usage.ApiCalls == 1, "the first attempt");
        time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.HoldsAsync(() => test.Usage.ApiCalls == 2, "the second attempt");
        time.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => count);

        Assert.Equal("TIMEOUT", error.ErrorCode);
        Assert.Contains("Salesforce:TotalRequestTimeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, test.Usage.ApiCalls);
    }

    [Theory]
    [InlineData("{\"totalSize\":26,\"done\":tr")]
    [InlineData("<html><body>Maintenance</body></html>")]
    [InlineData("")]
    [InlineData("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SES")]
    public async Task Query_MalformedOrTruncatedJson_ReportsMalformedResponseWithoutRetrying(string body)
    {
        _salesforce.Server.Given(Query).RespondWith(SalesforceMock.Json(200, body));
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.CountAsync(CountQuery));

        Assert.Equal("MALFORMED_RESPONSE", error.ErrorCode);
        Assert.Contains("GET /services/data/v62.0/query", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("COUNT()", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, Queries);
    }

    [Fact]
    public async Task Query_OtherClientError_IsNotRetried()
    {
        _salesforce.Server.Given(Query).RespondWith(SalesforceMock.Json(400, TestData.Read("query_error_response.json")));
        await using var test = TestClient.Create(_salesforce.Url, TimeProvider.System);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.CountAsync(CountQuery));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(1, Queries);
    }

    [Fact]
    public async Task Call_SalesforceUnreachable_RetriesThenReportsConnectionFailed()
    {
        // A socket bound but not listening refuses connections, and holds its port so that no server
        // started by another test meanwhile can answer on it.
        using var refusing = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        refusing.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var dead = new Uri($"http://127.0.0.1:{((IPEndPoint)refusing.LocalEndPoint!).Port}");

        await using var test = TestClient.Create(dead, TimeProvider.System, ("MaxRetries", "1"));

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.CountAsync(CountQuery));

        Assert.Equal("CONNECTION_FAILED", error.ErrorCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.True(
            test.Logs.Lines.Any(l => l.Contains("/services/oauth2/token", StringComparison.Ordinal) && l.Contains("retrying", StringComparison.Ordinal)),
            "No retry of the token request was logged:\n" + string.Join("\n", test.Logs.Lines));
    }

    [Fact]
    public async Task Query_CallerCancels_StopsAtOnceWithoutRetrying()
    {
        _salesforce.Server.Given(Query).RespondWith(Count().WithDelay(TimeSpan.FromSeconds(2)));
        var time = new FakeTimeProvider();
        await using var test = OnFakeClock(time);
        using var cancel = new CancellationTokenSource();

        var count = test.Client.CountAsync(CountQuery, cancel.Token);
        await Eventually.HoldsAsync(() => test.Usage.ApiCalls == 1, "the first attempt");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => count);
        Assert.Equal(1, test.Usage.ApiCalls);
    }
}
