using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.ModelStore.AzureBlob;
using SfPredictor.ModelStore.Local;

namespace SfPredictor.ModelStore;

/// <summary>Registers the configured <see cref="IModelStore"/>.</summary>
public static class ModelStoreServiceCollectionExtensions
{
    /// <summary>Name of the <see cref="HttpClient"/> the Blob store sends its requests with.</summary>
    public const string HttpClientName = "SfPredictor.ModelStore";

    /// <summary>
    /// Binds and validates (at start) <see cref="ModelStoreOptions"/> from <see cref="ModelStoreOptions.SectionName"/>
    /// and registers a singleton <see cref="IModelStore"/>: a <see cref="LocalFolderModelStore"/> or an
    /// <see cref="AzureBlobModelStore"/>. With ManagedIdentity, a <see cref="TokenCredential"/> registered in the
    /// container is used instead of Azure.Identity's ManagedIdentityCredential (workload identity, for instance).
    /// </summary>
    public static IServiceCollection AddModelStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ModelStoreOptions>()
            .Bind(configuration.GetSection(ModelStoreOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelStoreOptions>, ValidateModelStoreOptions>());
        services.TryAddSingleton(TimeProvider.System);

        // The store is a singleton holding its client, so connections are recycled by the handler instead of
        // by the factory, which keeps DNS changes visible. The Azure SDK times each attempt itself.
        services.AddHttpClient(HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(CreateStore);
        return services;
    }

    private static IModelStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ModelStoreOptions>>().Value;
        var timeProvider = services.GetRequiredService<TimeProvider>();
        if (options.Kind == ModelStoreKind.Local)
        {
            return new LocalFolderModelStore(options.LocalPath, timeProvider, services.GetService<ILogger<LocalFolderModelStore>>());
        }

        var container = BlobContainerFactory.Create(
            options,
            services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            services.GetService<TokenCredential>());
        return new AzureBlobModelStore(container, options.TotalTimeout, timeProvider, services.GetService<ILogger<AzureBlobModelStore>>());
    }
}
