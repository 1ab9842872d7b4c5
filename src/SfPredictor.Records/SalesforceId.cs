namespace SfPredictor.Records;

/// <summary>
/// Salesforce record Ids. Records carry the 18-character form: the 15-character form is case-sensitive,
/// the 18-character form adds a checksum of the letter case, so two Ids are compared case-insensitively
/// only after both are in the 18-character form.
/// </summary>
public static class SalesforceId
{
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    /// <summary>Compares Ids that are already in the 18-character form.</summary>
    public static StringComparer Comparer { get; } = StringComparer.OrdinalIgnoreCase;

    /// <summary>Returns the 18-character form of a 15- or 18-character Id, or <c>false</c> when it is not an Id.</summary>
    public static bool TryNormalize(ReadOnlySpan<char> value, out string id)
    {
        id = string.Empty;
        if (value.Length is not (15 or 18))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        Span<char> full = stackalloc char[18];
        value[..15].CopyTo(full);
        for (var block = 0; block < 3; block++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (char.IsAsciiLetterUpper(value[(block * 5) + i]))
                {
                    bits |= 1 << i;
                }
            }

            full[15 + block] = SuffixAlphabet[bits];
        }

        // An 18-character Id whose suffix disagrees with its first 15 characters was mangled (e.g. re-cased).
        if (value.Length == 18 && !full[15..].Equals(value[15..], StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        id = new string(full);
        return true;
    }

    /// <summary>Returns the 18-character form of an Id.</summary>
    /// <exception cref="FormatException">The value is not a 15- or 18-character Salesforce Id.</exception>
    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryNormalize(value, out var id)
            ? id
            : throw new FormatException($"'{value}' is not a 15- or 18-character Salesforce Id.");
    }

    /// <summary>Whether the value is a well-formed 15- or 18-character Id.</summary>
    public static bool IsValid(string? value) => value is not null && TryNormalize(value, out _);
}
