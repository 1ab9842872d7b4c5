using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.Worker.Models;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Status;
using SfPredictor.Worker.Telemetry;

namespace SfPredictor.Worker.Health;

/// <summary>
/// Serves <c>GET /health</c> (see <see cref="HealthOptions"/>) on its own small Kestrel server: the last run
/// of each job and the model scoring now, as JSON. It answers 200 while the process runs, so a liveness probe
/// restarts only a dead worker; <c>status</c> says whether the latest scoring run failed.
/// </summary>
public sealed class HealthServer(IOptions<HealthOptions> options, StateStore state, ModelProvider models, ILoggerFactory loggerFactory, StatusReportBuilder status) : IHostedService, IAsyncDisposable
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
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().UseUrls(settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var app = builder.Build();
        app.UseRouting();
        app.MapGet(settings.Path, async (HttpContext context) =>
        {
            var document = await HealthDocument.CreateAsync(state, models.CurrentVersion, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(document.ToJson(), context.RequestAborted);
        });
        app.MapStatusPage(status);
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

    // The worker's host owns Ctrl-C and SIGTERM; this server only follows it.
    private sealed class NoLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
