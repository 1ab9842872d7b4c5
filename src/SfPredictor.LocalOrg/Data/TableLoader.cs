using SfPredictor.DataExport;

namespace SfPredictor.LocalOrg.Data;

/// <summary>Reads one object's export CSV, or its parts, into an <see cref="OrgTable"/> (see <see cref="ColumnCells"/> for how values are kept).</summary>
internal static class TableLoader
{
    /// <summary>Reads the parts of one object in order; every part must have the first part's columns (in any order).</summary>
    /// <exception cref="DataExportFormatException">A file is malformed, or a part's columns differ from the first part's.</exception>
    public static OrgTable Load(IReadOnlyList<string> paths, string objectName, CancellationToken cancellationToken)
    {
        var store = new TextStore();
        string[]? header = null;
        ColumnCells[] cells = [];
        var parts = new List<TablePart>(paths.Count);
        foreach (var path in paths)
        {
            using var reader = ExportCsvReader.Open(path);
            if (header is null)
            {
                header = [.. reader.Header];
                cells = [.. header.Select(_ => new ColumnCells(store))];
            }

            var sources = SourceColumns(header, reader.Header, path, paths[0]);
            var rows = 0;
            while (reader.Read())
            {
                for (var i = 0; i < cells.Length; i++)
                {
                    cells[i].Append(reader.GetSpan(sources[i]));
                }

                if (++rows % 65_536 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            parts.Add(new TablePart(path, rows));
        }

        foreach (var column in cells)
        {
            column.Complete();
        }

        var columns = header!.Select((name, i) => new OrgColumn(name, cells[i])).ToList();
        return new OrgTable(objectName, parts, columns, store);
    }

    // Where each of the table's columns sits in this part's header.
    private static int[] SourceColumns(string[] table, IReadOnlyList<string> part, string path, string firstPath)
    {
        var sources = new int[table.Length];
        for (var i = 0; i < table.Length; i++)
        {
            sources[i] = IndexOf(part, table[i]);
        }

        if (part.Count != table.Length || sources.Contains(-1))
        {
            var missing = table.Where(c => IndexOf(part, c) < 0);
            var extra = part.Where(c => IndexOf(table, c) < 0);
            throw new DataExportFormatException(
                path,
                1,
                null,
                null,
                $"The columns differ from those of {firstPath}, another part of the same object (missing: {string.Join(", ", missing)}; extra: {string.Join(", ", extra)}).");
        }

        return sources;
    }

    private static int IndexOf(IReadOnlyList<string> header, string column)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
