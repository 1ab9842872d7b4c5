using SfPredictor.Records;

namespace SfPredictor.DataExport;

/// <summary>What reading one file (or one part of a file) of a Data Export found.</summary>
/// <param name="FileName">The canonical file name (e.g. <c>Task.csv</c>); for one part of a multi-archive export, its path relative to the folder (e.g. <c>WE_2/Task.csv</c>).</param>
/// <param name="Present">Whether the folder has the file; a missing optional file reads as empty.</param>
/// <param name="RowsRead">Rows turned into records.</param>
/// <param name="RowsSkipped">Malformed rows skipped (only with <see cref="DataExportReadOptions.SkipMalformedRows"/>).</param>
/// <param name="DeletedRowsSkipped">Rows with <c>IsDeleted</c> = 1 (exports that include the recycle bin), left out.</param>
public sealed record DataExportFileReport(
    string FileName, bool Present, long RowsRead, long RowsSkipped, long DeletedRowsSkipped);

/// <summary>The records of a Data Export folder and what was left out reading it.</summary>
public sealed class DataExportReadResult
{
    /// <summary>The records.</summary>
    public required OrgData Data { get; init; }

    /// <summary>One report per file, in reading order.</summary>
    public required IReadOnlyList<DataExportFileReport> Files { get; init; }

    /// <summary>Errors of skipped rows, the first <see cref="DataExportReadOptions.MaxErrorsReported"/> of them.</summary>
    public required IReadOnlyList<DataExportFormatException> Errors { get; init; }

    /// <summary>Malformed rows skipped, over all files.</summary>
    public long RowsSkipped => Files.Sum(f => f.RowsSkipped);
}
