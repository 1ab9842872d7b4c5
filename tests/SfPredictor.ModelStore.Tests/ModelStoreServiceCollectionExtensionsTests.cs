using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SfPredictor.ModelStore.AzureBlob;
using SfPredictor.ModelStore.Local;
using SfPredictor.ModelStore.Tests.Infrastructure;

namespace SfPredictor.ModelStore.Tests;

public sealed class ModelStoreServiceCollectionExtensionsTests : IDisposable
{
    private const string Section = ModelStoreOptions.SectionName;
    private readonly TempFolder _temp = new();

    [Fact]
    public void AddModelStore_NoConfiguration_RegistersALocalStoreAtModels()
    {
        using var services = Build([]);

        var store = Assert.IsType<LocalFolderModelStore>(services.GetRequiredService<IModelStore>());

        Assert.Equal(Path.GetFullPath("./models"), store.RootFolder);
        Assert.Same(store, services.GetRequiredService<IModelStore>());
    }

    [Fact]
    public void AddModelStore_LocalPathSet_RootsTheStoreThere()
    {
        using var services = Build(new() { [$"{Section}:LocalPath"] = _temp.Sub("store") });

        Assert.Equal(_temp.Sub("store"), Assert.IsType<LocalFolderModelStore>(services.GetRequiredService<IModelStore>()).RootFolder);
    }

    [Fact]
    public void AddModelStore_SharedKeyFromSecretFile_RegistersABlobStore()
    {
        var keyFile = _temp.Sub("account-key");
        File.WriteAllText(keyFile, AzuriteFixture.AccountKey + "\n");
        using var services = Build(new()
        {
            [$"{Section}:Kind"] = "AzureBlob",
            [$"{Section}:BlobServiceUri"] = "http://127.0.0.1:10000/devstoreaccount1",
            [$"{Section}:Auth"] = "SharedKey",
            [$"{Section}:AccountName"] = AzuriteFixture.AccountName,
            [$"{Section}:AccountKeyFile"] = keyFile,
        });

        Assert.IsType<AzureBlobModelStore>(services.GetRequiredService<IModelStore>());
    }

    [Theory]
    [InlineData("Kind=AzureBlob", "SfPredictor:ModelStore:BlobServiceUri is required when SfPredictor:ModelStore:Kind is AzureBlob")]
    [InlineData("LocalPath=", "SfPredictor:ModelStore:LocalPath is required.")]
    [InlineData("ContainerName=Models_1", "SfPredictor:ModelStore:ContainerName must be 3 to 63 lower-case letters")]
    [InlineData("Kind=AzureBlob;BlobServiceUri=models", "SfPredictor:ModelStore:BlobServiceUri must be an absolute http or https URI.")]
    [InlineData("Kind=AzureBlob;BlobServiceUri=https://a.blob.core.windows.net?sv=1&sig=abc;Auth=Sas;SasToken=sv=1&sig=abc",
        "SfPredictor:ModelStore:BlobServiceUri must not contain a query string; put a SAS in SfPredictor:ModelStore:SasToken.")]
    [InlineData("Kind=AzureBlob;BlobServiceUri=https://a.blob.core.windows.net;Auth=Sas",
        "Set exactly one of SfPredictor:ModelStore:SasToken and SfPredictor:ModelStore:SasTokenFile.")]
    [InlineData("Kind=AzureBlob;BlobServiceUri=https://a.blob.core.windows.net;Auth=SharedKey;AccountKey=a2V5",
        "SfPredictor:ModelStore:AccountName is required when SfPredictor:ModelStore:Auth is SharedKey.")]
    [InlineData("Kind=AzureBlob;BlobServiceUri=https://a.blob.core.windows.net;Auth=SharedKey;AccountName=a;AccountKey=not*base64!",
        "SfPredictor:ModelStore:AccountKey is not valid base64.")]
    [InlineData("Kind=AzureBlob;BlobServiceUri=https://a.blob.core.windows.net;Auth=SharedKey;AccountName=a;AccountKeyFile=/nonexistent/key",
        "SfPredictor:ModelStore:AccountKeyFile '/nonexistent/key' does not exist.")]
    [InlineData("Kind=AzureBlob;BlobServiceUri=http://a.blob.core.windows.net;Auth=ManagedIdentity",
        "SfPredictor:ModelStore:BlobServiceUri must be https when SfPredictor:ModelStore:Auth is ManagedIdentity")]
    [InlineData("Kind=AzureBlob;BlobServiceUri=https://a.blob.core.windows.net;Auth=Sas;SasToken=sv=1&se=secret-looking-value",
        "SfPredictor:ModelStore:SasToken has no 'sig=' parameter")]
    [InlineData("Kind=AzureBlob;Auth=ConnectionString",
        "Set exactly one of SfPredictor:ModelStore:ConnectionString and SfPredictor:ModelStore:ConnectionStringFile.")]
    [InlineData("Kind=AzureBlob;BlobServiceUri=https://a.blob.core.windows.net;Auth=Sas;SasToken=sig=abc;MaxRetries=11",
        "SfPredictor:ModelStore:MaxRetries must be between 0 and 10.")]
    [InlineData("Kind=AzureBlob;BlobServiceUri=https://a.blob.core.windows.net;Auth=Sas;SasToken=sig=abc;TotalTimeout=00:00:00",
        "SfPredictor:ModelStore:TotalTimeout must be between 100 ms and 1 hour.")]
    public void AddModelStore_InvalidSetting_FailsNamingTheKey(string settings, string expected)
    {
        using var services = Build(Parse(settings));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IModelStore>());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=abc", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not*base64!", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-looking-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddModelStore_ConnectionStringFromSecretFile_RegistersABlobStoreShowingNoSecret()
    {
        var file = _temp.Sub("connection-string");
        File.WriteAllText(file, $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;\n");
        using var services = Build(new()
        {
            [$"{Section}:Kind"] = "AzureBlob",
            [$"{Section}:Auth"] = "ConnectionString",
            [$"{Section}:ConnectionStringFile"] = file,
        });

        var store = Assert.IsType<AzureBlobModelStore>(services.GetRequiredService<IModelStore>());

        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/models", store.ContainerLocation);
    }

    [Fact]
    public void AddModelStore_UnknownKind_FailsNamingTheKey()
    {
        using var services = Build(new() { [$"{Section}:Kind"] = "Dropbox" });

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IModelStore>());

        Assert.Contains("'SfPredictor:ModelStore:Kind'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidSetting_StopsTheHostNamingTheKey()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"{Section}:Kind"] = "AzureBlob" });
        builder.Services.AddModelStore(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("SfPredictor:ModelStore:BlobServiceUri is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddModelStore_CalledTwice_RegistersOneStore()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().Build();
        services.AddModelStore(configuration).AddModelStore(configuration);

        Assert.Single(services, d => d.ServiceType == typeof(IModelStore));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<ModelStoreOptions>));
    }

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string?> Parse(string settings) =>
        settings.Split(';').Select(s => s.Split('=', 2)).ToDictionary(p => $"{Section}:{p[0]}", p => (string?)p[1]);

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddModelStore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
