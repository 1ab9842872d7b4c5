using SfPredictor.Records;

namespace SfPredictor.Salesforce;

/// <summary>
/// Typed access to one flat record (REST JSON flattened, or a Bulk CSV row). A field that is absent
/// or null gives null; a value that does not parse is an error naming object, record and field.
/// With a <see cref="StringPool"/>, the values kept as text (names, picklist values, Ids of other records, custom
/// fields) are shared across the rows read; values parsed into numbers and dates are not, so they never fill the pool.
/// </summary>
internal readonly struct RowReader(string objectName, IReadOnlyDictionary<string, string?> row, StringPool? texts = null)
{
    public string? Text(string field) => Raw(field) is { } value ? Share(value) : null;

    public string RequiredText(string field) => Text(field) ?? throw Missing(field);

    public string Id(string field) => OptionalId(field) ?? throw Missing(field);

    public string? OptionalId(string field) => ParseId(field) is { } id ? Share(id) : null;

    /// <summary>The row's own Id: not shared, as no other row of the object repeats it.</summary>
    public string RecordId() => ParseId("Id") ?? throw Missing("Id");

    public decimal? Decimal(string field) =>
        Raw(field) is not { } text ? null
        : RecordValues.TryParseDecimal(text, out var value) ? value
        : throw Invalid(field, text, "number");

    public int? Int(string field) =>
        Raw(field) is not { } text ? null
        : RecordValues.TryParseInt32(text, out var value) ? value
        : throw Invalid(field, text, "whole number");

    public bool Bool(string field, bool whenAbsent) =>
        Raw(field) is not { } text ? whenAbsent
        : RecordValues.TryParseBoolean(text, out var value) ? value
        : throw Invalid(field, text, "boolean (true/false)");

    public DateOnly? Date(string field) =>
        Raw(field) is not { } text ? null
        : RecordValues.TryParseDate(text, out var value) ? value
        : throw Invalid(field, text, "date (yyyy-MM-dd)");

    public DateOnly RequiredDate(string field) => Date(field) ?? throw Missing(field);

    /// <summary>A currency code (three letters, ISO 4217), in upper case.</summary>
    public string? CurrencyCode(string field) =>
        Raw(field) is not { } text ? null
        : RecordValues.TryParseCurrencyCode(text, out var code) ? Share(code)
        : throw Invalid(field, text, "currency code (three letters, ISO 4217)");

    /// <summary>Salesforce's <c>2024-05-01T10:00:00.000+0000</c>, Bulk's <c>...Z</c>, or any form <see cref="RecordValues.TryParseDateTime"/> reads; returned in UTC.</summary>
    public DateTimeOffset? DateTime(string field) =>
        Raw(field) is not { } text ? null
        : RecordValues.TryParseDateTime(text, out var value) ? value
        : throw Invalid(field, text, "datetime (yyyy-MM-ddTHH:mm:ss.fff+0000)");

    /// <summary>Every field not in <paramref name="known"/>, raw: custom fields and extra selected ones.</summary>
    public IReadOnlyDictionary<string, string?> Custom(IReadOnlyList<string> known, string? alsoKnown = null)
    {
        Dictionary<string, string?>? custom = null;
        foreach (var (name, value) in row)
        {
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase) && !string.Equals(name, alsoKnown, StringComparison.OrdinalIgnoreCase))
            {
                (custom ??= new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase))[Share(name)] = value is null ? null : Share(value);
            }
        }

        return custom ?? EmptyFields.Instance;
    }

    /// <summary>Every custom (<c>__c</c>) field, raw; nothing else, so activities carry no free text beyond their subject.</summary>
    public IReadOnlyDictionary<string, string?> CustomFieldsOnly()
    {
        Dictionary<string, string?>? custom = null;
        foreach (var (name, value) in row)
        {
            if (name.EndsWith("__c", StringComparison.OrdinalIgnoreCase))
            {
                (custom ??= new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase))[Share(name)] = value is null ? null : Share(value);
            }
        }

        return custom ?? EmptyFields.Instance;
    }

    private string? ParseId(string field) =>
        Raw(field) is not { } text ? null
        : RecordValues.TryParseId(text, out var id) ? id
        : throw Invalid(field, text, "Salesforce Id");

    private string? Raw(string field) => row.TryGetValue(field, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private string Share(string value) => texts is null ? value : texts.Get(value);

    private string Record => row.TryGetValue("Id", out var id) && !string.IsNullOrEmpty(id) ? $"{objectName} {id}" : objectName;

    private SalesforceDataException Missing(string field) => new($"{Record}: field {field} is missing or empty.");

    private SalesforceDataException Invalid(string field, string value, string expected) =>
        new($"{Record}: field {field} has '{value}', which is not a {expected}.");
}
