using System.Text;
using SfPredictor.ModelStore.Tests.Infrastructure;

namespace SfPredictor.ModelStore.Tests.AzureBlob;

/// <summary>Each authorisation scheme against the real Azurite, and what a refused credential looks like.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobAuthenticationTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task PublishPromoteDownload_AccountSas_RoundTripsTheFiles()
    {
        var options = azurite.Options(azurite.HttpsServiceUri, BlobAuthKind.Sas);
        options.SasToken = "?" + AzuriteFixture.CreateAccountSas(TimeProvider.System.GetUtcNow().AddHours(1));

        await RoundTripAsync(azurite.Store(options));
    }

    [Fact]
    public async Task PublishPromoteDownload_ConnectionStringWithAccountKey_RoundTripsTheFiles()
    {
        var options = azurite.Options(azurite.HttpServiceUri, BlobAuthKind.ConnectionString);
        options.ConnectionString = azurite.ConnectionString();

        await RoundTripAsync(azurite.Store(options));
    }

    [Fact]
    public async Task PublishPromoteDownload_BearerToken_RoundTripsTheFilesAndFetchesOneToken()
    {
        var credential = new UnsignedJwtCredential("https://storage.azure.com");

        await RoundTripAsync(azurite.Store(azurite.Options(azurite.HttpsServiceUri, BlobAuthKind.ManagedIdentity), credential: credential));

        Assert.Equal(1, credential.Requests);
        Assert.Equal(["https://storage.azure.com/.default"], credential.LastScopes);
    }

    [Fact]
    public async Task GetCurrentAsync_WrongAccountKey_ThrowsAuthenticationErrorWithoutTheKey()
    {
        var wrongKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("definitely-not-the-devstoreaccount1-key-0123456789"));
        var options = azurite.SharedKeyOptions();
        options.AccountKey = wrongKey;

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => azurite.Store(options).GetCurrentAsync());

        Assert.Contains("answered 403 AuthorizationFailure to read", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check the credentials in SfPredictor:ModelStore", error.Message, StringComparison.Ordinal);
        AssertFree(error, wrongKey, AzuriteFixture.AccountKey);
    }

    [Fact]
    public async Task ListVersionsAsync_SasSignedWithAnotherKey_ThrowsAuthenticationErrorWithoutTheSas()
    {
        var otherKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("another-key-another-key-another-key"));
        var options = azurite.Options(azurite.HttpServiceUri, BlobAuthKind.Sas);
        options.SasToken = AzuriteFixture.CreateAccountSas(TimeProvider.System.GetUtcNow().AddHours(1), otherKey);

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => azurite.Store(options).ListVersionsAsync());

        Assert.Contains("answered 403 AuthorizationFailure to list versions in", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check the credentials in SfPredictor:ModelStore", error.Message, StringComparison.Ordinal);
        AssertFree(error, options.SasToken, SignatureOf(options.SasToken));
    }

    [Fact]
    public async Task GetCurrentAsync_TokenForAnotherAudience_ThrowsAuthenticationErrorWithoutTheToken()
    {
        var credential = new UnsignedJwtCredential("https://vault.azure.net");
        var store = azurite.Store(azurite.Options(azurite.HttpsServiceUri, BlobAuthKind.ManagedIdentity), credential: credential);

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => store.GetCurrentAsync());

        Assert.Contains("answered 403 AuthenticationFailed to read", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check the credentials in SfPredictor:ModelStore", error.Message, StringComparison.Ordinal);
        AssertFree(error, credential.LastToken!);
    }

    public void Dispose() => _temp.Dispose();

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
