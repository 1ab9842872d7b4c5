using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.Worker.Telemetry;

namespace SfPredictor.Worker.Health;

/// <summary>
/// A small Kestrel host on the health port (see <see cref="HealthOptions"/>): <c>GET /health</c> answers with
/// the report of the worker's health checks, written as the <see cref="HealthDocument"/> JSON, plus whatever
/// <see cref="IHealthPortEndpoints"/> are registered. It answers 200 while the process runs and its state can
/// be read (Healthy or Degraded), so a liveness probe restarts only a dead worker; <c>status</c> says whether
/// the latest scoring run failed. 503 when the checks themselves fail.
/// </summary>
internal sealed class HealthServer(
    IOptions<HealthOptions> options, HealthCheckService health, IEnumerable<IHealthPortEndpoints> endpoints, ILoggerFactory loggerFactory)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The addresses the server listens on, once started.</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
        builder.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, NoLifetime>());
        builder.Services.AddSingleton(health);
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().UseUrls(settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var app = builder.Build();
        app.UseRouting();
        app.MapHealthChecks(settings.Path, new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteAsync,
        });
        foreach (var set in endpoints)
        {
            set.MapEndpoints(app);
        }

        await app.StartAsync(cancellationToken);
        _app = app;
        Addresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a))];
        Log.HealthListening(loggerFactory.CreateLogger<HealthServer>(), string.Join(", ", Addresses));
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync();
        }
    }

    // The worker's document when its check ran; otherwise (the state store unreadable) the checks' own words.
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        if (report.Entries.TryGetValue(WorkerHealthCheck.Name, out var entry) && entry.Data.TryGetValue(WorkerHealthCheck.DocumentKey, out var value)
            && value is HealthDocument document)
        {
            return context.Response.WriteAsync(document.ToJson(), context.RequestAborted);
        }

        var problems = string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Value.Exception?.Message ?? e.Value.Description}"));
        return context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["status"] = "unhealthy", ["error"] = problems }), context.RequestAborted);
    }

    // The worker's host owns Ctrl-C and SIGTERM; this server only follows it.
    private sealed class NoLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
