using System.Net;
using SfPredictor.Salesforce.Tests.Infrastructure;
using WireMock.Matchers;
using WireMock.RequestBuilders;

namespace SfPredictor.Salesforce.Tests.Query;

public sealed class QueryTests
{
    private const string Soql = "SELECT Id FROM Contact";
    private const string Locator = "01gC000006QJJ7fIAH";

    private const string QueryPath = SalesforceMock.DataPath + "/query";

    /// <summary>The four recorded pages: the first from /query, the rest from their nextRecordsUrl locators.</summary>
    private static SalesforceMock StartWithPages()
    {
        var salesforce = SalesforceMock.Start();
        salesforce.Server.Given(Request.Create().WithPath(QueryPath).UsingGet()).AtPriority(20).RespondWith(SalesforceMock.Json(200, TestData.QueryPage(1)));
        foreach (var (page, locator) in new[] { (2, "-200"), (3, "-400"), (4, "-600") })
        {
            // Priority 20: a test's own answer for a page (mapped at a smaller number) comes first.
            salesforce.Server.Given(Request.Create().WithPath($"{QueryPath}/{Locator}{locator}").UsingGet()).AtPriority(20)
                .RespondWith(SalesforceMock.Json(200, TestData.QueryPage(page)));
        }

        salesforce.Server.Given(Request.Create().WithPath(new RegexMatcher($"^{QueryPath}/.+$")).UsingGet()).AtPriority(50)
            .RespondWith(SalesforceMock.Error(400, "INVALID_QUERY_LOCATOR", "invalid query locator"));
        return salesforce;
    }

    [Fact]
    public async Task QueryAsync_FourPages_StreamsEveryRecordFollowingNextRecordsUrl()
    {
        using var salesforce = StartWithPages();
        await using var test = TestClient.Create(salesforce);

        var records = await test.Client.QueryAsync(Soql).ToListAsync();

        Assert.Equal(800, records.Count);
        Assert.All(records, r => Assert.Equal("003XXXXXXXXXXXXXXX", r["Id"]));
        Assert.All(records, r => Assert.False(r.ContainsKey("attributes")));
        Assert.Equal(
            ["/services/data/v62.0/query", $"/services/data/v62.0/query/{Locator}-200", $"/services/data/v62.0/query/{Locator}-400", $"/services/data/v62.0/query/{Locator}-600"],
            salesforce.Calls.Where(r => r.Method == "GET").Select(r => r.Path));
        var first = salesforce.Received("GET", "/services/data/v62.0/query")[0];
        Assert.Equal("?q=SELECT%20Id%20FROM%20Contact", first.RawQuery);
        Assert.Equal("batchSize=2000", first.Headers["Sforce-Query-Options"]);
        Assert.Equal(4, test.Usage.ApiCalls);
    }

    [Fact]
    public async Task QueryAutoAsync_AtMostTheBulkThreshold_ReadsTheRestPagesWithoutACount()
    {
        using var salesforce = StartWithPages();
        await using var test = TestClient.Create(salesforce, ("BulkThreshold", "800"));
        (TransferMode Mode, long Count)? chosen = null;

        var records = await test.Client.QueryAutoAsync(Soql, (mode, count) => chosen = (mode, count)).ToListAsync();

        Assert.Equal(800, records.Count);
        Assert.Equal((TransferMode.Rest, 800L), chosen);
        Assert.Equal(4, test.Usage.ApiCalls);
        Assert.Equal(0, salesforce.Count("POST", SalesforceMock.DataPath + "/jobs/query"));
    }

    [Fact]
    public async Task QueryAutoAsync_FirstPageSaysMoreThanTheBulkThreshold_ReadsThroughOneBulkJobInstead()
    {
        const string Job = "750R0000000zlh9IAA";
        using var salesforce = StartWithPages();
        salesforce.Server.Given(Request.Create().WithPath(SalesforceMock.DataPath + "/jobs/query").UsingPost())
            .RespondWith(SalesforceMock.Json(200, $$"""{"id":"{{Job}}","operation":"query","object":"Contact","state":"UploadComplete","contentType":"CSV","apiVersion":62.0}"""));
        salesforce.Get($"{SalesforceMock.DataPath}/jobs/query/{Job}", SalesforceMock.Json(200, $$"""{"id":"{{Job}}","operation":"query","object":"Contact","state":"JobComplete","contentType":"CSV","apiVersion":62.0}"""));
        salesforce.Get($"{SalesforceMock.DataPath}/jobs/query/{Job}/results", SalesforceMock.Json(200, "\"Id\"\n" + string.Concat(Enumerable.Repeat("\"003XXXXXXXXXXXXXXX\"\n", 800)))
            .WithHeader("Content-Type", "text/csv").WithHeader("Sforce-Locator", "null"));
        await using var test = TestClient.Create(salesforce, ("BulkThreshold", "799"));
        (TransferMode Mode, long Count)? chosen = null;

        var records = await test.Client.QueryAutoAsync(Soql, (mode, count) => chosen = (mode, count)).ToListAsync();

        Assert.Equal(800, records.Count);
        Assert.Equal((TransferMode.Bulk, 800L), chosen);
        Assert.Equal(1, salesforce.Count("GET", "/services/data/v62.0/query"));
        Assert.Equal(0, salesforce.Count("GET", $"/services/data/v62.0/query/{Locator}"));
        Assert.Equal(1, salesforce.Count("POST", SalesforceMock.DataPath + "/jobs/query"));
    }

    [Fact]
    public async Task QueryAsync_StopsEarly_RequestsNoFurtherPages()
    {
        using var salesforce = StartWithPages();
        await using var test = TestClient.Create(salesforce);

        var firstFive = await test.Client.QueryAsync(Soql).Take(5).ToListAsync();

        Assert.Equal(5, firstFive.Count);
        Assert.Equal(1, salesforce.Count("GET", "/services/data/v62.0/query"));
    }

    [Fact]
    public async Task QueryAsync_SessionExpiresMidStream_LogsInAgainOnceAndContinues()
    {
        const string Page3 = $"{QueryPath}/{Locator}-400";
        using var salesforce = StartWithPages();
        salesforce.Server.Given(Request.Create().WithPath(Page3).UsingGet().WithHeader("Authorization", "Bearer token-1")).AtPriority(1)
            .RespondWith(SalesforceMock.Json(401, TestData.Read("expired_session_response.json")));
        await using var test = TestClient.Create(salesforce);

        var records = await test.Client.QueryAsync(Soql).ToListAsync();

        Assert.Equal(800, records.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], salesforce.Received("GET", Page3).Select(r => r.Authorization));
        Assert.Equal(2, salesforce.Logins);
        Assert.Equal("Bearer token-2", salesforce.Calls[^1].Authorization);
    }

    [Fact]
    public async Task QueryAsync_SessionRejectedAfterFreshLogin_ThrowsInvalidSession()
    {
        using var salesforce = SalesforceMock.Start();
        salesforce.Get(QueryPath, SalesforceMock.Json(401, TestData.Read("expired_session_response.json")));
        await using var test = TestClient.Create(salesforce);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.QueryAsync(Soql).ToListAsync().AsTask());

        Assert.Equal("INVALID_SESSION_ID", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(2, salesforce.Logins);
        Assert.Equal(2, salesforce.Count("GET", "/services/data/v62.0/query"));
    }

    [Fact]
    public async Task QueryAllAsync_UsesQueryAllResource()
    {
        using var salesforce = SalesforceMock.Start();
        salesforce.Get(SalesforceMock.DataPath + "/queryAll", SalesforceMock.Json(200, TestData.Read("query_success_response.json")));
        await using var test = TestClient.Create(salesforce);

        var record = Assert.Single(await test.Client.QueryAllAsync("SELECT Text_Label FROM Whizbang").ToListAsync());

        Assert.Equal("Hi there!", record["Text_Label"]);
        Assert.Equal("false", record["Checkbox_Label"]);
        Assert.Equal("2011-07-07T00:37:00.000+0000", record["DateTime_Label"]);
        Assert.Equal("Parent Whizbang", record["ParentWhizbang__r.Name"]);
        Assert.StartsWith("{", record["Whizbangs__r"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_InvalidField_ThrowsWithSalesforceErrorAndDoesNotRetry()
    {
        using var salesforce = SalesforceMock.Start();
        salesforce.Get(QueryPath, SalesforceMock.Json(400, TestData.Read("query_error_response.json")));
        await using var test = TestClient.Create(salesforce);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.QueryAsync("SELECT foo FROM Bar").ToListAsync().AsTask());

        Assert.Equal("INVALID_FIELD", error.ErrorCode);
        Assert.Contains("error_message", error.Message, StringComparison.Ordinal);
        Assert.Contains("GET /services/data/v62.0/query", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SELECT", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, salesforce.Count("GET", "/services/data/v62.0/query"));
    }

    [Fact]
    public async Task QueryAsync_MalformedJson_ThrowsMalformedResponse()
    {
        using var salesforce = SalesforceMock.Start();
        salesforce.Get(QueryPath, SalesforceMock.Json(200, TestData.QueryPage(1)[..5000]));
        await using var test = TestClient.Create(salesforce);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.QueryAsync(Soql).ToListAsync().AsTask());

        Assert.Equal("MALFORMED_RESPONSE", error.ErrorCode);
        Assert.IsType<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public async Task QueryAsync_NextRecordsUrlLeavesTheDataApi_RefusesToFollowIt()
    {
        using var salesforce = SalesforceMock.Start();
        salesforce.Get(QueryPath, SalesforceMock.Json(200,
            TestData.QueryPage(1).Replace("/services/data/v62.0/query/01gC000006QJJ7fIAH-200", "//evil.example/steal", StringComparison.Ordinal)));
        await using var test = TestClient.Create(salesforce);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.QueryAsync(Soql).ToListAsync().AsTask());

        Assert.Equal("MALFORMED_RESPONSE", error.ErrorCode);
        Assert.Equal(1, salesforce.Count("GET", "/services/data/v62.0/query"));
    }
}
