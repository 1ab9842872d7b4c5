using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce.Http;

/// <summary>
/// Innermost handler of the data API client, so it sees every attempt: refuses an attempt that would take
/// the org past <see cref="SalesforceOptions.DailyApiShareLimit"/> of its daily API requests, counts the
/// attempt, and reads the org's usage from the <c>Sforce-Limit-Info</c> header of each answer.
/// </summary>
internal sealed class ApiLimitsHandler(SalesforceConnection connection) : DelegatingHandler
{
    private const string LimitInfoHeader = "Sforce-Limit-Info";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = SalesforceHttp.CallOf(request);
        var usage = connection.Usage;
        usage.EnsureWithinShare(connection.Options.DailyApiShareLimit, call);
        usage.RecordCall();
        connection.Metrics.ApiCalls.Add(1, new KeyValuePair<string, object?>("http.request.method", request.Method.Method));

        var time = connection.TimeProvider;
        var started = time.GetTimestamp();
        var response = await base.SendAsync(request, cancellationToken);
        Log.CallCompleted(connection.Logger, call, (int)response.StatusCode, (long)time.GetElapsedTime(started).TotalMilliseconds);
        if (response.Headers.TryGetValues(LimitInfoHeader, out var values)
            && SalesforceApiUsage.TryParseLimitInfo(string.Join(';', values), out var used, out var max))
        {
            usage.Update(used, max);
            Log.ApiUsage(connection.Logger, used, max);
        }

        return response;
    }
}
