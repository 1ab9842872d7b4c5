using System.Diagnostics;
using SfPredictor.DataExport;

namespace SfPredictor.LocalOrg.Data;

/// <summary>
/// Every table of a loaded export and the lock that guards them: queries read under the read lock,
/// updates write under the write lock, and neither ever awaits while holding it.
/// </summary>
internal sealed class OrgStore : IDisposable
{
    private const string TempSuffix = ".sfp-tmp";

    private readonly Dictionary<string, OrgTable> _tables;
    private readonly Dictionary<string, OrgTable> _tablesByPrefix;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);

    private OrgStore(IEnumerable<OrgTable> tables, TimeSpan loadTime)
    {
        _tables = tables.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        _tablesByPrefix = new Dictionary<string, OrgTable>(StringComparer.Ordinal);
        foreach (var table in _tables.Values.Where(t => t.KeyPrefix is not null))
        {
            _tablesByPrefix.TryAdd(table.KeyPrefix!, table);
        }

        LoadTime = loadTime;
    }

    public IReadOnlyCollection<OrgTable> Tables => _tables.Values;

    public TimeSpan LoadTime { get; }

    /// <summary>
    /// Loads every <c>Object.csv</c> of a folder, with the parts of a multi-archive export in its
    /// subfolders (see <see cref="DataExportFiles.PartFolders"/>), largest first and in parallel.
    /// </summary>
    /// <exception cref="DataExportFormatException">A file is malformed.</exception>
    /// <exception cref="InvalidOperationException">A custom field names an object the folder lacks.</exception>
    public static async Task<OrgStore> LoadAsync(string directory, IReadOnlyList<CustomFieldSpec> customFields, ExportCsvLimits limits, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var objects = DataExportFiles.PartFolders(directory)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.csv").Order(StringComparer.Ordinal))
            .GroupBy(path => Path.GetFileNameWithoutExtension(path), StringComparer.OrdinalIgnoreCase)
            .Where(g => ApiNames.IsValid(g.Key))
            .Select(g => (Name: g.Key, Paths: g.ToList()))
            .OrderByDescending(o => o.Paths.Sum(p => new FileInfo(p).Length))
            .ToList();
        var tables = new OrgTable[objects.Count];
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        await Parallel.ForEachAsync(Enumerable.Range(0, objects.Count), parallel, (i, token) =>
        {
            tables[i] = TableLoader.Load(objects[i].Paths, objects[i].Name, limits, token);
            return ValueTask.CompletedTask;
        });
        var withCustom = AddCustomFields(tables, customFields).Select(WithSystemModstamp).ToList();
        var corporate = CorporateCurrency(withCustom);
        return new OrgStore(withCustom.Select(t => WithCurrencyIsoCode(t, corporate)), Stopwatch.GetElapsedTime(started));
    }

    public OrgTable? FindTable(string name) => _tables.GetValueOrDefault(name);

    /// <summary>The table an Id belongs to, by its key prefix.</summary>
    public OrgTable? FindTableOf(string? id) => Ids.KeyPrefix(id) is { } prefix ? FindTableByPrefix(prefix) : null;

    public OrgTable? FindTableByPrefix(string prefix) => _tablesByPrefix.GetValueOrDefault(prefix);

    public T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public T Write<T>(Func<T> write)
    {
        _lock.EnterWriteLock();
        try
        {
            return write();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Writes every table changed since the last flush back to its files (each part keeps its rows): a
    /// temporary file first, then a rename, so a reader never sees half a file.
    /// </summary>
    /// <param name="written">Runs once every changed table is written, before any write can commit again (empties the write log).</param>
    /// <returns>The names of the tables written.</returns>
    public IReadOnlyList<string> FlushChangedTables(Action? written = null) => Read(() =>
    {
        var names = FlushLocked();
        written?.Invoke();
        return names;
    });

    private List<string> FlushLocked()
    {
        var written = new List<string>();
        foreach (var table in _tables.Values.Where(t => t.IsDirty))
        {
            // Cleared first: updates wait for the read lock held here, so none can be lost in between.
            table.IsDirty = false;
            var first = 0;
            foreach (var part in table.Parts)
            {
                var temp = part.Path + TempSuffix;
                try
                {
                    using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
                    {
                        ExportCsvWriter.Write(file, table.Columns.Select(c => c.Name).ToList(), Rows(table, first, part.Rows));

                        // On disk before the rename, so the write log is emptied only after the data it held is durable.
                        file.Flush(flushToDisk: true);
                    }

                    File.Move(temp, part.Path, overwrite: true);
                }
                catch
                {
                    table.IsDirty = true;
                    File.Delete(temp);
                    throw;
                }

                first += part.Rows;
            }

            written.Add(table.Name);
        }

        return written;
    }

    public void Dispose() => _lock.Dispose();

    private static IEnumerable<IReadOnlyList<string?>> Rows(OrgTable table, int first, int count)
    {
        var row = new string?[table.Columns.Count];
        for (var r = first; r < first + count; r++)
        {
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = table.Columns[c][r];
            }

            yield return row;
        }
    }

    private static List<OrgTable> AddCustomFields(IReadOnlyList<OrgTable> tables, IReadOnlyList<CustomFieldSpec> customFields)
    {
        var missing = customFields.FirstOrDefault(f => !tables.Any(t => t.Name.Equals(f.ObjectName, StringComparison.OrdinalIgnoreCase)));
        if (missing is not null)
        {
            throw new InvalidOperationException(
                $"{LocalOrgOptions.SectionName}:{nameof(LocalOrgOptions.CustomFields)} names object '{missing.ObjectName}', but the export has no {missing.ObjectName}.csv.");
        }

        return tables.Select(table => WithCustomFields(table, customFields)).ToList();
    }

    /// <summary>
    /// Every Salesforce record has a SystemModstamp, which clients filter on to read what changed; an export can
    /// leave it out (Account, for one). Such a table gets the column, each row starting from its
    /// LastModifiedDate or CreatedDate, and updates stamp it from then on.
    /// </summary>
    private static OrgTable WithSystemModstamp(OrgTable table)
    {
        const string Name = "SystemModstamp";
        if (table.IdColumn is null || table.Find(Name) is not null || (table.Find("LastModifiedDate") ?? table.Find("CreatedDate")) is not { } source)
        {
            return table;
        }

        return WithColumn(table, Name, row => source.GetSpan(row));
    }

    /// <summary>The corporate currency of a multi-currency org (one with CurrencyType rows); null otherwise.</summary>
    private static string? CorporateCurrency(IEnumerable<OrgTable> tables)
    {
        if (tables.FirstOrDefault(t => t.Name.Equals("CurrencyType", StringComparison.OrdinalIgnoreCase)) is not { } currencies
            || currencies.Find("IsoCode") is not { } code || currencies.Find("IsCorporate") is not { } corporate)
        {
            return null;
        }

        var rows = Enumerable.Range(0, currencies.RowCount).ToList();
        var corporateRow = rows.FirstOrDefault(r => corporate[r] is "1" or "true" or "TRUE" or "True", -1);
        return corporateRow >= 0 ? code[corporateRow] : rows.Select(r => code[r]).FirstOrDefault(c => c is not null);
    }

    /// <summary>
    /// In a multi-currency org every Account and Opportunity has a CurrencyIsoCode; an export can leave the column
    /// out. Such a table gets it, each row in the corporate currency (as Salesforce fills it when the org turns
    /// multi-currency on).
    /// </summary>
    private static OrgTable WithCurrencyIsoCode(OrgTable table, string? corporate)
    {
        const string Name = "CurrencyIsoCode";
        if (corporate is null || table.Find(Name) is not null
            || !(table.Name.Equals("Account", StringComparison.OrdinalIgnoreCase) || table.Name.Equals("Opportunity", StringComparison.OrdinalIgnoreCase)))
        {
            return table;
        }

        return WithColumn(table, Name, _ => corporate);
    }

    private static OrgTable WithColumn(OrgTable table, string name, Func<int, ReadOnlySpan<char>> valueOf)
    {
        var cells = new ColumnCells(table.Store, table.RowCount);
        for (var row = 0; row < table.RowCount; row++)
        {
            cells.Append(valueOf(row));
        }

        cells.Complete();
        return new OrgTable(table.Name, table.Parts, [.. table.Columns, new OrgColumn(name, cells)], table.Store);
    }

    private static OrgTable WithCustomFields(OrgTable table, IReadOnlyList<CustomFieldSpec> customFields)
    {
        var specs = customFields.Where(f => f.ObjectName.Equals(table.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (specs.Count == 0)
        {
            return table;
        }

        var columns = table.Columns
            .Select(c => specs.FirstOrDefault(s => s.FieldName.Equals(c.Name, StringComparison.OrdinalIgnoreCase)) is { } spec
                ? c.WithDeclaredType(spec)
                : c)
            .ToList();
        foreach (var spec in specs.Where(s => table.Find(s.FieldName) is null))
        {
            var cells = new ColumnCells(table.Store, table.RowCount);
            cells.AppendNulls(table.RowCount);
            columns.Add(new OrgColumn(spec.FieldName, cells, declared: spec));
        }

        return new OrgTable(table.Name, table.Parts, columns, table.Store);
    }
}
