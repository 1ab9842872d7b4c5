using System.Globalization;
using System.Text;
using SfPredictor.Records;

namespace SfPredictor.Salesforce;

/// <summary>
/// SOQL literals and names. Every value that reaches a query goes through one of these, so no Id,
/// name or picklist value can change the query's meaning.
/// </summary>
public static class Soql
{
    private const int MaxNameLength = 80;

    /// <summary>A quoted string literal with SOQL's escapes (quotes, backslash, control characters).</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            _ = c switch
            {
                '\'' => builder.Append("\\'"),
                '"' => builder.Append("\\\""),
                '\\' => builder.Append(@"\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                '\b' => builder.Append("\\b"),
                '\f' => builder.Append("\\f"),
                _ when char.IsControl(c) => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>
    /// A quoted LIKE pattern matching <paramref name="value"/> literally, with <paramref name="prefix"/>
    /// and <paramref name="suffix"/> wildcards (<c>%</c> or empty) around it.
    /// </summary>
    public static string QuoteLike(string value, string prefix = "", string suffix = "")
    {
        ArgumentNullException.ThrowIfNull(value);
        if (prefix is not ("" or "%") || suffix is not ("" or "%"))
        {
            throw new ArgumentException("LIKE wildcards around a value may only be '%' or empty.");
        }

        // LIKE treats % and _ as wildcards unless escaped with a backslash; Quote leaves them alone.
        var literal = Quote(value).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
        return "'" + prefix + literal[1..^1] + suffix + "'";
    }

    /// <summary>A quoted 18-character Id; anything that is not a 15- or 18-character Id is refused.</summary>
    /// <exception cref="ArgumentException">The value is not a Salesforce Id.</exception>
    public static string Id(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return SalesforceId.TryNormalize(id, out var normalized)
            ? "'" + normalized + "'"
            : throw new ArgumentException($"'{Printable(id)}' is not a 15- or 18-character Salesforce Id.", nameof(id));
    }

    /// <summary>A date literal, <c>2024-05-01</c>.</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A UTC datetime literal, <c>2024-05-01T10:00:00Z</c> (SOQL literals have whole seconds; the fraction is dropped).</summary>
    public static string DateTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The literal for a value by its type: string (quoted), bool, integer and decimal numbers,
    /// <see cref="DateOnly"/>, <see cref="DateTimeOffset"/>, UTC <see cref="System.DateTime"/>, or null.
    /// </summary>
    /// <exception cref="ArgumentException">The type has no SOQL literal, or a DateTime is not UTC, or a number is not finite.</exception>
    public static string Literal(object? value) => value switch
    {
        null => "null",
        string s => Quote(s),
        bool b => b ? "true" : "false",
        int or long or short or byte or decimal => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
        DateOnly d => Date(d),
        DateTimeOffset d => DateTime(d),
        System.DateTime { Kind: DateTimeKind.Utc } d => DateTime(new DateTimeOffset(d)),
        System.DateTime => throw new ArgumentException("A DateTime in SOQL must be UTC (DateTimeKind.Utc); use DateTimeOffset."),
        _ => throw new ArgumentException($"No SOQL literal for a value of type {value.GetType().Name}."),
    };

    /// <summary>
    /// Checks an object or field API name (<c>Opportunity</c>, <c>SfP_Win_Probability__c</c>,
    /// <c>Account.Industry</c>) and returns it.
    /// </summary>
    /// <exception cref="ArgumentException">The name has characters or a shape no API name has.</exception>
    public static string Name(string name, bool allowRelationshipPath = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IsName(name, allowRelationshipPath)
            ? name
            : throw new ArgumentException(
                $"'{Printable(name)}' is not a Salesforce {(allowRelationshipPath ? "field" : "object or field")} API name.", nameof(name));
    }

    /// <summary>Whether a text is an API name (with <paramref name="allowRelationshipPath"/>, a dotted path of them).</summary>
    public static bool IsName(string? name, bool allowRelationshipPath = true)
    {
        if (name is null)
        {
            return false;
        }

        var parts = name.Split('.');
        return (parts.Length == 1 || (allowRelationshipPath && parts.Length <= 6)) && parts.All(IsIdentifier);
    }

    private static bool IsIdentifier(string part) =>
        part.Length is > 0 and <= MaxNameLength
        && char.IsAsciiLetter(part[0])
        && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !part.EndsWith('_');

    // Rejected input is echoed so the caller sees what was wrong, without letting it forge log lines.
    private static string Printable(string value)
    {
        var text = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length <= 100 ? text : text[..100] + "...";
    }
}
