using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SfPredictor.ModelStore.Local;

/// <summary>
/// A model store in a local (or mounted) folder: one subfolder per version and a <c>current.json</c> pointer.
/// Several processes may share the folder: a lock file serialises publishing and promotion, and every change
/// lands by an atomic rename.
/// </summary>
public sealed class LocalFolderModelStore : IModelStore
{
    private const string LockFileName = ".lock";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a store rooted at <paramref name="rootFolder"/>; the folder is created on first write.</summary>
    public LocalFolderModelStore(string rootFolder, TimeProvider? timeProvider = null, ILogger<LocalFolderModelStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootFolder);
        RootFolder = Path.GetFullPath(rootFolder);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<LocalFolderModelStore>.Instance;
    }

    /// <summary>The absolute path of the store's root folder.</summary>
    public string RootFolder { get; }

    private string PointerPath => Path.Combine(RootFolder, StoreLayout.PointerName);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListVersionsAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> versions = !Directory.Exists(RootFolder)
            ? []
            : Directory.EnumerateDirectories(RootFolder)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(StoreLayout.IsValidVersion)
                .Order(StringComparer.Ordinal)
                .ToList();
        return Task.FromResult(versions);
    }

    /// <inheritdoc />
    public async Task PublishAsync(string version, string sourceFolder, CancellationToken cancellationToken = default)
    {
        StoreLayout.ValidateVersion(version);
        var files = StoreLayout.ListFiles(sourceFolder);
        var target = Path.Combine(RootFolder, version);
        if (Directory.Exists(target))
        {
            throw VersionExists(version);
        }

        Directory.CreateDirectory(RootFolder);
        var staging = Path.Combine(RootFolder, $".staging-{version}-{Guid.NewGuid():N}");
        try
        {
            long bytes = 0;
            foreach (var (relativePath, fullPath) in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var destination = StoreLayout.ResolveInside(staging, relativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(fullPath, destination);
                bytes += new FileInfo(destination).Length;
            }

            using (await AcquireLockAsync(cancellationToken))
            {
                if (Directory.Exists(target))
                {
                    throw VersionExists(version);
                }

                Directory.Move(staging, target);
            }

            Log.VersionPublished(_logger, version, files.Count, bytes, RootFolder);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <inheritdoc />
    public async Task<ModelPointer?> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        ToPointer(await ReadPointerAsync(cancellationToken));

    /// <inheritdoc />
    public async Task<ModelPointer> PromoteAsync(string version, ModelPointer? expectedCurrent, CancellationToken cancellationToken = default)
    {
        StoreLayout.ValidateVersion(version);
        using (await AcquireLockAsync(cancellationToken))
        {
            var current = await ReadPointerAsync(cancellationToken);
            if (current?.PromotionId != expectedCurrent?.ETag)
            {
                Log.PromotionConflict(_logger, version, current?.Version ?? "(none)", RootFolder);
                throw StoreLayout.PromotionConflict(version, expectedCurrent, current?.Version, RootFolder);
            }

            if (!Directory.Exists(Path.Combine(RootFolder, version)))
            {
                throw VersionNotFound(version);
            }

            var pointer = new PointerDocument(version, Guid.NewGuid().ToString("N"), _timeProvider.GetUtcNow());
            var temporary = Path.Combine(RootFolder, $".{StoreLayout.PointerName}-{pointer.PromotionId}.tmp");
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                await stream.WriteAsync(StoreLayout.SerializePointer(pointer), cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            // rename(2) replaces the pointer atomically: a reader sees the old or the new file, never a torn one.
            File.Move(temporary, PointerPath, overwrite: true);
            Log.VersionPromoted(_logger, version, current?.Version ?? "(none)", RootFolder);
            return ToPointer(pointer)!;
        }
    }

    /// <inheritdoc />
    public async Task<string> DownloadAsync(string version, string cacheFolder, CancellationToken cancellationToken = default)
    {
        StoreLayout.ValidateVersion(version);
        var source = Path.Combine(RootFolder, version);
        if (!Directory.Exists(source))
        {
            throw VersionNotFound(version);
        }

        var path = await StoreLayout.MaterializeAsync(cacheFolder, version, (staging, ct) =>
        {
            foreach (var (relativePath, fullPath) in StoreLayout.ListFiles(source))
            {
                ct.ThrowIfCancellationRequested();
                var destination = StoreLayout.ResolveInside(staging, relativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(fullPath, destination);
            }

            return Task.CompletedTask;
        }, cancellationToken);
        Log.VersionAvailable(_logger, version, path);
        return path;
    }

    private async Task<PointerDocument?> ReadPointerAsync(CancellationToken cancellationToken)
    {
        byte[] json;
        try
        {
            json = await File.ReadAllBytesAsync(PointerPath, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return StoreLayout.ParsePointer(json, $"file '{PointerPath}'");
    }

    private static ModelPointer? ToPointer(PointerDocument? pointer) =>
        pointer is null ? null : new ModelPointer(pointer.Version, pointer.PromotionId, pointer.PromotedAt);

    /// <summary>An exclusive lock on <c>.lock</c> in the root (flock on Unix), shared with other processes.</summary>
    private async Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(RootFolder);
        var path = Path.Combine(RootFolder, LockFileName);
        var started = _timeProvider.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (_timeProvider.GetElapsedTime(started) < LockTimeout)
            {
                await Task.Delay(LockPollInterval, _timeProvider, cancellationToken);
            }
            catch (IOException ex)
            {
                throw new ModelStoreException(
                    $"Could not lock '{path}' within {LockTimeout.TotalSeconds:0} s; another process holds it.", ex);
            }
        }
    }

    private ModelVersionExistsException VersionExists(string version) =>
        new($"Model version '{version}' already exists in '{RootFolder}'; versions are immutable, publish under a new version.");

    private ModelVersionNotFoundException VersionNotFound(string version) =>
        new($"Model version '{version}' does not exist in '{RootFolder}'.");
}
