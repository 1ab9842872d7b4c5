using System.Net;
using SfPredictor.Salesforce.Tests.Infrastructure;

namespace SfPredictor.Salesforce.Tests.Limits;

public sealed class LimitsTests
{
    private const string CountQuery = "SELECT COUNT() FROM Case";

    [Fact]
    public async Task Call_NextCallWouldCrossTheShare_StopsBeforeSendingIt()
    {
        var used = 2498;
        using var salesforce = SalesforceMock.Start();
        salesforce.Get(SalesforceMock.DataPath + "/query", SalesforceMock.Reply(_ =>
            new Answer(200, TestData.Read("count_query.json"), Headers: LimitInfo($"api-usage={Interlocked.Increment(ref used)}/5000"))));
        await using var test = TestClient.Create(salesforce, ("DailyApiShareLimit", "0.5"));

        await test.Client.CountAsync(CountQuery);
        Assert.Equal(2499, test.Usage.DailyUsed);
        await test.Client.CountAsync(CountQuery);
        Assert.Equal(2500, test.Usage.DailyUsed);
        var error = await Assert.ThrowsAsync<SalesforceLimitException>(() => test.Client.CountAsync(CountQuery));

        Assert.Equal("API_SHARE_EXCEEDED", error.ErrorCode);
        Assert.Equal(2500, error.Used);
        Assert.Equal(5000, error.Max);
        Assert.Contains("Salesforce:DailyApiShareLimit", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, salesforce.Count("GET", "/services/data/v62.0/query"));
        Assert.Equal(2, test.Usage.ApiCalls);
        Assert.Equal(2500, test.Usage.DailyRemaining);
        Assert.Contains(test.Logs.Lines, l => l.Contains("Stopping:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Call_RequestLimitExceeded_EndsTheRunWithoutRetrying()
    {
        using var salesforce = SalesforceMock.Start();
        salesforce.Get(SalesforceMock.DataPath + "/query", SalesforceMock.Error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
            .WithHeader("Sforce-Limit-Info", "api-usage=15001/15000"));
        await using var test = TestClient.Create(salesforce, ("MaxRetries", "4"));

        var error = await Assert.ThrowsAsync<SalesforceLimitException>(() => test.Client.CountAsync(CountQuery));

        Assert.Equal("REQUEST_LIMIT_EXCEEDED", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Contains("TotalRequests Limit exceeded.", error.Message, StringComparison.Ordinal);
        Assert.Contains("daily API request limit is used up", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, salesforce.Count("GET", "/services/data/v62.0/query"));
        Assert.Equal(15001, test.Usage.DailyUsed);
    }

    [Fact]
    public async Task GetLimitsAsync_RecordedLimits_ReturnsDailyApiRequestsAndRefreshesUsage()
    {
        using var salesforce = SalesforceMock.Start();
        salesforce.Get(SalesforceMock.DataPath + "/limits", SalesforceMock.Json(200, TestData.Read("limits.json")));
        await using var test = TestClient.Create(salesforce);

        var daily = await test.Client.GetDailyApiRequestsAsync();

        Assert.Equal(new OrgLimit(15000, 14998), daily);
        Assert.Equal(2, daily.Used);
        Assert.Equal(2, test.Usage.DailyUsed);
        Assert.Equal(15000, test.Usage.DailyMax);
        var all = await test.Client.GetLimitsAsync();
        Assert.Equal(new OrgLimit(5000, 5000), all["DailyBulkApiRequests"]);
        Assert.Equal(2, test.Usage.ApiCalls);
    }

    private static Dictionary<string, string> LimitInfo(string value) => new() { ["Sforce-Limit-Info"] = value };

    [Theory]
    [InlineData("api-usage=18/5000", true, 18, 5000)]
    [InlineData("api-usage=18/5000; per-app-api-usage=17/250(appName=sample-connected-app)", true, 18, 5000)]
    [InlineData("per-app-api-usage=17/250(appName=x); api-usage=40/15000", true, 40, 15000)]
    [InlineData("api-usage=18", false, 0, 0)]
    [InlineData("api-usage=-1/5000", false, 0, 0)]
    [InlineData("something-else=1/2", false, 0, 0)]
    public void TryParseLimitInfo_HeaderValue_ReadsApiUsage(string header, bool parsed, long used, long max)
    {
        Assert.Equal(parsed, SalesforceApiUsage.TryParseLimitInfo(header, out var u, out var m));
        if (parsed)
        {
            Assert.Equal((used, max), (u, m));
        }
    }
}
