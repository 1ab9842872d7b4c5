using SfPredictor.Recommendations;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.AdminSettings;

/// <summary>
/// The schedules and thresholds a run uses: the worker's configuration, overlaid with the non-blank fields
/// of the <see cref="AdminSettingsMetadata.TypeName"/> record read from Salesforce at the start of the run.
/// </summary>
/// <param name="ScoreCron">Cron of the incremental scoring job.</param>
/// <param name="FullRescoreCron">Cron of the full rescore job.</param>
/// <param name="RetrainCron">Cron of the retrain job.</param>
/// <param name="MinProbabilityChangePoints">Least probability change (points) worth a write.</param>
/// <param name="TrendThresholdPoints">Change (points) from which the trend is Improving or Declining.</param>
/// <param name="CooldownDays">Days after an activity of a kind during which it is not recommended again.</param>
/// <param name="DisabledKinds">Activity kinds never recommended.</param>
/// <param name="WriteBackEnabled">Whether runs write at all.</param>
public sealed record EffectiveSettings(
    string ScoreCron,
    string FullRescoreCron,
    string RetrainCron,
    double MinProbabilityChangePoints,
    double TrendThresholdPoints,
    int CooldownDays,
    IReadOnlyList<string> DisabledKinds,
    bool WriteBackEnabled)
{
    /// <summary>The settings from configuration alone.</summary>
    public static EffectiveSettings FromOptions(ScheduleOptions schedules, WriteBackOptions writeBack, RecommendationOptions recommendations)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(writeBack);
        ArgumentNullException.ThrowIfNull(recommendations);
        return new EffectiveSettings(
            schedules.ScoreCron,
            schedules.FullRescoreCron,
            schedules.RetrainCron,
            writeBack.MinProbabilityChangePoints,
            writeBack.TrendThresholdPoints,
            recommendations.CooldownDays,
            [.. recommendations.DisabledKinds],
            writeBack.Enabled);
    }

    /// <summary>The cron of a job by its name (see <see cref="JobNames"/>).</summary>
    public string CronOf(string job) => job switch
    {
        JobNames.Score => ScoreCron,
        JobNames.FullRescore => FullRescoreCron,
        JobNames.Retrain => RetrainCron,
        _ => throw new ArgumentOutOfRangeException(nameof(job), job, "Not a job of the worker."),
    };
}
