using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SfPredictor.LocalOrg.Tests.Durability;

/// <summary>
/// A local org in a process of its own (this test assembly started with <c>serve</c>, see
/// <see cref="Program"/>), so that a test can kill it with SIGKILL and start it again.
/// </summary>
internal sealed class LocalOrgProcess : IDisposable
{
    public const string Secret = "kill-test-secret";

    private readonly Process _process;

    private LocalOrgProcess(Process process, Uri baseUri)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = baseUri };
    }

    public HttpClient Http { get; }

    /// <summary>Starts the org over a folder and logs in with client credentials.</summary>
    public static async Task<LocalOrgProcess> StartAsync(string exportDirectory, int flushDelayMs)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["exec", typeof(Program).Assembly.Location, Program.Serve, exportDirectory, flushDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync();
        if (line is null || !line.StartsWith("ready ", StringComparison.Ordinal))
        {
            var error = await process.StandardError.ReadToEndAsync();
            process.Kill();
            process.Dispose();
            throw new InvalidOperationException($"The local org process did not start: {line} {error}");
        }

        var org = new LocalOrgProcess(process, new Uri(line["ready ".Length..]));
        using var login = await org.Http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Program.ClientId,
            ["client_secret"] = Secret,
        }));
        login.EnsureSuccessStatusCode();
        using var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        org.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("access_token").GetString());
        return org;
    }

    /// <summary>SIGKILL: no flush, no disposal, whatever the process was doing.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Stops the process the orderly way (its stdin closes) and waits for it.</summary>
    public async Task StopAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
