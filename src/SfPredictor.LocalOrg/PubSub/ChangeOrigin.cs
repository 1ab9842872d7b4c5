using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SfPredictor.LocalOrg.PubSub;

/// <summary>
/// The change event header's <c>changeOrigin</c> of the request being served: the API and version, and the
/// client named by the <c>Sforce-Call-Options: client=...</c> header, as Salesforce reports them
/// (<c>com/salesforce/api/rest/62.0;client=SfPredictor</c>). Set per request, so write paths need not pass it.
/// </summary>
internal static class ChangeOrigin
{
    private static readonly AsyncLocal<string?> CurrentOrigin = new();

    public static string Current => CurrentOrigin.Value ?? string.Empty;

    public static void UseChangeOrigin(this WebApplication app) => app.Use(async (context, next) =>
    {
        CurrentOrigin.Value = Of(context.Request);
        await next(context);
    });

    internal static string Of(HttpRequest request)
    {
        var segments = request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (segments is not ["services", "data", var version, ..] || !version.StartsWith('v'))
        {
            return string.Empty;
        }

        var api = segments.Length > 4 && segments[3] == "jobs" && segments[4] == "ingest" ? "bulkv2" : "rest";
        var origin = $"com/salesforce/api/{api}/{version[1..]}";
        var client = request.Headers["Sforce-Call-Options"].ToString()
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(option => option.Split('=', 2))
            .FirstOrDefault(pair => pair.Length == 2 && pair[0].Equals("client", StringComparison.OrdinalIgnoreCase))?[1];
        return client is { Length: > 0 } ? $"{origin};client={client}" : origin;
    }
}
