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
        await Task.Delay(TimeSpan.FromSeconds(12));
        await Task.WhenAll(first.StopAsync(), second.StopAsync());

        var runs = await first.Services.GetRequiredService<StateStore>().GetRunsAsync(100, JobNames.Score);
        Assert.True(runs.Count >= 3, $"only {runs.Count} runs in 12 s");
        Assert.All(runs, r => Assert.NotNull(r.ScheduledFor));
        Assert.All(runs.GroupBy(r => r.ScheduledFor), firing => Assert.Single(firing));
        Assert.All(runs, r => Assert.NotEqual(RunOutcome.Failed, r.Outcome));
    }
}
