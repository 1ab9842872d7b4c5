using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SfPredictor.ModelStore.AzureBlob;
using SfPredictor.ModelStore.Tests.Infrastructure;

namespace SfPredictor.ModelStore.Tests.AzureBlob;

/// <summary>Transient failures are retried and persistent ones reported; a Kestrel stub plays the failing service.</summary>
public sealed class BlobRetryTests : IDisposable
{
    private readonly HttpClient _http = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;

    public BlobRetryTests() => _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs));

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

            context.Response.Headers.ETag = "\"0x8DC0FFEE\"";
            await context.Response.WriteAsync("""{"version":"v7","promotionId":"p1","promotedAt":"2026-11-20T10:00:00+00:00"}""");
        });

        var pointer = await Store(server).GetCurrentAsync();

        Assert.Equal(new ModelPointer("v7", "\"0x8DC0FFEE\"", new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero)), pointer);
        Assert.Equal(2, server.Requests);
        Assert.Contains(_logs.Lines, l => l.Contains($"Attempt 1 of GET {server.ContainerUri}/current.json failed with 503", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListVersionsAsync_ServiceKeepsFailing_ThrowsAfterFourAttemptsNamingStatusAndCode()
    {
        await using var server = await StubBlobServer.StartAsync((context, _) => ErrorAsync(context, StatusCodes.Status500InternalServerError, "InternalError"));

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => Store(server).ListVersionsAsync());

        Assert.Equal(4, server.Requests);
        Assert.Equal($"Azure Blob Storage answered 500 InternalError to GET {server.ContainerUri}: Stub failure InternalError.", error.Message);
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
        Uri containerUri;
        await using (var server = await StubBlobServer.StartAsync((_, _) => Task.CompletedTask))
        {
            containerUri = server.ContainerUri;
        }

        var store = new AzureBlobModelStore(_http, containerUri, AzuriteFixture.SharedKey, null, null, TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<ModelStoreException>(() => store.GetCurrentAsync());

        Assert.StartsWith($"Could not reach Azure Blob Storage for GET {containerUri}/current.json", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _http.Dispose();
        _loggerFactory.Dispose();
    }

    private AzureBlobModelStore Store(StubBlobServer server) =>
        new(_http, server.ContainerUri, AzuriteFixture.SharedKey, null, _loggerFactory.CreateLogger<AzureBlobModelStore>(), TimeSpan.FromMilliseconds(1));

    private static async Task ErrorAsync(HttpContext context, int status, string code)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-ms-error-code"] = code;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>Stub failure {code}.\nRequestId:1\nTime:x</Message></Error>");
    }
}
