namespace SfPredictor.LocalOrg.Data;

/// <summary>
/// The texts of one column by row. A column of few distinct values (picklists, flags, parent Ids)
/// keeps one shared string per value and a number per row; once a column turns out mostly distinct
/// (Ids, timestamps, free text) its values move to the table's <see cref="TextStore"/>.
/// </summary>
internal sealed class ColumnCells
{
    private const int Null = -1;
    private const int CheckEvery = 8_192;
    private const int MaxPooledLength = 64;

    private readonly TextStore _store;
    private int[] _codes;
    private int _count;

    // Pooled while not null: codes index _distinct. Otherwise codes are TextStore numbers.
    private List<string>? _distinct = [];
    private Dictionary<string, int>? _index = new(StringComparer.Ordinal);
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public ColumnCells(TextStore store, int capacity = 1024)
    {
        _store = store;
        _codes = new int[Math.Max(capacity, 16)];
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _count;

    /// <summary>Whether values are shared strings (few distinct values).</summary>
    public bool IsPooled => _distinct is not null;

    /// <summary>The distinct values while pooled.</summary>
    public IReadOnlyList<string> Distinct => _distinct ?? [];

    /// <summary>Appends a row's text; empty means null.</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        if (_count == _codes.Length)
        {
            // Loading sizes columns from an estimate of the rows: past it, growing by half keeps the spare small.
            Array.Resize(ref _codes, Math.Max(16, _codes.Length + (_codes.Length / 2)));
        }

        var previous = _count > 0 ? _codes[_count - 1] : Null;

        // Encoded before the count grows: Encode may unpool, which rewrites every row below the count.
        var code = Encode(text, previous);
        _codes[_count++] = code;
        if (_distinct is not null && _count % CheckEvery == 0 && _distinct.Count > _count / 2)
        {
            Unpool();
        }
    }

    /// <summary>Appends <paramref name="rows"/> nulls.</summary>
    public void AppendNulls(int rows)
    {
        for (var i = 0; i < rows; i++)
        {
            Append([]);
        }
    }

    /// <summary>The text of a row, without allocating; empty for null.</summary>
    public ReadOnlySpan<char> GetSpan(int row)
    {
        var code = _codes[row];
        return code == Null ? [] : _distinct is not null ? _distinct[code] : _store.Get(code);
    }

    /// <summary>The text of a row as a string (shared when pooled); null for null.</summary>
    public string? GetString(int row)
    {
        var code = _codes[row];
        return code == Null ? null : _distinct is not null ? _distinct[code] : _store.Get(code).ToString();
    }

    public void Set(int row, string? text) => _codes[row] = Encode(text, Null);

    /// <summary>Releases spare capacity worth copying for once loading is done.</summary>
    public void Complete()
    {
        if (_codes.Length - _count > _codes.Length / 8)
        {
            Array.Resize(ref _codes, _count);
        }

        _index?.TrimExcess();
    }

    /// <param name="text">The text; empty means null.</param>
    /// <param name="previous">The previous row's code: consecutive rows often repeat a value (the tasks of one deal share its Ids, owner and status).</param>
    private int Encode(ReadOnlySpan<char> text, int previous)
    {
        if (text.IsEmpty)
        {
            return Null;
        }

        if (_distinct is null || text.Length > MaxPooledLength)
        {
            if (_distinct is not null)
            {
                // A long text is free text: it would fill the pool with values that never repeat.
                Unpool();
            }

            return _store.Add(text);
        }

        if (previous != Null && text.SequenceEqual(_distinct[previous]))
        {
            return previous;
        }

        if (!_lookup.TryGetValue(text, out var code))
        {
            code = _distinct.Count;
            var value = text.ToString();
            _distinct.Add(value);
            _index!.Add(value, code);
        }

        return code;
    }

    private void Unpool()
    {
        var numbers = _distinct!.Select(value => _store.Add(value)).ToArray();
        for (var row = 0; row < _count; row++)
        {
            if (_codes[row] != Null)
            {
                _codes[row] = numbers[_codes[row]];
            }
        }

        _distinct = null;
        _index = null;
    }
}
