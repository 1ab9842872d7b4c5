using System.Globalization;
using SfPredictor.DataExport;
using SfPredictor.Records;

namespace SfPredictor.SyntheticOrg.Truth;

/// <summary>
/// The truth of a generated org, kept beside its Data Export files in <c>_truth/</c> (a folder no
/// Data Export reader looks at): <c>OpportunityTruth.csv</c> with one row per Opportunity open at
/// the as-of date (OpportunityId, WinProbability, then one uplift column per activity kind) and
/// <c>Generation.csv</c> with the as-of date itself.
/// </summary>
public sealed class OrgTruth
{
    /// <summary>The truth folder inside an export folder.</summary>
    public const string FolderName = "_truth";

    /// <summary>Per open Opportunity: win probability and uplift per kind.</summary>
    public const string OpportunityFileName = "OpportunityTruth.csv";

    /// <summary>The as-of date the truth holds at.</summary>
    public const string GenerationFileName = "Generation.csv";

    private const string IdColumn = "OpportunityId";
    private const string ProbabilityColumn = "WinProbability";
    private const string AsOfColumn = "AsOf";

    private readonly Dictionary<string, OpportunityTruth> _byId;

    /// <summary>Creates the truth of an org.</summary>
    /// <param name="asOf">The moment the truth holds at (the org's as-of date).</param>
    /// <param name="kinds">Activity kind names, in column order.</param>
    /// <param name="opportunities">One entry per open Opportunity, with the same kinds.</param>
    /// <exception cref="ArgumentException">An entry has other kinds, or an Opportunity appears twice.</exception>
    public OrgTruth(DateTimeOffset asOf, IReadOnlyList<string> kinds, IReadOnlyList<OpportunityTruth> opportunities)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        ArgumentNullException.ThrowIfNull(opportunities);
        AsOf = asOf;
        Kinds = kinds;
        Opportunities = opportunities;
        _byId = new Dictionary<string, OpportunityTruth>(opportunities.Count, SalesforceId.Comparer);
        foreach (var truth in opportunities)
        {
            if (!truth.Kinds.SequenceEqual(kinds, StringComparer.Ordinal))
            {
                throw new ArgumentException($"The truth of {truth.OpportunityId} has kinds {string.Join(", ", truth.Kinds)}, not {string.Join(", ", kinds)}.", nameof(opportunities));
            }

            if (!_byId.TryAdd(truth.OpportunityId, truth))
            {
                throw new ArgumentException($"Opportunity {truth.OpportunityId} appears twice.", nameof(opportunities));
            }
        }
    }

    /// <summary>The moment the truth holds at.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Activity kind names, in column order.</summary>
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>One entry per Opportunity open at <see cref="AsOf"/>.</summary>
    public IReadOnlyList<OpportunityTruth> Opportunities { get; }

    /// <summary>The truth of an Opportunity (15- or 18-character Id), if it was open at <see cref="AsOf"/>.</summary>
    public bool TryGet(string opportunityId, out OpportunityTruth truth)
    {
        ArgumentNullException.ThrowIfNull(opportunityId);
        truth = null!;
        return SalesforceId.TryNormalize(opportunityId, out var id) && _byId.TryGetValue(id, out truth!);
    }

    /// <summary>Reads the truth of the export in <paramref name="exportFolder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder has no truth (it was not generated).</exception>
    /// <exception cref="DataExportFormatException">A truth file is malformed; the message names file, line and column.</exception>
    public static OrgTruth Read(string exportFolder)
    {
        ArgumentNullException.ThrowIfNull(exportFolder);
        var folder = Path.Combine(exportFolder, FolderName);
        var asOf = ReadAsOf(Existing(Path.Combine(folder, GenerationFileName)));

        var path = Existing(Path.Combine(folder, OpportunityFileName));
        using var csv = ExportCsvReader.Open(path);
        if (csv.ColumnIndex(IdColumn) != 0 || csv.ColumnIndex(ProbabilityColumn) != 1 || csv.Header.Count < 3)
        {
            throw new DataExportFormatException(path, 1, null, null, $"Expected the columns {IdColumn}, {ProbabilityColumn}, then one per activity kind.");
        }

        var kinds = csv.Header.Skip(2).ToArray();
        var opportunities = new List<OpportunityTruth>();
        while (csv.Read())
        {
            if (!SalesforceId.TryNormalize(csv.GetSpan(0), out var id))
            {
                throw new DataExportFormatException(path, csv.LineNumber, IdColumn, csv[0], "Not a Salesforce Id.");
            }

            var probability = Number(csv, path, 1, 0, 1);
            var uplifts = new double[kinds.Length];
            for (var k = 0; k < kinds.Length; k++)
            {
                uplifts[k] = Number(csv, path, k + 2, -1, 1);
            }

            opportunities.Add(new OpportunityTruth(id, probability, kinds, uplifts));
        }

        try
        {
            return new OrgTruth(asOf, kinds, opportunities);
        }
        catch (ArgumentException e)
        {
            throw new DataExportFormatException(path, 0, IdColumn, null, e.Message, e);
        }
    }

    /// <summary>Writes the truth into <c>_truth/</c> of <paramref name="exportFolder"/> (created if needed).</summary>
    public void Write(string exportFolder)
    {
        ArgumentNullException.ThrowIfNull(exportFolder);
        var folder = Directory.CreateDirectory(Path.Combine(exportFolder, FolderName)).FullName;
        ExportCsvWriter.Write(Path.Combine(folder, GenerationFileName), [AsOfColumn], [[RecordValues.FormatDateTime(AsOf)]]);
        ExportCsvWriter.Write(
            Path.Combine(folder, OpportunityFileName),
            [IdColumn, ProbabilityColumn, .. Kinds],
            Opportunities.Select(t => (IReadOnlyList<string?>)[t.OpportunityId, Format(t.WinProbability), .. t.Uplifts.Select(Format)]));
    }

    // Round-trip formatting: reading the file back gives the very same doubles.
    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Number(ExportCsvReader csv, string path, int column, double min, double max)
    {
        if (!double.TryParse(csv.GetSpan(column), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= min && value <= max))
        {
            throw new DataExportFormatException(path, csv.LineNumber, csv.Header[column], csv[column], $"Expected a number from {min} to {max}.");
        }

        return value;
    }

    private static DateTimeOffset ReadAsOf(string path)
    {
        using var csv = ExportCsvReader.Open(path);
        var column = csv.ColumnIndex(AsOfColumn);
        if (column < 0 || !csv.Read())
        {
            throw new DataExportFormatException(path, 1, AsOfColumn, null, "Expected a header with AsOf and one row.");
        }

        return RecordValues.TryParseDateTime(csv.GetSpan(column), out var asOf)
            ? asOf
            : throw new DataExportFormatException(path, csv.LineNumber, AsOfColumn, csv[column], "Not a datetime.");
    }

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"No truth file {path}: only generated orgs have one.", path);
}
