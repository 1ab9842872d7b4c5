using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SfPredictor.Training;
using SfPredictor.Worker.AdminSettings;
using SfPredictor.Worker.Extensions;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.Retraining;

namespace SfPredictor.Worker.Hosting;

/// <summary>
/// The pipeline without the scheduler, for one run on demand (<c>sfp score --once</c>, <c>sfp demo</c>,
/// <c>sfp bench-api-calls</c>): a started host (so every option is validated, as for <c>sfp run</c>) whose
/// services run scoring and retraining when asked.
/// </summary>
public sealed class PipelineSession : IAsyncDisposable
{
    private readonly IHost _host;

    private PipelineSession(IHost host) => _host = host;

    /// <summary>The session's services.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Builds and starts the session.</summary>
    /// <param name="overrides">Settings on top of appsettings.json and the environment.</param>
    /// <param name="configureLogging">Replaces the default console logging when given.</param>
    /// <param name="configureServices">Adds or replaces services (e.g. a clock) before the pipeline registers its own.</param>
    /// <param name="storesOnly">Register only the model and state stores (no Salesforce settings needed).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is wrong; the message names it.</exception>
    public static async Task<PipelineSession> StartAsync(
        IEnumerable<KeyValuePair<string, string?>>? overrides = null,
        Action<ILoggingBuilder>? configureLogging = null,
        Action<IServiceCollection>? configureServices = null,
        bool storesOnly = false,
        CancellationToken cancellationToken = default)
    {
        var builder = WorkerHost.CreateBuilder(overrides);
        if (configureLogging is not null)
        {
            builder.Logging.ClearProviders();
            configureLogging(builder.Logging);
        }

        configureServices?.Invoke(builder.Services);
        if (storesOnly)
        {
            builder.Services.AddSfPredictorStores(builder.Configuration);
        }
        else
        {
            builder.Services.AddSfPredictorPipeline(builder.Configuration);
        }

        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new PipelineSession(host);
    }

    /// <summary>Checks the write-back fields, reads the admin settings and runs one scoring run.</summary>
    /// <exception cref="SfPredictor.Salesforce.SalesforceSchemaException">A write-back field is missing, of another type or read-only.</exception>
    public async Task<ScoringResult> ScoreAsync(ScoringRequest request, CancellationToken cancellationToken = default)
    {
        await using var scope = Services.CreateAsyncScope();
        var run = scope.ServiceProvider.GetRequiredService<ScoringRun>();
        await run.VerifySinkAsync(cancellationToken);
        var settings = await scope.ServiceProvider.GetRequiredService<AdminSettingsReader>().ReadAsync(cancellationToken);
        return await run.RunAsync(request, settings, cancellationToken);
    }

    /// <summary>Trains, publishes and (when not worse) promotes a model.</summary>
    public async Task<RetrainResult> RetrainAsync(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RetrainRun>().RunAsync(progress, cancellationToken);
    }

    /// <summary>Stops the host.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
