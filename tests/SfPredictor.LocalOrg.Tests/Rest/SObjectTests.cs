using System.Net;
using SfPredictor.LocalOrg.Tests.Infrastructure;

namespace SfPredictor.LocalOrg.Tests.Rest;

public sealed class SObjectTests
{
    private static string Record(string type, string id) => OrgHarness.Api($"sobjects/{type}/{id}");

    [Fact]
    public async Task Get_WithFields_AnswersThoseFieldsAndStandardOnesTheExportLacks()
    {
        await using var org = await OrgHarness.StartAsync();

        var result = await org.GetAsync(Record("Opportunity", SampleExport.AcmeExpansion[..15]) + "?fields=Name,Amount,NextStep,Account.Name");

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("Acme Expansion", result.Body.GetProperty("Name").GetString());
        Assert.Equal(1500m, result.Body.GetProperty("Amount").GetDecimal());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.Body.GetProperty("NextStep").ValueKind);
        Assert.Equal("Acme", result.Body.GetProperty("Account").GetProperty("Name").GetString());
        Assert.Equal($"/services/data/v{OrgHarness.Version}/sobjects/Opportunity/{SampleExport.AcmeExpansion}", result.Body.GetProperty("attributes").GetProperty("url").GetString());
    }

    [Fact]
    public async Task Get_UnknownFieldOrRecord_AnswersSalesforceErrors()
    {
        await using var org = await OrgHarness.StartAsync();

        var badField = await org.GetAsync(Record("Opportunity", SampleExport.AcmeExpansion) + "?fields=Nope__c");
        var missing = await org.GetAsync(Record("Opportunity", TestIds.Long("006", 99)));
        var deleted = await org.GetAsync(Record("Opportunity", SampleExport.Deleted));
        var badType = await org.GetAsync(Record("Nope", SampleExport.AcmeExpansion));

        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_FIELD"), (badField.Status, badField.Body[0].GetProperty("errorCode").GetString()));
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (missing.Status, missing.Body[0].GetProperty("errorCode").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, badType.Status);
    }

    [Fact]
    public async Task PatchPostDelete_Task_AreSavedAndPersisted()
    {
        await using var org = await OrgHarness.StartAsync();

        var created = await org.SendJsonAsync(HttpMethod.Post, OrgHarness.Api("sobjects/Task"), $$"""{"Subject": "Call back", "WhatId": "{{SampleExport.AcmeExpansion}}", "ActivityDate": "2025-03-04"}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Body.GetProperty("id").GetString()!;
        Assert.StartsWith("00T", id, StringComparison.Ordinal);
        Assert.True(created.Body.GetProperty("success").GetBoolean());

        var patched = await org.SendJsonAsync(HttpMethod.Patch, Record("Task", id), """{"Status": "Completed", "Description": "Reached them"}""");
        Assert.Equal(HttpStatusCode.NoContent, patched.Status);
        var read = await org.GetAsync(Record("Task", id) + "?fields=Subject,Status,Priority,Description,OwnerId");
        Assert.Equal(("Call back", "Completed", "Normal", "Reached them", SampleExport.Ada), (
            read.Body.GetProperty("Subject").GetString(), read.Body.GetProperty("Status").GetString(), read.Body.GetProperty("Priority").GetString(),
            read.Body.GetProperty("Description").GetString(), read.Body.GetProperty("OwnerId").GetString()));
        Assert.Single(await org.RecordsAsync($"SELECT Id FROM Task WHERE WhatId = '{SampleExport.AcmeExpansion}' AND Subject = 'Call back'"));

        var deleted = await org.SendAsync(HttpMethod.Delete, Record("Task", id), null);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await org.GetAsync(Record("Task", id))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await org.SendAsync(HttpMethod.Delete, Record("Task", id), null)).Status);
        Assert.Empty(await org.RecordsAsync($"SELECT Id FROM Task WHERE Subject = 'Call back'"));
        Assert.Single(await org.RecordsAsync($"SELECT Id FROM Task WHERE Subject = 'Call back'", "queryAll"));

        await org.Server.DisposeAsync();
        var row = org.Folder.Read("Task").Single(r => r["Id"] == id);
        Assert.Equal(("Completed", "Reached them", "1"), (row["Status"], row["Description"], row["IsDeleted"]));
    }

    [Fact]
    public async Task Post_CompletedTask_IsClosedWithCompletedDateTime_AnOpenOneIsNot()
    {
        // An export with the CompletedDateTime column, as Data Export writes it.
        await using var org = await OrgHarness.StartAsync(folder =>
        {
            SampleExport.Write(folder);
            folder.Write("Task", ["Id", "WhatId", "OwnerId", "Subject", "Status", "ActivityDate", "IsClosed", "CompletedDateTime", "CreatedDate", "SystemModstamp"], [
                [TestIds.Long("00T", 1), SampleExport.AcmeExpansion, SampleExport.Ada, "Call about pricing", "Completed", "2025-01-20", "1", "2025-01-20 15:00:00", "2025-01-20 15:00:00", "2025-01-20 15:00:00"],
            ]);
        });

        var completed = await org.SendJsonAsync(HttpMethod.Post, OrgHarness.Api("sobjects/Task"), $$"""{"Subject": "Call", "WhatId": "{{SampleExport.AcmeExpansion}}", "Status": "Completed"}""");
        var open = await org.SendJsonAsync(HttpMethod.Post, OrgHarness.Api("sobjects/Task"), $$"""{"Subject": "Call back", "WhatId": "{{SampleExport.AcmeExpansion}}"}""");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (completed.Status, open.Status));

        var closed = await org.GetAsync(Record("Task", completed.Body.GetProperty("id").GetString()!) + "?fields=IsClosed,CompletedDateTime");
        Assert.True(closed.Body.GetProperty("IsClosed").GetBoolean());
        Assert.Equal("2025-03-01T12:00:00.000+0000", closed.Body.GetProperty("CompletedDateTime").GetString());
        var notClosed = await org.GetAsync(Record("Task", open.Body.GetProperty("id").GetString()!) + "?fields=IsClosed,CompletedDateTime");
        Assert.False(notClosed.Body.GetProperty("IsClosed").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, notClosed.Body.GetProperty("CompletedDateTime").ValueKind);
    }

    [Fact]
    public async Task Post_EventIntoAnEmptyEventFile_CreatesTheFirstEvent()
    {
        await using var org = await OrgHarness.StartAsync(write: folder =>
        {
            SampleExport.Write(folder);
            folder.Write("Event", ["Id", "WhatId", "Subject", "StartDateTime", "EndDateTime", "DurationInMinutes", "OwnerId"], []);
        });

        var created = await org.SendJsonAsync(HttpMethod.Post, OrgHarness.Api("sobjects/Event"), $$"""{"Subject": "Demo", "WhatId": "{{SampleExport.AcmeRenewal}}", "StartDateTime": "2025-03-05T14:00:00.000+0000", "EndDateTime": "2025-03-05T15:00:00.000+0000", "DurationInMinutes": 60}""");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Body.GetProperty("id").GetString()!;
        Assert.StartsWith("00U", id, StringComparison.Ordinal);
        var read = Assert.Single(await org.RecordsAsync("SELECT Id, Subject, StartDateTime, OwnerId FROM Event"));
        Assert.Equal((id, "Demo", "2025-03-05T14:00:00.000+0000", SampleExport.Ada), (read.GetProperty("Id").GetString(), read.GetProperty("Subject").GetString(), read.GetProperty("StartDateTime").GetString(), read.GetProperty("OwnerId").GetString()));
    }

    [Theory]
    [InlineData("""{"Name": "{{long}}"}""", "STRING_TOO_LONG", "Name")]
    [InlineData("""{"Notes__c": "{{long}}"}""", "STRING_TOO_LONG", "Notes__c")]
    [InlineData("""{"Amount": 1e20}""", "NUMBER_OUTSIDE_VALID_RANGE", "Amount")]
    [InlineData("""{"Probability": 1000}""", "NUMBER_OUTSIDE_VALID_RANGE", "Probability")]
    [InlineData("""{"StageName": "Dreaming"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "StageName")]
    [InlineData("""{"ForecastCategoryName": "Maybe"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "ForecastCategoryName")]
    [InlineData("""{"Name": null}""", "REQUIRED_FIELD_MISSING", "Name")]
    [InlineData("""{"IsWon": true}""", "INVALID_FIELD_FOR_INSERT_UPDATE", "IsWon")]
    public async Task Patch_ValueOutsideTheFieldsLimits_RefusedAsSalesforceDoes(string body, string code, string field)
    {
        await using var org = await OrgHarness.StartAsync(configure: o => o.CustomFields.Add("Opportunity.Notes__c:string(20)"));

        var result = await org.SendJsonAsync(HttpMethod.Patch, Record("Opportunity", SampleExport.AcmeExpansion), body.Replace("{{long}}", new string('x', 300), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal(code, result.Body[0].GetProperty("errorCode").GetString());
        Assert.Equal([field], result.Body[0].GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("Acme Expansion", Assert.Single(await org.RecordsAsync($"SELECT Name FROM Opportunity WHERE Id = '{SampleExport.AcmeExpansion}'")).GetProperty("Name").GetString());
    }

    [Fact]
    public async Task Collections_StringTooLong_FailsThatRecordOnly()
    {
        await using var org = await OrgHarness.StartAsync(configure: o => o.CustomFields.Add("Opportunity.SfP_Trend__c:string(20)"));

        var result = await org.SendJsonAsync(HttpMethod.Patch, OrgHarness.Api("composite/sobjects"), $$"""
            {"records": [
              {"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.AcmeExpansion}}", "SfP_Trend__c": "{{new string('x', 21)}}"},
              {"attributes": {"type": "Opportunity"}, "id": "{{SampleExport.AcmeRenewal}}", "SfP_Trend__c": "up"}
            ]}
            """);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("STRING_TOO_LONG", result.Body[0].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.True(result.Body[1].GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task IdentityAndUserInfo_WithTheSession_DescribeTheUser()
    {
        await using var org = await OrgHarness.StartAsync(login: false);
        var token = await org.LoginAsync();
        _ = token;
        var login = await org.SendAsync(HttpMethod.Post, "/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = OrgHarness.ClientId,
            ["client_secret"] = OrgHarness.ClientSecret,
        }));
        var identityUrl = new Uri(login.Body.GetProperty("id").GetString()!);

        var identity = await org.GetAsync(identityUrl.PathAndQuery);
        var userInfo = await org.GetAsync("/services/oauth2/userinfo");
        org.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "00D000000000001!nope");
        var refused = await org.GetAsync("/services/oauth2/userinfo");

        Assert.Equal(HttpStatusCode.OK, identity.Status);
        Assert.Equal(("ada@example.com", SampleExport.Ada), (identity.Body.GetProperty("username").GetString(), identity.Body.GetProperty("user_id").GetString()));
        Assert.EndsWith($"/services/data/v66.0/", identity.Body.GetProperty("urls").GetProperty("rest").GetString(), StringComparison.Ordinal);
        Assert.Equal(("ada@example.com", "Ada Owner"), (userInfo.Body.GetProperty("preferred_username").GetString(), userInfo.Body.GetProperty("name").GetString()));
        Assert.Equal(identityUrl.ToString(), userInfo.Body.GetProperty("sub").GetString());
        Assert.Equal((HttpStatusCode.Forbidden, "Bad_OAuth_Token"), (refused.Status, refused.Text));
    }

    [Fact]
    public async Task Limits_AnswersTheKeysARealOrgDoes()
    {
        await using var org = await OrgHarness.StartAsync();

        var limits = await org.GetAsync(OrgHarness.Api("limits"));

        foreach (var key in (string[])["DailyApiRequests", "DailyBulkV2QueryJobs", "DailyBulkV2QueryFileStorageMB", "DailyBulkApiBatches", "DataStorageMB", "FileStorageMB"])
        {
            Assert.True(limits.Body.GetProperty(key).GetProperty("Max").GetInt32() >= limits.Body.GetProperty(key).GetProperty("Remaining").GetInt32(), key);
        }
    }
}
