using Microsoft.Extensions.DependencyInjection;
using SfPredictor.Records;
using SfPredictor.Salesforce;
using SfPredictor.Worker.AdminSettings;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.Tests.Infrastructure;

namespace SfPredictor.Worker.Tests.AdminSettings;

[Collection(WorkerCollection.Name)]
public sealed class AdminSettingsTests(WorkerFixture fixture)
{
    private static readonly string RecordId = SalesforceId.Normalize("m005j0000000001");

    [Fact]
    public async Task ScheduledRun_WithTheSettingsRecord_UsesItsNonBlankFieldsAndReschedulesWhenItChanges()
    {
        await using var org = await TestOrg.StartAsync(fixture, WriteSettingsRecord);
        var settings = org.Settings(new Dictionary<string, string?>
        {
            ["SfPredictor:Schedules:FullRescoreCron"] = TestHosts.Never,
            ["SfPredictor:Schedules:RetrainCron"] = TestHosts.Never,
        });
        using var host = TestHosts.Build(settings, services => services.AddSingleton<TimeProvider>(org.Time));
        await host.StartAsync();
        var reconciler = host.Services.GetRequiredService<ScheduleReconciler>();
        var read = await host.Services.GetRequiredService<AdminSettingsReader>().ReadAsync();
        var atStart = await reconciler.CurrentAsync();

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var client = scope.ServiceProvider.GetRequiredService<SalesforceClient>();
            org.Time.Advance(TimeSpan.FromMinutes(1));
            await client.UpdateAsync(AdminSettingsMetadata.TypeName, [new RecordUpdate(RecordId, new Dictionary<string, object?> { [AdminSettingsMetadata.ScoreCron] = "0 0/10 * * * ?" })]);
        }

        await host.Services.GetRequiredService<ScheduledRuns>().ScoreAsync(full: false, firing: null, CancellationToken.None);
        var afterRun = await reconciler.CurrentAsync();
        await host.StopAsync();

        Assert.Equal("0 0/5 * * * ?", read.ScoreCron);
        Assert.Equal(TestHosts.Never, read.FullRescoreCron);
        Assert.Equal(TestHosts.Never, read.RetrainCron);
        Assert.Equal(5, read.MinProbabilityChangePoints);
        Assert.Equal(7, read.CooldownDays);
        Assert.Equal(["Email", "Call"], read.DisabledKinds);
        Assert.True(read.WriteBackEnabled);
        Assert.Equal("0 0/5 * * * ?", atStart[JobNames.Score]);
        Assert.Equal("0 0/10 * * * ?", afterRun[JobNames.Score]);
        Assert.Equal(TestHosts.Never, afterRun[JobNames.Retrain]);
    }

    [Fact]
    public async Task ReadAsync_OrgWithoutTheSettingsType_UsesTheConfiguredSettings()
    {
        await using var org = await TestOrg.StartAsync(fixture);
        await using var session = await org.SessionAsync();
        var reader = session.Services.GetRequiredService<AdminSettingsReader>();

        var settings = await reader.ReadAsync();

        Assert.Equal(reader.Configured() with { DisabledKinds = [] }, settings with { DisabledKinds = [] });
        Assert.Empty(settings.DisabledKinds);
    }

    // Blank fields keep the configured values; a cron that does not parse is ignored (and logged).
    private static void WriteSettingsRecord(string export) => File.WriteAllText(
        Path.Combine(export, AdminSettingsMetadata.TypeName + ".csv"),
        "\"Id\",\"DeveloperName\",\"Score_Cron__c\",\"Full_Rescore_Cron__c\",\"Retrain_Cron__c\",\"Min_Probability_Change__c\",\"Activity_Cooldown_Days__c\",\"Disabled_Activity_Kinds__c\",\"Write_Back_Enabled__c\"\n" +
        $"\"{RecordId}\",\"Default\",\"0 0/5 * * * ?\",\"\",\"not a cron\",\"5\",\"\",\"Email;Call\",\"true\"\n");
}
