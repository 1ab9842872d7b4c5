using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SfPredictor.Cli.Commands;
using SfPredictor.Worker.Hosting;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.Tests.Infrastructure;

/// <summary>
/// Trains one model through the API of a generated org, once for every end-to-end test: each test then
/// starts its own copy of the same org with that model already in its store.
/// </summary>
public sealed class WorkerFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "sfp-worker-tests-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The model store holding the trained model as the current version.</summary>
    public string ModelStore { get; private set; } = "";

    public string ModelVersion { get; private set; } = "";

    /// <summary>The trained package's folder in the local store (one folder per version).</summary>
    public string PackageFolder => Path.Combine(ModelStore, ModelVersion);

    public async Task InitializeAsync()
    {
        var time = new FakeTimeProvider(TestOrg.Now);
        await using var local = await LocalOrgWorker.StartAsync(
            new LocalOrgWorkerOptions(Path.Combine(Root, "fixture"), TestOrg.Opportunities, TestOrg.Seed, TestOrg.AsOf), time, NullLoggerFactory.Instance);
        await using var session = await PipelineSession.StartAsync(
            TestOrg.TestSettings(local.Settings), _ => { }, services => services.AddSingleton<TimeProvider>(time));
        var trained = await session.RetrainAsync();
        if (trained.Report.Outcome != RunOutcome.Succeeded || !trained.Promoted)
        {
            throw new InvalidOperationException($"The fixture could not train its model: {trained.Report.Error ?? trained.Report.Detail}");
        }

        ModelStore = local.ModelStoreFolder;
        ModelVersion = trained.CandidateVersion!;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a stopping server; the temp folder is cleaned up eventually.
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class WorkerCollection : ICollectionFixture<WorkerFixture>
{
    public const string Name = "worker end to end";
}
