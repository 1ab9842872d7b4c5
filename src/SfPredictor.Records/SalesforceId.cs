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

    /// <summary>
    /// Returns the canonical 18-character form of a 15- or 18-character Id (an 18-character Id in another
    /// letter case gets its case back from the suffix), or <c>false</c> when it is not an Id.
    /// </summary>
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
        value.CopyTo(full);
        for (var block = 0; block < 3; block++)
        {
            var chunk = full.Slice(block * 5, 5);
            if (value.Length == 15)
            {
                full[15 + block] = SuffixAlphabet[CaseBits(chunk)];
                continue;
            }

            // The suffix records which of the five characters are upper case, so an 18-character Id that a
            // spreadsheet re-cased can be restored; a suffix that marks a digit as upper case is no Id.
            var bits = SuffixAlphabet.IndexOf(char.ToUpperInvariant(value[15 + block]));
            if (bits < 0)
            {
                return false;
            }

            for (var i = 0; i < 5; i++)
            {
                var upper = (bits & (1 << i)) != 0;
                if (upper && !char.IsAsciiLetter(chunk[i]))
                {
                    return false;
                }

                chunk[i] = upper ? char.ToUpperInvariant(chunk[i]) : char.ToLowerInvariant(chunk[i]);
            }

            full[15 + block] = SuffixAlphabet[bits];
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

    private static int CaseBits(ReadOnlySpan<char> chunk)
    {
        var bits = 0;
        for (var i = 0; i < chunk.Length; i++)
        {
            if (char.IsAsciiLetterUpper(chunk[i]))
            {
                bits |= 1 << i;
            }
        }

        return bits;
    }

    /// <summary>Whether the value is a well-formed 15- or 18-character Id.</summary>
    public static bool IsValid(string? value) => value is not null && TryNormalize(value, out _);
}
