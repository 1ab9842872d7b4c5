using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SfPredictor.LocalOrg.Api;

/// <summary>
/// What every REST call under <c>/services/data/vXX.X/</c> passes before its endpoint, in Salesforce's
/// order: an unknown version is 404, a missing or expired session 401 INVALID_SESSION_ID, a used-up
/// daily budget 403 REQUEST_LIMIT_EXCEEDED. Counted calls carry <c>Sforce-Limit-Info</c>. Injected
/// latency and failures (503 SERVER_UNAVAILABLE) apply here too.
/// </summary>
internal static class ApiGate
{
    public static void UseApiGate(this WebApplication app, LocalOrgRuntime runtime) => app.Use(async (context, next) =>
    {
        if (runtime.Options.Latency > TimeSpan.Zero)
        {
            // Network latency is wall-clock time, not the org's (possibly fake) calendar clock.
            await Task.Delay(runtime.Options.Latency, context.RequestAborted);
        }

        if (!context.Request.Path.StartsWithSegments("/services/data", out var rest) || rest.Value is null or "" or "/")
        {
            await next(context);
            return;
        }

        var version = rest.Value.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        if (!version.StartsWith('v') || !ApiVersions.IsSupported(version[1..]))
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        if (!runtime.Tokens.IsValid(BearerToken(context.Request)))
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "INVALID_SESSION_ID", "Session expired or invalid");
            return;
        }

        if (runtime.Faults.ShouldFail())
        {
            await ApiResponses.WriteErrorAsync(
                context, StatusCodes.Status503ServiceUnavailable, "SERVER_UNAVAILABLE", "Server temporarily unavailable. Please try again later.");
            return;
        }

        var counted = runtime.Budget.TryUse();
        context.Response.Headers["Sforce-Limit-Info"] = string.Create(
            CultureInfo.InvariantCulture, $"api-usage={runtime.Budget.Used}/{runtime.Budget.Max}");
        if (!counted)
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status403Forbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
            return;
        }

        await next(context);
    });

    // Salesforce takes "Bearer <token>" and the older "OAuth <token>".
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        foreach (var scheme in (ReadOnlySpan<string>)["Bearer ", "OAuth "])
        {
            if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return header[scheme.Length..].Trim();
            }
        }

        return null;
    }
}
