using System.Globalization;
using System.Text.Json;

namespace SfPredictor.Salesforce;

/// <summary>Writes update values the way Salesforce reads them, in JSON (REST) and in CSV (Bulk).</summary>
internal static class FieldValues
{
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static bool IsSupported(object? value) => value switch
    {
        null or string or bool or int or long or short or byte or decimal or DateOnly or DateTimeOffset => true,
        double d => double.IsFinite(d),
        float f => float.IsFinite(f),
        DateTime d => d.Kind == DateTimeKind.Utc,
        _ => false,
    };

    public static void WriteJson(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull(name);
                break;
            case string s:
                writer.WriteString(name, s);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case decimal m:
                writer.WriteNumber(name, m);
                break;
            case double d:
                writer.WriteNumber(name, d);
                break;
            case float f:
                writer.WriteNumber(name, f);
                break;
            case int or long or short or byte:
                writer.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteString(name, ToText(value));
                break;
        }
    }

    /// <summary>The CSV cell for a value; null becomes <c>#N/A</c>, which clears the field in a Bulk update.</summary>
    public static string ToCsv(object? value) => value is null ? "#N/A" : ToText(value);

    private static string ToText(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToUniversalTime().ToString(DateTimeFormat, CultureInfo.InvariantCulture),
        DateTime d => d.ToString(DateTimeFormat, CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
