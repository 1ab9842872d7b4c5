using System.Collections.Concurrent;
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

        // Two stages, one thread each: this one parses the CSV, the other stores the values, in
        // batches of rows. On a large file (the Tasks of an org) that halves the longest path of the load.
        using var batches = new BlockingCollection<RowBatch>(boundedCapacity: 4);
        using var free = new BlockingCollection<RowBatch>();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? storing = null;
        try
        {
            foreach (var path in paths)
            {
                using var reader = ExportCsvReader.Open(path, limits);
                if (header is null)
                {
                    header = [.. reader.Header];
                    cells = [.. header.Select(_ => new ColumnCells(store, capacity))];
                    storing = Task.Factory.StartNew(() => Store(batches, free, cells, failed), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                    for (var i = 0; i < 4; i++)
                    {
                        free.Add(new RowBatch(cells.Length));
                    }
                }

                var sources = SourceColumns(header, reader.Header, path, paths[0]);
                var rows = 0;
                var batch = free.Take(failed.Token);
                while (reader.Read())
                {
                    batch.Add(reader, sources);
                    if (batch.IsFull)
                    {
                        batches.Add(batch, failed.Token);
                        batch = free.Take(failed.Token);
                    }

                    if (++rows % 65_536 == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }

                batches.Add(batch, failed.Token);
                parts.Add(new TablePart(path, rows));
            }
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The storing stage failed; its exception is the one to report (below).
        }
        catch
        {
            // Parsing failed: the storing stage is let finish before the batches it reads are disposed.
            batches.CompleteAdding();
            ((IAsyncResult?)storing)?.AsyncWaitHandle.WaitOne();
            throw;
        }

        batches.CompleteAdding();

        // Rethrows what storing failed with (a value longer than any field holds).
        storing?.GetAwaiter().GetResult();

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

    private static void Store(BlockingCollection<RowBatch> batches, BlockingCollection<RowBatch> free, ColumnCells[] cells, CancellationTokenSource failed)
    {
        try
        {
            foreach (var batch in batches.GetConsumingEnumerable())
            {
                batch.AppendTo(cells);
                free.Add(batch);
            }
        }
        catch
        {
            // Unblocks the parsing stage, which may be waiting for room or for a free batch.
            failed.Cancel();
            throw;
        }
    }

    /// <summary>Rows of texts in one char buffer, passed from the parsing stage to the storing one.</summary>
    private sealed class RowBatch(int columns)
    {
        private const int Rows = 2048;
        private readonly int[] _ends = new int[Rows * columns];
        private char[] _chars = new char[Rows * 256];
        private int _length;
        private int _count;

        public bool IsFull => _count == Rows;

        public void Add(ExportCsvReader reader, int[] sources)
        {
            var at = _count * columns;
            for (var i = 0; i < sources.Length; i++)
            {
                var text = reader.GetSpan(sources[i]);
                if (_length + text.Length > _chars.Length)
                {
                    Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + text.Length));
                }

                text.CopyTo(_chars.AsSpan(_length));
                _length += text.Length;
                _ends[at + i] = _length;
            }

            _count++;
        }

        public void AppendTo(ColumnCells[] cells)
        {
            var start = 0;
            for (var row = 0; row < _count; row++)
            {
                for (var i = 0; i < cells.Length; i++)
                {
                    var end = _ends[(row * columns) + i];
                    cells[i].Append(_chars.AsSpan(start, end - start));
                    start = end;
                }
            }

            _count = 0;
            _length = 0;
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
