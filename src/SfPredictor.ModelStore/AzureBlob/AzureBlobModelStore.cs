using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SfPredictor.ModelStore.AzureBlob;

/// <summary>
/// A model store in an Azure Blob Storage container, over the Blob REST API.
/// Layout: <c>versions/{version}.json</c> is a version's index (its files with length and SHA-256), written last and
/// only if absent, so a version appears complete or not at all; the files live under
/// <c>packages/{version}/{uploadId}/</c>; <c>current.json</c> names the promoted version and is only ever replaced
/// with an <c>If-Match</c> on the ETag the promoter read.
/// </summary>
public sealed class AzureBlobModelStore : IModelStore
{
    private const string VersionsPrefix = "versions/";
    private const string IndexSuffix = ".json";

    private readonly BlobRestClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a store over the container at <paramref name="containerUri"/>; the container is created on first publish.</summary>
    /// <param name="httpClient">The client to send requests with.</param>
    /// <param name="containerUri">For example <c>https://account.blob.core.windows.net/models</c> or, on Azurite,
    /// <c>http://127.0.0.1:10000/devstoreaccount1/models</c>; no query string (a SAS goes in <paramref name="credential"/>).</param>
    /// <param name="credential">How requests are authorised.</param>
    /// <param name="timeProvider">Clock for request dates and retry delays.</param>
    /// <param name="logger">Logger; never receives a secret.</param>
    public AzureBlobModelStore(
        HttpClient httpClient,
        Uri containerUri,
        BlobStorageCredential credential,
        TimeProvider? timeProvider = null,
        ILogger<AzureBlobModelStore>? logger = null)
        : this(httpClient, containerUri, credential, timeProvider, logger, TimeSpan.FromMilliseconds(500))
    {
    }

    internal AzureBlobModelStore(
        HttpClient httpClient,
        Uri containerUri,
        BlobStorageCredential credential,
        TimeProvider? timeProvider,
        ILogger<AzureBlobModelStore>? logger,
        TimeSpan retryDelay)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<AzureBlobModelStore>.Instance;
        _client = new BlobRestClient(httpClient, containerUri, credential, _timeProvider, _logger, retryDelay);
    }

    /// <summary>Blobs per List Blobs page (the service allows at most 5000).</summary>
    internal int ListPageSize { get; set; } = 5000;

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListVersionsAsync(CancellationToken cancellationToken = default)
    {
        var versions = new List<string>();
        await foreach (var name in _client.ListAsync(VersionsPrefix, ListPageSize, cancellationToken))
        {
            if (name.EndsWith(IndexSuffix, StringComparison.Ordinal)
                && name[VersionsPrefix.Length..^IndexSuffix.Length] is var version
                && StoreLayout.IsValidVersion(version))
            {
                versions.Add(version);
            }
        }

        versions.Sort(StringComparer.Ordinal);
        return versions;
    }

    /// <inheritdoc />
    public async Task PublishAsync(string version, string sourceFolder, CancellationToken cancellationToken = default)
    {
        StoreLayout.ValidateVersion(version);
        var files = StoreLayout.ListFiles(sourceFolder);
        if (await _client.ExistsAsync(IndexName(version), cancellationToken))
        {
            throw VersionExists(version);
        }

        var uploadId = Guid.NewGuid().ToString("N");
        var entries = new List<PackageFile>(files.Count);
        foreach (var (relativePath, fullPath) in files)
        {
            entries.Add(await HashFileAsync(relativePath, fullPath, cancellationToken));
            await _client.PutAsync(
                FileBlobName(version, uploadId, relativePath),
                () => Content(File.OpenRead(fullPath), "application/octet-stream"),
                PutCondition.None,
                cancellationToken);
        }

        var index = new PackageIndex(uploadId, _timeProvider.GetUtcNow(), entries);
        var indexJson = JsonSerializer.SerializeToUtf8Bytes(index, ModelStoreJsonContext.Default.PackageIndex);
        try
        {
            await _client.PutAsync(IndexName(version), () => Content(new MemoryStream(indexJson), "application/json"), PutCondition.NotExists, cancellationToken);
        }
        catch (BlobConditionFailedException)
        {
            // A retried write whose first attempt had succeeded finds its own index; anything else is a rival publish.
            if ((await ReadIndexAsync(version, cancellationToken))?.UploadId != uploadId)
            {
                throw VersionExists(version);
            }
        }

        Log.VersionPublished(_logger, version, entries.Count, entries.Sum(f => f.Length), _client.ContainerLocation);
    }

    /// <inheritdoc />
    public async Task<ModelPointer?> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        (await ReadPointerAsync(cancellationToken))?.Pointer;

    /// <inheritdoc />
    public async Task<ModelPointer> PromoteAsync(string version, ModelPointer? expectedCurrent, CancellationToken cancellationToken = default)
    {
        StoreLayout.ValidateVersion(version);
        if (!await _client.ExistsAsync(IndexName(version), cancellationToken))
        {
            throw VersionNotFound(version);
        }

        var pointer = new PointerDocument(version, Guid.NewGuid().ToString("N"), _timeProvider.GetUtcNow());
        var json = StoreLayout.SerializePointer(pointer);
        var condition = expectedCurrent is null ? PutCondition.NotExists : PutCondition.Matches(expectedCurrent.ETag);
        try
        {
            var etag = await _client.PutAsync(StoreLayout.PointerName, () => Content(new MemoryStream(json), "application/json"), condition, cancellationToken);
            Log.VersionPromoted(_logger, version, expectedCurrent?.Version ?? "(none)", _client.ContainerLocation);
            return new ModelPointer(version, etag, pointer.PromotedAt);
        }
        catch (BlobConditionFailedException)
        {
            var current = await ReadPointerAsync(cancellationToken);
            if (current is { Document.PromotionId: var id } && id == pointer.PromotionId)
            {
                // Our own write, answered late and retried: the promotion did happen.
                return current.Value.Pointer;
            }

            Log.PromotionConflict(_logger, version, current?.Pointer.Version ?? "(none)", _client.ContainerLocation);
            throw StoreLayout.PromotionConflict(version, expectedCurrent, current?.Pointer.Version, _client.ContainerLocation);
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
        using var response = await _client.GetAsync(blobName, cancellationToken)
            ?? throw new ModelStoreException($"Model package file {_client.Location(blobName)} is missing.");
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken))
        await using (var target = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                length += read;
            }
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (length != expected.Length || sha256 != expected.Sha256)
        {
            throw new ModelStoreException(
                $"Model package file {_client.Location(blobName)} does not match the version's index: expected {expected.Length} bytes "
                + $"with SHA-256 {expected.Sha256}, got {length} bytes with SHA-256 {sha256}.");
        }
    }

    private async Task<PackageIndex?> ReadIndexAsync(string version, CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync(IndexName(version), cancellationToken);
        if (response is null)
        {
            return null;
        }

        var json = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(json, ModelStoreJsonContext.Default.PackageIndex) is { UploadId: not null, Files: not null } index
                ? index
                : throw new ModelStoreException($"Version index {_client.Location(IndexName(version))} lacks 'uploadId' or 'files'.");
        }
        catch (JsonException ex)
        {
            throw new ModelStoreException($"Version index {_client.Location(IndexName(version))} is not valid JSON: {ex.Message}", ex);
        }
    }

    private async Task<(ModelPointer Pointer, PointerDocument Document)?> ReadPointerAsync(CancellationToken cancellationToken)
    {
        var location = _client.Location(StoreLayout.PointerName);
        using var response = await _client.GetAsync(StoreLayout.PointerName, cancellationToken);
        if (response is null)
        {
            return null;
        }

        var document = StoreLayout.ParsePointer(await response.Content.ReadAsByteArrayAsync(cancellationToken), $"blob {location}");
        var etag = response.Headers.ETag?.ToString()
            ?? throw new ModelStoreException($"Azure Blob Storage returned no ETag for {location}.");
        return (new ModelPointer(document.Version, etag, document.PromotedAt), document);
    }

    private static async Task<PackageFile> HashFileAsync(string relativePath, string fullPath, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(fullPath);
        var sha256 = await SHA256.HashDataAsync(stream, cancellationToken);
        return new PackageFile(relativePath, stream.Length, Convert.ToHexStringLower(sha256));
    }

    private static StreamContent Content(Stream stream, string mediaType)
    {
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static string IndexName(string version) => $"{VersionsPrefix}{version}{IndexSuffix}";

    private static string FileBlobName(string version, string uploadId, string relativePath) => $"packages/{version}/{uploadId}/{relativePath}";

    private ModelVersionExistsException VersionExists(string version) =>
        new($"Model version '{version}' already exists in {_client.ContainerLocation}; versions are immutable, publish under a new version.");

    private ModelVersionNotFoundException VersionNotFound(string version) =>
        new($"Model version '{version}' does not exist in {_client.ContainerLocation}.");
}
