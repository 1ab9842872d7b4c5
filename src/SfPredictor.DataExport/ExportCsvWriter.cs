using System.Text;

namespace SfPredictor.DataExport;

/// <summary>
/// Writes CSV the way Salesforce's Data Export does: a header of field API names, every field quoted
/// (quotes doubled), null and empty both written as <c>""</c>, UTF-8 without a BOM, rows ended by LF.
/// </summary>
public static class ExportCsvWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes a file, replacing any existing one. Rows are consumed as they are enumerated.</summary>
    /// <exception cref="ArgumentException">A row's field count differs from the header's.</exception>
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
        Write(stream, header, rows);
    }

    /// <summary>Writes to a stream, which is left open. Rows are consumed as they are enumerated.</summary>
    /// <exception cref="ArgumentException">A row's field count differs from the header's.</exception>
    public static void Write(Stream stream, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new StreamWriter(stream, Utf8NoBom, 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        WriteRow(writer, header);
        var line = 1;
        foreach (var row in rows)
        {
            line++;
            if (row.Count != header.Count)
            {
                throw new ArgumentException(
                    $"Row {line - 1} has {row.Count} fields but the header has {header.Count}.", nameof(rows));
            }

            WriteRow(writer, row);
        }
    }

    private static void WriteRow(StreamWriter writer, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            writer.Write('"');
            var value = fields[i].AsSpan();
            int quote;
            while ((quote = value.IndexOf('"')) >= 0)
            {
                writer.Write(value[..(quote + 1)]);
                writer.Write('"');
                value = value[(quote + 1)..];
            }

            writer.Write(value);
            writer.Write('"');
        }

        writer.Write('\n');
    }
}
