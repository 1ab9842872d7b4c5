using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SfPredictor.Salesforce.Tests.Infrastructure;

namespace SfPredictor.Salesforce.Tests.Bulk;

public sealed class BulkTests
{
    private const string QueryJobs = TestSalesforceServer.DataPath + "/jobs/query";
    private const string IngestJobs = TestSalesforceServer.DataPath + "/jobs/ingest";
    private const string QueryJobId = "750R0000000zlh9IAA";
    private const string IngestJobId = "0123456789ABC";

    private const string Page1 =
        "\"Id\",\"Name\",\"Amount\",\"Account.Industry\"\n" +
        "\"0065g00000AbCdEAAV\",\"Acme, \"\"Big\"\" Deal\nsecond line\",\"1500.5\",\"Manufacturing\"\n" +
        "\"0065g00000AbCdFAAV\",\"Globex\",\"\",\"\"\n";

    private const string Page2 =
        "\"Id\",\"Name\",\"Amount\",\"Account.Industry\"\n" +
        "\"0065g00000AbCdGAAV\",\"Initech\",\"99\",\"Software\"\n";

    private static void MapQueryJob(WebApplication app, Func<int, string> stateOfPoll, RequestDelegate? results = null)
    {
        var polls = 0;
        app.MapPost(QueryJobs, ctx => TestSalesforceServer.WriteAsync(ctx, 200,
            $$"""{"id":"{{QueryJobId}}","operation":"query","object":"Opportunity","createdById":"005R0000000bBqKIAU","state":"UploadComplete","concurrencyMode":"Parallel","contentType":"CSV","apiVersion":62.0,"lineEnding":"LF","columnDelimiter":"COMMA"}"""));
        app.MapGet(QueryJobs + "/{id}", ctx => TestSalesforceServer.WriteAsync(ctx, 200,
            $$"""{"id":"{{ctx.Request.RouteValues["id"]}}","operation":"query","object":"Opportunity","state":"{{stateOfPoll(Interlocked.Increment(ref polls))}}","errorMessage":"INVALID_FIELD: No such column 'Foo' on entity 'Opportunity'"}"""));
        app.MapGet(QueryJobs + "/{id}/results", results ?? (ctx =>
        {
            var second = ctx.Request.Query["locator"] == "MTAwMDA";
            ctx.Response.Headers["Sforce-Locator"] = second ? "null" : "MTAwMDA";
            ctx.Response.Headers["Sforce-NumberOfRecords"] = second ? "1" : "2";
            return TestSalesforceServer.WriteAsync(ctx, 200, second ? Page2 : Page1, "text/csv");
        }));
    }

    [Fact]
    public async Task BulkQueryAsync_PageStillBeingWritten_GivesItsFirstRowsBeforeTheRest()
    {
        // The server holds the rest of the page until the client has the first row: a client that read whole
        // pages before parsing would wait for it until its request timeout and fail.
        var firstRowTaken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            MapQueryJob(app, _ => "JobComplete", async ctx =>
            {
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "text/csv";
                ctx.Response.Headers["Sforce-Locator"] = "null";
                await ctx.Response.WriteAsync("\"Id\",\"Name\"\n\"0065g00000AbCdEAAV\",\"Acme\"\n");
                await ctx.Response.Body.FlushAsync();
                await firstRowTaken.Task;
                await ctx.Response.WriteAsync("\"0065g00000AbCdFAAV\",\"Globex\"\n");
            });
        });
        await using var test = TestClient.Create(server);

        var ids = new List<string?>();
        await foreach (var row in test.Client.BulkQueryAsync("SELECT Id, Name FROM Opportunity"))
        {
            ids.Add(row["Id"]);
            firstRowTaken.TrySetResult();
        }

        Assert.Equal(["0065g00000AbCdEAAV", "0065g00000AbCdFAAV"], ids);
    }

    [Fact]
    public async Task BulkQueryAsync_JobCompletes_PollsThenStreamsEveryResultPage()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            MapQueryJob(app, poll => poll < 3 ? "InProgress" : "JobComplete");
        });
        await using var test = TestClient.Create(server, ("BulkResultPageSize", "2"));

        var rows = await test.Client.BulkQueryAsync("SELECT Id, Name, Amount, Account.Industry FROM Opportunity").ToListAsync();

        Assert.Equal(["0065g00000AbCdEAAV", "0065g00000AbCdFAAV", "0065g00000AbCdGAAV"], rows.Select(r => r["Id"]));
        Assert.Equal("Acme, \"Big\" Deal\nsecond line", rows[0]["Name"]);
        Assert.Equal("Manufacturing", rows[0]["Account.Industry"]);
        Assert.Null(rows[1]["Amount"]);
        var create = JsonDocument.Parse(server.Requests.Single(r => r.Method == "POST" && r.Path == QueryJobs).Body).RootElement;
        Assert.Equal("query", create.GetProperty("operation").GetString());
        Assert.Equal("SELECT Id, Name, Amount, Account.Industry FROM Opportunity", create.GetProperty("query").GetString());
        Assert.Equal("CSV", create.GetProperty("contentType").GetString());
        Assert.Equal(3, server.Count("GET", $"{QueryJobs}/{QueryJobId}") - server.Count("GET", $"{QueryJobs}/{QueryJobId}/results"));
        Assert.Equal(["?maxRecords=2", "?maxRecords=2&locator=MTAwMDA"], server.Requests.Where(r => r.Path.EndsWith("/results", StringComparison.Ordinal)).Select(r => r.Query));
    }

    [Fact]
    public async Task BulkQueryAsync_IncludeDeleted_CreatesQueryAllJob()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            MapQueryJob(app, _ => "JobComplete");
        });
        await using var test = TestClient.Create(server);

        await test.Client.BulkQueryAsync("SELECT Id FROM Opportunity", includeDeleted: true).ToListAsync();

        var create = JsonDocument.Parse(server.Requests.Single(r => r.Method == "POST" && r.Path == QueryJobs).Body).RootElement;
        Assert.Equal("queryAll", create.GetProperty("operation").GetString());
    }

    [Fact]
    public async Task BulkQueryAsync_JobFails_ThrowsWithSalesforceReason()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            MapQueryJob(app, _ => "Failed");
        });
        await using var test = TestClient.Create(server);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.BulkQueryAsync("SELECT Foo FROM Opportunity").ToListAsync().AsTask());

        Assert.Equal("BULK_JOB_FAILED", error.ErrorCode);
        Assert.Contains("No such column 'Foo'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Count("GET", $"{QueryJobs}/{QueryJobId}/results"));
    }

    [Fact]
    public async Task UpdateAsync_AboveBulkWriteThreshold_RunsIngestJobAndReturnsEveryOutcome()
    {
        var failed = "\"sf__Id\",\"sf__Error\",\"Id\",\"Name\"\n" +
                     "\"\",\"REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --\",\"0012f000007uKguAAE\",\"#N/A\"\n";
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapPost(IngestJobs, ctx => TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("create_job_success_response.json")));
            app.MapPut(IngestJobs + "/{id}/batches", ctx =>
            {
                ctx.Response.StatusCode = StatusCodes.Status201Created;
                return Task.CompletedTask;
            });
            app.MapMethods(IngestJobs + "/{id}", ["PATCH"], ctx => TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("close_job_success_response.json")));
            app.MapGet(IngestJobs + "/{id}", ctx => TestSalesforceServer.WriteAsync(ctx, 200, TestData.Read("check_status_success_response.json")));
            app.MapGet(IngestJobs + "/{id}/successfulResults", ctx =>
                TestSalesforceServer.WriteAsync(ctx, 200, TestData.ReadJsonString("success_results_success_response.json"), "text/csv"));
            app.MapGet(IngestJobs + "/{id}/failedResults", ctx => TestSalesforceServer.WriteAsync(ctx, 200, failed, "text/csv"));
        });
        await using var test = TestClient.Create(server, ("BulkWriteThreshold", "3"));
        RecordUpdate[] updates =
        [
            new("0012f000007uKgsAAE", new Dictionary<string, object?> { ["Name"] = "Foo Bar" }),
            new("0012f000007uKgt", new Dictionary<string, object?> { ["Name"] = "Bizz Buzz", ["Rating__c"] = 4.5m }),
            new("0012f000007uKguAAE", new Dictionary<string, object?> { ["Name"] = null }),
            new("0012f000007uKgvAAE", new Dictionary<string, object?> { ["Name"] = "Never answered" }),
        ];

        var results = await test.Client.UpdateAsync("Account", updates);

        Assert.Equal(["0012f000007uKgsAAE", "0012f000007uKgtAAE", "0012f000007uKguAAE", "0012f000007uKgvAAE"], results.Select(r => r.Id));
        Assert.True(results[0].Success);
        Assert.True(results[1].Success);
        Assert.Equal(("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]"), (results[2].ErrorCode, results[2].Message));
        Assert.Equal(["Name"], results[2].Fields);
        Assert.Equal("MISSING_RESULT", results[3].ErrorCode);

        var create = JsonDocument.Parse(server.Requests.Single(r => r.Method == "POST" && r.Path == IngestJobs).Body).RootElement;
        Assert.Equal(("Account", "update", "CSV"), (create.GetProperty("object").GetString(), create.GetProperty("operation").GetString(), create.GetProperty("contentType").GetString()));
        var upload = server.Requests.Single(r => r.Method == "PUT");
        Assert.Equal($"{IngestJobs}/{IngestJobId}/batches", upload.Path);
        Assert.StartsWith("text/csv", upload.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(
            "\"Id\",\"Name\",\"Rating__c\"\n\"0012f000007uKgsAAE\",\"Foo Bar\",\"\"\n\"0012f000007uKgtAAE\",\"Bizz Buzz\",\"4.5\"\n" +
            "\"0012f000007uKguAAE\",\"#N/A\",\"\"\n\"0012f000007uKgvAAE\",\"Never answered\",\"\"\n",
            upload.Body);
        Assert.Equal("UploadComplete", JsonDocument.Parse(server.Requests.Single(r => r.Method == "PATCH").Body).RootElement.GetProperty("state").GetString());
        Assert.Equal(0, server.Count("PATCH", TestSalesforceServer.DataPath + "/composite"));
    }

    [Theory]
    [InlineData("REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --", "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", "Name")]
    [InlineData("INVALID_FIELD:Field name not found:--", "INVALID_FIELD", "Field name not found", "")]
    [InlineData("Error Message", "UNKNOWN_ERROR", "Error Message", "")]
    [InlineData("", "UNKNOWN_ERROR", "Salesforce reported a failure without a message.", "")]
    public void ParseBulkError_SfError_SplitsCodeMessageAndFields(string error, string code, string message, string fields)
    {
        var parsed = SalesforceClient.ParseBulkError(error);

        Assert.Equal((code, message), (parsed.Code, parsed.Message));
        Assert.Equal(fields.Length == 0 ? [] : fields.Split(','), parsed.Fields);
    }
}
