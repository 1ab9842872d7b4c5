using System.Globalization;
using System.Text.Json;
using SfPredictor.Records;

namespace SfPredictor.LocalOrg.Data;

/// <summary>The Salesforce field types the local org describes, compares and formats by.</summary>
internal enum FieldType
{
    Id,
    Reference,
    String,
    Picklist,
    TextArea,
    Boolean,
    Int,
    Double,
    Currency,
    Percent,
    Date,
    DateTime,
}

/// <summary>What each <see cref="FieldType"/> means for parsing, comparing and writing values.</summary>
internal static class FieldTypes
{
    private static readonly Dictionary<string, FieldType> ByApiName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["id"] = FieldType.Id,
        ["reference"] = FieldType.Reference,
        ["string"] = FieldType.String,
        ["picklist"] = FieldType.Picklist,
        ["textarea"] = FieldType.TextArea,
        ["boolean"] = FieldType.Boolean,
        ["int"] = FieldType.Int,
        ["double"] = FieldType.Double,
        ["currency"] = FieldType.Currency,
        ["percent"] = FieldType.Percent,
        ["date"] = FieldType.Date,
        ["datetime"] = FieldType.DateTime,
    };

    /// <summary>The describe name (<c>datetime</c>, <c>percent</c>, ...).</summary>
    public static string ApiName(FieldType type) => type.ToString().ToLowerInvariant();

    public static bool TryParseApiName(string name, out FieldType type) => ByApiName.TryGetValue(name, out type);

    public static bool IsIdLike(FieldType type) => type is FieldType.Id or FieldType.Reference;

    public static bool IsText(FieldType type) => type is FieldType.String or FieldType.Picklist or FieldType.TextArea;

    public static bool IsNumber(FieldType type) =>
        type is FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent;

    public static string SoapType(FieldType type) => type switch
    {
        FieldType.Id or FieldType.Reference => "tns:ID",
        FieldType.Boolean => "xsd:boolean",
        FieldType.Int => "xsd:int",
        FieldType.Double or FieldType.Currency or FieldType.Percent => "xsd:double",
        FieldType.Date => "xsd:date",
        FieldType.DateTime => "xsd:dateTime",
        _ => "xsd:string",
    };

    /// <summary>The name SOQL filter errors use for the type (<c>must be of type dateTime</c>).</summary>
    public static string SoqlTypeName(FieldType type) => type switch
    {
        FieldType.Id or FieldType.Reference => "id",
        FieldType.Boolean => "boolean",
        FieldType.Int => "integer",
        FieldType.Double or FieldType.Currency or FieldType.Percent => "double",
        FieldType.Date => "date",
        FieldType.DateTime => "dateTime",
        _ => "string",
    };

    /// <summary>
    /// The stored text as a value that orders the way Salesforce orders the type: decimal for numbers,
    /// bool, a day number for dates, UTC ticks for datetimes, an <see cref="IdKey"/> for Ids, the text
    /// otherwise. Null for an empty or unparsable text.
    /// </summary>
    public static object? ToComparable(FieldType type, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            // A checkbox is never null in Salesforce: an empty cell is an unchecked box.
            return type == FieldType.Boolean ? false : null;
        }

        switch (type)
        {
            case FieldType.Id or FieldType.Reference:
                return SalesforceId.TryNormalize(text, out var id) ? new IdKey(id) : null;
            case FieldType.Boolean:
                return RecordValues.TryParseBoolean(text, out var flag) ? flag : null;
            case FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent:
                return RecordValues.TryParseDecimal(text, out var number) ? number : null;
            case FieldType.Date:
                return RecordValues.TryParseDate(text, out var date) ? date.DayNumber : null;
            case FieldType.DateTime:
                return RecordValues.TryParseDateTime(text, out var moment) ? moment.UtcTicks : null;
            default:
                return text.ToString();
        }
    }

    /// <summary>Compares two non-null values made by <see cref="ToComparable"/> for the same type.</summary>
    public static int Compare(object left, object right) => (left, right) switch
    {
        (string a, string b) => string.Compare(a, b, StringComparison.OrdinalIgnoreCase),
        (IdKey a, IdKey b) => string.CompareOrdinal(a.Value, b.Value),
        (decimal a, decimal b) => a.CompareTo(b),
        (long a, long b) => a.CompareTo(b),
        (int a, int b) => a.CompareTo(b),
        (bool a, bool b) => a.CompareTo(b),
        _ => throw new InvalidOperationException($"Cannot compare {left.GetType().Name} with {right.GetType().Name}."),
    };

    /// <summary>Equality matching <see cref="Compare"/>, for IN lists.</summary>
    public static IEqualityComparer<object> EqualityComparer { get; } = new ComparableEquality();

    /// <summary>Writes a stored text as the REST API writes the type's values (numbers bare, datetimes with zone).</summary>
    public static void WriteJson(Utf8JsonWriter writer, FieldType type, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            // A checkbox is never null in Salesforce: an empty cell is an unchecked box.
            if (type == FieldType.Boolean)
            {
                writer.WriteBooleanValue(false);
            }
            else
            {
                writer.WriteNullValue();
            }

            return;
        }

        // Text needs no conversion; writing it straight from the span saves a string per value.
        if (IsText(type))
        {
            writer.WriteStringValue(text);
            return;
        }

        switch (ToComparable(type, text))
        {
            case null:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case var value:
                writer.WriteStringValue(FormatApi(type, text, value));
                break;
        }
    }

    /// <summary>Formats a stored text as Bulk API 2.0 result CSV does; empty for null.</summary>
    public static string FormatBulk(FieldType type, ReadOnlySpan<char> text)
    {
        var value = ToComparable(type, text);
        return value switch
        {
            null => text.ToString(),
            bool flag => flag ? "true" : "false",
            decimal number => number.ToString(CultureInfo.InvariantCulture),
            long ticks => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            _ => FormatApi(type, text, value),
        };
    }

    private static string FormatApi(FieldType type, ReadOnlySpan<char> text, object value) => value switch
    {
        long ticks => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
        int day when type == FieldType.Date => RecordValues.FormatDate(DateOnly.FromDayNumber(day)),
        IdKey id => id.Value,
        _ => text.ToString(),
    };

    private sealed class ComparableEquality : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) =>
            x is null || y is null ? x is null && y is null : x.GetType() == y.GetType() && Compare(x, y) == 0;

        public int GetHashCode(object obj) =>
            obj is string text ? StringComparer.OrdinalIgnoreCase.GetHashCode(text) : obj.GetHashCode();
    }
}

/// <summary>
/// An Id in its 18-character form. Ids order case-sensitively (0-9, A-Z, a-z, as their base-62 digits
/// do), unlike text, which SOQL compares ignoring case.
/// </summary>
internal readonly record struct IdKey(string Value);
