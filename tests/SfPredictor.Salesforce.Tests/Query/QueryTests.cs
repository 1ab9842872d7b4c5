using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SfPredictor.Salesforce.Tests.Infrastructure;

namespace SfPredictor.Salesforce.Tests.Query;

public sealed class QueryTests
{
    private const string Soql = "SELECT Id FROM Contact";
    private const string Locator = "01gC000006QJJ7fIAH";

    /// <summary>The four recorded pages: the first from /query, the rest from their nextRecordsUrl locators.</summary>
    private static void MapPages(WebApplication app, TestSalesforceServer server, Func<HttpContext, int, Task<bool>>? intercept = null)
    {
        server.MapToken(app);
        app.MapGet(TestSalesforceServer.DataPath + "/query", ctx => Page(ctx, 1));
        app.MapGet(TestSalesforceServer.DataPath + "/query/{locator}", ctx => Page(ctx, ctx.Request.RouteValues["locator"] switch
        {
            Locator + "-200" => 2,
            Locator + "-400" => 3,
            Locator + "-600" => 4,
            _ => 0,
        }));

        async Task Page(HttpContext context, int page)
        {
            if (page == 0)
            {
                await TestSalesforceServer.WriteAsync(context, 400, """[{"message":"invalid query locator","errorCode":"INVALID_QUERY_LOCATOR"}]""");
            }
            else if (intercept is null || !await intercept(context, page))
            {
                await TestSalesforceServer.WriteAsync(context, 200, TestData.QueryPage(page));
            }
        }
    }

    [Fact]
    public async Task QueryAsync_FourPages_StreamsEveryRecordFollowingNextRecordsUrl()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) => MapPages(app, s));
        await using var test = TestClient.Create(server);

        var records = await test.Client.QueryAsync(Soql).ToListAsync();

        Assert.Equal(800, records.Count);
        Assert.All(records, r => Assert.Equal("003XXXXXXXXXXXXXXX", r["Id"]));
        Assert.All(records, r => Assert.False(r.ContainsKey("attributes")));
        Assert.Equal(
            ["/services/data/v62.0/query", $"/services/data/v62.0/query/{Locator}-200", $"/services/data/v62.0/query/{Locator}-400", $"/services/data/v62.0/query/{Locator}-600"],
            server.Requests.Where(r => r.Method == "GET").Select(r => r.Path));
        var first = server.Requests.First(r => r.Path == "/services/data/v62.0/query");
        Assert.Equal("?q=SELECT%20Id%20FROM%20Contact", first.Query);
        Assert.Equal("batchSize=2000", first.Headers["Sforce-Query-Options"]);
        Assert.Equal(4, test.Usage.ApiCalls);
    }

    [Fact]
    public async Task QueryAutoAsync_AtMostTheBulkThreshold_ReadsTheRestPagesWithoutACount()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) => MapPages(app, s));
        await using var test = TestClient.Create(server, ("BulkThreshold", "800"));
        (TransferMode Mode, long Count)? chosen = null;

        var records = await test.Client.QueryAutoAsync(Soql, (mode, count) => chosen = (mode, count)).ToListAsync();

        Assert.Equal(800, records.Count);
        Assert.Equal((TransferMode.Rest, 800L), chosen);
        Assert.Equal(4, test.Usage.ApiCalls);
        Assert.Equal(0, server.Count("POST", TestSalesforceServer.DataPath + "/jobs/query"));
    }

    [Fact]
    public async Task QueryAutoAsync_FirstPageSaysMoreThanTheBulkThreshold_ReadsThroughOneBulkJobInstead()
    {
        const string Job = "750R0000000zlh9IAA";
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            MapPages(app, s);
            app.MapPost(TestSalesforceServer.DataPath + "/jobs/query", ctx => TestSalesforceServer.WriteAsync(ctx, 200, $$"""{"id":"{{Job}}","state":"UploadComplete"}"""));
            app.MapGet(TestSalesforceServer.DataPath + "/jobs/query/{id}", ctx => TestSalesforceServer.WriteAsync(ctx, 200, $$"""{"id":"{{Job}}","state":"JobComplete"}"""));
            app.MapGet(TestSalesforceServer.DataPath + "/jobs/query/{id}/results", ctx =>
            {
                ctx.Response.Headers["Sforce-Locator"] = "null";
                return TestSalesforceServer.WriteAsync(ctx, 200, "\"Id\"\n" + string.Concat(Enumerable.Repeat("\"003XXXXXXXXXXXXXXX\"\n", 800)), "text/csv");
            });
        });
        await using var test = TestClient.Create(server, ("BulkThreshold", "799"));
        (TransferMode Mode, long Count)? chosen = null;

        var records = await test.Client.QueryAutoAsync(Soql, (mode, count) => chosen = (mode, count)).ToListAsync();

        Assert.Equal(800, records.Count);
        Assert.Equal((TransferMode.Bulk, 800L), chosen);
        Assert.Equal(1, server.Count("GET", "/services/data/v62.0/query"));
        Assert.Equal(0, server.Requests.Count(r => r.Path.StartsWith($"/services/data/v62.0/query/{Locator}", StringComparison.Ordinal)));
        Assert.Equal(1, server.Count("POST", TestSalesforceServer.DataPath + "/jobs/query"));
    }

    [Fact]
    public async Task QueryAsync_StopsEarly_RequestsNoFurtherPages()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) => MapPages(app, s));
        await using var test = TestClient.Create(server);

        var firstFive = await test.Client.QueryAsync(Soql).Take(5).ToListAsync();

        Assert.Equal(5, firstFive.Count);
        Assert.Equal(1, server.Count("GET", "/services/data/v62.0/query"));
    }

    [Fact]
    public async Task QueryAsync_SessionExpiresMidStream_LogsInAgainOnceAndContinues()
    {
        var expired = 0;
        await using var server = await TestSalesforceServer.StartAsync((app, s) => MapPages(app, s, async (ctx, page) =>
        {
            if (page != 3 || ctx.Request.Headers.Authorization != "Bearer token-1")
            {
                return false;
            }

            Interlocked.Increment(ref expired);
            await TestSalesforceServer.WriteAsync(ctx, 401, TestData.Read("expired_session_response.json"));
            return true;
        }));
        await using var test = TestClient.Create(server);

        var records = await test.Client.QueryAsync(Soql).ToListAsync();

        Assert.Equal(800, records.Count);
        Assert.Equal(1, expired);
        Assert.Equal(2, server.TokensIssued);
        Assert.Equal("Bearer token-2", server.Requests.Last().Authorization);
    }

    [Fact]
    public async Task QueryAsync_SessionRejectedAfterFreshLogin_ThrowsInvalidSession()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapGet(TestSalesforceServer.DataPath + "/query", ctx => TestSalesforceServer.WriteAsync(ctx, 401, TestData.Read("expired_session_response.json")));
        });
        await using var test = TestClient.Create(server);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.QueryAsync(Soql).ToListAsync().AsTask());

        Assert.Equal("INVALID_SESSION_ID", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(2, server.TokensIssued);
        Assert.Equal(2, server.Count("GET", "/services/data/v62.0/query"));
    }

    [Fact]
    public async Task QueryAllAsync_UsesQueryAllResource()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapGet(TestSalesforceServer.DataPath + "/queryAll", ctx => TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("query_success_response.json")));
        });
        await using var test = TestClient.Create(server);

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
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapGet(TestSalesforceServer.DataPath + "/query", ctx => TestSalesforceServer.WriteAsync(ctx, 400, TestData.Read("query_error_response.json")));
        });
        await using var test = TestClient.Create(server);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.QueryAsync("SELECT foo FROM Bar").ToListAsync().AsTask());

        Assert.Equal("INVALID_FIELD", error.ErrorCode);
        Assert.Contains("error_message", error.Message, StringComparison.Ordinal);
        Assert.Contains("GET /services/data/v62.0/query", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SELECT", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Count("GET", "/services/data/v62.0/query"));
    }

    [Fact]
    public async Task QueryAsync_MalformedJson_ThrowsMalformedResponse()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapGet(TestSalesforceServer.DataPath + "/query", ctx => TestSalesforceServer.WriteAsync(ctx, 200, TestData.QueryPage(1)[..5000]));
        });
        await using var test = TestClient.Create(server);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.QueryAsync(Soql).ToListAsync().AsTask());

        Assert.Equal("MALFORMED_RESPONSE", error.ErrorCode);
        Assert.IsType<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public async Task QueryAsync_NextRecordsUrlLeavesTheDataApi_RefusesToFollowIt()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapGet(TestSalesforceServer.DataPath + "/query", ctx => TestSalesforceServer.WriteAsync(ctx, 200,
                TestData.QueryPage(1).Replace("/services/data/v62.0/query/01gC000006QJJ7fIAH-200", "//evil.example/steal", StringComparison.Ordinal)));
        });
        await using var test = TestClient.Create(server);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.QueryAsync(Soql).ToListAsync().AsTask());

        Assert.Equal("MALFORMED_RESPONSE", error.ErrorCode);
        Assert.Equal(1, server.Count("GET", "/services/data/v62.0/query"));
    }
}
