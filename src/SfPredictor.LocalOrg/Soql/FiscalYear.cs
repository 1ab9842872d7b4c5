namespace SfPredictor.LocalOrg.Soql;

/// <summary>
/// The org's standard fiscal year: it starts on the first day of <see cref="StartMonth"/> and is
/// named by the calendar year in which it ends or starts (<see cref="Basis"/>). Quarters are three
/// months counted from the start month; a start month of 1 is the calendar year.
/// </summary>
internal readonly record struct FiscalYear(int StartMonth, FiscalYearBasis Basis)
{
    public static FiscalYear Calendar { get; } = new(1, FiscalYearBasis.EndingMonth);

    /// <summary>The first day of the fiscal year that holds <paramref name="day"/>.</summary>
    public DateOnly YearStart(DateOnly day)
    {
        var year = day.Month >= StartMonth ? day.Year : day.Year - 1;
        return new DateOnly(year, StartMonth, 1);
    }

    /// <summary>The first day of the fiscal quarter that holds <paramref name="day"/>.</summary>
    public DateOnly QuarterStart(DateOnly day) => YearStart(day).AddMonths((Month(day) - 1) / 3 * 3);

    /// <summary>FISCAL_MONTH(): 1 for the start month, 12 for the month before it.</summary>
    public int Month(DateOnly day) => ((day.Month - StartMonth + 12) % 12) + 1;

    /// <summary>FISCAL_QUARTER(): 1 to 4 within the fiscal year.</summary>
    public int Quarter(DateOnly day) => ((Month(day) - 1) / 3) + 1;

    /// <summary>FISCAL_YEAR(): the name of the fiscal year that holds <paramref name="day"/>.</summary>
    public int Year(DateOnly day)
    {
        var start = YearStart(day).Year;

        // A year starting in January starts and ends in the same calendar year.
        return Basis == FiscalYearBasis.StartingMonth || StartMonth == 1 ? start : start + 1;
    }
}
