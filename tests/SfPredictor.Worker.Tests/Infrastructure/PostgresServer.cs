using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SfPredictor.Worker.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL 15 server for one test: a fresh cluster (initdb) in a temporary folder on a free port,
/// run as the <c>postgres</c> user when the tests run as root (PostgreSQL refuses root). Fails with a clear
/// message when PostgreSQL is not installed (<c>eng/setup.sh --tests</c> installs it).
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";

    private readonly string _folder;

    private PostgresServer(string folder, int port)
    {
        _folder = folder;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";
    }

    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        if (!File.Exists(Path.Combine(Binaries, "initdb")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed ({Binaries}/initdb is missing); run eng/setup.sh --tests, which installs the Debian package postgresql.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "sfp-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        if (IsRoot)
        {
            await RunAsync("chown", "postgres", folder);
        }

        var port = FreePort();
        var server = new PostgresServer(folder, port);
        await AsPostgresAsync("initdb", "-D", Path.Combine(folder, "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        await AsPostgresAsync(
            "pg_ctl", "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60",
            "-o", $"-p {port} -h 127.0.0.1 -k {folder} -F", "start");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPostgresAsync("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static Task AsPostgresAsync(string tool, params string[] arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(Binaries, tool), .. arguments]) : RunAsync(Path.Combine(Binaries, tool), arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
