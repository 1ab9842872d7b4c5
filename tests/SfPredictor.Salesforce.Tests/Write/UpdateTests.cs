using System.Text.Json;
using System.Text.Json.Nodes;
using SfPredictor.Records;
using SfPredictor.Salesforce.Tests.Faults;
using SfPredictor.Salesforce.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace SfPredictor.Salesforce.Tests.Write;

public sealed class UpdateTests
{
    private const string CollectionsPath = SalesforceMock.DataPath + "/composite/sobjects";

    internal static string OpportunityId(int i) => SalesforceId.Normalize($"0065g{i:D10}");

    private static RecordUpdate Update(int i, object? probability) =>
        new(OpportunityId(i), new Dictionary<string, object?> { ["SfP_Win_Probability__c"] = probability });

    /// <summary>Answers like Salesforce with allOrNone=false: per record, in order; a record whose probability is negative fails validation.</summary>
    private static IResponseBuilder Collections() =>
        SalesforceFaults.SaveResults((JsonNode record) => record["SfP_Win_Probability__c"] is JsonValue v && v.GetValue<decimal>() < 0);

    private static IRequestBuilder Patch => Request.Create().WithPath(CollectionsPath).UsingPatch();

    private static SalesforceMock StartWithCollections()
    {
        var salesforce = SalesforceMock.Start();
        salesforce.Server.Given(Patch).RespondWith(Collections());
        return salesforce;
    }

    private static List<JsonNode> PatchBodies(SalesforceMock salesforce) =>
        [.. salesforce.Received("PATCH", CollectionsPath).Select(r => JsonNode.Parse(r.Body!)!)];

    [Fact]
    public async Task UpdateAsync_450RecordsWithSomeRejected_SendsBatchesOf200AndReturnsEveryOutcomeInOrder()
    {
        using var salesforce = StartWithCollections();
        await using var test = TestClient.Create(salesforce);
        var updates = Enumerable.Range(0, 450).Select(i => Update(i, i % 100 == 7 ? -1m : 42.5m)).ToList();

        var results = await test.Client.UpdateAsync("Opportunity", updates);

        Assert.Equal(450, results.Count);
        Assert.Equal(updates.Select(u => u.Id), results.Select(r => r.Id));
        var failed = results.Where(r => !r.Success).ToList();
        Assert.Equal([7, 107, 207, 307, 407], failed.Select(f => results.ToList().IndexOf(f)));
        Assert.All(failed, f =>
        {
            Assert.Equal("FIELD_CUSTOM_VALIDATION_EXCEPTION", f.ErrorCode);
            Assert.Equal("Probability must not be negative", f.Message);
            Assert.Equal(["SfP_Win_Probability__c"], f.Fields);
        });
        var calls = PatchBodies(salesforce);
        Assert.Equal([200, 200, 50], calls.Select(c => c["records"]!.AsArray().Count));
        Assert.All(calls, c => Assert.False(c["allOrNone"]!.GetValue<bool>()));
        var first = calls[0]["records"]![0]!;
        Assert.Equal("Opportunity", first["attributes"]!["type"]!.GetValue<string>());
        Assert.Equal(OpportunityId(0), first["id"]!.GetValue<string>());
        Assert.Equal(42.5m, first["SfP_Win_Probability__c"]!.GetValue<decimal>());
        Assert.Contains(test.Logs.Lines, l => l.Contains("5 of 450 Opportunity updates failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpdateAsync_SalesforceAnswersFewerResults_RecordsWithoutAnswerAreFailures()
    {
        using var salesforce = SalesforceMock.Start();
        salesforce.Server.Given(Patch).RespondWith(SalesforceMock.Reply(call =>
        {
            var records = JsonNode.Parse(call.Body!)!["records"]!.AsArray();
            var answered = records.Skip(1).Select(r => new JsonObject { ["id"] = r!["id"]!.GetValue<string>(), ["success"] = true, ["errors"] = new JsonArray() });
            return new Answer(200, new JsonArray([.. answered]).ToJsonString());
        }));
        await using var test = TestClient.Create(salesforce);

        var results = await test.Client.UpdateAsync("Opportunity", [Update(1, 10m), Update(2, 20m), Update(3, 30m)]);

        Assert.Equal(3, results.Count);
        Assert.False(results[0].Success);
        Assert.Equal("MISSING_RESULT", results[0].ErrorCode);
        Assert.Equal(OpportunityId(1), results[0].Id);
        Assert.True(results[1].Success);
        Assert.True(results[2].Success);
    }

    [Fact]
    public async Task UpdateAsync_UnsendableRecords_FailLocallyAndTheRestAreSent()
    {
        using var salesforce = StartWithCollections();
        await using var test = TestClient.Create(salesforce);
        var fifteen = $"0065g{5:D10}";
        RecordUpdate[] updates =
        [
            new("006' OR Name != '", new Dictionary<string, object?> { ["SfP_Win_Probability__c"] = 1m }),
            new(OpportunityId(1), new Dictionary<string, object?> { ["Bad Field"] = 1m }),
            new(OpportunityId(2), new Dictionary<string, object?> { ["SfP_Model_Version__c"] = Guid.Empty }),
            new(fifteen, new Dictionary<string, object?> { ["SfP_Win_Probability__c"] = 55m }),
            new(OpportunityId(5), new Dictionary<string, object?> { ["SfP_Win_Probability__c"] = 56m }),
            new(OpportunityId(6), new Dictionary<string, object?>()),
        ];

        var results = await test.Client.UpdateAsync("Opportunity", updates);

        Assert.Equal(["MALFORMED_ID", "INVALID_FIELD", "INVALID_FIELD_VALUE", null, "DUPLICATE_VALUE", "NO_FIELDS"], results.Select(r => r.ErrorCode));
        Assert.Equal(OpportunityId(5), results[3].Id);
        var sent = Assert.Single(Assert.Single(PatchBodies(salesforce))["records"]!.AsArray());
        Assert.Equal(OpportunityId(5), sent!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateAsync_WholeCallRefused_FailsEveryRecordOfThatCallOnly()
    {
        using var salesforce = SalesforceMock.Start();
        salesforce.InTurn(Patch, SalesforceMock.Json(400, TestData.Read("composite_sobjects_error_response.json")), Collections());
        await using var test = TestClient.Create(salesforce);

        var results = await test.Client.UpdateAsync("Opportunity", Enumerable.Range(0, 250).Select(i => Update(i, 1m)).ToList());

        Assert.All(results.Take(200), r => Assert.Equal("INVALID_FIELD", r.ErrorCode));
        Assert.Contains("Json Deserialization failed", results[0].Message, StringComparison.Ordinal);
        Assert.All(results.Skip(200), r => Assert.True(r.Success));
        Assert.Equal(2, PatchBodies(salesforce).Count);
    }

    [Fact]
    public async Task UpdateAsync_DailyLimitHitMidway_StopsAndMarksUnsavedRecordsWithTheLimitCode()
    {
        using var salesforce = SalesforceMock.Start();
        salesforce.InTurn(Patch, Collections(), SalesforceMock.Error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
        await using var test = TestClient.Create(salesforce);

        var results = await test.Client.UpdateAsync("Opportunity", Enumerable.Range(0, 500).Select(i => Update(i, 1m)).ToList());

        Assert.Equal(500, results.Count);
        Assert.All(results.Take(200), r => Assert.True(r.Success));
        Assert.All(results.Skip(200), r => Assert.Equal("REQUEST_LIMIT_EXCEEDED", r.ErrorCode));
        Assert.Equal(2, PatchBodies(salesforce).Count);
    }

    [Fact]
    public async Task UpdateAsync_ValuesOfEachType_WritesThemAsSalesforceReadsThem()
    {
        using var salesforce = StartWithCollections();
        await using var test = TestClient.Create(salesforce);
        var update = new RecordUpdate(OpportunityId(1), new Dictionary<string, object?>
        {
            ["SfP_Scored_At__c"] = new DateTimeOffset(2024, 5, 1, 12, 0, 0, 250, TimeSpan.FromHours(2)),
            ["SfP_Score_Change__c"] = -3.5,
            ["SfP_Score_Trend__c"] = "Declining \"fast\"",
            ["SfP_Next_Activity_1__c"] = null,
            ["Close_Day__c"] = new DateOnly(2024, 6, 30),
            ["Flag__c"] = true,
            ["Count__c"] = 7,
        });

        var result = Assert.Single(await test.Client.UpdateAsync("Opportunity", [update]));

        Assert.True(result.Success);
        var sent = JsonDocument.Parse(Assert.Single(salesforce.Received("PATCH", CollectionsPath)).Body!).RootElement.GetProperty("records")[0];
        Assert.Equal("2024-05-01T10:00:00.250Z", sent.GetProperty("SfP_Scored_At__c").GetString());
        Assert.Equal(-3.5, sent.GetProperty("SfP_Score_Change__c").GetDouble());
        Assert.Equal("Declining \"fast\"", sent.GetProperty("SfP_Score_Trend__c").GetString());
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("SfP_Next_Activity_1__c").ValueKind);
        Assert.Equal("2024-06-30", sent.GetProperty("Close_Day__c").GetString());
        Assert.True(sent.GetProperty("Flag__c").GetBoolean());
        Assert.Equal(7, sent.GetProperty("Count__c").GetInt32());
    }
}
