using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.Salesforce.Auth;

namespace SfPredictor.Salesforce;

/// <summary>
/// What every <see cref="SalesforceClient"/> of one org shares: the settings, the cached session, the API
/// usage and the client's instruments. Register it once (a singleton); clients are cheap.
/// </summary>
public sealed class SalesforceConnection
{
    /// <summary>The named HttpClient that logs in (its own retries; no bearer token, no API budget).</summary>
    internal const string LoginClientName = "SfPredictor.Salesforce.Login";

    /// <summary>Creates the connection state from validated options.</summary>
    public SalesforceConnection(
        IOptions<SalesforceOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory, IHttpClientFactory httpClientFactory, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(meterFactory);
        Options = options.Value;
        TimeProvider = timeProvider;
        Logger = loggerFactory.CreateLogger<SalesforceClient>();
        Authenticator = new SalesforceAuthenticator(Options, timeProvider, Logger, () => httpClientFactory.CreateClient(LoginClientName));
        Metrics = new SalesforceMetrics(meterFactory);
    }

    /// <summary>The settings in use.</summary>
    public SalesforceOptions Options { get; }

    /// <summary>Calls made and the org's daily API usage as last reported.</summary>
    public SalesforceApiUsage Usage { get; } = new();

    internal TimeProvider TimeProvider { get; }

    internal ILogger Logger { get; }

    internal SalesforceAuthenticator Authenticator { get; }

    internal SalesforceMetrics Metrics { get; }

    internal string DataPath => $"/services/data/v{Options.ApiVersion}";
}
