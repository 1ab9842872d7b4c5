using SfPredictor.Scoring.Packaging;
using SfPredictor.Training.Evaluation;
using SfPredictor.Worker.Health;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.Status;

/// <summary>Everything the status page shows, read at one moment.</summary>
/// <param name="GeneratedAt">When it was read.</param>
/// <param name="Health">The health document, the same that <c>GET /health</c> and <c>sfp health</c> give.</param>
/// <param name="Runs">The latest runs of every job, newest first.</param>
/// <param name="DailyApiRemaining">The org's remaining daily API requests as the latest run that saw them reported.</param>
/// <param name="Schedules">Each job's schedule and next firing.</param>
/// <param name="CurrentModel">The model the store names current; null before the first one.</param>
/// <param name="EarlierModels">Earlier versions in the store, newest first.</param>
/// <param name="ScoreDistribution">Open Opportunities per 10-point probability band in the latest run that scored any.</param>
/// <param name="ScoreDistributionRun">The run the distribution is from.</param>
internal sealed record StatusReport(
    DateTimeOffset GeneratedAt,
    HealthDocument Health,
    IReadOnlyList<RunReport> Runs,
    long? DailyApiRemaining,
    IReadOnlyList<ScheduleStatus> Schedules,
    ModelStatus? CurrentModel,
    IReadOnlyList<ModelStatus> EarlierModels,
    IReadOnlyList<int> ScoreDistribution,
    RunReport? ScoreDistributionRun);

/// <summary>One job's schedule.</summary>
/// <param name="Job">The job.</param>
/// <param name="Cron">Its Quartz cron; null when the job has no trigger (yet).</param>
/// <param name="NextFiring">When it fires next; null when never again or not scheduled.</param>
internal sealed record ScheduleStatus(string Job, string? Cron, DateTimeOffset? NextFiring);

/// <summary>One model version as its manifest describes it.</summary>
/// <param name="Version">The version.</param>
/// <param name="Kind">xgboost, or the stage fallback.</param>
/// <param name="TrainedAt">When it was trained.</param>
/// <param name="Opportunities">Closed Opportunities it learned from (training and holdout).</param>
/// <param name="Holdout">Its metrics on the holdout (the latest closed deals).</param>
/// <param name="BaselineHoldout">The stage-only baseline on the same rows.</param>
/// <param name="Problem">Why its manifest could not be read, when it could not.</param>
internal sealed record ModelStatus(
    string Version, string? Kind, DateTimeOffset? TrainedAt, int? Opportunities, ClassificationMetrics? Holdout, ClassificationMetrics? BaselineHoldout, string? Problem = null);
