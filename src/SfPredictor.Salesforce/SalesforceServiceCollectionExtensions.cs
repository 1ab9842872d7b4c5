using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SfPredictor.Salesforce.Http;

namespace SfPredictor.Salesforce;

/// <summary>Registers the Salesforce client.</summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SalesforceOptions"/> from the <c>Salesforce</c> section of
    /// <paramref name="configuration"/> (validated at start) and registers <see cref="SalesforceConnection"/>
    /// (singleton), the typed <see cref="SalesforceClient"/> with its handlers (session, resilience, API
    /// budget) and <see cref="SalesforceOrgReader"/>.
    /// </summary>
    public static IServiceCollection AddSalesforceClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<SalesforceOptions>()
            .Bind(configuration.GetSection(SalesforceOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceOptions>, ValidateSalesforceOptions>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SalesforceConnection>();

        services.AddMetrics();
        services.TryAddTransient<SalesforceAuthHandler>();
        services.TryAddTransient<ApiLimitsHandler>();

        // The resilience handlers own timeouts and retries, so the HttpClient's own timeout must never fire first.
        services.AddHttpClient(SalesforceConnection.LoginClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddSalesforceResilience("salesforce-login");

        // Outermost first: the session (re-login on INVALID_SESSION_ID sends the call again through the whole
        // pipeline), then retries and timeouts, then the API budget, which so sees and counts every attempt.
        services.AddHttpClient<SalesforceClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<SalesforceAuthHandler>()
            .AddSalesforceResilience("salesforce")
            .AddHttpMessageHandler<ApiLimitsHandler>();
        services.TryAddTransient<SalesforceOrgReader>();
        return services;
    }
}
