using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SfPredictor.Salesforce.Http;
using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce;

/// <summary>
/// Typed client of one org's REST and Bulk API 2.0: SOQL queries, Bulk jobs, sObject Collections
/// updates, describe and limits. Its HttpClient's handlers log in when needed (and once more when the
/// session expired), retry transient failures, and track the daily API budget, stopping before the
/// configured share of it is crossed.
/// </summary>
public sealed partial class SalesforceClient
{
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
        SendAsync(method, relativeUrl, createContent, header: null, HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>
    /// Sends a request to the instance and returns a successful response (the caller disposes it); an
    /// unsuccessful one becomes a <see cref="SalesforceApiException"/>. The handlers add the session, retry,
    /// time out and keep to the API budget. With <see cref="HttpCompletionOption.ResponseHeadersRead"/> the body is
    /// left on the connection for the caller to stream; retries and timeouts then cover the call up to the headers.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string relativeUrl,
        Func<HttpContent>? createContent,
        KeyValuePair<string, string>? header,
        HttpCompletionOption completion,
        CancellationToken cancellationToken)
    {
        var call = $"{method} {PathOf(relativeUrl)}";
        var session = await _connection.Authenticator.GetSessionAsync(rejected: null, cancellationToken);
        using var request = new HttpRequestMessage(method, new Uri(session.InstanceUrl, relativeUrl)) { Content = createContent?.Invoke() };
        request.Headers.TryAddWithoutValidation(CallOptionsHeader, "client=" + Options.ClientName);
        if (header is { } h)
        {
            request.Headers.TryAddWithoutValidation(h.Key, h.Value);
        }

        if (!IsRepeatable(method, relativeUrl))
        {
            request.Options.Set(SalesforceResilience.NotRepeatableKey, true);
        }

        HttpResponseMessage response;
        try
        {
            response = await SalesforceHttp.SendAsync(_http, request, call, Options, completion, cancellationToken);
        }
        catch (SalesforceLimitException e)
        {
            Log.LimitReached(_connection.Logger, e.Message);
            throw;
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
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

    // Reads, and sObject Collections updates (the same values written twice leave the same record), may reach
    // Salesforce twice; creating a Bulk job, uploading its data or changing its state may not.
    private static bool IsRepeatable(HttpMethod method, string relativeUrl) =>
        method == HttpMethod.Get
        || (method == HttpMethod.Patch && PathOf(relativeUrl).EndsWith("/composite/sobjects", StringComparison.Ordinal));

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

    // Logs and messages name the path only: query strings carry SOQL, which may carry customer data.
    private static string PathOf(string relativeUrl)
    {
        var query = relativeUrl.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? relativeUrl : relativeUrl[..query];
    }
}
