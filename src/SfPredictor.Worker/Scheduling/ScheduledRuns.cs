using Quartz;
using SfPredictor.Salesforce;
using SfPredictor.Worker.AdminSettings;
using SfPredictor.Worker.Pipeline;
using SfPredictor.Worker.Retraining;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.Scheduling;

/// <summary>
/// What every job does first: read the admin settings from Salesforce, reschedule the triggers whose cron
/// changed, then run. Scoring and full rescoring take turns (<see cref="RunGate"/>) so the two never write the
/// same records at once.
/// </summary>
internal sealed class ScheduledRuns(ScoringRun scoring, RetrainRun retrain, AdminSettingsReader admin, ScheduleReconciler reconciler, RunGate gate)
{
    /// <summary>Runs an incremental or a full scoring run; null when a stop came while waiting for its turn.</summary>
    public async Task<RunReport?> ScoreAsync(bool full, IJobExecutionContext? firing, CancellationToken cancellationToken)
    {
        var settings = await ReadSettingsAsync(cancellationToken);
        if (!await gate.EnterAsync(cancellationToken))
        {
            return null;
        }

        try
        {
            var request = new ScoringRequest(
                full, Job: full ? JobNames.FullRescore : JobNames.Score, ScheduledFor: firing?.ScheduledFireTimeUtc, Node: firing?.Scheduler.SchedulerInstanceId);
            return (await scoring.RunAsync(request, settings, cancellationToken)).Report;
        }
        finally
        {
            gate.Exit();
        }
    }

    /// <summary>Runs a retraining.</summary>
    public async Task<RunReport> RetrainAsync(CancellationToken cancellationToken)
    {
        await ReadSettingsAsync(cancellationToken);
        return (await retrain.RunAsync(progress: null, cancellationToken)).Report;
    }

    private async Task<EffectiveSettings> ReadSettingsAsync(CancellationToken cancellationToken)
    {
        EffectiveSettings settings;
        try
        {
            settings = await admin.ReadAsync(cancellationToken);
        }
        catch (SalesforceApiException)
        {
            // The run that follows meets the same failure and reports it; the schedules stay as they are.
            return admin.Configured();
        }

        await reconciler.ApplyAsync(settings, cancellationToken);
        return settings;
    }
}

/// <summary>Lets one scoring run at a time into this process.</summary>
internal sealed class RunGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    /// <summary>Waits for the turn; false when a stop was requested while waiting.</summary>
    public async Task<bool> EnterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _semaphore.WaitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Ends the turn.</summary>
    public void Exit() => _semaphore.Release();

    /// <inheritdoc />
    public void Dispose() => _semaphore.Dispose();
}
