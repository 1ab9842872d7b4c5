using System.Diagnostics;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce.Http;

/// <summary>Sends one logical call through a Salesforce HttpClient: a span around it, failures as typed exceptions.</summary>
internal static class SalesforceHttp
{
    /// <summary>
    /// Sends <paramref name="request"/>; the handlers retry and time out. A call that got no usable answer
    /// becomes a <see cref="SalesforceApiException"/> (TIMEOUT, CIRCUIT_OPEN, CONNECTION_FAILED). <paramref name="completion"/>
    /// says whether the body is read before returning or left for the caller to stream.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, HttpRequestMessage request, string call, SalesforceOptions options, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var activity = SalesforceTelemetry.ActivitySource.StartActivity(call, ActivityKind.Client);
        request.Options.Set(SalesforceResilience.CallKey, call);
        try
        {
            var response = await http.SendAsync(request, completion, cancellationToken);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            return response;
        }
        catch (TimeoutRejectedException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            var which = e.Timeout >= options.TotalRequestTimeout ? "Salesforce:TotalRequestTimeout" : "Salesforce:RequestTimeout per attempt";
            throw new SalesforceApiException(
                "TIMEOUT", null, $"Salesforce did not answer {call} within {e.Timeout} ({which}; up to {options.MaxRetries + 1} attempts).", [], e);
        }
        catch (BrokenCircuitException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "circuit open");
            throw new SalesforceApiException(
                "CIRCUIT_OPEN", null,
                $"Not calling {call}: most recent calls to Salesforce failed, so calls pause for {options.CircuitBreakDuration} (Salesforce:CircuitBreakDuration).", [], e);
        }
        catch (HttpRequestException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "connection failed");
            throw new SalesforceApiException(
                "CONNECTION_FAILED", e.StatusCode, $"Could not reach Salesforce for {call} (up to {options.MaxRetries + 1} attempts): {e.Message}", [], e);
        }
    }

    /// <summary>The call's name for logs, when the client did not name it.</summary>
    public static string CallOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(SalesforceResilience.CallKey, out var call) ? call : $"{request.Method} {request.RequestUri?.AbsolutePath}";
}
