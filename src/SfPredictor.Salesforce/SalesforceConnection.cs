using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using SfPredictor.Salesforce.Auth;
using SfPredictor.Salesforce.Http;

namespace SfPredictor.Salesforce;

/// <summary>
/// What every <see cref="SalesforceClient"/> of one org shares: the settings, the cached session,
/// the API usage and the retry pipeline. Register it once (a singleton); clients are cheap.
/// </summary>
public sealed class SalesforceConnection
{
    /// <summary>Creates the connection state from validated options.</summary>
    public SalesforceConnection(IOptions<SalesforceOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Options = options.Value;
        TimeProvider = timeProvider;
        Logger = loggerFactory.CreateLogger<SalesforceClient>();
        Authenticator = new SalesforceAuthenticator(Options, timeProvider, Logger);
        Pipeline = SalesforceResilience.Create(Options, timeProvider, Logger);
    }

    /// <summary>The settings in use.</summary>
    public SalesforceOptions Options { get; }

    /// <summary>Calls made and the org's daily API usage as last reported.</summary>
    public SalesforceApiUsage Usage { get; } = new();

    internal TimeProvider TimeProvider { get; }

    internal ILogger Logger { get; }

    internal SalesforceAuthenticator Authenticator { get; }

    internal ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    internal string DataPath => $"/services/data/v{Options.ApiVersion}";
}
