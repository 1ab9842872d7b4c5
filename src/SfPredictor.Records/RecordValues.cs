using System.Globalization;

namespace SfPredictor.Records;

/// <summary>
/// The one parser of record values, used by every source (Data Export CSV, REST JSON, Bulk CSV, the
/// local org), so a value one source accepts no other refuses. Parsing accepts what Salesforce's Data
/// Export writes (datetimes <c>YYYY-MM-DD HH:MM:SS</c> in UTC, booleans <c>1</c>/<c>0</c>) and what the
/// API and other tools write (ISO 8601 with <c>T</c>, fractions and <c>Z</c> or an offset such as
/// <c>+0000</c>, <c>true</c>/<c>false</c>). Formatting always writes the Data Export form. Empty values
/// are the caller's business: these methods reject them.
/// </summary>
public static class RecordValues
{
    // Salesforce stores dates from 1700-01-01 to 4000-12-31; anything else is a damaged value.
    private const int MinYear = 1700;
    private const int MaxYear = 4000;

    private const NumberStyles DecimalStyles =
        NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>
    /// Parses a datetime: <c>2024-03-01 14:05:00</c>, <c>2024-03-01T14:05:00Z</c>,
    /// <c>2024-03-01T14:05:00.000+0000</c>, <c>2024-03-01T16:05:00+02:00</c>. Without a zone the
    /// value is UTC. The result is converted to UTC (offset zero).
    /// </summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 19 || !TryParseDateDigits(text, out var year, out var month, out var day)
            || text[10] is not (' ' or 'T' or 't')
            || !TryTwoDigits(text, 11, out var hour) || text[13] != ':'
            || !TryTwoDigits(text, 14, out var minute) || text[16] != ':'
            || !TryTwoDigits(text, 17, out var second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var rest = text[19..];
        long fractionTicks = 0;
        if (rest.Length > 0 && rest[0] == '.')
        {
            var digits = 0;
            var scale = TimeSpan.TicksPerSecond;
            rest = rest[1..];
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                // Digits beyond a tick (7) carry nothing a DateTimeOffset can hold.
                if (scale > 1)
                {
                    scale /= 10;
                    fractionTicks += (rest[digits] - '0') * scale;
                }

                digits++;
            }

            if (digits == 0)
            {
                return false;
            }

            rest = rest[digits..];
        }

        if (!TryParseOffset(rest, out var offset))
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        value = new DateTimeOffset(local - offset, TimeSpan.Zero);
        return true;
    }

    /// <summary>
    /// Parses a date <c>2024-03-01</c>. A datetime at midnight UTC (<c>2024-03-01T00:00:00.000Z</c>),
    /// as some tools write date fields, is accepted as its date.
    /// </summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, out DateOnly value)
    {
        value = default;
        if (text.Length == 10)
        {
            if (!TryParseDateDigits(text, out var year, out var month, out var day))
            {
                return false;
            }

            value = new DateOnly(year, month, day);
            return true;
        }

        if (TryParseDateTime(text, out var dateTime) && dateTime.TimeOfDay == TimeSpan.Zero)
        {
            value = DateOnly.FromDateTime(dateTime.UtcDateTime);
            return true;
        }

        return false;
    }

    /// <summary>Parses a boolean: <c>1</c>, <c>0</c>, <c>true</c>, <c>false</c> (any case).</summary>
    public static bool TryParseBoolean(ReadOnlySpan<char> text, out bool value)
    {
        if (text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        value = false;
        return text is "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Parses an invariant-culture decimal (<c>-1234.5</c>, <c>1.5E6</c>); no thousands separators.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out decimal value) =>
        decimal.TryParse(text, DecimalStyles, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses an integer; a decimal with no fractional part (<c>250.0</c>) is accepted.</summary>
    public static bool TryParseInt32(ReadOnlySpan<char> text, out int value)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        if (TryParseDecimal(text, out var number) && decimal.Truncate(number) == number
            && number is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)number;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Parses a 15- or 18-character Salesforce Id into its 18-character form (see <see cref="SalesforceId.TryNormalize"/>).</summary>
    public static bool TryParseId(ReadOnlySpan<char> text, out string value) => SalesforceId.TryNormalize(text, out value);

    /// <summary>
    /// Parses a currency code shaped as ISO 4217 prescribes: three ASCII letters (<c>EUR</c>), returned
    /// in upper case. Whether the org knows the currency is the CurrencyType rows' business, not this.
    /// </summary>
    public static bool TryParseCurrencyCode(ReadOnlySpan<char> text, out string value)
    {
        value = string.Empty;
        if (text.Length != 3 || !char.IsAsciiLetter(text[0]) || !char.IsAsciiLetter(text[1]) || !char.IsAsciiLetter(text[2]))
        {
            return false;
        }

        value = char.IsAsciiLetterUpper(text[0]) && char.IsAsciiLetterUpper(text[1]) && char.IsAsciiLetterUpper(text[2])
            ? text.ToString()
            : text.ToString().ToUpperInvariant();
        return true;
    }

    /// <summary>Parses a datetime (see <see cref="TryParseDateTime"/>).</summary>
    /// <exception cref="FormatException">The text is not a datetime.</exception>
    public static DateTimeOffset ParseDateTime(string text) =>
        TryParseDateTime(text, out var value) ? value : throw Invalid(text, "a datetime (YYYY-MM-DD HH:MM:SS or ISO 8601)");

    /// <summary>Parses a date (see <see cref="TryParseDate"/>).</summary>
    /// <exception cref="FormatException">The text is not a date.</exception>
    public static DateOnly ParseDate(string text) =>
        TryParseDate(text, out var value) ? value : throw Invalid(text, "a date (YYYY-MM-DD)");

    /// <summary>Parses a boolean (see <see cref="TryParseBoolean"/>).</summary>
    /// <exception cref="FormatException">The text is not a boolean.</exception>
    public static bool ParseBoolean(string text) =>
        TryParseBoolean(text, out var value) ? value : throw Invalid(text, "a boolean (1, 0, true, false)");

    /// <summary>Parses a decimal (see <see cref="TryParseDecimal"/>).</summary>
    /// <exception cref="FormatException">The text is not a number.</exception>
    public static decimal ParseDecimal(string text) =>
        TryParseDecimal(text, out var value) ? value : throw Invalid(text, "a number");

    /// <summary>Parses an integer (see <see cref="TryParseInt32"/>).</summary>
    /// <exception cref="FormatException">The text is not an integer.</exception>
    public static int ParseInt32(string text) =>
        TryParseInt32(text, out var value) ? value : throw Invalid(text, "an integer");

    /// <summary>Parses a Salesforce Id (see <see cref="TryParseId"/>).</summary>
    /// <exception cref="FormatException">The text is not a 15- or 18-character Id.</exception>
    public static string ParseId(string text) =>
        TryParseId(text, out var value) ? value : throw Invalid(text, "a 15- or 18-character Salesforce Id");

    /// <summary>Parses a currency code (see <see cref="TryParseCurrencyCode"/>).</summary>
    /// <exception cref="FormatException">The text is not three letters.</exception>
    public static string ParseCurrencyCode(string text) =>
        TryParseCurrencyCode(text, out var value) ? value : throw Invalid(text, "a currency code (three letters, ISO 4217)");

    /// <summary>Formats a datetime as Data Export does: <c>YYYY-MM-DD HH:MM:SS</c> in UTC (sub-seconds dropped).</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd' 'HH':'mm':'ss", CultureInfo.InvariantCulture);

    /// <summary>Formats a date as <c>YYYY-MM-DD</c>.</summary>
    public static string FormatDate(DateOnly value) =>
        value.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);

    /// <summary>Formats a boolean as Data Export does: <c>1</c> or <c>0</c>.</summary>
    public static string FormatBoolean(bool value) => value ? "1" : "0";

    /// <summary>Formats a decimal in the invariant culture.</summary>
    public static string FormatDecimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Formats an integer in the invariant culture.</summary>
    public static string FormatInt32(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static FormatException Invalid(string? text, string expected) =>
        new($"'{text}' is not {expected}.");

    private static bool TryParseDateDigits(ReadOnlySpan<char> text, out int year, out int month, out int day)
    {
        month = day = 0;
        year = 0;
        for (var i = 0; i < 4; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            year = (year * 10) + (text[i] - '0');
        }

        return year is >= MinYear and <= MaxYear && text[4] == '-' && TryTwoDigits(text, 5, out month) && text[7] == '-'
            && TryTwoDigits(text, 8, out day)
            && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    private static bool TryTwoDigits(ReadOnlySpan<char> text, int at, out int value)
    {
        value = 0;
        if (at + 1 >= text.Length || !char.IsAsciiDigit(text[at]) || !char.IsAsciiDigit(text[at + 1]))
        {
            return false;
        }

        value = ((text[at] - '0') * 10) + (text[at + 1] - '0');
        return true;
    }

    // Accepts "", "Z", "+hh", "+hhmm", "+hh:mm" (and "-").
    private static bool TryParseOffset(ReadOnlySpan<char> text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text.Length == 0 || text is "Z" or "z")
        {
            return true;
        }

        if (text[0] is not ('+' or '-') || !TryTwoDigits(text, 1, out var hours))
        {
            return false;
        }

        var minutes = 0;
        var tail = text[3..];
        if (tail.Length > 0 && tail[0] == ':')
        {
            tail = tail[1..];
        }

        if (tail.Length == 2)
        {
            if (!TryTwoDigits(tail, 0, out minutes))
            {
                return false;
            }
        }
        else if (tail.Length != 0)
        {
            return false;
        }

        if (hours > 14 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (text[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }
}
