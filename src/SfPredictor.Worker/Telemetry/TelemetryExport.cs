using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SfPredictor.Salesforce;

namespace SfPredictor.Worker.Telemetry;

/// <summary>
/// Exports the worker's and the Salesforce client's traces and metrics over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; every other <c>OTEL_*</c> variable (service name, headers,
/// protocol, resource attributes) is read by the exporter itself. The host disposes the providers, which
/// flushes what is buffered.
/// </summary>
public sealed class TelemetryExport(IConfiguration configuration, ILogger<TelemetryExport> logger) : IHostedService, IDisposable
{
    /// <summary>The variable that turns export on.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private TracerProvider? _tracing;
    private MeterProvider? _metrics;

    /// <summary>Whether export is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(configuration[EndpointVariable]);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return Task.CompletedTask;
        }

        var resource = ResourceBuilder.CreateDefault().AddService("sfpredictor-worker");
        _tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(WorkerTelemetry.Name, SalesforceTelemetry.Name, "Quartz")
            .AddOtlpExporter()
            .Build();
        _metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(WorkerTelemetry.Name, SalesforceTelemetry.Name)
            .AddOtlpExporter()
            .Build();
        Log.TelemetryExport(logger, configuration[EndpointVariable]!);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _tracing?.ForceFlush();
        _metrics?.ForceFlush();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _tracing?.Dispose();
        _metrics?.Dispose();
        _tracing = null;
        _metrics = null;
    }
}
