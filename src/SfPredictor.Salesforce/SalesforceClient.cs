using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly;
using Polly.Timeout;
using SfPredictor.Salesforce.Auth;
using SfPredictor.Salesforce.Http;
using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce;

/// <summary>
/// Typed client of one org's REST and Bulk API 2.0: SOQL queries, Bulk jobs, sObject Collections
/// updates, describe and limits. Every call logs in when needed (and once more when the session
/// expired), retries transient failures, tracks the daily API budget and stops before the
/// configured share of it is crossed.
/// </summary>
public sealed partial class SalesforceClient
{
    private const string LimitInfoHeader = "Sforce-Limit-Info";

    // Names the client in the org's records of the call, such as a change event's changeOrigin.
    private const string CallOptionsHeader = "Sforce-Call-Options";

    private readonly HttpClient _http;
    private readonly SalesforceConnection _connection;

    /// <summary>Creates a client over an HttpClient (no base address needed; the instance URL comes from the login).</summary>
    public SalesforceClient(HttpClient httpClient, SalesforceConnection connection)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(connection);
        _http = httpClient;
        _connection = connection;
    }

    /// <summary>Calls made and the org's daily API usage as last reported.</summary>
    public SalesforceApiUsage Usage => _connection.Usage;

    /// <summary>The settings in use.</summary>
    public SalesforceOptions Options => _connection.Options;

    private string DataPath => _connection.DataPath;

    private Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string relativeUrl, Func<HttpContent>? createContent, CancellationToken cancellationToken) =>
        SendAsync(method, relativeUrl, createContent, header: null, cancellationToken);

    /// <summary>
    /// Sends an authenticated request to the instance and returns a successful response (the caller
    /// disposes it); an unsuccessful one becomes a <see cref="SalesforceApiException"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string relativeUrl,
        Func<HttpContent>? createContent,
        KeyValuePair<string, string>? header,
        CancellationToken cancellationToken)
    {
        var call = $"{method} {PathOf(relativeUrl)}";
        var session = await _connection.Authenticator.GetSessionAsync(SendLoginAsync, rejected: null, cancellationToken);
        for (var renewed = false; ; renewed = true)
        {
            EnsureWithinShare(call);
            var current = session;
            var response = await ExecuteAsync(
                () =>
                {
                    var request = new HttpRequestMessage(method, new Uri(current.InstanceUrl, relativeUrl));
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current.AccessToken);
                    request.Headers.TryAddWithoutValidation(CallOptionsHeader, "client=" + Options.ClientName);
                    request.Content = createContent?.Invoke();
                    if (header is { } h)
                    {
                        request.Headers.TryAddWithoutValidation(h.Key, h.Value);
                    }

                    return request;
                },
                call,
                countsAsApiCall: true,
                cancellationToken);
            RecordLimitInfo(response);

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            if (!renewed && await SalesforceErrors.IsInvalidSessionAsync(response, cancellationToken))
            {
                response.Dispose();
                Log.SessionExpired(_connection.Logger, call);
                session = await _connection.Authenticator.GetSessionAsync(SendLoginAsync, rejected: current, cancellationToken);
                continue;
            }

            using (response)
            {
                var error = await SalesforceErrors.FromResponseAsync(response, call, isLogin: false, _connection.Authenticator.Redact, cancellationToken);
                if (error is SalesforceLimitException)
                {
                    Log.LimitReached(_connection.Logger, error.Message);
                }

                throw error;
            }
        }
    }

    private async Task<T> SendForJsonAsync<T>(
        HttpMethod method, string relativeUrl, Func<HttpContent>? createContent, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, relativeUrl, createContent, cancellationToken);
        return await ReadJsonAsync(response, type, $"{method} {PathOf(relativeUrl)}", cancellationToken);
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string call, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(body, type, cancellationToken)
                ?? throw new JsonException("The body is the JSON literal null.");
        }
        catch (JsonException e)
        {
            throw new SalesforceApiException(
                "MALFORMED_RESPONSE", response.StatusCode, $"Salesforce's answer to {call} is not the expected JSON: {e.Message}", [], e);
        }
    }

    private static JsonContent JsonBody<T>(T value, JsonTypeInfo<T> type) => JsonContent.Create(value, type);

    private Task<HttpResponseMessage> SendLoginAsync(Func<HttpRequestMessage> createRequest, string call, CancellationToken cancellationToken) =>
        ExecuteAsync(createRequest, call, countsAsApiCall: false, cancellationToken);

    /// <summary>One HTTP exchange through the retry and timeout pipeline, traced and counted.</summary>
    private async Task<HttpResponseMessage> ExecuteAsync(
        Func<HttpRequestMessage> createRequest, string call, bool countsAsApiCall, CancellationToken cancellationToken)
    {
        using var activity = SalesforceTelemetry.ActivitySource.StartActivity(call, ActivityKind.Client);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(SalesforceResilience.CallKey, call);
        try
        {
            var response = await _connection.Pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    using var request = state.createRequest();
                    if (state.countsAsApiCall)
                    {
                        state.self.Usage.RecordCall();
                        SalesforceTelemetry.ApiCalls.Add(1, new KeyValuePair<string, object?>("http.request.method", request.Method.Method));
                    }

                    var started = state.self._connection.TimeProvider.GetTimestamp();
                    var response = await state.self._http.SendAsync(request, ctx.CancellationToken);
                    var elapsed = state.self._connection.TimeProvider.GetElapsedTime(started);
                    Log.CallCompleted(state.self._connection.Logger, state.call, (int)response.StatusCode, (long)elapsed.TotalMilliseconds);
                    return response;
                },
                context,
                (self: this, createRequest, call, countsAsApiCall));
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            return response;
        }
        catch (TimeoutRejectedException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            throw new SalesforceApiException(
                "TIMEOUT", null, $"Salesforce did not answer {call} within {Options.RequestTimeout} ({Options.MaxRetries + 1} attempts).", [], e);
        }
        catch (HttpRequestException e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "connection failed");
            throw new SalesforceApiException(
                "CONNECTION_FAILED", e.StatusCode, $"Could not reach Salesforce for {call} ({Options.MaxRetries + 1} attempts): {e.Message}", [], e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void EnsureWithinShare(string call)
    {
        try
        {
            Usage.EnsureWithinShare(Options.DailyApiShareLimit, call);
        }
        catch (SalesforceLimitException e)
        {
            Log.LimitReached(_connection.Logger, e.Message);
            throw;
        }
    }

    private void RecordLimitInfo(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues(LimitInfoHeader, out var values)
            && SalesforceApiUsage.TryParseLimitInfo(string.Join(';', values), out var used, out var max))
        {
            Usage.Update(used, max);
            Log.ApiUsage(_connection.Logger, used, max);
        }
    }

    // Logs and messages name the path only: query strings carry SOQL, which may carry customer data.
    private static string PathOf(string relativeUrl)
    {
        var query = relativeUrl.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? relativeUrl : relativeUrl[..query];
    }
}
