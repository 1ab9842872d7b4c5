using Microsoft.AspNetCore.Http;
using SfPredictor.ModelStore.AzureBlob;
using SfPredictor.ModelStore.Tests.Infrastructure;

namespace SfPredictor.ModelStore.Tests.AzureBlob;

/// <summary>
/// The Azure SDK's retries as the store configures them: transient failures are retried, persistent ones reported,
/// and a request never outlasts the total timeout. A Kestrel stub plays the failing service.
/// </summary>
public sealed class BlobRetryTests : IDisposable
{
    private readonly HttpClient _http = new();

    [Fact]
    public async Task GetCurrentAsync_ServiceUnavailableOnce_RetriesAndReturnsThePointer()
    {
        await using var server = await StubBlobServer.StartAsync(async (context, request) =>
        {
            if (request == 1)
            {
                await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "ServerBusy");
                return;
            }

            var body = """{"version":"v7","promotionId":"p1","promotedAt":"2026-11-20T10:00:00+00:00"}"""u8.ToArray();
            context.Response.Headers.ETag = "\"0x8DC0FFEE\"";
            context.Response.Headers["Content-MD5"] = Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(body));
            await context.Response.Body.WriteAsync(body);
        });

        var pointer = await Store(server).GetCurrentAsync();

        Assert.Equal(new ModelPointer("v7", "\"0x8DC0FFEE\"", new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero)), pointer);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task ListVersionsAsync_ServiceKeepsFailing_ThrowsAfterMaxRetriesNamingStatusAndCode()
    {
        await using var server = await StubBlobServer.StartAsync((context, _) => ErrorAsync(context, StatusCodes.Status500InternalServerError, "InternalError"));

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => Store(server, maxRetries: 2).ListVersionsAsync());

        Assert.Equal(3, server.Requests);
        Assert.Equal($"Azure Blob Storage answered 500 InternalError to list versions in {server.ContainerUri}: Stub failure InternalError.", error.Message);
    }

    [Fact]
    public async Task GetCurrentAsync_Forbidden_FailsWithoutRetrying()
    {
        await using var server = await StubBlobServer.StartAsync((context, _) => ErrorAsync(context, StatusCodes.Status403Forbidden, "AuthorizationPermissionMismatch"));

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => Store(server).GetCurrentAsync());

        Assert.Equal(1, server.Requests);
        Assert.Contains("answered 403 AuthorizationPermissionMismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCurrentAsync_NobodyListening_ThrowsNamingTheEndpoint()
    {
        StubBlobServer stopped;
        await using (stopped = await StubBlobServer.StartAsync((_, _) => Task.CompletedTask))
        {
        }

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => Store(stopped).GetCurrentAsync());

        Assert.StartsWith($"Could not reach Azure Blob Storage to read {stopped.ContainerUri}/current.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCurrentAsync_ServiceNeverAnswers_StopsAtTheTotalTimeout()
    {
        await using var server = await StubBlobServer.StartAsync(async (context, _) =>
        {
            // Holds every request open until the client gives up on it.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => Store(server, totalTimeout: TimeSpan.FromMilliseconds(300)).GetCurrentAsync());

        Assert.Equal(
            $"Azure Blob Storage did not complete 'read {server.ContainerUri}/current.json' within 00:00:00.3000000 (SfPredictor:ModelStore:TotalTimeout), retries included.",
            error.Message);
    }

    public void Dispose() => _http.Dispose();

    private AzureBlobModelStore Store(StubBlobServer server, int maxRetries = 3, TimeSpan? totalTimeout = null)
    {
        var options = new ModelStoreOptions
        {
            Kind = ModelStoreKind.AzureBlob,
            BlobServiceUri = new Uri(server.ContainerUri.AbsoluteUri[..server.ContainerUri.AbsoluteUri.LastIndexOf('/')]),
            ContainerName = "models",
            Auth = BlobAuthKind.SharedKey,
            AccountName = AzuriteFixture.AccountName,
            AccountKey = AzuriteFixture.AccountKey,
            MaxRetries = maxRetries,
            RetryDelay = TimeSpan.FromMilliseconds(1),
            TotalTimeout = totalTimeout ?? TimeSpan.FromMinutes(1),
        };
        return new AzureBlobModelStore(BlobContainerFactory.Create(options, _http), options.TotalTimeout);
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-ms-error-code"] = code;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>Stub failure {code}.\nRequestId:1\nTime:x</Message></Error>");
    }
}
