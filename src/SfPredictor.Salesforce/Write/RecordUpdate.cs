namespace SfPredictor.Salesforce;

/// <summary>
/// New values for some fields of one record. Values: string, bool, integer or decimal numbers,
/// double, <see cref="DateOnly"/>, <see cref="DateTimeOffset"/>, UTC <see cref="DateTime"/>, or null to clear.
/// </summary>
/// <param name="Id">The record's 15- or 18-character Id.</param>
/// <param name="Fields">Field API name → new value.</param>
public sealed record RecordUpdate(string Id, IReadOnlyDictionary<string, object?> Fields);

/// <summary>The outcome for one record of an update: every record sent gets one, success or not.</summary>
/// <param name="Id">The record's Id (18 characters when it was a valid Id).</param>
/// <param name="Success">Whether Salesforce saved it.</param>
/// <param name="ErrorCode">Salesforce's status code (FIELD_CUSTOM_VALIDATION_EXCEPTION, ...) or the client's (MALFORMED_ID, MISSING_RESULT, ...).</param>
/// <param name="Message">What went wrong.</param>
/// <param name="Fields">Fields the error names.</param>
public sealed record RecordSaveResult(string Id, bool Success, string? ErrorCode, string? Message, IReadOnlyList<string> Fields)
{
    /// <summary>A saved record.</summary>
    public static RecordSaveResult Succeeded(string id) => new(id, true, null, null, []);

    /// <summary>A record that was not saved.</summary>
    public static RecordSaveResult Failed(string id, string errorCode, string message, IReadOnlyList<string> fields) =>
        new(id, false, errorCode, message, fields);
}
