using SfPredictor.DataExport;

namespace SfPredictor.LocalOrg.Tests.Infrastructure;

/// <summary>A Data Export folder under the temp directory, written and re-read with the Data Export writer and reader; deleted on dispose.</summary>
internal sealed class ExportFolder : IDisposable
{
    public ExportFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sfp-localorg-" + Guid.NewGuid().ToString("N"));

    public string FileOf(string objectName) => System.IO.Path.Combine(Path, objectName + ".csv");

    public void Write(string objectName, string[] header, IEnumerable<string?[]> rows) =>
        ExportCsvWriter.Write(FileOf(objectName), header, rows.Select(r => (IReadOnlyList<string?>)r));

    /// <summary>Re-reads a file as the Data Export reader sees it: rows as field → raw text.</summary>
    public List<Dictionary<string, string>> Read(string objectName)
    {
        using var reader = ExportCsvReader.Open(FileOf(objectName));
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(reader.Header.Select((name, i) => (name, value: reader[i])).ToDictionary(f => f.name, f => f.value, StringComparer.OrdinalIgnoreCase));
        }

        return rows;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
