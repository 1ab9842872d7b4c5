using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SfPredictor.Worker.Health;

namespace SfPredictor.Worker.Status;

/// <summary>Maps <c>GET /status</c> onto the web application that serves the worker's health port.</summary>
internal sealed class StatusEndpoint(StatusReportBuilder status) : IHealthPortEndpoints
{
    /// <summary>Answers <c>GET <see cref="StatusPage.Path"/></c> with the status page, read anew for every request.</summary>
    public void MapEndpoints(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(StatusPage.Path, async (HttpContext context) =>
        {
            var report = await status.BuildAsync(context.RequestAborted);
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync(StatusPage.Render(report), context.RequestAborted);
        });
}
