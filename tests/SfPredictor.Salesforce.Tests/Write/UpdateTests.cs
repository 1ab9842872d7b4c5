using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SfPredictor.Records;
using SfPredictor.Salesforce.Tests.Infrastructure;

namespace SfPredictor.Salesforce.Tests.Write;

public sealed class UpdateTests
{
    private const string CollectionsPath = TestSalesforceServer.DataPath + "/composite/sobjects";

    internal static string OpportunityId(int i) => SalesforceId.Normalize($"0065g{i:D10}");

    private static RecordUpdate Update(int i, object? probability) =>
        new(OpportunityId(i), new Dictionary<string, object?> { ["SfP_Win_Probability__c"] = probability });

    /// <summary>Answers like Salesforce with allOrNone=false: per record, in order; a record whose probability is negative fails validation.</summary>
    private static async Task Collections(HttpContext context)
    {
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!;
        var results = new JsonArray();
        foreach (var record in body["records"]!.AsArray())
        {
            var id = record!["id"]!.GetValue<string>();
            results.Add(record["SfP_Win_Probability__c"] is JsonValue v && v.GetValue<decimal>() < 0
                ? new JsonObject
                {
                    ["success"] = false,
                    ["errors"] = new JsonArray(new JsonObject
                    {
                        ["statusCode"] = "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                        ["message"] = "Probability must not be negative",
                        ["fields"] = new JsonArray("SfP_Win_Probability__c"),
                    }),
                }
                : new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() });
        }

        await TestSalesforceServer.WriteAsync(context, 200, results.ToJsonString());
    }

    [Fact]
    public async Task UpdateAsync_450RecordsWithSomeRejected_SendsBatchesOf200AndReturnsEveryOutcomeInOrder()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapMethods(CollectionsPath, ["PATCH"], Collections);
        });
        await using var test = TestClient.Create(server);
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
        var calls = server.Requests.Where(r => r.Method == "PATCH").Select(r => JsonNode.Parse(r.Body)!).ToList();
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
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapMethods(CollectionsPath, ["PATCH"], async ctx =>
            {
                var records = JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync())!["records"]!.AsArray();
                var answered = records.Skip(1).Select(r => new JsonObject { ["id"] = r!["id"]!.GetValue<string>(), ["success"] = true, ["errors"] = new JsonArray() });
                await TestSalesforceServer.WriteAsync(ctx, 200, new JsonArray([.. answered]).ToJsonString());
            });
        });
        await using var test = TestClient.Create(server);

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
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapMethods(CollectionsPath, ["PATCH"], Collections);
        });
        await using var test = TestClient.Create(server);
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
        var sent = Assert.Single(JsonNode.Parse(server.Requests.Single(r => r.Method == "PATCH").Body)!["records"]!.AsArray());
        Assert.Equal(OpportunityId(5), sent!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateAsync_WholeCallRefused_FailsEveryRecordOfThatCallOnly()
    {
        var calls = 0;
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapMethods(CollectionsPath, ["PATCH"], ctx => Interlocked.Increment(ref calls) == 1
                ? TestSalesforceServer.WriteAsync(ctx, 400, TestData.Read("composite_sobjects_error_response.json"))
                : Collections(ctx));
        });
        await using var test = TestClient.Create(server);

        var results = await test.Client.UpdateAsync("Opportunity", Enumerable.Range(0, 250).Select(i => Update(i, 1m)).ToList());

        Assert.All(results.Take(200), r => Assert.Equal("INVALID_FIELD", r.ErrorCode));
        Assert.Contains("Json Deserialization failed", results[0].Message, StringComparison.Ordinal);
        Assert.All(results.Skip(200), r => Assert.True(r.Success));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task UpdateAsync_DailyLimitHitMidway_StopsAndMarksUnsavedRecordsWithTheLimitCode()
    {
        var calls = 0;
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapMethods(CollectionsPath, ["PATCH"], ctx => Interlocked.Increment(ref calls) == 1
                ? Collections(ctx)
                : TestSalesforceServer.WriteAsync(ctx, 403, """[{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded."}]"""));
        });
        await using var test = TestClient.Create(server);

        var results = await test.Client.UpdateAsync("Opportunity", Enumerable.Range(0, 500).Select(i => Update(i, 1m)).ToList());

        Assert.Equal(500, results.Count);
        Assert.All(results.Take(200), r => Assert.True(r.Success));
        Assert.All(results.Skip(200), r => Assert.Equal("REQUEST_LIMIT_EXCEEDED", r.ErrorCode));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task UpdateAsync_ValuesOfEachType_WritesThemAsSalesforceReadsThem()
    {
        await using var server = await TestSalesforceServer.StartAsync((app, s) =>
        {
            s.MapToken(app);
            app.MapMethods(CollectionsPath, ["PATCH"], Collections);
        });
        await using var test = TestClient.Create(server);
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
        var sent = JsonDocument.Parse(server.Requests.Single(r => r.Method == "PATCH").Body).RootElement.GetProperty("records")[0];
        Assert.Equal("2024-05-01T10:00:00.250Z", sent.GetProperty("SfP_Scored_At__c").GetString());
        Assert.Equal(-3.5, sent.GetProperty("SfP_Score_Change__c").GetDouble());
        Assert.Equal("Declining \"fast\"", sent.GetProperty("SfP_Score_Trend__c").GetString());
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("SfP_Next_Activity_1__c").ValueKind);
        Assert.Equal("2024-06-30", sent.GetProperty("Close_Day__c").GetString());
        Assert.True(sent.GetProperty("Flag__c").GetBoolean());
        Assert.Equal(7, sent.GetProperty("Count__c").GetInt32());
    }
}
