using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SfPredictor.Worker.Telemetry;

/// <summary>
/// The worker's OpenTelemetry names: the activity source <c>SfPredictor.Worker</c> (a trace per run, a span
/// per batch) and the meter of the same name (records read, scored, written, skipped, failed; run duration;
/// score distribution; model version; daily API requests remaining).
/// </summary>
public static class WorkerTelemetry
{
    /// <summary>Name of the activity source and the meter.</summary>
    public const string Name = "SfPredictor.Worker";

    private static long _dailyApiRemaining = -1;
    private static string? _modelVersion;

    internal static ActivitySource ActivitySource { get; } = new(Name);

    internal static Meter Meter { get; } = new(Name);

    internal static Counter<long> RecordsRead { get; } = Meter.CreateCounter<long>("sfpredictor.worker.records_read", "{record}", "Open Opportunities read for scoring.");

    internal static Counter<long> RecordsScored { get; } = Meter.CreateCounter<long>("sfpredictor.worker.records_scored", "{record}", "Opportunities scored.");

    internal static Counter<long> RecordsWritten { get; } = Meter.CreateCounter<long>("sfpredictor.worker.records_written", "{record}", "Opportunities written back.");

    internal static Counter<long> RecordsUnchanged { get; } = Meter.CreateCounter<long>("sfpredictor.worker.records_unchanged", "{record}", "Opportunities skipped because nothing changed enough.");

    internal static Counter<long> RecordsFailed { get; } = Meter.CreateCounter<long>("sfpredictor.worker.records_failed", "{record}", "Opportunities that could not be written (retried next run).");

    internal static Counter<long> RunApiCalls { get; } = Meter.CreateCounter<long>("sfpredictor.worker.api_calls", "{call}", "Salesforce API calls made by runs.");

    internal static Histogram<double> RunDuration { get; } = Meter.CreateHistogram<double>("sfpredictor.worker.run_duration", "s", "Duration of a run.");

    internal static Histogram<double> Scores { get; } = Meter.CreateHistogram<double>(
        "sfpredictor.worker.win_probability", "%", "Win probabilities scored.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] });

    internal static ObservableGauge<long> DailyApiRemaining { get; } = Meter.CreateObservableGauge(
        "sfpredictor.worker.daily_api_remaining", ObserveDailyApiRemaining, "{request}", "The org's daily API requests remaining, as last reported.");

    internal static ObservableGauge<int> ModelInfo { get; } = Meter.CreateObservableGauge(
        "sfpredictor.worker.model", ObserveModel, description: "1, tagged with the version of the model scoring now.");

    internal static void ReportDailyApiRemaining(long? remaining)
    {
        if (remaining is { } value)
        {
            Interlocked.Exchange(ref _dailyApiRemaining, value);
        }
    }

    internal static void ReportModelVersion(string? version) => Volatile.Write(ref _modelVersion, version);

    private static IEnumerable<Measurement<long>> ObserveDailyApiRemaining()
    {
        var value = Interlocked.Read(ref _dailyApiRemaining);
        return value < 0 ? [] : [new Measurement<long>(value)];
    }

    private static IEnumerable<Measurement<int>> ObserveModel() =>
        Volatile.Read(ref _modelVersion) is { } version ? [new Measurement<int>(1, new KeyValuePair<string, object?>("model.version", version))] : [];
}
