using Microsoft.Extensions.Logging;
using Quartz;
using SfPredictor.Worker.AdminSettings;
using SfPredictor.Worker.Telemetry;

namespace SfPredictor.Worker.Scheduling;

/// <summary>
/// Gives each job one cron trigger with the effective schedule. A trigger already stored with the same
/// cron is left alone, so a firing missed while the worker was down is run once at start (misfire policy:
/// fire once now, then proceed); a changed cron replaces the trigger.
/// </summary>
internal sealed class ScheduleReconciler(ISchedulerFactory schedulers, TimeProvider time, ILogger<ScheduleReconciler> logger)
{
    /// <summary>Makes every job's trigger follow <paramref name="settings"/>.</summary>
    public async Task ApplyAsync(EffectiveSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        foreach (var job in JobNames.All)
        {
            var cron = settings.CronOf(job);
            var key = new TriggerKey(JobNames.TriggerOf(job), JobNames.Group);
            var existing = await scheduler.GetTrigger(key, cancellationToken) as ICronTrigger;
            if (existing?.CronExpressionString == cron)
            {
                continue;
            }

            var trigger = TriggerBuilder.Create(time)
                .WithIdentity(key)
                .ForJob(new JobKey(job, JobNames.Group))
                .WithCronSchedule(cron, b => b.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            // Storing with replace is one operation under the store's lock, so two workers doing it at once agree.
            await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken);
            Log.Rescheduled(logger, job, cron, existing?.CronExpressionString);
        }
    }

    /// <summary>The cron each job's trigger has now (null when it has none).</summary>
    public async Task<IReadOnlyDictionary<string, string?>> CurrentAsync(CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var job in JobNames.All)
        {
            result[job] = (await scheduler.GetTrigger(new TriggerKey(JobNames.TriggerOf(job), JobNames.Group), cancellationToken) as ICronTrigger)?.CronExpressionString;
        }

        return result;
    }
}
