using System.Text.Json;
using System.Text.Json.Nodes;

namespace SfPredictor.Salesforce.Tests.Infrastructure;

/// <summary>The recorded Salesforce bodies in Responses/ (see Responses/README.txt).</summary>
internal static class TestData
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Responses", name));

    /// <summary>A recorded body that restforce stored as a JSON string (the Bulk CSV results).</summary>
    public static string ReadJsonString(string name) => JsonSerializer.Deserialize<string>(Read(name))!;

    /// <summary>The recorded token answer, with this server as instance and a known token.</summary>
    public static string TokenResponse(Uri instance, string accessToken)
    {
        var body = JsonNode.Parse(Read("auth_success_response.json"))!.AsObject();
        body["instance_url"] = instance.GetLeftPart(UriPartial.Authority);
        body["access_token"] = accessToken;
        return body.ToJsonString();
    }

    /// <summary>A recorded query page whose nextRecordsUrl is moved to the configured API version.</summary>
    public static string QueryPage(int number) =>
        Read($"batch-{number}.json").Replace("/services/data/v57.0/query/", "/services/data/v62.0/query/", StringComparison.Ordinal);
}
