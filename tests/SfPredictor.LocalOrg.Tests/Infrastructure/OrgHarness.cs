using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace SfPredictor.LocalOrg.Tests.Infrastructure;

/// <summary>An answer of the local org: status, JSON body (undefined when there is none) and headers.</summary>
internal sealed record ApiResult(HttpStatusCode Status, JsonElement Body, string Text, HttpResponseMessage Response)
{
    public string? Header(string name) =>
        Response.Headers.TryGetValues(name, out var values) || Response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;
}

/// <summary>
/// A real local org on 127.0.0.1 (port 0) over an export folder, with a fake clock and an
/// <see cref="HttpClient"/> logged in through the client credentials flow.
/// </summary>
internal sealed class OrgHarness : IAsyncDisposable
{
    public const string ClientId = "test-client";
    public const string ClientSecret = "test-secret";
    public const string Version = "62.0";
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ExportFolder? _folder;

    private OrgHarness(ExportFolder? folder, FakeTimeProvider time, LocalOrgServer server)
    {
        _folder = folder;
        Time = time;
        Server = server;
        Http = new HttpClient { BaseAddress = server.BaseUri };
    }

    /// <summary>The export folder the harness made (and deletes); null when it was given one.</summary>
    public ExportFolder Folder => _folder ?? throw new InvalidOperationException("This org serves a folder the harness did not make.");

    public FakeTimeProvider Time { get; }

    public LocalOrgServer Server { get; }

    public HttpClient Http { get; }

    /// <summary>Starts an org over the sample export (or <paramref name="write"/>'s), logged in unless told otherwise.</summary>
    public static Task<OrgHarness> StartAsync(Action<ExportFolder>? write = null, Action<LocalOrgOptions>? configure = null, bool login = true)
    {
        var folder = new ExportFolder();
        (write ?? SampleExport.Write)(folder);
        return StartAsync(folder, folder.Path, configure, login);
    }

    /// <summary>Starts an org over an existing export folder, which stays where it is.</summary>
    public static Task<OrgHarness> StartAsync(string exportDirectory, Action<LocalOrgOptions>? configure, bool login) =>
        StartAsync(null, exportDirectory, configure, login);

    private static async Task<OrgHarness> StartAsync(ExportFolder? folder, string exportDirectory, Action<LocalOrgOptions>? configure, bool login)
    {
        var options = new LocalOrgOptions { ExportDirectory = exportDirectory, ClientId = ClientId, ClientSecret = ClientSecret };
        configure?.Invoke(options);
        var time = new FakeTimeProvider(Start);
        var server = await LocalOrgServer.StartAsync(options, time, NullLoggerFactory.Instance);
        var harness = new OrgHarness(folder, time, server);
        if (login)
        {
            await harness.LoginAsync();
        }

        return harness;
    }

    public static string Api(string resource) => $"/services/data/v{Version}/{resource}";

    /// <summary>Logs in with client credentials and uses the token from now on.</summary>
    public async Task<string> LoginAsync()
    {
        var result = await SendAsync(HttpMethod.Post, "/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
        }));
        Assert.Equal(HttpStatusCode.OK, result.Status);
        var token = result.Body.GetProperty("access_token").GetString()!;
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return token;
    }

    public Task<ApiResult> GetAsync(string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return SendAsync(request);
    }

    public Task<ApiResult> QueryAsync(string soql, string resource = "query", params (string Name, string Value)[] headers) =>
        GetAsync(Api(resource) + "?q=" + Uri.EscapeDataString(soql), headers);

    /// <summary>Runs a query that must succeed and returns the records.</summary>
    public async Task<List<JsonElement>> RecordsAsync(string soql, string resource = "query")
    {
        var result = await QueryAsync(soql, resource);
        Assert.True(result.Status == HttpStatusCode.OK, $"{soql} answered {(int)result.Status}: {result.Text}");
        return [.. result.Body.GetProperty("records").EnumerateArray()];
    }

    public Task<ApiResult> SendJsonAsync(HttpMethod method, string path, string json) =>
        SendAsync(method, path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<ApiResult> SendAsync(HttpMethod method, string path, HttpContent? content) =>
        SendAsync(new HttpRequestMessage(method, path) { Content = content });

    public async Task<ApiResult> SendAsync(HttpRequestMessage request)
    {
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = default(JsonElement);
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            using var document = JsonDocument.Parse(text);
            body = document.RootElement.Clone();
        }

        return new ApiResult(response.StatusCode, body, text, response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        _folder?.Dispose();
    }
}
