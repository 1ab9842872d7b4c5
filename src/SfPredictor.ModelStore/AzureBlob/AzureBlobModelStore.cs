using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SfPredictor.ModelStore.AzureBlob;

/// <summary>
/// A model store in an Azure Blob Storage container, through the Azure SDK's <see cref="BlobContainerClient"/>.
/// Layout: <c>versions/{version}.json</c> is a version's index (its files with length and SHA-256), written last and
/// only if absent (<c>If-None-Match: *</c>), so a version appears complete or not at all; the files live under
/// <c>packages/{version}/{uploadId}/</c>; <c>current.json</c> names the promoted version and is only ever replaced
/// with an <c>If-Match</c> on the ETag the promoter read.
/// </summary>
public sealed class AzureBlobModelStore : IModelStore
{
    private const string VersionsPrefix = "versions/";
    private const string IndexSuffix = ".json";

    private readonly BlobContainerClient _container;
    private readonly TimeSpan _totalTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a store over <paramref name="container"/>; the container is created on first publish.</summary>
    /// <param name="container">The container client, with its credential, retry and transfer settings.</param>
    /// <param name="totalTimeout">The longest one request may take, all its retries included; infinite when null.</param>
    /// <param name="timeProvider">Clock for publish and promotion times and for the total timeout.</param>
    /// <param name="logger">Logger; never receives a secret.</param>
    public AzureBlobModelStore(
        BlobContainerClient container,
        TimeSpan? totalTimeout = null,
        TimeProvider? timeProvider = null,
        ILogger<AzureBlobModelStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        _totalTimeout = totalTimeout ?? Timeout.InfiniteTimeSpan;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<AzureBlobModelStore>.Instance;

        // A connection string with a SAS puts it in the container URI; what the store shows never carries a query.
        ContainerLocation = new UriBuilder(container.Uri) { Query = string.Empty }.Uri.AbsoluteUri.TrimEnd('/');
    }

    /// <summary>The container's URI without any query string, as shown in messages and logs.</summary>
    public string ContainerLocation { get; }

    /// <summary>Blobs per List Blobs page (the service allows at most 5000).</summary>
    internal int ListPageSize { get; set; } = 5000;

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListVersionsAsync(CancellationToken cancellationToken = default) =>
        CallAsync("list versions in", ContainerLocation, async ct =>
        {
            var versions = new List<string>();
            try
            {
                await foreach (var page in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, VersionsPrefix, ct).AsPages(pageSizeHint: ListPageSize))
                {
                    foreach (var blob in page.Values)
                    {
                        if (blob.Name.EndsWith(IndexSuffix, StringComparison.Ordinal)
                            && blob.Name[VersionsPrefix.Length..^IndexSuffix.Length] is var version
                            && StoreLayout.IsValidVersion(version))
                        {
                            versions.Add(version);
                        }
                    }
                }
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                // Nothing was ever published.
            }

            versions.Sort(StringComparer.Ordinal);
            return (IReadOnlyList<string>)versions;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task PublishAsync(string version, string sourceFolder, CancellationToken cancellationToken = default)
    {
        StoreLayout.ValidateVersion(version);
        var files = StoreLayout.ListFiles(sourceFolder);
        if (await ExistsAsync(IndexName(version), cancellationToken))
        {
            throw VersionExists(version);
        }

        await CallAsync("create", ContainerLocation, ct => _container.CreateIfNotExistsAsync(cancellationToken: ct), cancellationToken);
        var uploadId = Guid.NewGuid().ToString("N");
        var entries = new List<PackageFile>(files.Count);
        foreach (var (relativePath, fullPath) in files)
        {
            entries.Add(await HashFileAsync(relativePath, fullPath, cancellationToken));
            var blob = _container.GetBlobClient(FileBlobName(version, uploadId, relativePath));
            await CallAsync("upload", Location(blob.Name), async ct =>
            {
                await using var content = File.OpenRead(fullPath);
                return await blob.UploadAsync(content, Upload("application/octet-stream", null), ct);
            }, cancellationToken);
        }

        var index = new PackageIndex(uploadId, _timeProvider.GetUtcNow(), entries);
        var indexJson = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(index, ModelStoreJsonContext.Default.PackageIndex));
        try
        {
            await PutAsync(IndexName(version), indexJson, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken);
        }
        catch (RequestFailedException e) when (IsConditionFailure(e))
        {
            // A retried write whose first attempt had succeeded finds its own index; anything else is a rival publish.
            if ((await ReadIndexAsync(version, cancellationToken))?.UploadId != uploadId)
            {
                throw VersionExists(version);
            }
        }

        Log.VersionPublished(_logger, version, entries.Count, entries.Sum(f => f.Length), ContainerLocation);
    }

    /// <inheritdoc />
    public async Task<ModelPointer?> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        (await ReadPointerAsync(cancellationToken))?.Pointer;

    /// <inheritdoc />
    public async Task<ModelPointer> PromoteAsync(string version, ModelPointer? expectedCurrent, CancellationToken cancellationToken = default)
    {
        StoreLayout.ValidateVersion(version);
        if (!await ExistsAsync(IndexName(version), cancellationToken))
        {
            throw VersionNotFound(version);
        }

        var pointer = new PointerDocument(version, Guid.NewGuid().ToString("N"), _timeProvider.GetUtcNow());
        var condition = expectedCurrent is null
            ? new BlobRequestConditions { IfNoneMatch = ETag.All }
            : new BlobRequestConditions { IfMatch = new ETag(expectedCurrent.ETag) };
        try
        {
            var etag = await PutAsync(StoreLayout.PointerName, BinaryData.FromBytes(StoreLayout.SerializePointer(pointer)), condition, cancellationToken);
            Log.VersionPromoted(_logger, version, expectedCurrent?.Version ?? "(none)", ContainerLocation);
            return new ModelPointer(version, etag, pointer.PromotedAt);
        }
        catch (RequestFailedException e) when (IsConditionFailure(e))
        {
            var current = await ReadPointerAsync(cancellationToken);
            if (current is { Document.PromotionId: var id } && id == pointer.PromotionId)
            {
                // Our own write, answered late and retried: the promotion did happen.
                return current.Value.Pointer;
            }

            Log.PromotionConflict(_logger, version, current?.Pointer.Version ?? "(none)", ContainerLocation);
            throw StoreLayout.PromotionConflict(version, expectedCurrent, current?.Pointer.Version, ContainerLocation);
        }
    }

    /// <inheritdoc />
    public async Task<string> DownloadAsync(string version, string cacheFolder, CancellationToken cancellationToken = default)
    {
        StoreLayout.ValidateVersion(version);
        var path = await StoreLayout.MaterializeAsync(cacheFolder, version, async (staging, ct) =>
        {
            var index = await ReadIndexAsync(version, ct) ?? throw VersionNotFound(version);
            foreach (var file in index.Files)
            {
                await DownloadFileAsync(FileBlobName(version, index.UploadId, file.Path), file, StoreLayout.ResolveInside(staging, file.Path), ct);
            }
        }, cancellationToken);
        Log.VersionAvailable(_logger, version, path);
        return path;
    }

    private async Task DownloadFileAsync(string blobName, PackageFile expected, string destination, CancellationToken cancellationToken)
    {
        var (length, sha256) = await CallAsync("download", Location(blobName), async ct =>
        {
            BlobDownloadStreamingResult download;
            try
            {
                download = (await _container.GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: ct)).Value;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                throw new ModelStoreException($"Model package file {Location(blobName)} is missing.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            await using (var source = download.Content)
            await using (var target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                    length += read;
                }
            }

            return (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }, cancellationToken);

        if (length != expected.Length || sha256 != expected.Sha256)
        {
            throw new ModelStoreException(
                $"Model package file {Location(blobName)} does not match the version's index: expected {expected.Length} bytes "
                + $"with SHA-256 {expected.Sha256}, got {length} bytes with SHA-256 {sha256}.");
        }
    }

    private async Task<PackageIndex?> ReadIndexAsync(string version, CancellationToken cancellationToken)
    {
        var name = IndexName(version);
        if (await GetAsync(name, cancellationToken) is not { } download)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(download.Content.ToMemory().Span, ModelStoreJsonContext.Default.PackageIndex) is { UploadId: not null, Files: not null } index
                ? index
                : throw new ModelStoreException($"Version index {Location(name)} lacks 'uploadId' or 'files'.");
        }
        catch (JsonException ex)
        {
            throw new ModelStoreException($"Version index {Location(name)} is not valid JSON: {ex.Message}", ex);
        }
    }

    private async Task<(ModelPointer Pointer, PointerDocument Document)?> ReadPointerAsync(CancellationToken cancellationToken)
    {
        var location = Location(StoreLayout.PointerName);
        if (await GetAsync(StoreLayout.PointerName, cancellationToken) is not { } download)
        {
            return null;
        }

        var document = StoreLayout.ParsePointer(download.Content.ToMemory().Span, $"blob {location}");
        var etag = download.Details.ETag.ToString();
        if (string.IsNullOrEmpty(etag))
        {
            throw new ModelStoreException($"Azure Blob Storage returned no ETag for {location}.");
        }

        return (new ModelPointer(document.Version, etag, document.PromotedAt), document);
    }

    /// <summary>Get Blob of a small blob; null when it or its container does not exist.</summary>
    private Task<BlobDownloadResult?> GetAsync(string blobName, CancellationToken cancellationToken) =>
        CallAsync("read", Location(blobName), async ct =>
        {
            try
            {
                return (BlobDownloadResult?)(await _container.GetBlobClient(blobName).DownloadContentAsync(ct)).Value;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null;
            }
        }, cancellationToken);

    private Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken) =>
        CallAsync("check", Location(blobName), async ct => (await _container.GetBlobClient(blobName).ExistsAsync(ct)).Value, cancellationToken);

    /// <summary>Put Blob under a condition; returns the new ETag. A failed condition comes out as the SDK's exception.</summary>
    private Task<string> PutAsync(string blobName, BinaryData content, BlobRequestConditions conditions, CancellationToken cancellationToken) =>
        CallAsync("write", Location(blobName), async ct =>
        {
            try
            {
                return (await _container.GetBlobClient(blobName).UploadAsync(content, Upload("application/json", conditions), ct)).Value.ETag.ToString();
            }
            catch (RequestFailedException e) when (IsConditionFailure(e))
            {
                throw new ConditionFailedException(e);
            }
        }, cancellationToken);

    /// <summary>
    /// Runs one SDK call under the total timeout and turns what the service or the network answered into a
    /// <see cref="ModelStoreException"/> naming the operation, the blob, the status and the service's error code.
    /// The SDK's own exception is not attached: its text quotes response headers and bodies, which need not be shown.
    /// </summary>
    private async Task<T> CallAsync<T>(string operation, string location, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = _totalTimeout == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(_totalTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await call(linked.Token);
        }
        catch (ConditionFailedException e)
        {
            throw e.Inner;
        }
        catch (RequestFailedException e) when (e.Status != 0)
        {
            var text = $"Azure Blob Storage answered {e.Status} {e.ErrorCode ?? "(no error code)"} to {operation} {location}: {FirstLine(e.Message)}";
            if (e.Status is 401 or 403)
            {
                text += " Check the credentials in SfPredictor:ModelStore (Auth with AccountName/AccountKey, SasToken, ConnectionString, "
                    + "or the identity's 'Storage Blob Data Contributor' role on the container).";
            }

            throw new ModelStoreException(text);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException)
        {
            throw new ModelStoreException($"Could not reach Azure Blob Storage to {operation} {location}: {FirstLine(Innermost(e).Message)}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ModelStoreException($"Azure Blob Storage did not complete '{operation} {location}' within {_totalTimeout} (SfPredictor:ModelStore:TotalTimeout), retries included.");
        }
        catch (Azure.Identity.AuthenticationFailedException e)
        {
            throw new ModelStoreException($"Could not get a token to {operation} {location}: {FirstLine(e.Message)}");
        }
    }

    private static BlobUploadOptions Upload(string contentType, BlobRequestConditions? conditions) => new()
    {
        HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
        Conditions = conditions,
    };

    private static bool IsConditionFailure(RequestFailedException e) => e.Status is 409 or 412;

    private static Exception Innermost(Exception e) =>
        e is AggregateException { InnerExceptions.Count: > 0 } aggregate ? Innermost(aggregate.InnerExceptions[^1])
        : e.InnerException is { } inner ? Innermost(inner)
        : e;

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static async Task<PackageFile> HashFileAsync(string relativePath, string fullPath, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(fullPath);
        var sha256 = await SHA256.HashDataAsync(stream, cancellationToken);
        return new PackageFile(relativePath, stream.Length, Convert.ToHexStringLower(sha256));
    }

    private static string IndexName(string version) => $"{VersionsPrefix}{version}{IndexSuffix}";

    private static string FileBlobName(string version, string uploadId, string relativePath) => $"packages/{version}/{uploadId}/{relativePath}";

    private string Location(string blobName) => $"{ContainerLocation}/{blobName}";

    private ModelVersionExistsException VersionExists(string version) =>
        new($"Model version '{version}' already exists in {ContainerLocation}; versions are immutable, publish under a new version.");

    private ModelVersionNotFoundException VersionNotFound(string version) =>
        new($"Model version '{version}' does not exist in {ContainerLocation}.");

    /// <summary>Carries a failed write condition past <see cref="CallAsync"/>, which would otherwise report it as an error.</summary>
    private sealed class ConditionFailedException(RequestFailedException inner) : Exception(inner.Message)
    {
        public RequestFailedException Inner { get; } = inner;
    }
}
