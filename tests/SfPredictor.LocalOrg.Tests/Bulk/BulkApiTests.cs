using System.Net;
using System.Text;
using SfPredictor.DataExport;
using SfPredictor.LocalOrg.Tests.Infrastructure;
using SfPredictor.LocalOrg.Tests.Query;

namespace SfPredictor.LocalOrg.Tests.Bulk;

public sealed class BulkApiTests
{
    [Fact]
    public async Task QueryJob_PolledToCompletion_ServesResultSetsByLocator()
    {
        await using var org = await OrgHarness.StartAsync(QueryEndpointTests.WriteManyOpportunities);

        var created = await org.SendJsonAsync(HttpMethod.Post, OrgHarness.Api("jobs/query"), """{"operation": "query", "query": "SELECT Id, Name, Amount, IsClosed FROM Opportunity ORDER BY Name"}""");
        var id = created.Body.GetProperty("id").GetString()!;
        var early = await org.GetAsync(OrgHarness.Api($"jobs/query/{id}/results"));
        var states = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            states.Add((await org.GetAsync(OrgHarness.Api($"jobs/query/{id}"))).Body.GetProperty("state").GetString()!);
        }

        var rows = new List<string[]>();
        var locator = string.Empty;
        var sets = 0;
        while (locator != "null")
        {
            var page = await org.GetAsync(OrgHarness.Api($"jobs/query/{id}/results?maxRecords=200" + (locator.Length > 0 ? "&locator=" + locator : string.Empty)));
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var read = ReadCsv(page.Text);
            Assert.Equal(["Id", "Name", "Amount", "IsClosed"], read.Header);
            Assert.Equal(read.Rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Header("Sforce-NumberOfRecords"));
            rows.AddRange(read.Rows);
            locator = page.Header("Sforce-Locator")!;
            sets++;
        }

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal("UploadComplete", created.Body.GetProperty("state").GetString());
        Assert.Equal("V2Query", created.Body.GetProperty("jobType").GetString());
        Assert.Equal(HttpStatusCode.PreconditionFailed, early.Status);
        Assert.Equal(["InProgress", "JobComplete"], states);
        Assert.Equal(3, sets);
        Assert.Equal(Enumerable.Range(1, 450).Select(QueryEndpointTests.Name), rows.Select(r => r[1]));
        Assert.Equal(("10", "false"), (rows[0][2], rows[0][3]));
    }

    [Theory]
    [InlineData("SELECT COUNT() FROM Opportunity", "INVALIDJOB")]
    [InlineData("SELECT Id FROM Opportunity OFFSET 5", "INVALIDJOB")]
    [InlineData("SELECT Nope FROM Opportunity", "INVALID_FIELD")]
    public async Task QueryJob_UnsupportedQuery_IsRefused(string soql, string errorCode)
    {
        await using var org = await OrgHarness.StartAsync();

        var created = await org.SendJsonAsync(HttpMethod.Post, OrgHarness.Api("jobs/query"), $$"""{"operation": "query", "query": "{{soql}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        Assert.Equal(errorCode, created.Body[0].GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task IngestJob_UpdateCsv_AppliesRowsAndReportsEachOutcome()
    {
        await using var org = await OrgHarness.StartAsync();
        var csv = $"Id,Score__c,Notes__c\n{SampleExport.AcmeExpansion},0.9,#N/A\n{SampleExport.AcmeRenewal},not-a-number,\n{TestIds.Long("006", 77)},0.1,\n";

        var created = await org.SendJsonAsync(HttpMethod.Post, OrgHarness.Api("jobs/ingest"), """{"object": "Opportunity", "operation": "update", "contentType": "CSV", "lineEnding": "LF"}""");
        var id = created.Body.GetProperty("id").GetString()!;
        var upload = await org.SendAsync(HttpMethod.Put, OrgHarness.Api($"jobs/ingest/{id}/batches"), new StringContent(csv, Encoding.UTF8, "text/csv"));
        var closed = await org.SendJsonAsync(HttpMethod.Patch, OrgHarness.Api($"jobs/ingest/{id}"), """{"state": "UploadComplete"}""");
        var polls = new[] { await org.GetAsync(OrgHarness.Api($"jobs/ingest/{id}")), await org.GetAsync(OrgHarness.Api($"jobs/ingest/{id}")) };
        var successes = ReadCsv((await org.GetAsync(OrgHarness.Api($"jobs/ingest/{id}/successfulResults/"))).Text);
        var failures = ReadCsv((await org.GetAsync(OrgHarness.Api($"jobs/ingest/{id}/failedResults/"))).Text);

        JsonAssert.SameShape(Responses.Load("create_job_success_response.json"), created.Body);
        Assert.Equal("Open", created.Body.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        Assert.Equal("UploadComplete", closed.Body.GetProperty("state").GetString());
        Assert.Equal("JobComplete", polls[1].Body.GetProperty("state").GetString());
        Assert.Equal(3, polls[1].Body.GetProperty("numberRecordsProcessed").GetInt32());
        Assert.Equal(2, polls[1].Body.GetProperty("numberRecordsFailed").GetInt32());
        Assert.Equal(["sf__Id", "sf__Created", "Id", "Score__c", "Notes__c"], successes.Header);
        Assert.Equal([[SampleExport.AcmeExpansion, "false", SampleExport.AcmeExpansion, "0.9", "#N/A"]], successes.Rows);
        Assert.Equal(["sf__Id", "sf__Error", "Id", "Score__c", "Notes__c"], failures.Header);
        Assert.StartsWith("INVALID_TYPE_ON_FIELD_IN_RECORD:", failures.Rows[0][1], StringComparison.Ordinal);
        Assert.StartsWith("ENTITY_IS_DELETED:", failures.Rows[1][1], StringComparison.Ordinal);
        var updated = Assert.Single(await org.RecordsAsync($"SELECT Score__c, Notes__c FROM Opportunity WHERE Id = '{SampleExport.AcmeExpansion}'"));
        Assert.Equal(0.9m, updated.GetProperty("Score__c").GetDecimal());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, updated.GetProperty("Notes__c").ValueKind);
        await org.Server.FlushAsync();
        Assert.Equal("0.9", org.Folder.Read("Opportunity").Single(r => r["Id"] == SampleExport.AcmeExpansion)["Score__c"]);
    }

    [Fact]
    public async Task IngestJob_CsvWithoutId_Fails()
    {
        await using var org = await OrgHarness.StartAsync();

        var created = await org.SendJsonAsync(HttpMethod.Post, OrgHarness.Api("jobs/ingest"), """{"object": "Opportunity", "operation": "update"}""");
        var id = created.Body.GetProperty("id").GetString()!;
        await org.SendAsync(HttpMethod.Put, OrgHarness.Api($"jobs/ingest/{id}/batches"), new StringContent("Name\nx\n", Encoding.UTF8, "text/csv"));
        var closed = await org.SendJsonAsync(HttpMethod.Patch, OrgHarness.Api($"jobs/ingest/{id}"), """{"state": "UploadComplete"}""");

        Assert.Equal("Failed", closed.Body.GetProperty("state").GetString());
        Assert.Contains("Id", closed.Body.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"object": "Opportunity", "operation": "insert"}""")]
    [InlineData("""{"object": "Whizbang", "operation": "update"}""")]
    [InlineData("""{"object": "Opportunity", "operation": "update", "columnDelimiter": "TAB"}""")]
    public async Task IngestJob_UnsupportedRequest_IsRefused(string body)
    {
        await using var org = await OrgHarness.StartAsync();

        var created = await org.SendJsonAsync(HttpMethod.Post, OrgHarness.Api("jobs/ingest"), body);

        Assert.Equal(HttpStatusCode.BadRequest, created.Status);
        Assert.Equal("INVALIDJOB", created.Body[0].GetProperty("errorCode").GetString());
    }

    private static (IReadOnlyList<string> Header, List<string[]> Rows) ReadCsv(string text)
    {
        using var reader = ExportCsvReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)), "results");
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader[i]).ToArray());
        }

        return (reader.Header, rows);
    }
}
