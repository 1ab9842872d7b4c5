using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SfPredictor.Worker.Scheduling;

/// <summary>Quartz cron expressions for the worker's jobs (seconds field first, Quartz syntax).</summary>
public sealed class ScheduleOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:Schedules";

    /// <summary>Incremental scoring of what changed since the last watermark. Default: every 15 minutes.</summary>
    [Required, QuartzCron]
    public string ScoreCron { get; set; } = "0 0/15 * * * ?";

    /// <summary>Full rescore of every open Opportunity. Default: nightly at 02:00 UTC.</summary>
    [Required, QuartzCron]
    public string FullRescoreCron { get; set; } = "0 0 2 * * ?";

    /// <summary>Retraining from closed Opportunities. Default: Sundays at 03:00 UTC.</summary>
    [Required, QuartzCron]
    public string RetrainCron { get; set; } = "0 0 3 ? * SUN";
}

/// <summary>Validates <see cref="ScheduleOptions"/> at start: every cron must parse.</summary>
[OptionsValidator]
internal sealed partial class ValidateScheduleOptions : IValidateOptions<ScheduleOptions>;

/// <summary>The value must be a Quartz cron expression; the message says why it is not.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class QuartzCronAttribute : ValidationAttribute
{
    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return value is not string text || CronSchedules.IsValid(text)
            ? ValidationResult.Success
            : new ValidationResult(CronSchedules.Problem(text), validationContext.MemberName is { } member ? [member] : []);
    }
}
