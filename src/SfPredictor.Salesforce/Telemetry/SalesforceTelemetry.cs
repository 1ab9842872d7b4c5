using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SfPredictor.Salesforce;

/// <summary>
/// The client's OpenTelemetry names: an <see cref="ActivitySource"/> with one span per call and a
/// <see cref="Meter"/> with the counter <c>sfpredictor.salesforce.api_calls</c>. Subscribe with
/// <c>AddSource(SalesforceTelemetry.Name)</c> and <c>AddMeter(SalesforceTelemetry.Name)</c>.
/// </summary>
public static class SalesforceTelemetry
{
    /// <summary>Name of the activity source and the meter.</summary>
    public const string Name = "SfPredictor.Salesforce";

    /// <summary>Name of the counter of API calls (every attempt that reached Salesforce's data API).</summary>
    public const string ApiCallsCounterName = "sfpredictor.salesforce.api_calls";

    internal static ActivitySource ActivitySource { get; } = new(Name);
}

/// <summary>The client's instruments, on a meter from the host's <see cref="IMeterFactory"/>.</summary>
internal sealed class SalesforceMetrics
{
    public SalesforceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SalesforceTelemetry.Name);
        ApiCalls = meter.CreateCounter<long>(SalesforceTelemetry.ApiCallsCounterName, unit: "{call}", description: "Salesforce API calls made, retries included.");
    }

    public Counter<long> ApiCalls { get; }
}
