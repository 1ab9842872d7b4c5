using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace SfPredictor.Worker.Tests.Infrastructure;

/// <summary>
/// A WireMock.Net server on 127.0.0.1 in front of a test's local org: every call passes through to the org
/// unless a test maps a fault on it. The login answer names the proxy as the instance, so the data calls
/// come through it too.
/// </summary>
internal sealed class OrgProxy : IDisposable
{
    public const string TokenPath = "/services/oauth2/token";

    private static readonly HttpClient Http = new();

    private OrgProxy(WireMockServer server, Uri org)
    {
        Server = server;
        Url = new Uri(server.Urls[0]);
        Org = org;
    }

    public WireMockServer Server { get; }

    public Uri Url { get; }

    public Uri Org { get; }

    public static OrgProxy Start(Uri org)
    {
        var proxy = new OrgProxy(WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort()}"] }), org);
        proxy.PassThrough();
        return proxy;
    }

    /// <summary>Removes every fault: from now on the org answers everything.</summary>
    public void ClearFaults()
    {
        Server.ResetMappings();
        PassThrough();
    }

    /// <summary>
    /// Answers <paramref name="request"/> with each of <paramref name="answers"/> in turn, then with the last one
    /// for good (the last state sets itself, so the scenario stays there).
    /// </summary>
    public void InTurn(IRequestBuilder request, params IResponseBuilder[] answers)
    {
        var scenario = Guid.NewGuid().ToString("N");
        for (var i = 0; i < answers.Length; i++)
        {
            var next = Math.Min(i + 1, answers.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var mapping = Server.Given(request).AtPriority(100 - i).InScenario(scenario);
            if (i > 0)
            {
                mapping = mapping.WhenStateIs(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            mapping.WillSetStateTo(next).RespondWith(answers[i]);
        }
    }

    /// <summary>What the org itself answers.</summary>
    public IResponseBuilder ToOrg() => Response.Create().WithProxy(Org.GetLeftPart(UriPartial.Authority));

    private void PassThrough()
    {
        var proxy = this;
        var org = Org;
        proxy.Server.Given(Request.Create().UsingAnyMethod()).AtPriority(1000).RespondWith(Response.Create().WithProxy(org.GetLeftPart(UriPartial.Authority)));
        proxy.Server.Given(Request.Create().WithPath(TokenPath).UsingPost()).AtPriority(900)
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(async request =>
            {
                using var login = await Http.PostAsync(new Uri(org, TokenPath), new StringContent(request.Body ?? "", Encoding.UTF8, "application/x-www-form-urlencoded"));
                var answer = JsonNode.Parse(await login.Content.ReadAsStringAsync())!;
                Assert.True(login.IsSuccessStatusCode, answer.ToJsonString());
                answer["instance_url"] = proxy.Url.GetLeftPart(UriPartial.Authority);
                return answer.ToJsonString();
            }));
    }

    /// <summary>The settings that send the worker through the proxy (the JWT audience stays the org's).</summary>
    public Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Salesforce:LoginUrl"] = Url.ToString(),
            ["Salesforce:JwtAudience"] = Org.GetLeftPart(UriPartial.Authority),
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Calls received for a method whose path ends with <paramref name="pathEnd"/>, with their answers' status.</summary>
    public IReadOnlyList<(string Path, int Status)> Received(string method, string pathEnd) =>
        [.. Server.LogEntries
            .Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path.EndsWith(pathEnd, StringComparison.Ordinal))
            .OrderBy(e => e.RequestMessage.DateTime)
            .Select(e => (e.RequestMessage.Path, Convert.ToInt32(e.ResponseMessage.StatusCode, System.Globalization.CultureInfo.InvariantCulture)))];

    public int Logins => Received("POST", TokenPath).Count;

    public void Dispose() => Server.Stop();

    // A port the system just handed out and nothing holds now.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
