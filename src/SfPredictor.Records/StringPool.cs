namespace SfPredictor.Records;

/// <summary>
/// Shares one string per distinct short value while records are read, by every source: a Data Export
/// file and the rows of an API query repeat a few values (stage names, statuses, picklist values, owner
/// and parent Ids, subjects) across millions of records; sharing them keeps a loaded org small.
/// </summary>
public sealed class StringPool
{
    /// <summary>The default longest pooled value: Ids, names and picklist values fit.</summary>
    public const int DefaultMaxPooledLength = 64;

    // A full pool stops growing rather than hoarding.
    private const int MaxEntries = 500_000;

    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _maxPooledLength;

    /// <summary>An empty pool.</summary>
    /// <param name="maxPooledLength">
    /// Longer values are returned unshared: they are free text that rarely repeats, and pooling them would
    /// only fill the pool.
    /// </param>
    public StringPool(int maxPooledLength = DefaultMaxPooledLength)
    {
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        _maxPooledLength = maxPooledLength;
    }

    /// <summary>The shared string equal to <paramref name="text"/>.</summary>
    /// <param name="text">The characters read.</param>
    public string Get(ReadOnlySpan<char> text)
    {
        if (text.Length > _maxPooledLength)
        {
            return text.ToString();
        }

        if (_lookup.TryGetValue(text, out var pooled))
        {
            return pooled;
        }

        return Add(text.ToString());
    }

    /// <summary>The shared string equal to <paramref name="text"/>; <paramref name="text"/> itself when it is the first.</summary>
    /// <param name="text">A string already made.</param>
    public string Get(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > _maxPooledLength)
        {
            return text;
        }

        return _strings.TryGetValue(text, out var pooled) ? pooled : Add(text);
    }

    private string Add(string text)
    {
        if (_strings.Count < MaxEntries)
        {
            _strings.Add(text);
        }

        return text;
    }
}
