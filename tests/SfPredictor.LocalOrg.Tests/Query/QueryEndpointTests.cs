using System.Globalization;
using System.Net;
using System.Text.Json;
using SfPredictor.LocalOrg.Tests.Infrastructure;

namespace SfPredictor.LocalOrg.Tests.Query;

public sealed class QueryEndpointTests
{
    [Fact]
    public async Task Query_OpenOpportunitiesWithAccountFields_AnswersRecordsWithNestedAccount()
    {
        await using var org = await OrgHarness.StartAsync();

        var result = await org.QueryAsync(
            "SELECT Id, Name, Amount, CloseDate, IsClosed, SystemModstamp, Account.Name, Account.Industry FROM Opportunity WHERE IsClosed = false ORDER BY Name");

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(3, result.Body.GetProperty("totalSize").GetInt32());
        Assert.True(result.Body.GetProperty("done").GetBoolean());
        var first = result.Body.GetProperty("records")[0];
        JsonAssert.SameQueryEnvelope(Responses.Load("query_success_response.json"), result.Body);
        JsonAssert.SameShape(Responses.Load("query_success_response.json").GetProperty("records")[0].GetProperty("ParentWhizbang__r").GetProperty("attributes"), first.GetProperty("Account").GetProperty("attributes"));
        Assert.Equal("Opportunity", first.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal($"/services/data/v62.0/sobjects/Opportunity/{SampleExport.AcmeExpansion}", first.GetProperty("attributes").GetProperty("url").GetString());
        Assert.Equal(SampleExport.AcmeExpansion, first.GetProperty("Id").GetString());
        Assert.Equal(1500m, first.GetProperty("Amount").GetDecimal());
        Assert.Equal("2025-04-15", first.GetProperty("CloseDate").GetString());
        Assert.Equal(JsonValueKind.False, first.GetProperty("IsClosed").ValueKind);
        Assert.Equal("2025-01-05T10:00:00.000+0000", first.GetProperty("SystemModstamp").GetString());
        var account = first.GetProperty("Account");
        Assert.Equal("Account", account.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal("Acme", account.GetProperty("Name").GetString());
        Assert.Equal("Technology", account.GetProperty("Industry").GetString());
        var orphan = result.Body.GetProperty("records")[2];
        Assert.Equal(JsonValueKind.Null, orphan.GetProperty("Account").ValueKind);
    }

    [Fact]
    public async Task Query_ExportWithoutAccountSystemModstamp_StampsFromCreatedDateAndFromEachUpdate()
    {
        await using var org = await OrgHarness.StartAsync();
        org.Time.Advance(TimeSpan.FromHours(1));
        var update = await org.SendJsonAsync(HttpMethod.Patch, OrgHarness.Api("composite/sobjects"), $$"""
            {"allOrNone": false, "records": [{"attributes": {"type": "Account"}, "id": "{{SampleExport.Acme}}", "Industry": "Software"}]}
            """);

        var changed = await org.RecordsAsync("SELECT Id, SystemModstamp FROM Account WHERE SystemModstamp >= 2023-02-01T00:00:00Z ORDER BY Name");

        Assert.Equal(HttpStatusCode.OK, update.Status);
        Assert.Equal(
            [(SampleExport.Acme, "2025-03-01T13:00:00.000+0000"), (SampleExport.Globex, "2023-02-11T10:00:00.000+0000"), (SampleExport.Initech, "2023-03-12T11:00:00.000+0000")],
            changed.Select(r => (r.GetProperty("Id").GetString(), r.GetProperty("SystemModstamp").GetString())));
    }

    [Fact]
    public async Task Query_MultiCurrencyExportWithoutRecordCurrencies_AnswersTheCorporateCurrency()
    {
        await using var org = await OrgHarness.StartAsync(folder =>
        {
            SampleExport.Write(folder);
            folder.Write("CurrencyType", ["IsoCode", "ConversionRate", "IsCorporate", "IsActive"], [["EUR", "0.92", "0", "1"], ["USD", "1", "1", "1"]]);
        });

        var accounts = await org.RecordsAsync("SELECT Id, CurrencyIsoCode FROM Account");
        var opportunities = await org.RecordsAsync("SELECT Id, CurrencyIsoCode FROM Opportunity");

        Assert.Equal(3, accounts.Count);
        Assert.All(accounts.Concat(opportunities), r => Assert.Equal("USD", r.GetProperty("CurrencyIsoCode").GetString()));
    }

    [Fact]
    public async Task QueryMore_ManyRecords_PagesThroughNextRecordsUrl()
    {
        await using var org = await OrgHarness.StartAsync(WriteManyOpportunities, o => o.QueryBatchSize = 200);

        var seen = new List<string>();
        var result = await org.QueryAsync("SELECT Id, Name FROM Opportunity ORDER BY Name");
        var pages = 1;
        JsonAssert.SameQueryEnvelope(Responses.Load("query_paginated_first_page_response.json"), result.Body);
        while (true)
        {
            Assert.Equal(HttpStatusCode.OK, result.Status);
            Assert.Equal(450, result.Body.GetProperty("totalSize").GetInt32());
            seen.AddRange(result.Body.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Name").GetString()!));
            if (result.Body.GetProperty("done").GetBoolean())
            {
                Assert.False(result.Body.TryGetProperty("nextRecordsUrl", out _));
                break;
            }

            var next = result.Body.GetProperty("nextRecordsUrl").GetString()!;
            Assert.Matches("^/services/data/v62.0/query/01g[0-9A-Za-z]{15}-[0-9]+$", next);
            result = await org.GetAsync(next);
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 450).Select(Name), seen);
    }

    [Fact]
    public async Task Query_BatchSizeHeader_SetsPageSize()
    {
        await using var org = await OrgHarness.StartAsync(WriteManyOpportunities);

        var result = await org.QueryAsync("SELECT Id FROM Opportunity", headers: ("Sforce-Query-Options", "batchSize=300"));

        Assert.Equal(300, result.Body.GetProperty("records").GetArrayLength());
        Assert.EndsWith("-300", result.Body.GetProperty("nextRecordsUrl").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryMore_UnknownLocator_AnswersInvalidQueryLocator()
    {
        await using var org = await OrgHarness.StartAsync();

        var result = await org.GetAsync(OrgHarness.Api("query/01g000000000001AAA-2000"));

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("INVALID_QUERY_LOCATOR", result.Body[0].GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Query_CustomFields_AreTypedByTheirValues()
    {
        await using var org = await OrgHarness.StartAsync();

        var record = Assert.Single(await org.RecordsAsync("SELECT Score__c, Notes__c FROM Opportunity WHERE Name = 'Acme Expansion'"));

        Assert.Equal(JsonValueKind.Number, record.GetProperty("Score__c").ValueKind);
        Assert.Equal(0.42m, record.GetProperty("Score__c").GetDecimal());
        Assert.Equal("Big, \"quoted\" deal", record.GetProperty("Notes__c").GetString());
    }

    internal static string Name(int n) => "Deal " + n.ToString("D4", CultureInfo.InvariantCulture);

    internal static void WriteManyOpportunities(ExportFolder folder) =>
        folder.Write("Opportunity", ["Id", "Name", "StageName", "Amount", "IsClosed"], Enumerable.Range(1, 450)
            .Select(n => new string?[] { TestIds.Long("006", n), Name(n), "Prospecting", (n * 10).ToString(CultureInfo.InvariantCulture), "0" }));
}
