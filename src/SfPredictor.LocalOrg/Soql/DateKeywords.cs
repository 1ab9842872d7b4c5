namespace SfPredictor.LocalOrg.Soql;

/// <summary>
/// Every relative date literal SOQL documents, as day ranges in UTC (the local org's time zone):
/// YESTERDAY, TODAY, TOMORROW; THIS/LAST/NEXT_ of WEEK, MONTH, QUARTER, YEAR, FISCAL_QUARTER,
/// FISCAL_YEAR; LAST/NEXT_90_DAYS; LAST/NEXT_N_ of DAYS, WEEKS, MONTHS, QUARTERS, YEARS,
/// FISCAL_QUARTERS, FISCAL_YEARS (:n); N_ of DAYS, WEEKS, MONTHS, QUARTERS, YEARS, FISCAL_QUARTERS,
/// FISCAL_YEARS _AGO (:n). Weeks start on Sunday (the en_US locale); fiscal quarters and years follow
/// the org's fiscal year (<see cref="FiscalYear"/>), the calendar year unless set.
/// </summary>
internal static class DateKeywords
{
    private static readonly string[] Units = ["WEEK", "MONTH", "QUARTER", "YEAR", "FISCAL_QUARTER", "FISCAL_YEAR"];

    private static readonly HashSet<string> Ranges = new(
        ["TODAY", "YESTERDAY", "TOMORROW", "LAST_90_DAYS", "NEXT_90_DAYS", .. Units.SelectMany(u => new[] { $"THIS_{u}", $"LAST_{u}", $"NEXT_{u}" })],
        StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> RangesOfN = new(
        ((string[])["DAY", .. Units]).SelectMany(u => new[] { $"LAST_N_{u}S", $"NEXT_N_{u}S", $"N_{u}S_AGO" }),
        StringComparer.OrdinalIgnoreCase);

    public static bool IsRange(string word) => Ranges.Contains(word);

    public static bool IsRangeOfN(string word) => RangesOfN.Contains(word);

    /// <summary>The days the literal covers: from <c>Start</c> up to but not including <c>End</c>.</summary>
    public static (DateOnly Start, DateOnly End) Resolve(string keyword, int n, DateOnly today, FiscalYear fiscalYear)
    {
        switch (keyword)
        {
            case "TODAY":
                return (today, today.AddDays(1));
            case "YESTERDAY":
                return (today.AddDays(-1), today);
            case "TOMORROW":
                return (today.AddDays(1), today.AddDays(2));

            // The last n days run up to and including today; the next n days start tomorrow.
            case "LAST_90_DAYS":
                return (today.AddDays(-90), today.AddDays(1));
            case "NEXT_90_DAYS":
                return (today.AddDays(1), today.AddDays(91));
            case "LAST_N_DAYS":
                return (today.AddDays(-n), today.AddDays(1));
            case "NEXT_N_DAYS":
                return (today.AddDays(1), today.AddDays(n + 1));
            case "N_DAYS_AGO":
                return (today.AddDays(-n), today.AddDays(-n + 1));
        }

        // The rest are whole periods: this one, or counted from it (LAST_N_ ends where this one
        // starts, NEXT_N_ starts where it ends, N_..._AGO is one period).
        var (prefix, unit) = Split(keyword);
        var current = PeriodStart(unit, today, fiscalYear);
        return prefix switch
        {
            "THIS" => (current, Add(unit, current, 1)),
            "LAST" => (Add(unit, current, -1), current),
            "NEXT" => (Add(unit, current, 1), Add(unit, current, 2)),
            "LAST_N" => (Add(unit, current, -n), current),
            "NEXT_N" => (Add(unit, current, 1), Add(unit, current, n + 1)),
            "AGO" => (Add(unit, current, -n), Add(unit, current, -n + 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(keyword), keyword, "Not a supported date literal."),
        };
    }

    private static (string Prefix, string Unit) Split(string keyword)
    {
        if (keyword.StartsWith("N_", StringComparison.Ordinal) && keyword.EndsWith("S_AGO", StringComparison.Ordinal))
        {
            return ("AGO", keyword[2..^5]);
        }

        foreach (var prefix in (string[])["LAST_N", "NEXT_N", "THIS", "LAST", "NEXT"])
        {
            if (keyword.StartsWith(prefix + "_", StringComparison.Ordinal))
            {
                var unit = keyword[(prefix.Length + 1)..];
                return (prefix, prefix.EndsWith("_N", StringComparison.Ordinal) ? unit[..^1] : unit);
            }
        }

        throw new ArgumentOutOfRangeException(nameof(keyword), keyword, "Not a supported date literal.");
    }

    private static DateOnly PeriodStart(string unit, DateOnly today, FiscalYear fiscalYear) => unit switch
    {
        "WEEK" => today.AddDays(-(int)today.DayOfWeek),
        "MONTH" => new DateOnly(today.Year, today.Month, 1),
        "QUARTER" => new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1),
        "YEAR" => new DateOnly(today.Year, 1, 1),
        "FISCAL_QUARTER" => fiscalYear.QuarterStart(today),
        "FISCAL_YEAR" => fiscalYear.YearStart(today),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Not a date unit."),
    };

    private static DateOnly Add(string unit, DateOnly start, int count) => unit switch
    {
        "WEEK" => start.AddDays(7 * count),
        "MONTH" => start.AddMonths(count),
        "QUARTER" or "FISCAL_QUARTER" => start.AddMonths(3 * count),
        _ => start.AddYears(count),
    };
}
