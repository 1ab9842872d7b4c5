using Microsoft.Extensions.Time.Testing;
using SfPredictor.ModelStore.Tests.Infrastructure;

namespace SfPredictor.ModelStore.Tests;

/// <summary>Behaviour every <see cref="IModelStore"/> must have; each store's test class runs these against the real thing.</summary>
public abstract class ModelStoreContractTests : IDisposable
{
    protected TempFolder Temp { get; } = new();

    /// <summary>A new store instance over the same backing folder or container as every other call in this test.</summary>
    protected abstract IModelStore CreateStore(TimeProvider? timeProvider = null);

    [Fact]
    public async Task DownloadAsync_AfterPublish_ReturnsByteIdenticalFiles()
    {
        var store = CreateStore();
        var package = Temp.WritePackage("package", seed: 7);

        await store.PublishAsync("2026.11.20-1", package);
        var downloaded = await store.DownloadAsync("2026.11.20-1", Temp.Sub("cache"));

        Assert.Equal(Path.Combine(Temp.Sub("cache"), "2026.11.20-1"), downloaded);
        TempFolder.AssertSameFiles(package, downloaded);
        Assert.Equal(["2026.11.20-1"], Directory.GetFileSystemEntries(Temp.Sub("cache")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ListVersionsAsync_EmptyStore_ReturnsNothing()
    {
        Assert.Empty(await CreateStore().ListVersionsAsync());
    }

    [Fact]
    public async Task ListVersionsAsync_AfterPublishing_ReturnsEveryVersionInOrdinalOrder()
    {
        var store = CreateStore();
        var package = Temp.WritePackage("package", seed: 1);
        foreach (var version in new[] { "v2", "v10", "v1", "V3" })
        {
            await store.PublishAsync(version, package);
        }

        Assert.Equal(["V3", "v1", "v10", "v2"], await store.ListVersionsAsync());
    }

    [Fact]
    public async Task PublishAsync_ExistingVersion_ThrowsAndKeepsTheOriginalFiles()
    {
        var store = CreateStore();
        var original = Temp.WritePackage("original", seed: 1);
        await store.PublishAsync("v1", original);

        var error = await Assert.ThrowsAsync<ModelVersionExistsException>(
            () => CreateStore().PublishAsync("v1", Temp.WritePackage("other", seed: 2)));

        Assert.Contains("'v1' already exists", error.Message, StringComparison.Ordinal);
        TempFolder.AssertSameFiles(original, await store.DownloadAsync("v1", Temp.Sub("cache")));
        Assert.Equal(["v1"], await store.ListVersionsAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("with space")]
    public async Task PublishAsync_InvalidVersion_ThrowsNamingTheVersion(string version)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(
            () => CreateStore().PublishAsync(version, Temp.WritePackage("package", seed: 1)));

        Assert.Contains($"'{version}' is not valid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_EmptyFolder_ThrowsNamingTheFolder()
    {
        var empty = Directory.CreateDirectory(Temp.Sub("empty")).FullName;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => CreateStore().PublishAsync("v1", empty));

        Assert.Contains($"'{empty}' holds no files", error.Message, StringComparison.Ordinal);
        Assert.Empty(await CreateStore().ListVersionsAsync());
    }

    [Fact]
    public async Task GetCurrentAsync_NothingPromoted_ReturnsNull()
    {
        Assert.Null(await CreateStore().GetCurrentAsync());
    }

    [Fact]
    public async Task PromoteAsync_PublishedVersion_BecomesCurrentWithANewETagEachTime()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var store = CreateStore(time);
        var package = Temp.WritePackage("package", seed: 1);
        await store.PublishAsync("v1", package);
        await store.PublishAsync("v2", package);

        var first = await store.PromoteAsync("v1", expectedCurrent: null);
        time.Advance(TimeSpan.FromMinutes(5));
        var second = await store.PromoteAsync("v2", first);
        var back = await store.PromoteAsync("v1", second);

        Assert.Equal(time.GetUtcNow(), back.PromotedAt);
        Assert.Equal(back, await CreateStore().GetCurrentAsync());
        Assert.Equal(3, new[] { first.ETag, second.ETag, back.ETag }.Distinct().Count());
    }

    [Fact]
    public async Task PromoteAsync_UnknownVersion_ThrowsNotFound()
    {
        var store = CreateStore();

        var error = await Assert.ThrowsAsync<ModelVersionNotFoundException>(() => store.PromoteAsync("v9", null));

        Assert.Contains("'v9' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetCurrentAsync());
    }

    [Fact]
    public async Task PromoteAsync_StaleExpectedPointer_ThrowsConflictNamingTheCurrentVersion()
    {
        var store = CreateStore();
        var package = Temp.WritePackage("package", seed: 1);
        await store.PublishAsync("v1", package);
        await store.PublishAsync("v2", package);
        var readByWorkerA = await store.PromoteAsync("v1", null);
        await CreateStore().PromoteAsync("v2", readByWorkerA);

        var error = await Assert.ThrowsAsync<ModelPromotionConflictException>(() => store.PromoteAsync("v1", readByWorkerA));

        Assert.Contains("expected 'v1', now 'v2'", error.Message, StringComparison.Ordinal);
        Assert.Equal("v2", (await store.GetCurrentAsync())!.Version);
    }

    [Fact]
    public async Task PromoteAsync_TwoStoresRacingFromTheSameState_ExactlyOneWins()
    {
        var package = Temp.WritePackage("package", seed: 1);
        var setup = CreateStore();
        await setup.PublishAsync("base", package);
        await setup.PublishAsync("candidate-a", package);
        await setup.PublishAsync("candidate-b", package);
        var before = await setup.PromoteAsync("base", null);

        var results = await Task.WhenAll(
            Attempt(CreateStore(), "candidate-a", before),
            Attempt(CreateStore(), "candidate-b", before));

        var winner = Assert.Single(results, r => r.Pointer is not null);
        var loser = Assert.Single(results, r => r.Conflict is not null);
        Assert.Equal(winner.Pointer, await setup.GetCurrentAsync());
        Assert.Contains($"now '{winner.Pointer!.Version}'", loser.Conflict!.Message, StringComparison.Ordinal);

        static async Task<(ModelPointer? Pointer, ModelPromotionConflictException? Conflict)> Attempt(IModelStore store, string version, ModelPointer expected)
        {
            try
            {
                return (await store.PromoteAsync(version, expected), null);
            }
            catch (ModelPromotionConflictException conflict)
            {
                return (null, conflict);
            }
        }
    }

    [Fact]
    public async Task PromoteAsync_FirstPromotionWhenOneAlreadyExists_ThrowsConflict()
    {
        var store = CreateStore();
        await store.PublishAsync("v1", Temp.WritePackage("package", seed: 1));
        await store.PromoteAsync("v1", null);

        var error = await Assert.ThrowsAsync<ModelPromotionConflictException>(() => CreateStore().PromoteAsync("v1", null));

        Assert.Contains("expected none, now 'v1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DownloadAsync_UnknownVersion_ThrowsNotFoundAndLeavesNoFolder()
    {
        var cache = Temp.Sub("cache");

        await Assert.ThrowsAsync<ModelVersionNotFoundException>(() => CreateStore().DownloadAsync("v404", cache));

        Assert.True(!Directory.Exists(cache) || Directory.GetFileSystemEntries(cache).Length == 0);
    }

    [Fact]
    public async Task DownloadAsync_VersionAlreadyInCache_ReturnsTheCachedFolder()
    {
        var store = CreateStore();
        var package = Temp.WritePackage("package", seed: 3);
        await store.PublishAsync("v1", package);
        var first = await store.DownloadAsync("v1", Temp.Sub("cache"));
        var marker = Path.Combine(first, "marker-left-by-the-test");
        await File.WriteAllTextAsync(marker, "cached");

        var second = await store.DownloadAsync("v1", Temp.Sub("cache"));

        Assert.Equal(first, second);
        Assert.True(File.Exists(marker));
    }

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
