using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace SfPredictor.Salesforce.Bulk;

/// <summary>The CSV that Bulk API 2.0 reads and writes: comma-delimited, LF line endings, header of field names.</summary>
internal static class BulkCsv
{
    private static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        NewLine = "\n",
        ShouldQuote = _ => true,
        BadDataFound = null,
    };

    /// <summary>
    /// Rows as field name → value, read from <paramref name="csv"/> one record at a time, so a result page is never
    /// held whole; an empty cell is null (Bulk query results write null as empty). <paramref name="source"/> names
    /// the response in errors.
    /// </summary>
    public static async IAsyncEnumerable<IReadOnlyDictionary<string, string?>> ReadRowsAsync(
        Stream csv, string source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        using var parser = new CsvParser(reader, Configuration);
        string[]? header = null;
        while (await parser.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cells = parser.Record ?? [];
            if (header is null)
            {
                header = cells;
                continue;
            }

            if (cells.Length != header.Length)
            {
                throw new SalesforceApiException(
                    "MALFORMED_RESPONSE", statusCode: null,
                    $"{source}: CSV row {parser.Row} has {cells.Length} cells but the header has {header.Length}.", []);
            }

            var row = new Dictionary<string, string?>(header.Length, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length; i++)
            {
                row[header[i]] = cells[i].Length == 0 ? null : cells[i];
            }

            yield return row;
        }
    }

    public static string Write(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        using (var writer = new StringWriter(text, CultureInfo.InvariantCulture))
        using (var csv = new CsvWriter(writer, Configuration))
        {
            foreach (var column in columns)
            {
                csv.WriteField(column);
            }

            csv.NextRecord();
            foreach (var row in rows)
            {
                foreach (var cell in row)
                {
                    csv.WriteField(cell);
                }

                csv.NextRecord();
            }
        }

        return text.ToString();
    }
}
