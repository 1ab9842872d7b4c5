using System.Text;
using Microsoft.Extensions.Time.Testing;
using SfPredictor.ModelStore.AzureBlob;
using SfPredictor.ModelStore.Tests.Infrastructure;

namespace SfPredictor.ModelStore.Tests.AzureBlob;

/// <summary>Each authorisation scheme against the real Azurite, and what a refused credential looks like.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobAuthenticationTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly HttpClient _http = azurite.CreateHttpClient();

    [Fact]
    public async Task PublishPromoteDownload_AccountSas_RoundTripsTheFiles()
    {
        var sas = AzuriteFixture.CreateAccountSas(TimeProvider.System.GetUtcNow().AddHours(1));
        var store = new AzureBlobModelStore(_http, azurite.NewHttpsContainerUri(), BlobStorageCredential.FromSas("?" + sas));

        await RoundTripAsync(store);
    }

    [Fact]
    public async Task PublishPromoteDownload_BearerToken_RoundTripsTheFilesAndFetchesOneToken()
    {
        var credential = new UnsignedJwtCredential("https://storage.azure.com");
        var store = new AzureBlobModelStore(_http, azurite.NewHttpsContainerUri(), BlobStorageCredential.FromTokenCredential(credential));

        await RoundTripAsync(store);

        Assert.Equal(1, credential.Requests);
        Assert.Equal(["https://storage.azure.com/.default"], credential.LastScopes);
    }

    [Fact]
    public async Task GetCurrentAsync_WrongAccountKey_ThrowsAuthenticationErrorWithoutTheKey()
    {
        var wrongKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("definitely-not-the-devstoreaccount1-key-0123456789"));
        var store = new AzureBlobModelStore(_http, azurite.NewHttpContainerUri(), BlobStorageCredential.FromSharedKey(AzuriteFixture.AccountName, wrongKey));

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => store.GetCurrentAsync());

        Assert.Contains("answered 403 AuthorizationFailure to GET", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check the credentials in SfPredictor:ModelStore", error.Message, StringComparison.Ordinal);
        AssertFree(error, wrongKey, AzuriteFixture.AccountKey);
    }

    [Fact]
    public async Task ListVersionsAsync_SasSignedWithAnotherKey_ThrowsAuthenticationErrorWithoutTheSas()
    {
        var otherKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("another-key-another-key-another-key"));
        var sas = AzuriteFixture.CreateAccountSas(TimeProvider.System.GetUtcNow().AddHours(1), otherKey);
        var store = new AzureBlobModelStore(_http, azurite.NewHttpContainerUri(), BlobStorageCredential.FromSas(sas));

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => store.ListVersionsAsync());

        Assert.Contains("answered 403 AuthorizationFailure to GET", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check the credentials in SfPredictor:ModelStore", error.Message, StringComparison.Ordinal);
        AssertFree(error, sas, SignatureOf(sas));
    }

    [Fact]
    public async Task GetCurrentAsync_TokenForAnotherAudience_ThrowsAuthenticationErrorWithoutTheToken()
    {
        var credential = new UnsignedJwtCredential("https://vault.azure.net");
        var store = new AzureBlobModelStore(_http, azurite.NewHttpsContainerUri(), BlobStorageCredential.FromTokenCredential(credential));

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => store.GetCurrentAsync());

        Assert.Contains("answered 403 AuthenticationFailed to GET", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check the credentials in SfPredictor:ModelStore", error.Message, StringComparison.Ordinal);
        AssertFree(error, credential.LastToken!);
    }

    [Fact]
    public void Constructor_BearerTokenOverHttp_ThrowsBeforeSendingAnything()
    {
        var credential = new UnsignedJwtCredential("https://storage.azure.com");

        var error = Assert.Throws<ArgumentException>(() => new AzureBlobModelStore(
            _http, new Uri("http://127.0.0.1:10000/devstoreaccount1/models"), BlobStorageCredential.FromTokenCredential(credential)));

        Assert.Contains("HTTPS only", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, credential.Requests);
    }

    [Fact]
    public async Task AuthorizeAsync_TokenCloseToExpiry_FetchesANewOne()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var tokens = new UnsignedJwtCredential("https://storage.azure.com");
        var credential = BlobStorageCredential.FromTokenCredential(tokens, time);

        await AuthorizeAsync();
        time.Advance(TimeSpan.FromMinutes(50));
        var stillCached = await AuthorizeAsync();
        time.Advance(TimeSpan.FromMinutes(6));
        var refreshed = await AuthorizeAsync();

        Assert.Equal(2, tokens.Requests);
        Assert.Equal("Bearer", stillCached!.Scheme);
        Assert.Equal(tokens.LastToken, refreshed!.Parameter);

        async Task<System.Net.Http.Headers.AuthenticationHeaderValue?> AuthorizeAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "https://account.blob.core.windows.net/models/current.json");
            await credential.AuthorizeAsync(request, CancellationToken.None);
            return request.Headers.Authorization;
        }
    }

    [Fact]
    public void FromSas_TokenWithoutSignature_ThrowsWithoutEchoingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => BlobStorageCredential.FromSas("sv=2023-11-03&se=secret-looking-value"));

        Assert.DoesNotContain("secret-looking-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_AnyCredential_RevealsNoSecret()
    {
        var sas = AzuriteFixture.CreateAccountSas(TimeProvider.System.GetUtcNow().AddHours(1));

        Assert.DoesNotContain(SignatureOf(sas), BlobStorageCredential.FromSas(sas).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, AzuriteFixture.SharedKey.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _temp.Dispose();
        _http.Dispose();
    }

    internal static string SignatureOf(string sas) =>
        Uri.UnescapeDataString(sas.Split('&').Single(p => p.StartsWith("sig=", StringComparison.Ordinal))[4..]);

    private static void AssertFree(Exception error, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(secret), error.ToString(), StringComparison.Ordinal);
        }
    }

    private async Task RoundTripAsync(IModelStore store)
    {
        var package = _temp.WritePackage("package", seed: 11);
        await store.PublishAsync("v1", package);
        var pointer = await store.PromoteAsync("v1", null);

        Assert.Equal(["v1"], await store.ListVersionsAsync());
        Assert.Equal(pointer, await store.GetCurrentAsync());
        TempFolder.AssertSameFiles(package, await store.DownloadAsync("v1", _temp.Sub("cache")));
    }
}
