using System.Net;
using System.Net.Sockets;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace SfPredictor.Salesforce.Tests.Infrastructure;

/// <summary>
/// A WireMock.Net server on 127.0.0.1 standing in for Salesforce: the login endpoint issues token-1, and
/// token-2 to every later login; each test maps the answers it needs (recorded bodies from Responses/).
/// </summary>
internal sealed class SalesforceMock : IDisposable
{
    public const string DataPath = "/services/data/v62.0";
    public const string TokenPath = "/services/oauth2/token";

    private SalesforceMock(WireMockServer server)
    {
        Server = server;
        Url = new Uri(server.Urls[0]);
    }

    public WireMockServer Server { get; }

    public Uri Url { get; }

    public static SalesforceMock Start()
    {
        var mock = new SalesforceMock(WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort()}"] }));

        // The first login issues token-1; every later one token-2 (the final state sets itself, so it stays).
        mock.Server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .AtPriority(10)
            .InScenario("login").WillSetStateTo("renewed")
            .RespondWith(Json(200, TestData.TokenResponse(mock.Url, "token-1")));
        mock.Server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .AtPriority(5)
            .InScenario("login").WhenStateIs("renewed").WillSetStateTo("renewed")
            .RespondWith(Json(200, TestData.TokenResponse(mock.Url, "token-2")));
        return mock;
    }

    /// <summary>A JSON answer.</summary>
    public static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    /// <summary>A Salesforce REST error answer: <c>[{"message","errorCode"}]</c>.</summary>
    public static IResponseBuilder Error(int status, string errorCode, string message) =>
        Json(status, $$"""[{"message":"{{message}}","errorCode":"{{errorCode}}"}]""");

    /// <summary>Requests received for a method and path (exact), in order.</summary>
    public IReadOnlyList<ReceivedCall> Received(string method, string path) =>
        [.. Server.LogEntries
            .Select(e => e.RequestMessage)
            .Where(r => r.Method == method && r.Path == path)
            .OrderBy(r => r.DateTime)
            .Select(r => new ReceivedCall(r.Method, r.Path, r.Body, r.Headers is { } headers && headers.TryGetValue("Authorization", out var values) ? values.FirstOrDefault() : null))];

    // A port the system just handed out and nothing holds now.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public int Logins => Received("POST", TokenPath).Count;

    public void Dispose() => Server.Stop();
}

/// <summary>What a test needs of a received request.</summary>
internal sealed record ReceivedCall(string Method, string Path, string? Body, string? Authorization);
