using System.Globalization;

namespace SfPredictor.LocalOrg.Soql;

/// <summary>
/// A query Salesforce would refuse, with the error code and message Salesforce answers
/// (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, INVALID_QUERY_FILTER_OPERATOR, ...).
/// </summary>
internal sealed class SoqlException : Exception
{
    public SoqlException(string errorCode, string detail, int position)
        : base(detail)
    {
        ErrorCode = errorCode;
        Position = position;
    }

    public string ErrorCode { get; }

    /// <summary>Character offset of the offending token in the query text.</summary>
    public int Position { get; }

    /// <summary>
    /// The message as Salesforce writes it: the query line, a caret under the offending token, its row
    /// and column, then the problem.
    /// </summary>
    public string FormatFor(string query)
    {
        var position = Math.Clamp(Position, 0, query.Length);
        var lineStart = position == 0 ? 0 : query.LastIndexOf('\n', position - 1) + 1;

        var lineEnd = query.IndexOf('\n', lineStart);
        var line = lineEnd < 0 ? query[lineStart..] : query[lineStart..lineEnd];
        var row = query.AsSpan(0, lineStart).Count('\n') + 1;
        var column = position - lineStart + 1;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"\n{line}\n{new string(' ', column - 1)}^\nERROR at Row:{row}:Column:{column}\n{Message}");
    }
}

/// <summary>The Salesforce error codes a query can fail with.</summary>
internal static class SoqlErrorCodes
{
    public const string MalformedQuery = "MALFORMED_QUERY";
    public const string InvalidField = "INVALID_FIELD";
    public const string InvalidType = "INVALID_TYPE";
    public const string InvalidFilterOperator = "INVALID_QUERY_FILTER_OPERATOR";
    public const string NumberOutsideValidRange = "NUMBER_OUTSIDE_VALID_RANGE";
}
