using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SfPredictor.LocalOrg.Api;

/// <summary><c>GET /services/data/</c> (the versions, no session needed) and <c>GET /limits</c>.</summary>
internal static class LimitsEndpoints
{
    public static void MapLimitsAndVersions(this WebApplication app, LocalOrgRuntime runtime)
    {
        // Routing ignores a trailing slash, so this also answers /services/data/.
        app.MapGet("/services/data", Versions);
        app.MapGet("/services/data/v{version}/limits", context => ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("DailyApiRequests");
            writer.WriteNumber("Max", runtime.Budget.Max);
            writer.WriteNumber("Remaining", runtime.Budget.Max - runtime.Budget.Used);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }));
    }

    private static Task Versions(HttpContext context) => ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
    {
        writer.WriteStartArray();
        foreach (var (label, url, version) in ApiVersions.All())
        {
            writer.WriteStartObject();
            writer.WriteString("label", label);
            writer.WriteString("url", url);
            writer.WriteString("version", version);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });
}
