using System.ComponentModel.DataAnnotations;

namespace SfPredictor.DataExport;

/// <summary>How a Data Export folder is read.</summary>
public sealed class DataExportReadOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "DataExport";

    /// <summary>
    /// When true, a row with a malformed value or the wrong number of fields is skipped, counted per
    /// file and its error kept (up to <see cref="MaxErrorsReported"/>); when false (the default) the
    /// first one stops the read with a <see cref="DataExportFormatException"/>.
    /// </summary>
    public bool SkipMalformedRows { get; set; }

    /// <summary>How many errors of skipped rows are kept for the report; the count covers all of them.</summary>
    [Range(0, 100_000)]
    public int MaxErrorsReported { get; set; } = 100;

    /// <summary>The most characters a field may hold; a longer one is an error naming file, line and field.</summary>
    [Range(1, int.MaxValue)]
    public int MaxFieldLength { get; set; } = ExportCsvLimits.DefaultMaxFieldLength;

    /// <summary>The most characters a row may hold (all fields together).</summary>
    [Range(1, int.MaxValue)]
    public int MaxRowLength { get; set; } = ExportCsvLimits.DefaultMaxRowLength;

    internal ExportCsvLimits Limits => new(MaxFieldLength, MaxRowLength);
}
