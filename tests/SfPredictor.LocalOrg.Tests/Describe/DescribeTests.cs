using System.Net;
using System.Text.Json;
using SfPredictor.LocalOrg.Tests.Infrastructure;

namespace SfPredictor.LocalOrg.Tests.Describe;

public sealed class DescribeTests
{
    [Fact]
    public async Task Describe_Opportunity_ListsEveryColumnWithInferredTypes()
    {
        await using var org = await OrgHarness.StartAsync(configure: o => o.CustomFields.Add("Opportunity.SfP_Next_Steps__c:textarea"));

        var result = await org.GetAsync(OrgHarness.Api("sobjects/Opportunity/describe"));

        Assert.Equal(HttpStatusCode.OK, result.Status);
        JsonAssert.SameShape(Responses.Load("sobject_describe_success_response.json"), result.Body);

        Assert.Equal("006", result.Body.GetProperty("keyPrefix").GetString());
        var fields = result.Body.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(SampleExport.OpportunityHeader.Append("SfP_Next_Steps__c"), fields.Keys.Take(SampleExport.OpportunityHeader.Length + 1));

        // Every standard field follows, whether or not the export has its column.
        Assert.Equal(("textarea", 32000, true), (fields["Description"].GetProperty("type").GetString(), fields["Description"].GetProperty("length").GetInt32(), fields["Description"].GetProperty("nillable").GetBoolean()));
        Assert.Equal(("string", 255, true), (fields["NextStep"].GetProperty("type").GetString(), fields["NextStep"].GetProperty("length").GetInt32(), fields["NextStep"].GetProperty("updateable").GetBoolean()));
        Assert.Equal(120, fields["Name"].GetProperty("length").GetInt32());
        Assert.False(fields["Name"].GetProperty("nillable").GetBoolean());
        Assert.Equal(["Best Case", "Closed", "Commit", "Omitted", "Pipeline"], fields["ForecastCategoryName"].GetProperty("picklistValues").EnumerateArray().Select(v => v.GetProperty("value").GetString()));
        Assert.True(fields["ForecastCategoryName"].GetProperty("restrictedPicklist").GetBoolean());
        var expected = new Dictionary<string, (string Type, bool Updateable, bool Custom)>
        {
            ["Id"] = ("id", false, false),
            ["AccountId"] = ("reference", true, false),
            ["StageName"] = ("picklist", true, false),
            ["Amount"] = ("currency", true, false),
            ["Probability"] = ("percent", true, false),
            ["CloseDate"] = ("date", true, false),
            ["IsClosed"] = ("boolean", false, false),
            ["IsWon"] = ("boolean", false, false),
            ["CreatedDate"] = ("datetime", false, false),
            ["SystemModstamp"] = ("datetime", false, false),
            ["Name"] = ("string", true, false),
            ["Score__c"] = ("double", true, true),
            ["Notes__c"] = ("string", true, true),
            ["SfP_Next_Steps__c"] = ("textarea", true, true),
        };
        foreach (var (name, (type, updateable, custom)) in expected)
        {
            Assert.Equal((name, type, updateable, custom), (name, fields[name].GetProperty("type").GetString(), fields[name].GetProperty("updateable").GetBoolean(), fields[name].GetProperty("custom").GetBoolean()));
        }

        Assert.Equal(["Account"], fields["AccountId"].GetProperty("referenceTo").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("Account", fields["AccountId"].GetProperty("relationshipName").GetString());
        Assert.Contains(fields["StageName"].GetProperty("picklistValues").EnumerateArray(), v => v.GetProperty("value").GetString() == "Closed Won");
    }

    [Fact]
    public async Task Describe_PolymorphicLookup_ListsEveryObjectItPointsTo()
    {
        await using var org = await OrgHarness.StartAsync();

        var result = await org.GetAsync(OrgHarness.Api("sobjects/Task/describe"));

        var whatId = result.Body.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "WhatId");
        Assert.Equal(["Account", "Opportunity"], whatId.GetProperty("referenceTo").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("What", whatId.GetProperty("relationshipName").GetString());
    }

    [Fact]
    public async Task Describe_HistoryObject_HasNoUpdateableField()
    {
        await using var org = await OrgHarness.StartAsync(folder =>
        {
            SampleExport.Write(folder);
            folder.Write("OpportunityHistory", ["Id", "OpportunityId", "StageName", "CreatedDate"], [[TestIds.Long("008", 1), SampleExport.AcmeExpansion, "Prospecting", "2025-01-05 10:00:00"]]);
        });

        var result = await org.GetAsync(OrgHarness.Api("sobjects/OpportunityHistory/describe"));

        Assert.All(result.Body.GetProperty("fields").EnumerateArray(), f => Assert.False(f.GetProperty("updateable").GetBoolean()));
        Assert.False(result.Body.GetProperty("updateable").GetBoolean());
    }

    [Fact]
    public async Task Describe_UnknownObject_AnswersNotFound()
    {
        await using var org = await OrgHarness.StartAsync();

        var result = await org.GetAsync(OrgHarness.Api("sobjects/Whizbang/describe"));

        Assert.Equal(HttpStatusCode.NotFound, result.Status);
        JsonAssert.Equivalent(Responses.Load("sobject_describe_error_response.json"), result.Body);
    }

    [Fact]
    public async Task GlobalDescribe_ListsEveryExportedObject()
    {
        await using var org = await OrgHarness.StartAsync();

        var result = await org.GetAsync(OrgHarness.Api("sobjects"));

        Assert.Equal(["Account", "Opportunity", "Task", "User"], result.Body.GetProperty("sobjects").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Object, result.Body.GetProperty("sobjects")[0].GetProperty("urls").ValueKind);
    }
}
