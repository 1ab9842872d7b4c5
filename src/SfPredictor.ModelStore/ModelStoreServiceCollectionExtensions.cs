using Azure.Core;
using Azure.Identity;
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
    /// container is used instead of <see cref="ManagedIdentityCredential"/> (workload identity, for instance).
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
        // by the factory, which keeps DNS changes visible.
        services.AddHttpClient(HttpClientName)
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

        return new AzureBlobModelStore(
            services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            options.ContainerUri,
            CreateCredential(options, services, timeProvider),
            timeProvider,
            services.GetService<ILogger<AzureBlobModelStore>>());
    }

    private static BlobStorageCredential CreateCredential(ModelStoreOptions options, IServiceProvider services, TimeProvider timeProvider) =>
        options.Auth switch
        {
            BlobAuthKind.Sas => BlobStorageCredential.FromSas(
                ModelStoreOptions.ReadSecret(options.SasToken, options.SasTokenFile, $"{ModelStoreOptions.SectionName}:{nameof(options.SasTokenFile)}")),
            BlobAuthKind.SharedKey => BlobStorageCredential.FromSharedKey(
                options.AccountName!,
                ModelStoreOptions.ReadSecret(options.AccountKey, options.AccountKeyFile, $"{ModelStoreOptions.SectionName}:{nameof(options.AccountKeyFile)}")),
            _ => BlobStorageCredential.FromTokenCredential(
                services.GetService<TokenCredential>()
                    ?? new ManagedIdentityCredential(string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
                        ? ManagedIdentityId.SystemAssigned
                        : ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId)),
                timeProvider),
        };
}
