using Quartz;

namespace SfPredictor.Worker.Scheduling;

/// <summary>Incremental scoring: what changed since the watermark, plus the retry list.</summary>
[DisallowConcurrentExecution]
internal sealed class ScoreJob(ScheduledRuns runs) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await runs.ScoreAsync(full: false, context, cancellationToken);
}

/// <summary>Full rescore of every open Opportunity, so time-based factors stay current.</summary>
[DisallowConcurrentExecution]
internal sealed class FullRescoreJob(ScheduledRuns runs) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await runs.ScoreAsync(full: true, context, cancellationToken);
}

/// <summary>Retraining from the closed Opportunities; promotes the candidate only when it is not worse.</summary>
[DisallowConcurrentExecution]
internal sealed class RetrainJob(ScheduledRuns runs) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await runs.RetrainAsync(cancellationToken);
}
