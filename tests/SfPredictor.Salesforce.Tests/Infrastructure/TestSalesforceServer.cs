using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SfPredictor.Salesforce.Tests.Infrastructure;

/// <summary>One request the server received.</summary>
internal sealed record ReceivedRequest(string Method, string Path, string Query, string Body, string? Authorization, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A real Kestrel server on 127.0.0.1 (dynamic port) that answers like Salesforce with recorded bodies.
/// Each test maps the endpoints it needs; every request is recorded.
/// </summary>
internal sealed class TestSalesforceServer : IAsyncDisposable
{
    public const string DataPath = "/services/data/v62.0";

    private readonly WebApplication _app;
    private int _tokensIssued;

    private TestSalesforceServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Access tokens issued so far, in order: token-1, token-2, ...</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    public static async Task<TestSalesforceServer> StartAsync(Action<WebApplication, TestSalesforceServer> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new TestSalesforceServer(app);
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            server.Requests.Enqueue(new ReceivedRequest(
                context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", body,
                context.Request.Headers.Authorization.FirstOrDefault(),
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            await next(context);
        });
        map(app, server);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address);
        return server;
    }

    /// <summary>Answers the OAuth token endpoint with the recorded success body, pointing instance_url here.</summary>
    public void MapToken(WebApplication app, Func<IFormCollection, bool>? accept = null) =>
        app.MapPost("/services/oauth2/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            if (accept is not null && !accept(form))
            {
                await WriteAsync(context, 400, TestData.Read("auth_error_response.json"));
                return;
            }

            var token = $"token-{Interlocked.Increment(ref _tokensIssued)}";
            await WriteAsync(context, 200, TestData.TokenResponse(Url, token));
        });

    public int Count(string method, string pathStart) =>
        Requests.Count(r => r.Method == method && r.Path.StartsWith(pathStart, StringComparison.Ordinal));

    public static async Task WriteAsync(HttpContext context, int status, string body, string contentType = "application/json", string? limitInfo = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        if (limitInfo is not null)
        {
            context.Response.Headers["Sforce-Limit-Info"] = limitInfo;
        }

        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
