using SfPredictor.DataExport;

namespace SfPredictor.LocalOrg.Data;

/// <summary>Reads one object's export CSV, or its parts, into an <see cref="OrgTable"/> (see <see cref="ColumnCells"/> for how values are kept).</summary>
internal static class TableLoader
{
    /// <summary>Reads the parts of one object in order; every part must have the first part's columns (in any order).</summary>
    /// <exception cref="DataExportFormatException">A file is malformed, a part's columns differ from the first part's, or two rows share an Id.</exception>
    public static OrgTable Load(IReadOnlyList<string> paths, string objectName, ExportCsvLimits limits, CancellationToken cancellationToken)
    {
        var store = new TextStore();
        var capacity = paths.Sum(EstimateRows);
        string[]? header = null;
        ColumnCells[] cells = [];
        var parts = new List<TablePart>(paths.Count);
        foreach (var path in paths)
        {
            using var reader = ExportCsvReader.Open(path, limits);
            if (header is null)
            {
                header = [.. reader.Header];
                cells = [.. header.Select(_ => new ColumnCells(store, capacity))];
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

        var idColumn = Array.FindIndex(header!, h => h.Equals("Id", StringComparison.OrdinalIgnoreCase));
        if (idColumn >= 0)
        {
            CheckUniqueIds(cells[idColumn], parts, limits);
        }

        var columns = header!.Select((name, i) => new OrgColumn(name, cells[i])).ToList();
        return new OrgTable(objectName, parts, columns, store);
    }

    /// <summary>
    /// Two rows with one Id would make a lookup by Id find either; Salesforce never has them. Rows are
    /// compared by a hash of their Id's case-sensitive 15-character form, sorted (a few bytes per row
    /// rather than a dictionary of strings), and equal hashes by their text.
    /// </summary>
    private static void CheckUniqueIds(ColumnCells ids, IReadOnlyList<TablePart> parts, ExportCsvLimits limits)
    {
        var hashes = new long[ids.Count];
        var rows = new int[ids.Count];
        for (var row = 0; row < hashes.Length; row++)
        {
            hashes[row] = Hash(Key(ids.GetSpan(row)));
            rows[row] = row;
        }

        Array.Sort(hashes, rows);
        for (var i = 1; i < hashes.Length; i++)
        {
            if (hashes[i] != hashes[i - 1])
            {
                continue;
            }

            // The run of equal hashes may hold different Ids (a collision): compare each pair of it.
            var end = i;
            while (end + 1 < hashes.Length && hashes[end + 1] == hashes[i])
            {
                end++;
            }

            for (var a = i - 1; a < end; a++)
            {
                for (var b = a + 1; b <= end; b++)
                {
                    var first = ids.GetSpan(rows[a]);
                    if (!first.IsEmpty && Key(first).SequenceEqual(Key(ids.GetSpan(rows[b]))))
                    {
                        throw Duplicate(Math.Min(rows[a], rows[b]), Math.Max(rows[a], rows[b]), first.ToString(), parts, limits);
                    }
                }
            }

            i = end;
        }
    }

    /// <summary>
    /// The rows a file holds, estimated from the lines of its first 256 KB and a little over, so that
    /// columns are sized once instead of doubling their way there (each doubling copies the column and
    /// briefly holds both, which is what set the peak working set of a large org).
    /// </summary>
    private static int EstimateRows(string path)
    {
        const int SampleBytes = 256 * 1024;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var sample = new byte[(int)Math.Min(stream.Length, SampleBytes)];
        stream.ReadExactly(sample);
        var lines = sample.AsSpan().Count((byte)'\n');
        if (lines < 2 || sample.Length == stream.Length)
        {
            return lines + 1;
        }

        return (int)Math.Min(int.MaxValue / 2, stream.Length * lines / sample.Length * 105 / 100);
    }

    private static ReadOnlySpan<char> Key(ReadOnlySpan<char> id) => id.Length == 18 ? id[..15] : id;

    private static long Hash(ReadOnlySpan<char> text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (long)hash;
    }

    // Lines are only needed for the message, so they are found by reading the rows again rather than kept for every row.
    private static DataExportFormatException Duplicate(int firstRow, int secondRow, string id, IReadOnlyList<TablePart> parts, ExportCsvLimits limits)
    {
        var (firstPath, firstLine) = LineOf(firstRow, parts, limits);
        var (secondPath, secondLine) = LineOf(secondRow, parts, limits);
        var where = firstPath == secondPath ? $"line {firstLine}" : $"line {firstLine} of {firstPath}";
        return new DataExportFormatException(secondPath, secondLine, "Id", id, $"The same Id is on {where} already; each record needs its own Id.");
    }

    private static (string Path, long Line) LineOf(int row, IReadOnlyList<TablePart> parts, ExportCsvLimits limits)
    {
        foreach (var part in parts)
        {
            if (row >= part.Rows)
            {
                row -= part.Rows;
                continue;
            }

            using var reader = ExportCsvReader.Open(part.Path, limits);
            for (var i = 0; i <= row; i++)
            {
                reader.Read();
            }

            return (part.Path, reader.LineNumber);
        }

        throw new ArgumentOutOfRangeException(nameof(row));
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
