using System.Text.Json.Nodes;
using SfPredictor.Records;
using SfPredictor.Salesforce.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace SfPredictor.Salesforce.Tests.Faults;

/// <summary>Answers the fault tests map on the Salesforce stand-in.</summary>
internal static class SalesforceFaults
{
    public const string QueryPath = SalesforceMock.DataPath + "/query";
    public const string CollectionsPath = SalesforceMock.DataPath + "/composite/sobjects";
    public const string IngestJobs = SalesforceMock.DataPath + "/jobs/ingest";
    public const string QueryJobs = SalesforceMock.DataPath + "/jobs/query";
    public const string CountQuery = "SELECT COUNT() FROM Case";

    /// <summary>
    /// Answers <paramref name="request"/> with each of <paramref name="answers"/> in turn, then with the last one
    /// for good (the last state sets itself, so the scenario stays there).
    /// </summary>
    public static void InTurn(this SalesforceMock salesforce, IRequestBuilder request, params IResponseBuilder[] answers)
    {
        var scenario = Guid.NewGuid().ToString("N");
        for (var i = 0; i < answers.Length; i++)
        {
            var next = Math.Min(i + 1, answers.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var mapping = salesforce.Server.Given(request).AtPriority(100 - i).InScenario(scenario);
            if (i > 0)
            {
                mapping = mapping.WhenStateIs(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            mapping.WillSetStateTo(next).RespondWith(answers[i]);
        }
    }

    public static IResponseBuilder Count() => SalesforceMock.Json(200, TestData.Read("count_query.json"));

    public static IResponseBuilder Html(int status, string text) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "text/html").WithBody($"<html><body>{text}</body></html>");

    /// <summary>
    /// Answers an sObject Collections update as Salesforce does with allOrNone=false: one result per record, in
    /// order; records <paramref name="rejects"/> picks fail a validation rule.
    /// </summary>
    public static IResponseBuilder SaveResults(Func<string, bool>? rejects = null) => SaveResults((JsonNode record) => rejects?.Invoke(record["id"]!.GetValue<string>()) == true);

    /// <summary>
    /// Answers an sObject Collections update as Salesforce does with allOrNone=false: one result per record, in
    /// order; a failed record's result carries no id, only its errors (Salesforce's documented shape).
    /// </summary>
    public static IResponseBuilder SaveResults(Func<JsonNode, bool> rejects) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(request =>
        {
            var results = new JsonArray();
            foreach (var record in JsonNode.Parse(request.Body!)!["records"]!.AsArray())
            {
                var id = record!["id"]!.GetValue<string>();
                results.Add(rejects(record)
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

            return results.ToJsonString();
        });

    public static string OpportunityId(int i) => SalesforceId.Normalize($"0065g{i:D10}");

    public static RecordUpdate[] Updates(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new RecordUpdate(OpportunityId(i), new Dictionary<string, object?> { ["SfP_Win_Probability__c"] = 40m + i % 10 }))];

    /// <summary>The Ids of the records in each sObject Collections body, in order.</summary>
    public static string[] IdsIn(string? body) => [.. JsonNode.Parse(body!)!["records"]!.AsArray().Select(r => r!["id"]!.GetValue<string>())];
}
