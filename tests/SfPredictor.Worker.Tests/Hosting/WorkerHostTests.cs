using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;
using SfPredictor.Salesforce;
using SfPredictor.Worker.Health;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.Tests.Infrastructure;

namespace SfPredictor.Worker.Tests.Hosting;

[Collection(WorkerCollection.Name)]
public sealed class WorkerHostTests(WorkerFixture fixture)
{
    // Enough for the Salesforce options to pass, so that only the setting under test can fail.
    private static readonly Dictionary<string, string?> ValidLogin = new()
    {
        ["Salesforce:ClientId"] = "client",
        ["Salesforce:Username"] = "user@example.com",
        ["Salesforce:PrivateKeyPath"] = "/nonexistent/key.pem",
        ["SfPredictor:JobStore:ConnectionString"] = "Data Source=" + Path.Combine(Path.GetTempPath(), "sfp-never-created", "x.db"),
    };

    [Theory]
    [InlineData("SfPredictor:Schedules:ScoreCron", "every 5 minutes")]
    [InlineData("SfPredictor:Schedules:RetrainCron", "0 0 3 ? * FUNDAY")]
    [InlineData("SfPredictor:WriteBack:MinProbabilityChangePoints", "150")]
    [InlineData("SfPredictor:Worker:WriteBatchSize", "0")]
    [InlineData("SfPredictor:Health:Path", "health")]
    [InlineData("SfPredictor:Retrain:MaxLogLossIncrease", "2")]
    public async Task StartAsync_WithAWrongSetting_FailsNamingTheSetting(string key, string value)
    {
        using var host = TestHosts.Build(new Dictionary<string, string?>(ValidLogin) { [key] = value });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.True(error is OptionsValidationException or AggregateException, error.ToString());
        Assert.Contains(key, TestHosts.Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_WithWriteBackFieldsMissingOrReadOnly_FailsListingEveryProblem()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        using var host = TestHosts.Build(
            org.Settings(new Dictionary<string, string?> { ["SfPredictor:WriteBack:ModelVersionField"] = "SfP_Missing__c", ["SfPredictor:WriteBack:ScoredAtField"] = "SystemModstamp" }),
            services => services.AddSingleton<TimeProvider>(org.Time));

        var error = await Assert.ThrowsAsync<SalesforceSchemaException>(() => host.StartAsync());

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Contains("SfP_Missing__c does not exist", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("SystemModstamp is not updateable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Worker_Started_SchedulesEachJobOnceServesHealthAndKeepsTriggersAcrossRestarts()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        var settings = org.Settings(new Dictionary<string, string?>
        {
            ["SfPredictor:Schedules:ScoreCron"] = TestHosts.Never,
            ["SfPredictor:Schedules:FullRescoreCron"] = TestHosts.Never,
            ["SfPredictor:Schedules:RetrainCron"] = "0 0 3 ? * SUN 2099",
            ["SfPredictor:Health:Enabled"] = "true",
            ["SfPredictor:Health:Urls"] = "http://127.0.0.1:0",
        });

        JsonElement health;
        IReadOnlyList<ICronTrigger> before;
        using (var host = TestHosts.Build(settings, services => services.AddSingleton<TimeProvider>(org.Time)))
        {
            await host.StartAsync();
            var report = await host.Services.GetRequiredService<ScheduledRuns>().ScoreAsync(full: true, firing: null, CancellationToken.None);
            using var http = new HttpClient { BaseAddress = host.Services.GetRequiredService<HealthServer>().Addresses[0] };
            health = await http.GetFromJsonAsync<JsonElement>("/health");
            before = await TriggersAsync(host);
            await host.StopAsync();
            Assert.Equal(org.OpenIds.Count, report!.Written);
        }

        // Triggers stored before are kept as they are (a recreated one would start at the new time).
        org.Time.Advance(TimeSpan.FromHours(1));
        using var restarted = TestHosts.Build(settings, services => services.AddSingleton<TimeProvider>(org.Time));
        await restarted.StartAsync();
        var triggers = await TriggersAsync(restarted);
        await restarted.StopAsync();

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(fixture.ModelVersion, health.GetProperty("modelVersion").GetString());
        Assert.Equal(org.OpenIds.Count, health.GetProperty("jobs").GetProperty(JobNames.FullRescore).GetProperty("written").GetInt32());
        Assert.Equal("Succeeded", health.GetProperty("lastRun").GetProperty("outcome").GetString());
        Assert.Equal([TestHosts.Never, TestHosts.Never, "0 0 3 ? * SUN 2099"], triggers.Select(t => t.CronExpressionString));
        Assert.All(triggers, t => Assert.Equal(CronTriggerMisfireInstruction.FireAndProceed, t.MisfireInstruction));
        Assert.Equal(before.Select(t => t.StartTimeUtc), triggers.Select(t => t.StartTimeUtc));
    }

    private static async Task<IReadOnlyList<ICronTrigger>> TriggersAsync(IHost host)
    {
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var triggers = new List<ICronTrigger>();
        foreach (var job in JobNames.All)
        {
            triggers.AddRange((await scheduler.GetTriggersOfJob(new JobKey(job, JobNames.Group))).Cast<ICronTrigger>());
        }

        return triggers;
    }
}
