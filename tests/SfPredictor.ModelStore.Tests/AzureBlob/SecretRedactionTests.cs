using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SfPredictor.ModelStore.Tests.Infrastructure;

namespace SfPredictor.ModelStore.Tests.AzureBlob;

/// <summary>
/// The store wired as the worker wires it (AddModelStore, HttpClientFactory with its request logging at Trace) never
/// writes a key, SAS or token into a log line or an exception, whether requests succeed or fail.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SecretRedactionTests(AzuriteFixture azurite) : IDisposable
{
    private const string Section = ModelStoreOptions.SectionName;
    private readonly TempFolder _temp = new();
    private readonly CapturingLoggerProvider _logs = new();

    [Fact]
    public async Task LogsAndErrors_SasAuthentication_NeverContainTheSas()
    {
        var sas = AzuriteFixture.CreateAccountSas(TimeProvider.System.GetUtcNow().AddHours(1));
        var signature = BlobAuthenticationTests.SignatureOf(sas);
        var wrongSas = AzuriteFixture.CreateAccountSas(TimeProvider.System.GetUtcNow().AddHours(1), Convert.ToBase64String(new byte[32]));

        var errors = await ExerciseAsync(new() { ["Auth"] = "Sas", ["SasToken"] = sas }, new() { ["Auth"] = "Sas", ["SasToken"] = wrongSas });

        AssertNowhere(errors, sas, signature, Uri.EscapeDataString(signature), wrongSas, BlobAuthenticationTests.SignatureOf(wrongSas));
    }

    [Fact]
    public async Task LogsAndErrors_SharedKeyAuthentication_NeverContainTheKey()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);

        var errors = await ExerciseAsync(
            new() { ["Auth"] = "SharedKey", ["AccountName"] = AzuriteFixture.AccountName, ["AccountKey"] = AzuriteFixture.AccountKey },
            new() { ["Auth"] = "SharedKey", ["AccountName"] = AzuriteFixture.AccountName, ["AccountKey"] = wrongKey });

        AssertNowhere(errors, AzuriteFixture.AccountKey, wrongKey, "SharedKey devstoreaccount1:");
    }

    [Fact]
    public async Task LogsAndErrors_ConnectionString_NeverContainTheKey()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);

        var errors = await ExerciseAsync(
            new() { ["Auth"] = "ConnectionString", ["ConnectionString"] = azurite.ConnectionString() },
            new() { ["Auth"] = "ConnectionString", ["ConnectionString"] = azurite.ConnectionString(wrongKey) });

        AssertNowhere(errors, AzuriteFixture.AccountKey, wrongKey, "SharedKey devstoreaccount1:");
    }

    [Fact]
    public async Task LogsAndErrors_ManagedIdentityWithRegisteredCredential_NeverContainTheToken()
    {
        var good = new UnsignedJwtCredential("https://storage.azure.com");
        var wrongAudience = new UnsignedJwtCredential("https://management.azure.com");

        var errors = await ExerciseAsync(
            new() { ["Auth"] = "ManagedIdentity" },
            new() { ["Auth"] = "ManagedIdentity" },
            good,
            wrongAudience);

        Assert.Equal(1, good.Requests);
        AssertNowhere(errors, good.LastToken!, wrongAudience.LastToken!);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Publishes, promotes, lists and downloads with <paramref name="working"/>, then fails with <paramref name="failing"/>.</summary>
    private async Task<IReadOnlyList<Exception>> ExerciseAsync(
        Dictionary<string, string?> working,
        Dictionary<string, string?> failing,
        Azure.Core.TokenCredential? workingCredential = null,
        Azure.Core.TokenCredential? failingCredential = null)
    {
        var container = $"t{Guid.NewGuid():N}";
        await using (var services = Build(working, container, workingCredential))
        {
            var store = services.GetRequiredService<IModelStore>();
            await store.PublishAsync("v1", _temp.WritePackage("package", seed: 5));
            await store.PromoteAsync("v1", null);
            Assert.Equal(["v1"], await store.ListVersionsAsync());
            await store.DownloadAsync("v1", _temp.Sub("cache"));
        }

        var errors = new List<Exception>();
        await using (var services = Build(failing, container, failingCredential))
        {
            var store = services.GetRequiredService<IModelStore>();
            errors.Add(await Assert.ThrowsAsync<ModelStoreException>(() => store.GetCurrentAsync()));
            errors.Add(await Assert.ThrowsAsync<ModelStoreException>(() => store.PublishAsync("v2", _temp.Sub("package"))));
        }

        Assert.Contains(_logs.Lines, l => l.Contains("Sending HTTP request", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, l => l.Contains("Published model version v1", StringComparison.Ordinal));
        return errors;
    }

    private ServiceProvider Build(Dictionary<string, string?> settings, string container, Azure.Core.TokenCredential? credential)
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"{Section}:Kind"] = "AzureBlob",
            [$"{Section}:BlobServiceUri"] = azurite.HttpsServiceUri.ToString(),
            [$"{Section}:ContainerName"] = container,
        };
        foreach (var (key, value) in settings)
        {
            configuration[$"{Section}:{key}"] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        services.AddModelStore(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        services.AddHttpClient(ModelStoreServiceCollectionExtensions.HttpClientName)
            .UseSocketsHttpHandler((handler, _) => handler.SslOptions = azurite.TrustOwnCertificate());
        if (credential is not null)
        {
            services.AddSingleton(credential);
        }

        return services.BuildServiceProvider();
    }

    private void AssertNowhere(IReadOnlyList<Exception> errors, params string[] secrets)
    {
        Assert.NotEmpty(_logs.Lines);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(_logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(errors, error => error.ToString().Contains(secret, StringComparison.Ordinal));
        }
    }
}
