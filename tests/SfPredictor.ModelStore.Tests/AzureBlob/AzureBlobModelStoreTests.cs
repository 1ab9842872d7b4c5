using System.Text.Json;
using Azure.Storage.Blobs;
using SfPredictor.ModelStore.AzureBlob;
using SfPredictor.ModelStore.Tests.Infrastructure;

namespace SfPredictor.ModelStore.Tests.AzureBlob;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobModelStoreTests(AzuriteFixture azurite) : ModelStoreContractTests
{
    private readonly ModelStoreOptions _options = azurite.SharedKeyOptions();

    protected override IModelStore CreateStore(TimeProvider? timeProvider = null) => azurite.Store(_options, timeProvider: timeProvider);

    [Fact]
    public async Task ListVersionsAsync_MoreVersionsThanOnePage_FollowsContinuationMarkers()
    {
        var package = Temp.WritePackage("package", seed: 1);
        var publisher = CreateStore();
        var expected = Enumerable.Range(1, 5).Select(i => $"v{i}").ToList();
        foreach (var version in expected)
        {
            await publisher.PublishAsync(version, package);
        }

        var counter = new RequestCounter();
        var store = azurite.Store(_options, azurite.CreateHttpClient(counter));
        store.ListPageSize = 2;

        Assert.Equal(expected, await store.ListVersionsAsync());
        Assert.Equal(3, counter.Count(r => r.RequestUri!.Query.Contains("comp=list", StringComparison.Ordinal)));
        Assert.Equal(2, counter.Count(r => r.RequestUri!.Query.Contains("marker=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DownloadAsync_BlobChangedAfterPublish_ThrowsChecksumMismatchAndLeavesNoFolder()
    {
        var store = CreateStore();
        await store.PublishAsync("v1", Temp.WritePackage("package", seed: 1));
        var container = azurite.Container(_options);
        var tampered = $"packages/v1/{await ReadUploadIdAsync(container, "v1")}/model.onnx";
        await container.GetBlobClient(tampered).UploadAsync(BinaryData.FromString("not the model"), overwrite: true);
        var cache = Temp.Sub("cache");

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => store.DownloadAsync("v1", cache));

        Assert.Contains($"{container.Uri}/{tampered} does not match the version's index: expected 70000 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("got 13 bytes", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(cache));
    }

    [Fact]
    public async Task PublishAsync_MissingContainer_CreatesItAndStoresTheIndexLast()
    {
        var store = CreateStore();

        await store.PublishAsync("v1", Temp.WritePackage("package", seed: 1));

        var container = azurite.Container(_options);
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        var uploadId = await ReadUploadIdAsync(container, "v1");
        Assert.Equal(
            [$"packages/v1/{uploadId}/empty.txt", $"packages/v1/{uploadId}/extra/calibration.bin", $"packages/v1/{uploadId}/manifest.json",
             $"packages/v1/{uploadId}/model.onnx", "versions/v1.json"],
            names);
    }

    [Fact]
    public async Task ContainerLocation_ConnectionStringWithSas_ShowsNoQueryString()
    {
        var sas = AzuriteFixture.CreateAccountSas(TimeProvider.System.GetUtcNow().AddHours(1));
        var options = azurite.SharedKeyOptions();
        options.Auth = BlobAuthKind.ConnectionString;
        options.ConnectionString = $"BlobEndpoint={azurite.HttpServiceUri};SharedAccessSignature={sas}";
        var store = azurite.Store(options);

        await store.PublishAsync("v1", Temp.WritePackage("package", seed: 2));
        var error = await Assert.ThrowsAsync<ModelVersionExistsException>(() => store.PublishAsync("v1", Temp.Sub("package")));

        Assert.Equal($"{azurite.HttpServiceUri}/{options.ContainerName}", store.ContainerLocation);
        Assert.DoesNotContain("sig=", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ReadUploadIdAsync(BlobContainerClient container, string version)
    {
        var index = (await container.GetBlobClient($"versions/{version}.json").DownloadContentAsync()).Value.Content;
        using var json = JsonDocument.Parse(index.ToMemory());
        return json.RootElement.GetProperty("uploadId").GetString()!;
    }
}
