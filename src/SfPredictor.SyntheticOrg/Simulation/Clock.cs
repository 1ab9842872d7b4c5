namespace SfPredictor.SyntheticOrg.Simulation;

/// <summary>Time helpers: whole seconds (as exports have them) and office hours.</summary>
internal static class Clock
{
    public static DateTimeOffset Seconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    public static DateOnly Date(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    /// <summary>
    /// A moment on the day of <paramref name="time"/> between 08:00 and 18:00 UTC, when that falls in
    /// [<paramref name="from"/>, <paramref name="to"/>); otherwise <paramref name="time"/> itself, kept in that range.
    /// </summary>
    public static DateTimeOffset WorkTime(Rng rng, DateTimeOffset time, DateTimeOffset from, DateTimeOffset to)
    {
        if (to - from < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"Empty time range [{from:O}, {to:O}).", nameof(to));
        }

        var day = new DateTimeOffset(time.UtcDateTime.Date, TimeSpan.Zero);
        var candidate = day.AddSeconds(rng.Between(8 * 3600, (18 * 3600) - 1));
        if (candidate >= from && candidate < to)
        {
            return candidate;
        }

        var kept = Seconds(time < from ? from : time);
        return kept < to ? kept : Seconds(to.AddSeconds(-1));
    }

    /// <summary>A random moment in [<paramref name="from"/>, <paramref name="to"/>), in office hours where possible.</summary>
    public static DateTimeOffset WorkTimeBetween(Rng rng, DateTimeOffset from, DateTimeOffset to) =>
        WorkTime(rng, from.AddSeconds(rng.NextDouble() * (to - from).TotalSeconds), from, to);
}

/// <summary>Amounts the way people type them: three significant digits, two decimals.</summary>
internal static class Money
{
    public static decimal Round(double value)
    {
        if (value <= 0)
        {
            return 0.00m;
        }

        var factor = Math.Pow(10, Math.Max(0, Math.Floor(Math.Log10(value)) - 2));
        return decimal.Round((decimal)(Math.Round(value / factor) * factor), 0) + 0.00m;
    }
}
