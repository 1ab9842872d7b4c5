using System.Text;
using System.Text.Json;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SfPredictor.Salesforce.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace SfPredictor.Salesforce.Tests.Bulk;

public sealed class BulkTests
{
    private const string QueryJobs = SalesforceMock.DataPath + "/jobs/query";
    private const string IngestJobs = SalesforceMock.DataPath + "/jobs/ingest";
    private const string QueryJobId = "750R0000000zlh9IAA";
    private const string IngestJobId = "0123456789ABC";

    private const string Page1 =
        "\"Id\",\"Name\",\"Amount\",\"Account.Industry\"\n" +
        "\"0065g00000AbCdEAAV\",\"Acme, \"\"Big\"\" Deal\nsecond line\",\"1500.5\",\"Manufacturing\"\n" +
        "\"0065g00000AbCdFAAV\",\"Globex\",\"\",\"\"\n";

    private const string Page2 =
        "\"Id\",\"Name\",\"Amount\",\"Account.Industry\"\n" +
        "\"0065g00000AbCdGAAV\",\"Initech\",\"99\",\"Software\"\n";

    private static SalesforceMock StartWithQueryJob(Func<int, string> stateOfPoll)
    {
        var salesforce = SalesforceMock.Start();
        var polls = 0;
        salesforce.Server.Given(Request.Create().WithPath(QueryJobs).UsingPost()).RespondWith(SalesforceMock.Json(200,
            $$"""{"id":"{{QueryJobId}}","operation":"query","object":"Opportunity","createdById":"005R0000000bBqKIAU","state":"UploadComplete","concurrencyMode":"Parallel","contentType":"CSV","apiVersion":62.0,"lineEnding":"LF","columnDelimiter":"COMMA"}"""));
        salesforce.Get($"{QueryJobs}/{QueryJobId}", SalesforceMock.Reply(_ => new Answer(200,
            $$"""{"id":"{{QueryJobId}}","operation":"query","object":"Opportunity","state":"{{stateOfPoll(Interlocked.Increment(ref polls))}}","errorMessage":"INVALID_FIELD: No such column 'Foo' on entity 'Opportunity'"}""")));
        salesforce.Get($"{QueryJobs}/{QueryJobId}/results", SalesforceMock.Reply(call =>
        {
            var second = call.Query.GetValueOrDefault("locator") == "MTAwMDA";
            return new Answer(200, second ? Page2 : Page1, "text/csv", new Dictionary<string, string>
            {
                ["Sforce-Locator"] = second ? "null" : "MTAwMDA",
                ["Sforce-NumberOfRecords"] = second ? "1" : "2",
            });
        }));
        return salesforce;
    }

    [Fact]
    public async Task BulkQueryAsync_PageStillBeingWritten_GivesItsFirstRowsBeforeTheRest()
    {
        // The server holds the rest of the page until the client has the first row: a client that read whole
        // pages before parsing would wait for it until its request timeout and fail.
        var firstRowTaken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (app, url) = await StartStreamingServerAsync(async (ctx, _) =>
        {
            await ctx.Response.WriteAsync("\"Id\",\"Name\"\n\"0065g00000AbCdEAAV\",\"Acme\"\n");
            await ctx.Response.Body.FlushAsync();
            await firstRowTaken.Task;
            await ctx.Response.WriteAsync("\"0065g00000AbCdFAAV\",\"Globex\"\n");
        });
        await using var server = app;
        await using var test = TestClient.Create(url, TimeProvider.System);

        var ids = new List<string?>();
        await foreach (var row in test.Client.BulkQueryAsync("SELECT Id, Name FROM Opportunity"))
        {
            ids.Add(row["Id"]);
            firstRowTaken.TrySetResult();
        }

        Assert.Equal(["0065g00000AbCdEAAV", "0065g00000AbCdFAAV"], ids);
    }

    [Fact]
    public async Task BulkQueryAsync_PageBreaksOffMidway_ReadsItAgainWithoutLosingOrRepeatingRows()
    {
        // The first answer breaks off after two of three rows; the page is asked for again.
        const string FirstRows = "\"Id\",\"Name\"\n\"0065g00000AbCdEAAV\",\"Acme\"\n\"0065g00000AbCdFAAV\",\"Globex\"\n";
        var (app, url) = await StartStreamingServerAsync((ctx, request) => request == 1
            ? BreakOff(ctx, FirstRows)
            : ctx.Response.WriteAsync(FirstRows + "\"0065g00000AbCdGAAV\",\"Initech\"\n"));
        await using var server = app;
        await using var test = TestClient.Create(url, TimeProvider.System);

        var ids = await test.Client.BulkQueryAsync("SELECT Id, Name FROM Opportunity").Select(row => row["Id"]).ToListAsync();

        Assert.Equal(["0065g00000AbCdEAAV", "0065g00000AbCdFAAV", "0065g00000AbCdGAAV"], ids);
        Assert.Contains(test.Logs.Lines, l => l.Contains($"Bulk query job {QueryJobId}: a result page broke off after 2 rows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BulkQueryAsync_PageKeepsBreakingOff_FailsAfterTheRetries()
    {
        var (app, url) = await StartStreamingServerAsync((ctx, _) => BreakOff(ctx, "\"Id\",\"Name\"\n\"0065g00000AbCdEAAV\",\"Acme\"\n"));
        await using var server = app;
        await using var test = TestClient.Create(url, TimeProvider.System, ("MaxRetries", "2"));
        var ids = new List<string?>();

        var error = await Assert.ThrowsAsync<SalesforceApiException>(async () =>
        {
            await foreach (var row in test.Client.BulkQueryAsync("SELECT Id, Name FROM Opportunity"))
            {
                ids.Add(row["Id"]);
            }
        });

        Assert.True(error.ErrorCode == "CONNECTION_FAILED", error.ToString() + "\n" + string.Join("\n", test.Logs.Lines));
        Assert.Contains($"Bulk query job {QueryJobId}: a result page broke off 3 times", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Equal(["0065g00000AbCdEAAV"], ids);
        Assert.Equal(2, test.Logs.Lines.Count(l => l.Contains("broke off", StringComparison.Ordinal)));
    }

    // A body that ends before its announced length, as a connection closed mid-page does. (Aborting the
    // connection instead can reset it before the client has even read the headers.)
    private static async Task BreakOff(HttpContext ctx, string written)
    {
        ctx.Response.ContentLength = Encoding.UTF8.GetByteCount(written) + 1000;
        await ctx.Response.WriteAsync(written);
        await ctx.Response.Body.FlushAsync();
    }

    // WireMock answers whole bodies only; these tests need a page written in parts or broken off, which
    // Kestrel can do. writeResults gets each results request and its number (1 for the first).
    private static async Task<(WebApplication App, Uri Url)> StartStreamingServerAsync(Func<HttpContext, int, Task> writeResults)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Uri url = null!;
        var requests = 0;
        app.MapPost(SalesforceMock.TokenPath, () => Results.Content(TestData.TokenResponse(url, "token-1"), "application/json"));
        app.MapPost(QueryJobs, () => Results.Content($$"""{"id":"{{QueryJobId}}","operation":"query","object":"Opportunity","state":"UploadComplete","contentType":"CSV","apiVersion":62.0}""", "application/json"));
        app.MapGet($"{QueryJobs}/{QueryJobId}", () => Results.Content($$"""{"id":"{{QueryJobId}}","operation":"query","object":"Opportunity","state":"JobComplete","contentType":"CSV","apiVersion":62.0}""", "application/json"));
        app.MapGet($"{QueryJobs}/{QueryJobId}/results", (HttpContext ctx) =>
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "text/csv";
            ctx.Response.Headers["Sforce-Locator"] = "null";
            return writeResults(ctx, Interlocked.Increment(ref requests));
        });
        await app.StartAsync();
        url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return (app, url);
    }

    [Fact]
    public async Task BulkQueryAsync_JobCompletes_PollsThenStreamsEveryResultPage()
    {
        using var salesforce = StartWithQueryJob(poll => poll < 3 ? "InProgress" : "JobComplete");
        await using var test = TestClient.Create(salesforce, ("BulkResultPageSize", "2"));

        var rows = await test.Client.BulkQueryAsync("SELECT Id, Name, Amount, Account.Industry FROM Opportunity").ToListAsync();

        Assert.Equal(["0065g00000AbCdEAAV", "0065g00000AbCdFAAV", "0065g00000AbCdGAAV"], rows.Select(r => r["Id"]));
        Assert.Equal("Acme, \"Big\" Deal\nsecond line", rows[0]["Name"]);
        Assert.Equal("Manufacturing", rows[0]["Account.Industry"]);
        Assert.Null(rows[1]["Amount"]);
        var create = JsonDocument.Parse(Assert.Single(salesforce.Received("POST", QueryJobs)).Body!).RootElement;
        Assert.Equal("query", create.GetProperty("operation").GetString());
        Assert.Equal("SELECT Id, Name, Amount, Account.Industry FROM Opportunity", create.GetProperty("query").GetString());
        Assert.Equal("CSV", create.GetProperty("contentType").GetString());
        Assert.Equal(3, salesforce.Count("GET", $"{QueryJobs}/{QueryJobId}") - salesforce.Count("GET", $"{QueryJobs}/{QueryJobId}/results"));
        Assert.Equal(["?maxRecords=2", "?maxRecords=2&locator=MTAwMDA"], salesforce.Received("GET", $"{QueryJobs}/{QueryJobId}/results").Select(r => r.RawQuery));
    }

    [Fact]
    public async Task BulkQueryAsync_IncludeDeleted_CreatesQueryAllJob()
    {
        using var salesforce = StartWithQueryJob(_ => "JobComplete");
        await using var test = TestClient.Create(salesforce);

        await test.Client.BulkQueryAsync("SELECT Id FROM Opportunity", includeDeleted: true).ToListAsync();

        var create = JsonDocument.Parse(Assert.Single(salesforce.Received("POST", QueryJobs)).Body!).RootElement;
        Assert.Equal("queryAll", create.GetProperty("operation").GetString());
    }

    [Fact]
    public async Task BulkQueryAsync_JobFails_ThrowsWithSalesforceReason()
    {
        using var salesforce = StartWithQueryJob(_ => "Failed");
        await using var test = TestClient.Create(salesforce);

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => test.Client.BulkQueryAsync("SELECT Foo FROM Opportunity").ToListAsync().AsTask());

        Assert.Equal("BULK_JOB_FAILED", error.ErrorCode);
        Assert.Contains("No such column 'Foo'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, salesforce.Count("GET", $"{QueryJobs}/{QueryJobId}/results"));
    }

    [Fact]
    public async Task UpdateAsync_AboveBulkWriteThreshold_RunsIngestJobAndReturnsEveryOutcome()
    {
        var failed = "\"sf__Id\",\"sf__Error\",\"Id\",\"Name\"\n" +
                     "\"\",\"REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --\",\"0012f000007uKguAAE\",\"#N/A\"\n";
        const string Job = IngestJobs + "/" + IngestJobId;
        using var salesforce = SalesforceMock.Start();
        salesforce.Server.Given(Request.Create().WithPath(IngestJobs).UsingPost()).RespondWith(SalesforceMock.Json(200, TestData.Read("create_job_success_response.json")));
        salesforce.Server.Given(Request.Create().WithPath(Job + "/batches").UsingPut()).RespondWith(Response.Create().WithStatusCode(201));
        salesforce.Server.Given(Request.Create().WithPath(Job).UsingPatch()).RespondWith(SalesforceMock.Json(200, TestData.Read("close_job_success_response.json")));
        salesforce.Get(Job, SalesforceMock.Json(200, TestData.Read("check_status_success_response.json")));
        // The results resources end in a slash, as Salesforce documents them.
        salesforce.Get(Job + "/successfulResults/", Csv(TestData.ReadJsonString("success_results_success_response.json")));
        salesforce.Get(Job + "/failedResults/", Csv(failed));
        await using var test = TestClient.Create(salesforce, ("BulkWriteThreshold", "3"));
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

        var create = JsonDocument.Parse(Assert.Single(salesforce.Received("POST", IngestJobs)).Body!).RootElement;
        Assert.Equal(("Account", "update", "CSV"), (create.GetProperty("object").GetString(), create.GetProperty("operation").GetString(), create.GetProperty("contentType").GetString()));
        var upload = Assert.Single(salesforce.Calls, r => r.Method == "PUT");
        Assert.Equal($"{IngestJobs}/{IngestJobId}/batches", upload.Path);
        Assert.StartsWith("text/csv", upload.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(
            "\"Id\",\"Name\",\"Rating__c\"\n\"0012f000007uKgsAAE\",\"Foo Bar\",\"\"\n\"0012f000007uKgtAAE\",\"Bizz Buzz\",\"4.5\"\n" +
            "\"0012f000007uKguAAE\",\"#N/A\",\"\"\n\"0012f000007uKgvAAE\",\"Never answered\",\"\"\n",
            upload.Body);
        Assert.Equal("UploadComplete", JsonDocument.Parse(Assert.Single(salesforce.Calls, r => r.Method == "PATCH").Body!).RootElement.GetProperty("state").GetString());
        Assert.Equal(0, salesforce.Count("PATCH", SalesforceMock.DataPath + "/composite"));
    }

    private static IResponseBuilder Csv(string body) => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/csv").WithBody(body);

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
