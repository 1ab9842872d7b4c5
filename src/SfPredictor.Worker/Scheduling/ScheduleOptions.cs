using System.ComponentModel.DataAnnotations;

namespace SfPredictor.Worker.Scheduling;

/// <summary>Quartz cron expressions for the worker's jobs (seconds field first, Quartz syntax).</summary>
public sealed class ScheduleOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:Schedules";

    /// <summary>Incremental scoring of what changed since the last watermark. Default: every 15 minutes.</summary>
    [Required] public string ScoreCron { get; set; } = "0 0/15 * * * ?";

    /// <summary>Full rescore of every open Opportunity. Default: nightly at 02:00 UTC.</summary>
    [Required] public string FullRescoreCron { get; set; } = "0 0 2 * * ?";

    /// <summary>Retraining from closed Opportunities. Default: Sundays at 03:00 UTC.</summary>
    [Required] public string RetrainCron { get; set; } = "0 0 3 ? * SUN";
}
