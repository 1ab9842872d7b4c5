using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace SfPredictor.ModelStore;

/// <summary>Rules shared by every store: version names, the files of a package, and the local cache layout.</summary>
internal static partial class StoreLayout
{
    /// <summary>Name of the pointer document naming the current version.</summary>
    public const string PointerName = "current.json";

    // A version names a folder and a blob prefix, so it may hold no separator, no "..", nothing to escape.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex VersionPattern();

    public static bool IsValidVersion(string version) => VersionPattern().IsMatch(version);

    public static void ValidateVersion(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (!IsValidVersion(version))
        {
            throw new ArgumentException(
                $"Model version '{version}' is not valid: use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit.",
                nameof(version));
        }
    }

    /// <summary>Every file under <paramref name="sourceFolder"/>, with its path relative to it using '/' separators.</summary>
    public static IReadOnlyList<(string RelativePath, string FullPath)> ListFiles(string sourceFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceFolder);
        var root = Path.GetFullPath(sourceFolder);
        if (!Directory.Exists(root))
        {
            throw new ArgumentException($"Model package folder '{root}' does not exist.", nameof(sourceFolder));
        }

        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(full => (RelativePath: Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/'), FullPath: full))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new ArgumentException($"Model package folder '{root}' holds no files.", nameof(sourceFolder));
        }

        return files;
    }

    /// <summary>The full path of <paramref name="relativePath"/> under <paramref name="root"/>, refusing paths that leave it.</summary>
    public static string ResolveInside(string root, string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        var rootWithSeparator = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        if (Path.IsPathRooted(relativePath) || !full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new ModelStoreException($"Package file path '{relativePath}' points outside the package folder.");
        }

        return full;
    }

    /// <summary>
    /// Returns <c>{cacheFolder}/{version}</c>, filling it first through <paramref name="fill"/> when it does not exist.
    /// The files are written to a hidden sibling folder that is renamed into place only when complete, so a crash or
    /// a failed check never leaves a folder that looks like a usable package.
    /// </summary>
    public static async Task<string> MaterializeAsync(
        string cacheFolder, string version, Func<string, CancellationToken, Task> fill, CancellationToken cancellationToken)
    {
        ValidateVersion(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheFolder);
        var root = Path.GetFullPath(cacheFolder);
        var target = Path.Combine(root, version);
        if (Directory.Exists(target))
        {
            return target;
        }

        Directory.CreateDirectory(root);
        var staging = Path.Combine(root, $".partial-{version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            await fill(staging, cancellationToken);
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another download of the same immutable version finished first; its copy is as good as ours.
                Directory.Delete(staging, recursive: true);
            }

            return target;
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }

    public static ModelPromotionConflictException PromotionConflict(
        string version, ModelPointer? expected, string? actualVersion, string location) =>
        new($"Cannot promote model version '{version}' in {location}: the current version changed since it was read " +
            $"(expected {Describe(expected?.Version)}, now {Describe(actualVersion)}). Another worker promoted first; read the current version again and decide again.");

    private static string Describe(string? version) => version is null ? "none" : $"'{version}'";

    public static byte[] SerializePointer(PointerDocument pointer) =>
        JsonSerializer.SerializeToUtf8Bytes(pointer, ModelStoreJsonContext.Default.PointerDocument);

    /// <summary>Reads a pointer document; <paramref name="source"/> names the file or blob for the error message.</summary>
    public static PointerDocument ParsePointer(ReadOnlySpan<byte> json, string source)
    {
        PointerDocument? pointer;
        try
        {
            pointer = JsonSerializer.Deserialize(json, ModelStoreJsonContext.Default.PointerDocument);
        }
        catch (JsonException ex)
        {
            throw new ModelStoreException($"The current-version pointer {source} is not valid JSON: {ex.Message}", ex);
        }

        if (pointer is null || string.IsNullOrEmpty(pointer.Version) || string.IsNullOrEmpty(pointer.PromotionId))
        {
            throw new ModelStoreException($"The current-version pointer {source} lacks 'version' or 'promotionId'.");
        }

        return pointer;
    }
}

/// <summary>The stored form of the current-version pointer.</summary>
/// <param name="Version">The promoted version.</param>
/// <param name="PromotionId">Unique per promotion, so a retried write can recognise its own earlier success.</param>
/// <param name="PromotedAt">When the promotion was written.</param>
internal sealed record PointerDocument(string Version, string PromotionId, DateTimeOffset PromotedAt);

/// <summary>What a blob store keeps per version: where the files are and what they must hash to.</summary>
/// <param name="UploadId">Unique per publish attempt; the files live under a prefix named after it.</param>
/// <param name="PublishedAt">When the version was published.</param>
/// <param name="Files">The package's files.</param>
internal sealed record PackageIndex(string UploadId, DateTimeOffset PublishedAt, IReadOnlyList<PackageFile> Files);

/// <summary>One file of a package.</summary>
/// <param name="Path">Path relative to the package folder, '/' separated.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
internal sealed record PackageFile(string Path, long Length, string Sha256);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PointerDocument))]
[JsonSerializable(typeof(PackageIndex))]
internal sealed partial class ModelStoreJsonContext : JsonSerializerContext;
