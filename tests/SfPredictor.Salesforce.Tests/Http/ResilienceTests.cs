using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SfPredictor.Salesforce.Tests.Infrastructure;

namespace SfPredictor.Salesforce.Tests.Http;

public sealed class ResilienceTests
{
    private const string CountQuery = "SELECT COUNT() FROM Case";

    private static Task<TestSalesforceServer> StartAsync(RequestDelegate query) =>
        TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapGet(TestSalesforceServer.DataPath + "/query", query);
        });

    [Fact]
    public async Task Call_503StormThatRecovers_RetriesAndSucceeds()
    {
        var attempts = 0;
        await using var server = await StartAsync(ctx => Interlocked.Increment(ref attempts) <= 3
            ? TestSalesforceServer.WriteAsync(ctx, 503, "<html><body>Service Unavailable</body></html>", "text/html")
            : TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("count_query.json")));
        await using var test = TestClient.Create(server, ("MaxRetries", "3"));

        Assert.Equal(26, await test.Client.CountAsync(CountQuery));

        Assert.Equal(4, attempts);
        Assert.Equal(4, test.Usage.ApiCalls);
        Assert.Equal(3, test.Logs.Lines.Count(l => l.Contains("failed (HTTP 503); retrying", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Call_503Persists_ThrowsAfterEveryRetryWithTheStatus()
    {
        await using var server = await StartAsync(ctx => TestSalesforceServer.WriteAsync(ctx, 503, "<html>down for maintenance</html>", "text/html"));
        await using var test = TestClient.Create(server, ("MaxRetries", "2"));

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.CountAsync(CountQuery));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("HTTP_503", error.ErrorCode);
        Assert.Contains("down for maintenance", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Count("GET", "/services/data/v62.0/query"));
    }

    [Fact]
    public async Task Call_429WithRetryAfter_RetriesThenSucceeds()
    {
        var attempts = 0;
        await using var server = await StartAsync(async ctx =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                ctx.Response.Headers.RetryAfter = "1";
                await TestSalesforceServer.WriteAsync(ctx, 429, """[{"message":"Too many requests","errorCode":"REQUEST_LIMIT_EXCEEDED_CONCURRENT"}]""");
                return;
            }

            await TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("count_query.json"));
        });
        await using var test = TestClient.Create(server);

        var clock = Stopwatch.StartNew();
        Assert.Equal(26, await test.Client.CountAsync(CountQuery));

        Assert.Equal(2, attempts);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"waited only {clock.Elapsed} despite Retry-After: 1");
    }

    [Fact]
    public async Task Call_OtherClientError_IsNotRetried()
    {
        await using var server = await StartAsync(ctx => TestSalesforceServer.WriteAsync(ctx, 404, """[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"""));
        await using var test = TestClient.Create(server);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.CountAsync(CountQuery));

        Assert.Equal("NOT_FOUND", error.ErrorCode);
        Assert.Equal(1, server.Count("GET", "/services/data/v62.0/query"));
    }

    [Fact]
    public async Task Call_ServerNeverAnswers_TimesOutOnEveryAttemptAndThrowsTimeout()
    {
        await using var server = await StartAsync(async ctx => await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted));
        await using var test = TestClient.Create(server, ("RequestTimeout", "00:00:00.200"), ("MaxRetries", "1"));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.CountAsync(CountQuery));

        Assert.Equal("TIMEOUT", error.ErrorCode);
        Assert.Null(error.StatusCode);
        Assert.Contains("00:00:00.2", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Count("GET", "/services/data/v62.0/query"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Call_SlowOnceThenFast_RetriesAfterTheTimeout()
    {
        var attempts = 0;
        await using var server = await StartAsync(async ctx =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted);
            }

            await TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("count_query.json"));
        });
        await using var test = TestClient.Create(server, ("RequestTimeout", "00:00:00.200"));

        Assert.Equal(26, await test.Client.CountAsync(CountQuery));
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task Call_ConnectionReset_RetriesAndSucceeds()
    {
        var attempts = 0;
        await using var server = await StartAsync(ctx =>
        {
            if (Interlocked.Increment(ref attempts) <= 2)
            {
                ctx.Abort();
                return Task.CompletedTask;
            }

            return TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("count_query.json"));
        });
        await using var test = TestClient.Create(server);

        Assert.Equal(26, await test.Client.CountAsync(CountQuery));
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task Call_ServerUnreachable_ThrowsConnectionFailed()
    {
        Uri deadUrl;
        await using (var server = await TestSalesforceServer.StartAsync((_, _) => { }))
        {
            deadUrl = server.Url;
        }

        await using var live = await TestSalesforceServer.StartAsync((app, s) => { });
        await using var test = TestClient.Create(live, ("LoginUrl", deadUrl.ToString()), ("MaxRetries", "1"));

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.CountAsync(CountQuery));

        Assert.Equal("CONNECTION_FAILED", error.ErrorCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task Call_CallerCancels_StopsAtOnceWithoutRetrying()
    {
        await using var server = await StartAsync(async ctx => await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted));
        await using var test = TestClient.Create(server);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => test.Client.CountAsync(CountQuery, cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(1, server.Count("GET", "/services/data/v62.0/query"));
    }
}
