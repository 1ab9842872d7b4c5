using SfPredictor.ModelStore.Local;
using SfPredictor.ModelStore.Tests.Infrastructure;

namespace SfPredictor.ModelStore.Tests.Local;

public sealed class LocalFolderModelStoreTests : ModelStoreContractTests
{
    private string Root => Temp.Sub("store");

    protected override IModelStore CreateStore(TimeProvider? timeProvider = null) => new LocalFolderModelStore(Root, timeProvider);

    [Fact]
    public async Task PublishAsync_NewVersion_StoresOneFolderPerVersionAndLeavesNoStaging()
    {
        var store = CreateStore();
        await store.PublishAsync("v1", Temp.WritePackage("package", seed: 1));
        await store.PromoteAsync("v1", null);

        var entries = Directory.GetFileSystemEntries(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal([".lock", "current.json", "v1"], entries);
        TempFolder.AssertSameFiles(Temp.Sub("package"), Path.Combine(Root, "v1"));
    }

    [Fact]
    public async Task ListVersionsAsync_FolderHoldsHiddenAndForeignEntries_ListsOnlyVersions()
    {
        var store = CreateStore();
        await store.PublishAsync("v1", Temp.WritePackage("package", seed: 1));
        Directory.CreateDirectory(Path.Combine(Root, ".staging-v2-abc"));
        Directory.CreateDirectory(Path.Combine(Root, "not a version"));
        await File.WriteAllTextAsync(Path.Combine(Root, "v3"), "a file, not a package folder");

        Assert.Equal(["v1"], await store.ListVersionsAsync());
    }

    [Fact]
    public async Task GetCurrentAsync_CorruptPointerFile_ThrowsNamingTheFile()
    {
        Directory.CreateDirectory(Root);
        var pointer = Path.Combine(Root, "current.json");
        await File.WriteAllTextAsync(pointer, "{ not json");

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => CreateStore().GetCurrentAsync());

        Assert.Contains($"file '{pointer}' is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCurrentAsync_PointerWithoutVersion_ThrowsNamingTheFile()
    {
        Directory.CreateDirectory(Root);
        var pointer = Path.Combine(Root, "current.json");
        await File.WriteAllTextAsync(pointer, """{"promotionId":"x","promotedAt":"2026-01-01T00:00:00Z"}""");

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => CreateStore().GetCurrentAsync());

        Assert.Contains($"file '{pointer}' lacks 'version'", error.Message, StringComparison.Ordinal);
    }
}
