using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;

namespace SfPredictor.ModelStore.AzureBlob;

/// <summary>
/// How requests to Azure Blob Storage are authorised: a SAS token, the account's Shared Key, or an Entra ID token.
/// The secret never appears in <see cref="object.ToString"/>, log lines or exception messages.
/// </summary>
public abstract class BlobStorageCredential
{
    private protected BlobStorageCredential()
    {
    }

    /// <summary>A shared access signature, with or without its leading '?', appended to every request.</summary>
    public static BlobStorageCredential FromSas(string sasToken) => new SasCredential(sasToken);

    /// <summary>The storage account name and one of its base64 access keys (Shared Key authorisation).</summary>
    public static BlobStorageCredential FromSharedKey(string accountName, string accountKey) =>
        new SharedKeyCredential(accountName, accountKey);

    /// <summary>
    /// An Azure.Identity credential (managed identity, workload identity, ...) whose tokens for
    /// <c>https://storage.azure.com/.default</c> are sent as bearer tokens, over HTTPS only.
    /// </summary>
    public static BlobStorageCredential FromTokenCredential(TokenCredential credential, TimeProvider? timeProvider = null) =>
        new BearerTokenCredential(credential, timeProvider ?? TimeProvider.System);

    /// <summary>Bearer tokens must not travel over plain HTTP; the store refuses an http container URI for them.</summary>
    internal virtual bool RequiresHttps => false;

    /// <summary>Adds the authorisation to a request whose URI, <c>x-ms-*</c> and content headers are final.</summary>
    internal abstract ValueTask AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>Removes the secret from text that may echo it (a service error message, for instance).</summary>
    internal abstract string Scrub(string text);

    /// <inheritdoc />
    public override string ToString() => GetType().Name;

    private sealed class SasCredential : BlobStorageCredential
    {
        private readonly string _token;

        public SasCredential(string sasToken)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(sasToken);
            _token = sasToken.Trim().TrimStart('?');
            if (!_token.Contains("sig=", StringComparison.Ordinal))
            {
                // The token itself stays out of the message.
                throw new ArgumentException("The SAS token has no 'sig=' parameter; pass the query string of a SAS URL.", nameof(sasToken));
            }
        }

        internal override ValueTask AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var separator = string.IsNullOrEmpty(uri.Query) ? "?" : "&";
            request.RequestUri = new Uri(uri.AbsoluteUri + separator + _token);
            return ValueTask.CompletedTask;
        }

        internal override string Scrub(string text) => text.Replace(_token, "***", StringComparison.Ordinal);
    }

    private sealed class SharedKeyCredential : BlobStorageCredential
    {
        private readonly string _accountName;
        private readonly byte[] _key;

        public SharedKeyCredential(string accountName, string accountKey)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
            ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
            _accountName = accountName;
            try
            {
                _key = Convert.FromBase64String(accountKey.Trim());
            }
            catch (FormatException)
            {
                throw new ArgumentException("The storage account key is not valid base64.", nameof(accountKey));
            }
        }

        internal override ValueTask AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(SharedKeySignature.StringToSign(request, _accountName))));
            request.Headers.Authorization = new AuthenticationHeaderValue("SharedKey", $"{_accountName}:{signature}");
            return ValueTask.CompletedTask;
        }

        internal override string Scrub(string text) =>
            text.Replace(Convert.ToBase64String(_key), "***", StringComparison.Ordinal);
    }

    private sealed class BearerTokenCredential(TokenCredential credential, TimeProvider timeProvider) : BlobStorageCredential
    {
        private static readonly TokenRequestContext Scope = new(["https://storage.azure.com/.default"]);

        // Tokens live about an hour; fetching a new one shortly before expiry avoids sending one that lapses in flight.
        private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

        // Replaced as a whole, so a concurrent reader never sees a token paired with another token's expiry.
        // Two callers may both refresh at expiry; that costs one extra token request and nothing else.
        private volatile CachedToken? _cached;

        internal override bool RequiresHttps => true;

        internal override async ValueTask AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var cached = _cached;
            if (cached is null || timeProvider.GetUtcNow() >= cached.ExpiresOn - RefreshMargin)
            {
                var token = await credential.GetTokenAsync(Scope, cancellationToken);
                cached = new CachedToken(token.Token, token.ExpiresOn);
                _cached = cached;
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cached.Token);
        }

        internal override string Scrub(string text) =>
            _cached is { } cached ? text.Replace(cached.Token, "***", StringComparison.Ordinal) : text;

        // A class, not a record: a record's generated ToString would print the token.
        private sealed class CachedToken(string token, DateTimeOffset expiresOn)
        {
            public string Token { get; } = token;

            public DateTimeOffset ExpiresOn { get; } = expiresOn;
        }
    }
}

/// <summary>
/// The Shared Key string-to-sign for the Blob service (learn.microsoft.com, "Authorize with Shared Key"):
/// the verb, eleven standard headers, the canonicalized <c>x-ms-*</c> headers and the canonicalized resource.
/// </summary>
internal static class SharedKeySignature
{
    private static readonly string[] ConditionalHeaders = ["If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"];

    public static string StringToSign(HttpRequestMessage request, string accountName)
    {
        var content = request.Content?.Headers;
        var length = content?.ContentLength;
        var builder = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(Value(content, "Content-Encoding")).Append('\n')
            .Append(Value(content, "Content-Language")).Append('\n')
            // Since version 2015-02-21 a zero length is signed as an empty string.
            .Append(length is null or 0 ? string.Empty : length.Value.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Value(content, "Content-MD5")).Append('\n')
            .Append(Value(content, "Content-Type")).Append('\n')
            .Append(Value(request.Headers, "Date")).Append('\n');
        foreach (var header in ConditionalHeaders)
        {
            builder.Append(Value(request.Headers, header)).Append('\n');
        }

        foreach (var (name, value) in request.Headers
            .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(",", h.Value).Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        var uri = request.RequestUri!;
        builder.Append('/').Append(accountName).Append(uri.AbsolutePath);
        foreach (var parameter in QueryParameters(uri.Query)
            .GroupBy(p => p.Name.ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var values = parameter.Select(p => p.Value).Order(StringComparer.Ordinal);
            builder.Append('\n').Append(parameter.Key).Append(':').Append(string.Join(",", values));
        }

        return builder.ToString();
    }

    private static string Value(HttpHeaders? headers, string name) =>
        headers is not null && headers.TryGetValues(name, out var values) ? string.Join(",", values) : string.Empty;

    private static IEnumerable<(string Name, string Value)> QueryParameters(string query) =>
        query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(parts => (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty));
}
