using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SfPredictor.Worker.Status;

/// <summary>Maps <c>GET /status</c> onto whichever web application serves the worker's health port.</summary>
public static class StatusEndpoint
{
    /// <summary>Answers <c>GET <see cref="StatusPage.Path"/></c> with the status page, read anew for every request.</summary>
    public static IEndpointConventionBuilder MapStatusPage(this IEndpointRouteBuilder endpoints, StatusReportBuilder status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return endpoints.MapGet(StatusPage.Path, async (HttpContext context) =>
        {
            var report = await status.BuildAsync(context.RequestAborted);
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync(StatusPage.Render(report), context.RequestAborted);
        });
    }
}
