using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

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

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<ReceivedCall> Calls =>
        [.. Server.LogEntries.Select(e => e.RequestMessage).OrderBy(r => r.DateTime).Select(ReceivedCall.From)];

    /// <summary>Logins attempted (token requests received).</summary>
    public int Logins => Received("POST", TokenPath).Count;

    /// <summary>A Salesforce stand-in whose login answers token-1, then token-2.</summary>
    public static SalesforceMock Start()
    {
        var mock = StartWithoutLogin();

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

    /// <summary>A Salesforce stand-in that answers nothing until the test maps it, the login included.</summary>
    public static SalesforceMock StartWithoutLogin() =>
        new(WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort()}"] }));

    /// <summary>Answers <c>GET</c> on <paramref name="path"/> with <paramref name="answer"/>.</summary>
    public void Get(string path, IResponseBuilder answer) => Server.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(answer);

    /// <summary>A JSON answer.</summary>
    public static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    /// <summary>A Salesforce REST error answer: <c>[{"message","errorCode"}]</c>.</summary>
    public static IResponseBuilder Error(int status, string errorCode, string message) =>
        Json(status, $$"""[{"message":"{{message}}","errorCode":"{{errorCode}}"}]""");

    /// <summary>
    /// An answer computed from each request, for stateful answers (pages, counters, echoes); the callback may
    /// keep its own state, since WireMock calls it once per request.
    /// </summary>
    public static IResponseBuilder Reply(Func<ReceivedCall, Answer> answer) =>
        Response.Create().WithCallback(request =>
        {
            var reply = answer(ReceivedCall.From(request));
            var message = new ResponseMessage
            {
                StatusCode = reply.Status,
                BodyData = reply.Body.Length == 0 ? null : new BodyData { BodyAsString = reply.Body, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
            };
            message.AddHeader("Content-Type", reply.ContentType);
            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            {
                message.AddHeader(name, value);
            }

            return message;
        });

    /// <summary>Requests received for a method and path (exact), in order.</summary>
    public IReadOnlyList<ReceivedCall> Received(string method, string path) => [.. Calls.Where(r => r.Method == method && r.Path == path)];

    /// <summary>Requests received for a method whose path starts with <paramref name="pathStart"/>.</summary>
    public int Count(string method, string pathStart) => Calls.Count(r => r.Method == method && r.Path.StartsWith(pathStart, StringComparison.Ordinal));

    // A port the system just handed out and nothing holds now.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Server.Stop();
}

/// <summary>What a <see cref="SalesforceMock.Reply"/> callback answers.</summary>
internal sealed record Answer(int Status, string Body, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>What a test needs of a received request.</summary>
internal sealed record ReceivedCall(string Method, string Path, string RawQuery, string? Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Authorization => Headers.GetValueOrDefault("Authorization");

    /// <summary>The query string's parameters, decoded (WireMock's own parsing splits values at commas, as SOQL has them).</summary>
    public Dictionary<string, StringValues> Query => QueryHelpers.ParseQuery(RawQuery);

    /// <summary>The body as a form (the OAuth token request).</summary>
    public Dictionary<string, StringValues> Form => QueryHelpers.ParseQuery(Body);

    public static ReceivedCall From(IRequestMessage request) => new(
        request.Method,
        request.Path,
        request.RawQuery ?? "",
        request.Body,
        (request.Headers ?? new Dictionary<string, WireMockList<string>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase));
}
