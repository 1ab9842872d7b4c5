using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SfPredictor.Salesforce;

namespace SfPredictor.Worker.Telemetry;

/// <summary>Registers the worker's OpenTelemetry: traces, metrics and logs, exported over OTLP when configured.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The variable that turns export on; every other <c>OTEL_*</c> variable is read by the exporter itself.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Adds OpenTelemetry with the worker's and the Salesforce client's sources and meters (and Quartz's spans)
    /// and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, the OTLP exporter for all three signals. The host
    /// starts and stops the providers, which flushes what is buffered.
    /// </summary>
    public static IServiceCollection AddSfPredictorTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("sfpredictor-worker"))
            .WithTracing(tracing => tracing.AddSource(WorkerTelemetry.Name, SalesforceTelemetry.Name, "Quartz"))
            .WithMetrics(metrics => metrics.AddMeter(WorkerTelemetry.Name, SalesforceTelemetry.Name))
            .WithLogging(configureBuilder: null, configureOptions: options => options.IncludeScopes = true);
        if (!string.IsNullOrWhiteSpace(configuration[EndpointVariable]))
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
