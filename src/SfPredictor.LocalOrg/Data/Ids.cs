using SfPredictor.Records;

namespace SfPredictor.LocalOrg.Data;

/// <summary>Id helpers that avoid a new string for Ids already in the 18-character form.</summary>
internal static class Ids
{
    /// <summary>The 18-character form of an Id, or null when the text is not an Id.</summary>
    public static string? Normalize(string? text) =>
        text is not null && SalesforceId.TryNormalize(text, out var normalized) ? (text.Length == 18 ? text : normalized) : null;

    /// <summary>The object-identifying first three characters of a text that is an Id.</summary>
    public static string? KeyPrefix(string? text) => text is { Length: 15 or 18 } ? text[..3] : null;
}
