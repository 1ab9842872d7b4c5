using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.State;
using SfPredictor.Worker.Tests.Infrastructure;

namespace SfPredictor.Worker.Tests.Scheduling;

[Collection(WorkerCollection.Name)]
public sealed class ClusterTests(WorkerFixture fixture)
{
    [Fact]
    public async Task TwoWorkers_OnOnePostgreSqlJobStore_RunEachFiringOnce()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var org = await TestOrg.StartAsync(fixture);
        var settings = org.Settings(new Dictionary<string, string?>
        {
            ["SfPredictor:JobStore:Provider"] = "PostgreSQL",
            ["SfPredictor:JobStore:ConnectionString"] = postgres.ConnectionString,
            ["SfPredictor:Schedules:ScoreCron"] = "0/2 * * * * ?",
            ["SfPredictor:Schedules:FullRescoreCron"] = TestHosts.Never,
            ["SfPredictor:Schedules:RetrainCron"] = TestHosts.Never,
        });

        // Real time here: the schedulers must fire. Two workers, one database.
        using var first = TestHosts.Build(settings);
        using var second = TestHosts.Build(settings);
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        var store = first.Services.GetRequiredService<StateStore>();
        await RunsRecordedAsync(store, 3);
        await Task.WhenAll(first.StopAsync(), second.StopAsync());

        var runs = await store.GetRunsAsync(100, JobNames.Score);
        Assert.True(runs.Count >= 3, $"only {runs.Count} runs");
        Assert.All(runs, r => Assert.NotNull(r.ScheduledFor));
        Assert.All(runs.GroupBy(r => r.ScheduledFor), firing => Assert.Single(firing));
        Assert.All(runs, r => Assert.NotEqual(RunOutcome.Failed, r.Outcome));
    }

    // Waits for the schedulers rather than for a time: a loaded machine may fire late, an idle one need not wait.
    private static async Task RunsRecordedAsync(StateStore store, int count)
    {
        var patience = TimeSpan.FromMinutes(3);
        var started = TimeProvider.System.GetTimestamp();
        while ((await store.GetRunsAsync(100, JobNames.Score)).Count < count)
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < patience, $"fewer than {count} score runs recorded after {patience}");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
