using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace SfPredictor.ModelStore.AzureBlob;

/// <summary>A condition on a Put Blob: none, "must not exist yet" (<c>If-None-Match: *</c>) or "ETag still matches" (<c>If-Match</c>).</summary>
internal readonly record struct PutCondition(bool IfNotExists, string? IfMatch)
{
    public static PutCondition None => default;

    public static PutCondition NotExists => new(true, null);

    public static PutCondition Matches(string etag) => new(false, etag);
}

/// <summary>A conditional Put Blob found the blob in another state than the condition required.</summary>
internal sealed class BlobConditionFailedException(string message) : Exception(message);

/// <summary>
/// The few Blob REST operations the model store needs, over one container: Get Blob, Get Blob Properties (HEAD),
/// Put Blob, List Blobs and Create Container. Transient failures (5xx, 408, 429, network errors, timeouts) are retried.
/// </summary>
internal sealed class BlobRestClient
{
    /// <summary>The service version sent as <c>x-ms-version</c>; bearer tokens need 2017-11-09 or later.</summary>
    public const string ServiceVersion = "2023-11-03";

    private static readonly ResiliencePropertyKey<string> RequestKey = new("SfPredictor.ModelStore.Request");

    private readonly HttpClient _http;
    private readonly string _containerUri;
    private readonly BlobStorageCredential _credential;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ILogger _logger;

    public BlobRestClient(HttpClient http, Uri containerUri, BlobStorageCredential credential, TimeProvider timeProvider, ILogger logger, TimeSpan retryDelay)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(containerUri);
        ArgumentNullException.ThrowIfNull(credential);
        if (!containerUri.IsAbsoluteUri || (containerUri.Scheme != Uri.UriSchemeHttps && containerUri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("The container URI must be an absolute http or https URI.", nameof(containerUri));
        }

        if (!string.IsNullOrEmpty(containerUri.Query))
        {
            // Deliberately not echoing the URI: its query may be a SAS.
            throw new ArgumentException("The container URI must not carry a query string; pass a SAS as the credential.", nameof(containerUri));
        }

        if (credential.RequiresHttps && containerUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"Bearer tokens are sent over HTTPS only; {containerUri} is not HTTPS.", nameof(containerUri));
        }

        _http = http;
        _containerUri = containerUri.AbsoluteUri.TrimEnd('/');
        _credential = credential;
        _timeProvider = timeProvider;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 3,
                Delay = retryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TaskCanceledException>(ex => ex.InnerException is TimeoutException)
                    .HandleResult(IsTransient),
                OnRetry = args =>
                {
                    var outcome = args.Outcome.Exception?.GetType().Name
                        ?? ((int)args.Outcome.Result!.StatusCode).ToString(CultureInfo.InvariantCulture);
                    args.Context.Properties.TryGetValue(RequestKey, out var request);
                    Log.RequestRetried(_logger, request ?? "request", args.AttemptNumber + 1, args.RetryDelay, outcome);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>The container URI, safe to show: it never carries a query string.</summary>
    public string ContainerLocation => _containerUri;

    public string Location(string blobName) => $"{_containerUri}/{EscapeBlobName(blobName)}";

    /// <summary>Get Blob; null when the blob or its container does not exist. The caller disposes the response.</summary>
    public async Task<HttpResponseMessage?> GetAsync(string blobName, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, blobName, string.Empty, null, static _ => { }, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return await NullIfNotFoundAsync(response, HttpMethod.Get, blobName, cancellationToken);
    }

    /// <summary>Get Blob Properties: whether the blob exists.</summary>
    public async Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken)
    {
        using var response = await NullIfNotFoundAsync(
            await SendAsync(HttpMethod.Head, blobName, string.Empty, null, static _ => { }, HttpCompletionOption.ResponseHeadersRead, cancellationToken),
            HttpMethod.Head, blobName, cancellationToken);
        return response is not null;
    }

    /// <summary>
    /// Put Blob (block blob) of the content <paramref name="createContent"/> makes (called again on a retry).
    /// Creates the container when it is missing. Returns the new ETag.
    /// </summary>
    /// <exception cref="BlobConditionFailedException">The condition did not hold.</exception>
    public async Task<string> PutAsync(string blobName, Func<HttpContent> createContent, PutCondition condition, CancellationToken cancellationToken)
    {
        void AddHeaders(HttpRequestMessage request)
        {
            request.Headers.Add("x-ms-blob-type", "BlockBlob");
            if (condition.IfNotExists)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", "*");
            }

            if (condition.IfMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", condition.IfMatch);
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            using var response = await SendAsync(HttpMethod.Put, blobName, string.Empty, createContent, AddHeaders, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return response.Headers.ETag?.ToString()
                    ?? throw new ModelStoreException($"Azure Blob Storage returned no ETag for PUT {Location(blobName)}.");
            }

            if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed && (condition.IfNotExists || condition.IfMatch is not null))
            {
                throw new BlobConditionFailedException($"{ErrorCode(response) ?? response.StatusCode.ToString()} on PUT {Location(blobName)}");
            }

            if (attempt == 1 && response.StatusCode == HttpStatusCode.NotFound && ErrorCode(response) == "ContainerNotFound")
            {
                await CreateContainerAsync(cancellationToken);
                continue;
            }

            throw await ErrorAsync(response, HttpMethod.Put, Location(blobName), cancellationToken);
        }
    }

    /// <summary>List Blobs under <paramref name="prefix"/>, following continuation markers; nothing when the container is missing.</summary>
    public async IAsyncEnumerable<string> ListAsync(string prefix, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            var query = $"restype=container&comp=list&prefix={Uri.EscapeDataString(prefix)}&maxresults={pageSize.ToString(CultureInfo.InvariantCulture)}"
                + (marker is null ? string.Empty : $"&marker={Uri.EscapeDataString(marker)}");
            using var response = await NullIfNotFoundAsync(
                await SendAsync(HttpMethod.Get, null, query, null, static _ => { }, HttpCompletionOption.ResponseContentRead, cancellationToken),
                HttpMethod.Get, null, cancellationToken);
            if (response is null)
            {
                yield break;
            }

            XDocument page;
            await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
            {
                page = await XDocument.LoadAsync(body, LoadOptions.None, cancellationToken);
            }

            foreach (var name in page.Descendants("Blob").Select(b => (string?)b.Element("Name")).OfType<string>())
            {
                yield return name;
            }

            marker = (string?)page.Root?.Element("NextMarker");
        }
        while (!string.IsNullOrEmpty(marker));
    }

    private async Task CreateContainerAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, null, "restype=container", null, static _ => { }, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict && ErrorCode(response) == "ContainerAlreadyExists")
        {
            return;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, HttpMethod.Put, _containerUri, cancellationToken);
        }

        Log.ContainerCreated(_logger, _containerUri);
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string? blobName,
        string query,
        Func<HttpContent>? createContent,
        Action<HttpRequestMessage> addHeaders,
        HttpCompletionOption completion,
        CancellationToken cancellationToken)
    {
        var location = blobName is null ? _containerUri : Location(blobName);
        var uri = new Uri(query.Length == 0 ? location : $"{location}?{query}");
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, $"{method} {location}");
        try
        {
            return await _pipeline.ExecuteAsync(
                async (ctx, _) =>
                {
                    // A request message can be sent once: every attempt builds, dates and signs a new one.
                    using var request = new HttpRequestMessage(method, uri) { Content = createContent?.Invoke() };
                    request.Headers.Add("x-ms-version", ServiceVersion);
                    request.Headers.Add("x-ms-date", _timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
                    addHeaders(request);
                    await _credential.AuthorizeAsync(request, ctx.CancellationToken);
                    return await _http.SendAsync(request, completion, ctx.CancellationToken);
                },
                context,
                0);
        }
        catch (HttpRequestException ex)
        {
            throw new ModelStoreException($"Could not reach Azure Blob Storage for {method} {location}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new ModelStoreException($"Azure Blob Storage did not answer {method} {location} in time.", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<HttpResponseMessage?> NullIfNotFoundAsync(HttpResponseMessage response, HttpMethod method, string? blobName, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            throw await ErrorAsync(response, method, blobName is null ? _containerUri : Location(blobName), cancellationToken);
        }
    }

    /// <summary>
    /// Turns an error response into an exception naming the status, the service's error code and message. The
    /// service's authentication detail (which quotes signatures) is left out, and the text is scrubbed of the secret.
    /// </summary>
    private async Task<ModelStoreException> ErrorAsync(HttpResponseMessage response, HttpMethod method, string location, CancellationToken cancellationToken)
    {
        var code = ErrorCode(response);
        string? message = null;
        var body = method == HttpMethod.Head ? string.Empty : await response.Content.ReadAsStringAsync(cancellationToken);
        if (body.Length > 0)
        {
            try
            {
                var error = XDocument.Parse(body).Root;
                code ??= (string?)error?.Element("Code");
                message = ((string?)error?.Element("Message"))?.Split('\n')[0].Trim();
            }
            catch (System.Xml.XmlException)
            {
                // Not the service's XML error body (a proxy's page, say); the status line still says enough.
            }
        }

        var text = $"Azure Blob Storage answered {(int)response.StatusCode} {code ?? response.ReasonPhrase} to {method} {location}"
            + (message is null ? "." : $": {message}");
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || code == "InvalidAuthenticationInfo")
        {
            text += " Check the credentials in SfPredictor:ModelStore (Auth with AccountName/AccountKey, SasToken, or the identity's "
                + "'Storage Blob Data Contributor' role on the container).";
        }

        return new ModelStoreException(_credential.Scrub(text));
    }

    private static string? ErrorCode(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-ms-error-code", out var values) ? values.FirstOrDefault() : null;

    private static bool IsTransient(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || ((int)response.StatusCode >= 500 && response.StatusCode is not (HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported));

    private static string EscapeBlobName(string blobName) =>
        string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString));
}
