using System.Net;
using System.Text.Json;
using SfPredictor.LocalOrg.Tests.Infrastructure;

namespace SfPredictor.LocalOrg.Tests.Write;

public sealed class CollectionsUpdateTests
{
    private static readonly string Path = OrgHarness.Api("composite/sobjects");

    [Fact]
    public async Task Update_ValidRecords_PersistsToTheExportWithNewModstamp()
    {
        await using var org = await OrgHarness.StartAsync(configure: o => o.CustomFields.Add("Opportunity.SfP_Win_Probability__c:percent"));
        org.Time.Advance(TimeSpan.FromHours(1));

        var result = await org.SendJsonAsync(HttpMethod.Patch, Path, $$"""
            {"allOrNone": false, "records": [
              {"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.AcmeExpansion}}", "SfP_Win_Probability__c": 0.37, "Score__c": 0.5},
              {"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.AcmeRenewal[..15]}}", "SfP_Win_Probability__c": 0.81, "Notes__c": null}
            ]}
            """);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        JsonAssert.SameShape(Responses.Load("composite_sobjects_success_response.json"), result.Body);
        Assert.Equal([SampleExport.AcmeExpansion, SampleExport.AcmeRenewal], result.Body.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.All(result.Body.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean()));
        var seen = Assert.Single(await org.RecordsAsync($"SELECT SfP_Win_Probability__c, SystemModstamp FROM Opportunity WHERE Id = '{SampleExport.AcmeRenewal}'"));
        Assert.Equal(0.81m, seen.GetProperty("SfP_Win_Probability__c").GetDecimal());
        Assert.Equal("2025-03-01T13:00:00.000+0000", seen.GetProperty("SystemModstamp").GetString());

        // Stopping the org writes what is pending; the file must read back with the Data Export reader.
        await org.Server.DisposeAsync();
        var rows = org.Folder.Read("Opportunity");
        Assert.Equal(6, rows.Count);
        var expansion = rows.Single(r => r["Id"] == SampleExport.AcmeExpansion);
        Assert.Equal("0.37", expansion["SfP_Win_Probability__c"]);
        Assert.Equal("0.5", expansion["Score__c"]);
        Assert.Equal("2025-03-01 13:00:00", expansion["SystemModstamp"]);
        Assert.Equal("2025-03-01 13:00:00", expansion["LastModifiedDate"]);
        Assert.Equal("Big, \"quoted\" deal", expansion["Notes__c"]);
        Assert.Equal("2025-01-05 10:00:00", expansion["CreatedDate"]);
        Assert.Equal("0.81", rows.Single(r => r["Id"] == SampleExport.AcmeRenewal)["SfP_Win_Probability__c"]);
        var untouched = rows.Single(r => r["Id"] == SampleExport.GlobexPilot);
        Assert.Equal(string.Empty, untouched["SfP_Win_Probability__c"]);
        Assert.Equal("2024-12-01 17:45:00", untouched["SystemModstamp"]);
        Assert.False(File.Exists(org.Folder.FileOf("Opportunity") + ".sfp-tmp"));
    }

    [Fact]
    public async Task FlushAsync_AfterUpdate_WritesWhileRunning()
    {
        await using var org = await OrgHarness.StartAsync();

        await org.SendJsonAsync(HttpMethod.Patch, Path, $$"""
            {"records": [{"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.Orphan}}", "StageName": "Closed Won", "CloseDate": "2025-03-02", "Amount": 75}]}
            """);
        await org.Server.FlushAsync();

        var orphan = org.Folder.Read("Opportunity").Single(r => r["Id"] == SampleExport.Orphan);
        Assert.Equal(("Closed Won", "2025-03-02", "75"), (orphan["StageName"], orphan["CloseDate"], orphan["Amount"]));
    }

    [Fact]
    public async Task Update_InvalidRecords_AnswersPerRecordErrorsAndSavesTheRest()
    {
        await using var org = await OrgHarness.StartAsync();

        var result = await org.SendJsonAsync(HttpMethod.Patch, Path, $$"""
            {"allOrNone": false, "records": [
              {"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.AcmeExpansion}}", "Foo__c": 1},
              {"attributes": {"type": "Opportunity"}, "id": "006RM000003oLrB0", "Score__c": 1},
              {"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.Acme}}", "Score__c": 1},
              {"attributes": {"type": "Opportunity"}, "id": "{{TestIds.Long("006", 99)}}", "Score__c": 1},
              {"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.AcmeExpansion}}", "IsWon": true},
              {"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.AcmeExpansion}}", "Amount": "lots"},
              {"attributes": {"type": "Opportunity"}, "Score__c": 1},
              {"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.AcmeRenewal}}", "Score__c": 0.99}
            ]}
            """);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        var outcomes = result.Body.EnumerateArray().ToList();
        Assert.Equal(
            ["INVALID_FIELD", "MALFORMED_ID", "MALFORMED_ID", "ENTITY_IS_DELETED", "INVALID_FIELD_FOR_INSERT_UPDATE", "INVALID_TYPE_ON_FIELD_IN_RECORD", "MISSING_ARGUMENT"],
            outcomes.Take(7).Select(o => o.GetProperty("errors")[0].GetProperty("statusCode").GetString()));
        Assert.All(outcomes.Take(7), o => Assert.False(o.GetProperty("success").GetBoolean()));
        Assert.False(outcomes[0].TryGetProperty("id", out _));
        Assert.Equal(["Foo__c"], outcomes[0].GetProperty("errors")[0].GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("No such column 'Foo__c' on sobject of type Opportunity", outcomes[0].GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal($"Opportunity ID: id value of incorrect type: {SampleExport.Acme}", outcomes[2].GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.True(outcomes[7].GetProperty("success").GetBoolean());
        var saved = Assert.Single(await org.RecordsAsync($"SELECT Score__c FROM Opportunity WHERE Id = '{SampleExport.AcmeRenewal}'"));
        Assert.Equal(0.99m, saved.GetProperty("Score__c").GetDecimal());
    }

    [Fact]
    public async Task Update_AllOrNoneWithOneFailure_RollsBackEveryRecord()
    {
        await using var org = await OrgHarness.StartAsync();

        var result = await org.SendJsonAsync(HttpMethod.Patch, Path, $$"""
            {"allOrNone": true, "records": [
              {"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.AcmeExpansion}}", "Score__c": 0.11},
              {"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.AcmeRenewal}}", "Nope__c": 1}
            ]}
            """);

        var outcomes = result.Body.EnumerateArray().ToList();
        Assert.Equal(SampleExport.AcmeExpansion, outcomes[0].GetProperty("id").GetString());
        Assert.False(outcomes[0].GetProperty("success").GetBoolean());
        Assert.Equal("ALL_OR_NONE_OPERATION_ROLLED_BACK", outcomes[0].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.Equal("INVALID_FIELD", outcomes[1].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        var unchanged = Assert.Single(await org.RecordsAsync($"SELECT Score__c FROM Opportunity WHERE Id = '{SampleExport.AcmeExpansion}'"));
        Assert.Equal(0.42m, unchanged.GetProperty("Score__c").GetDecimal());
    }

    [Fact]
    public async Task Update_MoreThan200Records_AnswersExceededIdLimit()
    {
        await using var org = await OrgHarness.StartAsync();
        var records = string.Join(",", Enumerable.Repeat($$"""{"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.AcmeExpansion}}", "Score__c": 1}""", 201));

        var result = await org.SendJsonAsync(HttpMethod.Patch, Path, $$"""{"records": [{{records}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("EXCEEDED_ID_LIMIT", result.Body[0].GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Update_BodyNotJson_AnswersJsonParserError()
    {
        await using var org = await OrgHarness.StartAsync();

        var result = await org.SendJsonAsync(HttpMethod.Patch, Path, "{\"records\": [");

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("JSON_PARSER_ERROR", result.Body[0].GetProperty("errorCode").GetString());
        Assert.Equal(JsonValueKind.String, result.Body[0].GetProperty("message").ValueKind);
    }
}
