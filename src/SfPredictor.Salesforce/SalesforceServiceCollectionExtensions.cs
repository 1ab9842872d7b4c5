using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SfPredictor.Salesforce;

/// <summary>Registers the Salesforce client.</summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SalesforceOptions"/> from the <c>Salesforce</c> section of
    /// <paramref name="configuration"/> (validated at start) and registers <see cref="SalesforceConnection"/>
    /// (singleton), the typed <see cref="SalesforceClient"/> and <see cref="SalesforceOrgReader"/>.
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

        // The pipeline owns timeouts and retries, so the HttpClient's own timeout must never fire first.
        services.AddHttpClient<SalesforceClient>(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddTransient<SalesforceOrgReader>();
        return services;
    }
}
