using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace SfPredictor.ModelStore.AzureBlob;

/// <summary>Builds the Azure SDK container client the settings describe: credential, service version, retries and transfer checks.</summary>
internal static class BlobContainerFactory
{
    /// <summary>
    /// The service version every request names. Azurite 3.37 (the tests' emulator) refuses the SDK's newer default;
    /// Azure Storage serves this one too, and it has everything the store uses (conditional Put Blob, List Blobs).
    /// </summary>
    public const BlobClientOptions.ServiceVersion ServiceVersion = BlobClientOptions.ServiceVersion.V2026_06_06;

    /// <summary>
    /// A client for the configured container that sends its requests through <paramref name="httpClient"/>.
    /// With ManagedIdentity, <paramref name="tokenCredential"/> (a credential registered by the host, for workload
    /// identity say) is used when given, otherwise <see cref="ManagedIdentityCredential"/>.
    /// </summary>
    public static BlobContainerClient Create(ModelStoreOptions options, HttpClient httpClient, TokenCredential? tokenCredential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        var clientOptions = new BlobClientOptions(ServiceVersion)
        {
            Transport = new HttpClientTransport(httpClient),
        };

        // The SDK retries 408, 429, 5xx and network failures itself; these settings bound how often and how long.
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.MaxDelay = options.RetryDelay * 16;
        clientOptions.Retry.NetworkTimeout = options.AttemptTimeout;

        // Each request's body is checked against a transactional MD5 (CRC64 is not served by Azurite); the store
        // checks every downloaded file against the SHA-256 in its version's index besides.
        clientOptions.TransferValidation.Upload.ChecksumAlgorithm = StorageChecksumAlgorithm.MD5;
        clientOptions.TransferValidation.Download.ChecksumAlgorithm = StorageChecksumAlgorithm.MD5;
        clientOptions.TransferValidation.Download.AutoValidateChecksum = true;

        var key = ModelStoreOptions.SectionName;
        return options.Auth switch
        {
            BlobAuthKind.ConnectionString => new BlobContainerClient(
                ModelStoreOptions.ReadSecret(options.ConnectionString, options.ConnectionStringFile, $"{key}:{nameof(options.ConnectionStringFile)}"),
                options.ContainerName,
                clientOptions),
            BlobAuthKind.Sas => new BlobContainerClient(
                options.ContainerUri,
                new AzureSasCredential(ModelStoreOptions.ReadSecret(options.SasToken, options.SasTokenFile, $"{key}:{nameof(options.SasTokenFile)}")),
                clientOptions),
            BlobAuthKind.SharedKey => new BlobContainerClient(
                options.ContainerUri,
                new StorageSharedKeyCredential(
                    options.AccountName,
                    ModelStoreOptions.ReadSecret(options.AccountKey, options.AccountKeyFile, $"{key}:{nameof(options.AccountKeyFile)}")),
                clientOptions),
            _ => new BlobContainerClient(
                options.ContainerUri,
                tokenCredential ?? new ManagedIdentityCredential(string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
                    ? ManagedIdentityId.SystemAssigned
                    : ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId)),
                clientOptions),
        };
    }
}
