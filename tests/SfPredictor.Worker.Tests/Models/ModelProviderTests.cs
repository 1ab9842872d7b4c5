using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.ModelStore.Local;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Worker.Models;
using SfPredictor.Worker.Tests.Infrastructure;

namespace SfPredictor.Worker.Tests.Models;

[Collection(WorkerCollection.Name)]
public sealed class ModelProviderTests(WorkerFixture fixture) : IDisposable
{
    private readonly string _root = Path.Combine(fixture.Root, "provider-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task AcquireAsync_AfterANewVersionIsPromoted_ScoresWithItWithoutARestartAndTheOldLeaseStillWorks()
    {
        var store = await StoreWithTheFixtureModelAsync();
        using var provider = Provider(store, new ListLogger());
        using var before = await provider.AcquireAsync();

        await PublishAsync(store, "2099-01-01-renamed", (files, manifest) => manifest);
        await store.PromoteAsync("2099-01-01-renamed", await store.GetCurrentAsync());
        using var after = await provider.AcquireAsync();

        Assert.Equal(fixture.ModelVersion, before!.Package.Manifest.Version);
        Assert.Equal("2099-01-01-renamed", after!.Package.Manifest.Version);
        Assert.Equal("2099-01-01-renamed", provider.CurrentVersion);
        Assert.InRange(Score(before), 0f, 1f);
        Assert.Equal(Score(before), Score(after));
    }

    [Fact]
    public async Task FirstWarning_OnLeasesOfOneModel_IsTrueOnceAndAgainForANewVersion()
    {
        var store = await StoreWithTheFixtureModelAsync();
        using var provider = Provider(store, new ListLogger());
        using (var first = await provider.AcquireAsync())
        using (var second = await provider.AcquireAsync())
        {
            Assert.True(first!.FirstWarning());
            Assert.False(first.FirstWarning());
            Assert.False(second!.FirstWarning());
        }

        await PublishAsync(store, "2099-01-01-renamed", (files, manifest) => manifest);
        await store.PromoteAsync("2099-01-01-renamed", await store.GetCurrentAsync());
        using var renamed = await provider.AcquireAsync();

        Assert.Equal("2099-01-01-renamed", renamed!.Package.Manifest.Version);
        Assert.True(renamed.FirstWarning());
    }

    [Theory]
    [InlineData("corrupt model")]
    [InlineData("other feature schema")]
    public async Task AcquireAsync_WhenTheNewVersionCannotBeLoaded_RejectsItOnceAndKeepsScoringWithThePrevious(string damage)
    {
        var store = await StoreWithTheFixtureModelAsync();
        var log = new ListLogger();
        using var provider = Provider(store, log);
        (await provider.AcquireAsync())!.Dispose();

        await PublishAsync(store, "2099-01-01-bad", (folder, manifest) =>
        {
            if (damage == "corrupt model")
            {
                var path = Path.Combine(folder, ModelPackage.ModelFileName);
                var bytes = File.ReadAllBytes(path);
                bytes[bytes.Length / 2] ^= 0xFF;
                File.WriteAllBytes(path, bytes);
                return manifest;
            }

            return manifest with { FeatureHash = "0000000000000000" };
        });
        await store.PromoteAsync("2099-01-01-bad", await store.GetCurrentAsync());
        using var first = await provider.AcquireAsync();
        using var second = await provider.AcquireAsync();

        Assert.Equal(fixture.ModelVersion, first!.Package.Manifest.Version);
        Assert.Equal(fixture.ModelVersion, second!.Package.Manifest.Version);
        Assert.InRange(Score(first), 0f, 1f);
        var rejection = Assert.Single(log.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("2099-01-01-bad", rejection.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.ModelVersion + " keeps scoring", rejection.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task<LocalFolderModelStore> StoreWithTheFixtureModelAsync()
    {
        var store = new LocalFolderModelStore(Path.Combine(_root, "store"));
        await store.PublishAsync(fixture.ModelVersion, fixture.PackageFolder);
        await store.PromoteAsync(fixture.ModelVersion, null);
        return store;
    }

    private ModelProvider Provider(LocalFolderModelStore store, ListLogger log) => new(
        store,
        Options.Create(new WorkerOptions { ModelCachePath = Path.Combine(_root, "cache") }),
        Options.Create(new ScorerOptions()),
        log.For<ModelProvider>());

    // A copy of the fixture's package under another version, changed by `change` (files, then the manifest).
    private async Task PublishAsync(LocalFolderModelStore store, string version, Func<string, ModelManifest, ModelManifest> change)
    {
        using var original = ModelPackage.Load(fixture.PackageFolder);
        var folder = Path.Combine(_root, "staging", version);
        var manifest = original.Manifest with { Version = version };
        ModelPackage.Write(folder, File.ReadAllBytes(Path.Combine(fixture.PackageFolder, ModelPackage.ModelFileName)), manifest, original.Schema);
        var changed = change(folder, manifest);
        File.WriteAllText(Path.Combine(folder, ModelPackage.ManifestFileName), changed.ToJson());
        await store.PublishAsync(version, folder);
    }

    private static float Score(ModelLease lease)
    {
        var row = new float[lease.Package.Scorer.FeatureCount];
        var probability = new float[1];
        lease.Package.Scorer.Score(row, probability);
        return probability[0];
    }
}
