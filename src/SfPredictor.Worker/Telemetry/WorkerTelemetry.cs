using System.Diagnostics;
using System.Diagnostics.Metrics;
using SfPredictor.Salesforce;
using SfPredictor.Worker.Models;

namespace SfPredictor.Worker.Telemetry;

/// <summary>
/// The worker's OpenTelemetry names: the activity source <c>SfPredictor.Worker</c> (a trace per run, a span
/// per batch) and the meter of the same name (see <see cref="WorkerMetrics"/>).
/// </summary>
internal static class WorkerTelemetry
{
    /// <summary>Name of the activity source and the meter.</summary>
    public const string Name = "SfPredictor.Worker";

    internal static ActivitySource ActivitySource { get; } = new(Name);
}

/// <summary>
/// The worker's instruments, on a meter from the host's <see cref="IMeterFactory"/>: records read, scored,
/// written, skipped and failed; run duration; the score distribution; the model scoring now; the org's
/// daily API requests remaining.
/// </summary>
public sealed class WorkerMetrics
{
    /// <summary>Creates the instruments; the gauges read the model provider and the Salesforce connection when observed.</summary>
    public WorkerMetrics(IMeterFactory meterFactory, ModelProvider models, SalesforceConnection salesforce)
        : this(meterFactory, () => (models ?? throw new ArgumentNullException(nameof(models))).CurrentVersion, (salesforce ?? throw new ArgumentNullException(nameof(salesforce))).Usage)
    {
    }

    /// <summary>Creates the instruments over any model and API usage (a run over a Data Export makes no API call).</summary>
    internal WorkerMetrics(IMeterFactory meterFactory, Func<string?> modelVersion, SalesforceApiUsage usage)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(WorkerTelemetry.Name);
        RecordsRead = meter.CreateCounter<long>("sfpredictor.worker.records_read", "{record}", "Open Opportunities read for scoring.");
        RecordsScored = meter.CreateCounter<long>("sfpredictor.worker.records_scored", "{record}", "Opportunities scored.");
        RecordsWritten = meter.CreateCounter<long>("sfpredictor.worker.records_written", "{record}", "Opportunities written back.");
        RecordsUnchanged = meter.CreateCounter<long>("sfpredictor.worker.records_unchanged", "{record}", "Opportunities skipped because nothing changed enough.");
        RecordsFailed = meter.CreateCounter<long>("sfpredictor.worker.records_failed", "{record}", "Opportunities that could not be written (retried next run).");
        RunApiCalls = meter.CreateCounter<long>("sfpredictor.worker.api_calls", "{call}", "Salesforce API calls made by runs.");
        RunDuration = meter.CreateHistogram<double>("sfpredictor.worker.run_duration", "s", "Duration of a run.");
        Scores = meter.CreateHistogram<double>(
            "sfpredictor.worker.win_probability", "%", "Win probabilities scored.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] });
        meter.CreateObservableGauge(
            "sfpredictor.worker.daily_api_remaining",
            () => usage.DailyRemaining is { } remaining ? [new Measurement<long>(remaining)] : Array.Empty<Measurement<long>>(),
            "{request}", "The org's daily API requests remaining, as last reported.");
        meter.CreateObservableGauge(
            "sfpredictor.worker.model",
            () => modelVersion() is { } version ? [new Measurement<int>(1, new KeyValuePair<string, object?>("model.version", version))] : Array.Empty<Measurement<int>>(),
            description: "1, tagged with the version of the model scoring now.");
    }

    internal Counter<long> RecordsRead { get; }

    internal Counter<long> RecordsScored { get; }

    internal Counter<long> RecordsWritten { get; }

    internal Counter<long> RecordsUnchanged { get; }

    internal Counter<long> RecordsFailed { get; }

    internal Counter<long> RunApiCalls { get; }

    internal Histogram<double> RunDuration { get; }

    internal Histogram<double> Scores { get; }
}
