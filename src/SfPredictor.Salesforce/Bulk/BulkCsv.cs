using System.Globalization;
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
    /// Rows as field name → value; an empty cell is null (Bulk query results write null as empty).
    /// <paramref name="source"/> names the response in errors.
    /// </summary>
    public static List<IReadOnlyDictionary<string, string?>> ReadRows(string csv, string source)
    {
        var rows = new List<IReadOnlyDictionary<string, string?>>();
        using var reader = new StringReader(csv);
        using var parser = new CsvParser(reader, Configuration);
        string[]? header = null;
        while (parser.Read())
        {
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

            rows.Add(row);
        }

        return rows;
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
