using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SfPredictor.Cli.Commands;
using SfPredictor.DataExport;
using SfPredictor.LocalOrg;
using SfPredictor.Records;
using SfPredictor.Salesforce;
using SfPredictor.SyntheticOrg;
using SfPredictor.Worker.Hosting;

namespace SfPredictor.Worker.Tests.Infrastructure;

/// <summary>
/// One test's org: the fixture's generated org served by a local org of its own, with the fixture's model in
/// its store, a fake clock shared by the org and the worker, and a <see cref="WriteLog"/> on the worker's calls.
/// </summary>
internal sealed class TestOrg : IAsyncDisposable
{
    public const int Opportunities = 600;
    public const long Seed = 11;
    public static readonly DateTimeOffset AsOf = SyntheticOrgOptions.DefaultAsOf;
    public static readonly DateTimeOffset Now = AsOf.AddHours(6);

    private TestOrg(LocalOrgWorker local, FakeTimeProvider time)
    {
        Local = local;
        Time = time;
    }

    public LocalOrgWorker Local { get; }

    public FakeTimeProvider Time { get; }

    public WriteLog Writes { get; } = new();

    /// <summary>Ids of the open Opportunities as generated.</summary>
    public IReadOnlyList<string> OpenIds => [.. Local.Generated.Data.Opportunities.Where(o => !o.IsClosed).Select(o => o.Id).Order(StringComparer.Ordinal)];

    public static async Task<TestOrg> StartAsync(WorkerFixture fixture, Action<string>? prepareExport = null, Action<LocalOrgOptions>? configureOrg = null)
    {
        var time = new FakeTimeProvider(Now);
        var local = await LocalOrgWorker.StartAsync(
            new LocalOrgWorkerOptions(Path.Combine(fixture.Root, Guid.NewGuid().ToString("N")[..8]), Opportunities, Seed, AsOf, prepareExport, configureOrg),
            time, NullLoggerFactory.Instance);
        CopyFolder(fixture.ModelStore, local.ModelStoreFolder);
        return new TestOrg(local, time);
    }

    /// <summary>Settings every test runs with: no retry waits and no Bulk polling on a fake clock, no overlap, quick training.</summary>
    public static Dictionary<string, string?> TestSettings(IReadOnlyDictionary<string, string?> orgSettings, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(orgSettings, StringComparer.OrdinalIgnoreCase)
        {
            ["Salesforce:MaxRetries"] = "0",
            ["Salesforce:BulkPollInitialDelay"] = "00:00:00",
            ["Salesforce:BulkPollMaxDelay"] = "00:00:00",
            ["SfPredictor:Worker:WatermarkOverlap"] = "00:00:00",
            ["SfPredictor:Training:MaxRounds"] = "40",
            ["SfPredictor:Training:LearningRate"] = "0.1",
            ["SfPredictor:Training:EarlyStoppingRounds"] = "10",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? more = null) => TestSettings(Local.Settings, more);

    /// <summary>A started pipeline on this org (a worker process, as far as state goes: same database and folders).</summary>
    /// <param name="more">Settings on top of <see cref="Settings"/>.</param>
    /// <param name="log">Receives every log entry, Debug and up, when given.</param>
    public Task<PipelineSession> SessionAsync(IReadOnlyDictionary<string, string?>? more = null, ListLogger? log = null) =>
        PipelineSession.StartAsync(Settings(more), logging =>
        {
            if (log is not null)
            {
                logging.AddProvider(log);
                logging.SetMinimumLevel(LogLevel.Debug);
            }
        }, services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new WriteLogHandler(Writes)));
        });

    /// <summary>The org's records as its export files hold them now.</summary>
    public async Task<OrgData> ReadExportAsync()
    {
        await Local.Org.FlushAsync();
        return DataExportReader.Read(Local.ExportFolder).Data;
    }

    /// <summary>Updates records through the worker's own client (the calls are not counted as worker writes).</summary>
    public async Task UpdateAsync(PipelineSession session, string objectName, IReadOnlyList<RecordUpdate> updates)
    {
        await using var scope = session.Services.CreateAsyncScope();
        var results = await scope.ServiceProvider.GetRequiredService<SalesforceClient>().UpdateAsync(objectName, updates);
        Assert.All(results, r => Assert.True(r.Success, $"{r.Id}: {r.ErrorCode} {r.Message}"));
        Writes.Clear();
    }

    public ValueTask DisposeAsync() => Local.DisposeAsync();

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
