using SfPredictor.Records;

namespace SfPredictor.LocalOrg.Data;

/// <summary>A file holding consecutive rows of a table: the whole object, or one archive's part of it.</summary>
/// <param name="Path">The CSV file.</param>
/// <param name="Rows">How many of the table's rows, following those of the parts before it, it holds.</param>
internal readonly record struct TablePart(string Path, int Rows);

/// <summary>
/// One object of the org (one CSV file of the export, or its parts), stored by column. Updates replace
/// texts in place and creates add rows at the end (to the last part), under the store's write lock;
/// rows are never removed (a delete sets IsDeleted, as Salesforce's recycle bin keeps the record).
/// </summary>
internal sealed class OrgTable
{
    private readonly Dictionary<string, OrgColumn> _columnsByName;
    private readonly List<OrgColumn> _columns;
    private readonly List<TablePart> _parts;
    private readonly Lazy<Dictionary<string, int>> _rowsById;
    private volatile bool _dirty;

    public OrgTable(string name, IReadOnlyList<TablePart> parts, IReadOnlyList<OrgColumn> columns, TextStore store)
    {
        Name = name;
        _parts = [.. parts];
        _columns = [.. columns];
        RowCount = _parts.Sum(p => p.Rows);
        Store = store;
        _columnsByName = columns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        IdColumn = Find("Id");
        KeyPrefix = Enumerable.Range(0, RowCount).Select(row => Ids.KeyPrefix(IdColumn?[row])).FirstOrDefault(p => p is not null);

        // Built on first use: most tables are only ever scanned, never looked up by Id.
        _rowsById = new Lazy<Dictionary<string, int>>(IndexIds, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The object API name (the file name without <c>.csv</c>).</summary>
    public string Name { get; }

    /// <summary>The files the rows came from, in row order; updates are written back to the same files.</summary>
    public IReadOnlyList<TablePart> Parts => _parts;

    public IReadOnlyList<OrgColumn> Columns => _columns;

    public int RowCount { get; private set; }

    /// <summary>Where the table's mostly-distinct texts are kept; a column added later shares it.</summary>
    public TextStore Store { get; }

    public OrgColumn? IdColumn { get; }

    /// <summary>The first three characters of the object's Ids, which tell an Id's object.</summary>
    public string? KeyPrefix { get; }

    /// <summary>Whether updates have not yet been written to <see cref="Parts"/>.</summary>
    public bool IsDirty
    {
        get => _dirty;
        set => _dirty = value;
    }

    public OrgColumn? Find(string field) => _columnsByName.GetValueOrDefault(field);

    /// <summary>The column of a field, added (empty in every row) when the export lacks it. Call under the store's write lock.</summary>
    public OrgColumn FindOrAdd(string field, FieldType type)
    {
        if (Find(field) is { } column)
        {
            return column;
        }

        var cells = new ColumnCells(Store, RowCount);
        cells.AppendNulls(RowCount);
        column = new OrgColumn(field, cells, type);
        _columns.Add(column);
        _columnsByName.Add(field, column);
        return column;
    }

    /// <summary>Adds an empty row with an Id at the end of the last part. Call under the store's write lock.</summary>
    /// <returns>The new row.</returns>
    public int AddRow(string id)
    {
        var row = RowCount;
        foreach (var column in _columns)
        {
            column.AppendNull();
        }

        IdColumn?.Set(row, id);
        _parts[^1] = _parts[^1] with { Rows = _parts[^1].Rows + 1 };
        RowCount++;
        _rowsById.Value[id] = row;
        return row;
    }

    /// <summary>Finds the row of a 15- or 18-character Id.</summary>
    public bool TryFindRow(string? id, out int row)
    {
        row = -1;
        return Ids.Normalize(id) is { } normalized && _rowsById.Value.TryGetValue(normalized, out row);
    }

    /// <summary>The 18-character Id of a row, or null when the table has no Id column.</summary>
    public string? IdOf(int row) => IdColumn is null ? null : Ids.Normalize(IdColumn[row]);

    private Dictionary<string, int> IndexIds()
    {
        var index = new Dictionary<string, int>(RowCount, SalesforceId.Comparer);
        if (IdColumn is null)
        {
            return index;
        }

        for (var row = 0; row < RowCount; row++)
        {
            if (Ids.Normalize(IdColumn[row]) is { } normalized)
            {
                index.TryAdd(normalized, row);
            }
        }

        return index;
    }
}
