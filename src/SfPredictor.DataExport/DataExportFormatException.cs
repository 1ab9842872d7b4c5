namespace SfPredictor.DataExport;

/// <summary>
/// A Data Export file that cannot be read as written: a malformed value, a ragged row, a missing
/// required column. The message names the file, the line, the field and the offending value.
/// </summary>
public sealed class DataExportFormatException : Exception
{
    // Values can be whole free-text descriptions; the message keeps only enough to find them.
    private const int MaxValueLengthInMessage = 100;

    /// <summary>Creates the exception for a problem at one place of one file.</summary>
    /// <param name="filePath">The file (path or display name).</param>
    /// <param name="line">1-based line where the row starts; 0 when the problem is not tied to a line.</param>
    /// <param name="field">The field (column) API name, or null when the whole row or file is at fault.</param>
    /// <param name="value">The offending raw value, or null.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public DataExportFormatException(
        string filePath, long line, string? field, string? value, string problem, Exception? innerException = null)
        : base(BuildMessage(filePath, line, field, value, problem), innerException)
    {
        FilePath = filePath;
        Line = line;
        Field = field;
        Value = value;
        Problem = problem;
    }

    /// <summary>The file (path or display name).</summary>
    public string FilePath { get; }

    /// <summary>1-based line where the offending row starts; 0 when not tied to a line.</summary>
    public long Line { get; }

    /// <summary>The field (column) API name; null when the whole row or file is at fault.</summary>
    public string? Field { get; }

    /// <summary>The offending raw value, if any.</summary>
    public string? Value { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string BuildMessage(string filePath, long line, string? field, string? value, string problem)
    {
        var location = line > 0 ? $"{filePath}, line {line}" : filePath;
        if (field is not null)
        {
            location += $", field {field}";
        }

        if (value is null)
        {
            return $"{location}: {problem}";
        }

        var shown = value.Length > MaxValueLengthInMessage ? value[..MaxValueLengthInMessage] + "…" : value;
        return $"{location}: {problem} (value '{shown}')";
    }
}
