using Quartz;

namespace SfPredictor.Worker.Scheduling;

/// <summary>Checks Quartz cron expressions, for options at start and for admin settings read from Salesforce.</summary>
internal static class CronSchedules
{
    public static bool IsValid(string? expression) => CronExpression.TryParse(expression, out _);

    public static string Problem(string expression)
    {
        string reason;
        try
        {
            CronExpression.Parse(expression);
            reason = "unknown reason";
        }
        catch (FormatException e)
        {
            reason = e.Message;
        }

        return $"'{expression}' is not a Quartz cron expression (seconds first, e.g. '0 0/15 * * * ?'): {reason}";
    }
}
