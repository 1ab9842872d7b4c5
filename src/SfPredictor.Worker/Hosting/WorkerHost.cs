using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.Salesforce;
using SfPredictor.Worker.Extensions;

namespace SfPredictor.Worker.Hosting;

/// <summary>
/// Builds the worker's host the way <c>sfp run</c> and <c>sfp score</c> do: settings from an optional
/// <c>appsettings.json</c> in the working folder and from environment variables (<c>Section__Key</c>).
/// </summary>
public static class WorkerHost
{
    /// <summary>A host builder with the configuration sources and, on top, <paramref name="overrides"/> (tests, the demo).</summary>
    public static HostApplicationBuilder CreateBuilder(IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
            DisableDefaults = false,
        });
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        // At Information the worker says what it did; the frameworks under it speak up only about problems
        // (retries are logged once, by the Salesforce client). Logging:LogLevel settings still override these.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Error);
        return builder;
    }

    /// <summary>Runs the worker until Ctrl-C or SIGTERM; returns the process exit code.</summary>
    /// <param name="error">Where a start-up failure is explained.</param>
    /// <param name="overrides">Settings on top of the configuration sources.</param>
    /// <param name="cancellationToken">Stops the worker.</param>
    public static async Task<int> RunAsync(TextWriter error, IEnumerable<KeyValuePair<string, string?>>? overrides = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var builder = CreateBuilder(overrides);
            builder.Services.AddSfPredictorWorker(builder.Configuration);
            using var host = builder.Build();
            await host.RunAsync(cancellationToken);
            return 0;
        }
        catch (Exception e) when (IsStartupProblem(e))
        {
            await error.WriteLineAsync($"error: {Describe(e)}");
            return 1;
        }
    }

    /// <summary>Whether an exception is a configuration or connection problem to explain in one line rather than a crash.</summary>
    public static bool IsStartupProblem(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions: [var inner] } => IsStartupProblem(inner),
        _ => exception is OptionsValidationException or SalesforceApiException or SalesforceSchemaException
            or SfPredictor.ModelStore.ModelStoreException or InvalidOperationException or IOException,
    };

    /// <summary>The one-line explanation of a start-up problem (never a secret: messages name settings, not values).</summary>
    public static string Describe(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions: [var inner] } => Describe(inner),
        OptionsValidationException e => string.Join(Environment.NewLine + "error: ", e.Failures),
        SalesforceSchemaException e => e.Message,
        _ => exception.Message,
    };
}
