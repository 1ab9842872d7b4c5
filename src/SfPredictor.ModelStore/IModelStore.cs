namespace SfPredictor.ModelStore;

/// <summary>
/// Keeps model packages: immutable folders of files (for example <c>model.onnx</c> and <c>manifest.json</c>)
/// identified by a version string, plus a pointer naming the promoted (current) version.
/// The store never looks inside a package; checking that a package is usable is the caller's job.
/// </summary>
public interface IModelStore
{
    /// <summary>Every published version, ordered by ordinal string comparison.</summary>
    Task<IReadOnlyList<string>> ListVersionsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores every file under <paramref name="sourceFolder"/> (recursively) as <paramref name="version"/>.
    /// A version becomes visible only once all its files are stored.
    /// </summary>
    /// <exception cref="ModelVersionExistsException">The version was already published; versions are immutable.</exception>
    Task PublishAsync(string version, string sourceFolder, CancellationToken cancellationToken = default);

    /// <summary>
    /// The promoted version with its change tag, or null when nothing was promoted yet.
    /// One small read; poll it to pick up a newly promoted model without a restart.
    /// </summary>
    Task<ModelPointer?> GetCurrentAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes <paramref name="version"/> current, provided the pointer is still <paramref name="expectedCurrent"/>
    /// (what the caller read with <see cref="GetCurrentAsync"/> and based its decision on; null when nothing was
    /// promoted). This compare-and-swap keeps two workers from overwriting each other's promotion.
    /// </summary>
    /// <returns>The new pointer.</returns>
    /// <exception cref="ModelVersionNotFoundException">The version was never published.</exception>
    /// <exception cref="ModelPromotionConflictException">Someone changed the pointer since it was read.</exception>
    Task<ModelPointer> PromoteAsync(string version, ModelPointer? expectedCurrent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the package available locally as <c>{cacheFolder}/{version}</c> and returns that path.
    /// The folder appears complete or not at all; when it already exists it is returned as is (versions are immutable).
    /// </summary>
    /// <exception cref="ModelVersionNotFoundException">The version was never published.</exception>
    Task<string> DownloadAsync(string version, string cacheFolder, CancellationToken cancellationToken = default);
}

/// <summary>The promoted model version as last read from a store.</summary>
/// <param name="Version">The promoted version.</param>
/// <param name="ETag">Changes on every promotion, even back to an earlier version; pass the pointer to
/// <see cref="IModelStore.PromoteAsync"/> as the expected state.</param>
/// <param name="PromotedAt">When the promotion was written.</param>
public sealed record ModelPointer(string Version, string ETag, DateTimeOffset PromotedAt);
