namespace SfPredictor.LocalOrg.Soql;

/// <summary>
/// The SOQL date functions the local org answers: CALENDAR_YEAR/QUARTER/MONTH and
/// FISCAL_YEAR/QUARTER/MONTH of a date or datetime field (datetimes in UTC, the org's time zone).
/// </summary>
internal static class DateFunctions
{
    private static readonly string[] All = ["CALENDAR_YEAR", "CALENDAR_QUARTER", "CALENDAR_MONTH", "FISCAL_YEAR", "FISCAL_QUARTER", "FISCAL_MONTH"];

    public static string Names { get; } = string.Join(", ", All);

    public static bool IsDateFunction(string name) => All.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The function's number for a day.</summary>
    public static int Apply(string function, DateOnly day, FiscalYear fiscalYear) => function switch
    {
        "CALENDAR_YEAR" => day.Year,
        "CALENDAR_QUARTER" => ((day.Month - 1) / 3) + 1,
        "CALENDAR_MONTH" => day.Month,
        "FISCAL_YEAR" => fiscalYear.Year(day),
        "FISCAL_QUARTER" => fiscalYear.Quarter(day),
        "FISCAL_MONTH" => fiscalYear.Month(day),
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "Not a date function."),
    };
}
