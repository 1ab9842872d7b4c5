namespace SfPredictor.LocalOrg.Soql;

/// <summary>
/// SOQL's relative date literals as day ranges, in UTC (the local org's time zone): TODAY, YESTERDAY,
/// TOMORROW, THIS/LAST/NEXT_MONTH, THIS/LAST/NEXT_YEAR, LAST/NEXT_90_DAYS, LAST/NEXT_N_DAYS:n.
/// </summary>
internal static class DateKeywords
{
    private static readonly HashSet<string> Ranges = new(StringComparer.OrdinalIgnoreCase)
    {
        "TODAY", "YESTERDAY", "TOMORROW", "THIS_MONTH", "LAST_MONTH", "NEXT_MONTH", "THIS_YEAR", "LAST_YEAR",
        "NEXT_YEAR", "LAST_90_DAYS", "NEXT_90_DAYS",
    };

    private static readonly HashSet<string> RangesOfN = new(StringComparer.OrdinalIgnoreCase) { "LAST_N_DAYS", "NEXT_N_DAYS" };

    public static bool IsRange(string word) => Ranges.Contains(word);

    public static bool IsRangeOfN(string word) => RangesOfN.Contains(word);

    /// <summary>The days the literal covers: from <c>Start</c> up to but not including <c>End</c>.</summary>
    public static (DateOnly Start, DateOnly End) Resolve(string keyword, int n, DateOnly today)
    {
        var month = new DateOnly(today.Year, today.Month, 1);
        var year = new DateOnly(today.Year, 1, 1);
        return keyword switch
        {
            "TODAY" => (today, today.AddDays(1)),
            "YESTERDAY" => (today.AddDays(-1), today),
            "TOMORROW" => (today.AddDays(1), today.AddDays(2)),
            "THIS_MONTH" => (month, month.AddMonths(1)),
            "LAST_MONTH" => (month.AddMonths(-1), month),
            "NEXT_MONTH" => (month.AddMonths(1), month.AddMonths(2)),
            "THIS_YEAR" => (year, year.AddYears(1)),
            "LAST_YEAR" => (year.AddYears(-1), year),
            "NEXT_YEAR" => (year.AddYears(1), year.AddYears(2)),

            // The last n days run up to and including today; the next n days start tomorrow.
            "LAST_90_DAYS" => (today.AddDays(-90), today.AddDays(1)),
            "NEXT_90_DAYS" => (today.AddDays(1), today.AddDays(91)),
            "LAST_N_DAYS" => (today.AddDays(-n), today.AddDays(1)),
            "NEXT_N_DAYS" => (today.AddDays(1), today.AddDays(n + 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(keyword), keyword, "Not a supported date literal."),
        };
    }
}
