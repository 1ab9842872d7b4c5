using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SfPredictor.Salesforce.Http;
using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce.Auth;

/// <summary>Logs in with the configured OAuth flow and caches the session until Salesforce rejects it.</summary>
internal sealed class SalesforceAuthenticator(SalesforceOptions options, TimeProvider timeProvider, ILogger logger, Func<HttpClient> loginClient)
{
    private const string TokenPath = "/services/oauth2/token";
    private const string Redacted = "[redacted]";

    // Salesforce wants the assertion to expire within three minutes.
    private static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(3);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile SalesforceSession? _session;

    /// <summary>
    /// Returns the cached session, logging in when there is none or when the cached one is
    /// <paramref name="rejected"/> (concurrent callers that saw the same rejection share one login).
    /// </summary>
    public async Task<SalesforceSession> GetSessionAsync(SalesforceSession? rejected, CancellationToken cancellationToken)
    {
        if (_session is { } cached && !ReferenceEquals(cached, rejected))
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_session is { } fresh && !ReferenceEquals(fresh, rejected))
            {
                return fresh;
            }

            _session = null;
            var session = await LoginAsync(cancellationToken);
            _session = session;
            return session;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes every secret the client knows from a text that may echo one back.</summary>
    public string Redact(string text)
    {
        foreach (var secret in new[] { options.ClientSecret, options.RefreshToken, _session?.AccessToken })
        {
            if (secret is { Length: >= 4 })
            {
                text = text.Replace(secret, Redacted, StringComparison.Ordinal);
            }
        }

        return text;
    }

    private async Task<SalesforceSession> LoginAsync(CancellationToken cancellationToken)
    {
        var loginUrl = options.LoginUrl ?? throw new InvalidOperationException("Salesforce:LoginUrl is not set.");
        var tokenUri = new Uri(loginUrl, TokenPath);
        var call = $"POST {TokenPath} ({options.AuthFlow} login at {loginUrl.GetLeftPart(UriPartial.Authority)})";
        var form = CreateForm(loginUrl);

        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUri) { Content = new FormUrlEncodedContent(form) };
        using var response = await SalesforceHttp.SendAsync(loginClient(), request, call, options, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await SalesforceErrors.FromResponseAsync(response, call, isLogin: true, Redact, cancellationToken);
            Log.LoginFailed(logger, error.Message);
            throw error;
        }

        TokenResponse? token;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            token = await JsonSerializer.DeserializeAsync(body, SalesforceJsonContext.Default.TokenResponse, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new SalesforceAuthenticationException("MALFORMED_RESPONSE", response.StatusCode, $"Salesforce's answer to {call} is not JSON.", e);
        }

        if (string.IsNullOrEmpty(token?.AccessToken)
            || !Uri.TryCreate(token.InstanceUrl, UriKind.Absolute, out var instanceUrl)
            || instanceUrl.Scheme is not ("https" or "http"))
        {
            throw new SalesforceAuthenticationException(
                "MALFORMED_RESPONSE", response.StatusCode, $"Salesforce's answer to {call} lacks access_token or a valid instance_url.");
        }

        Log.LoggedIn(logger, options.AuthFlow, instanceUrl.GetLeftPart(UriPartial.Authority));
        var (orgId, userId) = SalesforceSession.ParseIdentity(token.Identity);
        return new SalesforceSession(token.AccessToken, instanceUrl, orgId, userId);
    }

    private KeyValuePair<string, string>[] CreateForm(Uri loginUrl) => options.AuthFlow switch
    {
        SalesforceAuthFlow.JwtBearer =>
        [
            new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            new("assertion", CreateAssertion(loginUrl)),
        ],
        SalesforceAuthFlow.ClientCredentials =>
        [
            new("grant_type", "client_credentials"),
            new("client_id", options.ClientId),
            new("client_secret", options.ClientSecret ?? string.Empty),
        ],
        SalesforceAuthFlow.RefreshToken => string.IsNullOrEmpty(options.ClientSecret)
            ?
            [
                new("grant_type", "refresh_token"),
                new("client_id", options.ClientId),
                new("refresh_token", options.RefreshToken ?? string.Empty),
            ]
            :
            [
                new("grant_type", "refresh_token"),
                new("client_id", options.ClientId),
                new("client_secret", options.ClientSecret),
                new("refresh_token", options.RefreshToken ?? string.Empty),
            ],
        _ => throw new InvalidOperationException($"Salesforce:AuthFlow '{options.AuthFlow}' is not supported."),
    };

    private string CreateAssertion(Uri loginUrl)
    {
        using var key = LoadPrivateKey();
        return JwtAssertion.Create(
            key,
            issuer: options.ClientId,
            subject: options.Username ?? string.Empty,
            audience: Audience(options.JwtAudience, loginUrl),
            expires: timeProvider.GetUtcNow() + AssertionLifetime);
    }

    internal static string Audience(string? configured, Uri loginUrl)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var host = loginUrl.Host;
        if (host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".sandbox.my.salesforce.com", StringComparison.OrdinalIgnoreCase))
        {
            return "https://test.salesforce.com";
        }

        // Production My Domain logins still name the login server as the audience.
        return host.EndsWith(".salesforce.com", StringComparison.OrdinalIgnoreCase)
            ? "https://login.salesforce.com"
            : loginUrl.GetLeftPart(UriPartial.Authority);
    }

    // The key is read at each login so a rotated key file is picked up without a restart.
    private RSA LoadPrivateKey()
    {
        string source;
        string? pem;
        if (!string.IsNullOrWhiteSpace(options.PrivateKeyPath))
        {
            source = $"the file named by Salesforce:PrivateKeyPath ('{options.PrivateKeyPath}')";
            try
            {
                pem = File.ReadAllText(options.PrivateKeyPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SalesforceAuthenticationException("PRIVATE_KEY_UNREADABLE", null, $"Cannot read {source}: {e.GetType().Name}.");
            }
        }
        else
        {
            source = $"the environment variable named by Salesforce:PrivateKeyEnvironmentVariable ('{options.PrivateKeyEnvironmentVariable}')";
            pem = Environment.GetEnvironmentVariable(options.PrivateKeyEnvironmentVariable ?? string.Empty);
            if (string.IsNullOrWhiteSpace(pem))
            {
                throw new SalesforceAuthenticationException("PRIVATE_KEY_UNREADABLE", null, $"{source} is not set or empty.");
            }
        }

        var key = RSA.Create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            // The parser's message is not passed on: nothing of the key text may reach an exception.
            throw new SalesforceAuthenticationException("PRIVATE_KEY_INVALID", null, $"{source} does not hold a PEM RSA private key.");
        }
    }
}
