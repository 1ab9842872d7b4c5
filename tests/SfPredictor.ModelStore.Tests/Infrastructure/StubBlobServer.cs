using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SfPredictor.ModelStore.Tests.Infrastructure;

/// <summary>
/// A Kestrel server on 127.0.0.1 answering with whatever the test's handler writes, for failures Azurite cannot be
/// made to produce (a 503 on demand, a service that keeps failing). Counts the requests it receives.
/// </summary>
public sealed class StubBlobServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private StubBlobServer(WebApplication app) => _app = app;

    public int Requests => _requests;

    public Uri ContainerUri { get; private set; } = null!;

    /// <summary>Starts the server; <paramref name="handler"/> gets the 1-based number of the request.</summary>
    public static async Task<StubBlobServer> StartAsync(Func<HttpContext, int, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new StubBlobServer(app);
        app.Run(context => handler(context, Interlocked.Increment(ref server._requests)));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.ContainerUri = new Uri($"{address}/devstoreaccount1/models");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
