using System.Text;
using System.Text.Json;
using SfPredictor.ModelStore.AzureBlob;
using SfPredictor.ModelStore.Tests.Infrastructure;

namespace SfPredictor.ModelStore.Tests.AzureBlob;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobModelStoreTests(AzuriteFixture azurite) : ModelStoreContractTests
{
    private readonly Uri _container = azurite.NewHttpContainerUri();
    private readonly HttpClient _http = azurite.CreateHttpClient();

    protected override IModelStore CreateStore(TimeProvider? timeProvider = null) =>
        new AzureBlobModelStore(_http, _container, AzuriteFixture.SharedKey, timeProvider);

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
        var store = new AzureBlobModelStore(azurite.CreateHttpClient(counter), _container, AzuriteFixture.SharedKey) { ListPageSize = 2 };

        Assert.Equal(expected, await store.ListVersionsAsync());
        Assert.Equal(3, counter.Count(r => r.RequestUri!.Query.Contains("comp=list", StringComparison.Ordinal)));
        Assert.Equal(2, counter.Count(r => r.RequestUri!.Query.Contains("marker=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DownloadAsync_BlobChangedAfterPublish_ThrowsChecksumMismatchAndLeavesNoFolder()
    {
        var store = CreateStore();
        await store.PublishAsync("v1", Temp.WritePackage("package", seed: 1));
        var client = RawClient();
        var uploadId = await ReadUploadIdAsync(client, "v1");
        var tampered = $"packages/v1/{uploadId}/model.onnx";
        await client.PutAsync(tampered, () => new ByteArrayContent(Encoding.UTF8.GetBytes("not the model")), PutCondition.None, CancellationToken.None);
        var cache = Temp.Sub("cache");

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => store.DownloadAsync("v1", cache));

        Assert.Contains($"{client.Location(tampered)} does not match the version's index: expected 70000 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("got 13 bytes", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(cache));
    }

    [Fact]
    public async Task PublishAsync_MissingContainer_CreatesItAndStoresTheIndexLast()
    {
        var store = CreateStore();

        await store.PublishAsync("v1", Temp.WritePackage("package", seed: 1));

        var client = RawClient();
        var names = new List<string>();
        await foreach (var name in client.ListAsync(string.Empty, 100, CancellationToken.None))
        {
            names.Add(name);
        }

        var uploadId = await ReadUploadIdAsync(client, "v1");
        Assert.Equal(
            [$"packages/v1/{uploadId}/empty.txt", $"packages/v1/{uploadId}/extra/calibration.bin", $"packages/v1/{uploadId}/manifest.json",
             $"packages/v1/{uploadId}/model.onnx", "versions/v1.json"],
            names);
    }

    [Fact]
    public void Constructor_ContainerUriWithQuery_ThrowsWithoutEchoingIt()
    {
        var withSas = new Uri($"{_container}?sv=2023-11-03&sig=c2VjcmV0");

        var error = Assert.Throws<ArgumentException>(() => new AzureBlobModelStore(_http, withSas, AzuriteFixture.SharedKey));

        Assert.DoesNotContain("c2VjcmV0", error.Message, StringComparison.Ordinal);
    }

    private BlobRestClient RawClient() =>
        new(_http, _container, AzuriteFixture.SharedKey, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeSpan.FromMilliseconds(1));

    private static async Task<string> ReadUploadIdAsync(BlobRestClient client, string version)
    {
        using var response = await client.GetAsync($"versions/{version}.json", CancellationToken.None);
        using var index = JsonDocument.Parse(await response!.Content.ReadAsStringAsync());
        return index.RootElement.GetProperty("uploadId").GetString()!;
    }
}
