namespace SfPredictor.DataExport;

/// <summary>
/// Shares one string per distinct short value while reading. Exports repeat a few values (stage
/// names, statuses, owner and parent Ids) across millions of rows; sharing them keeps a loaded org small.
/// </summary>
internal sealed class StringPool
{
    // Long values are free text and rarely repeat; a full pool stops growing rather than hoarding.
    private const int MaxPooledLength = 64;
    private const int MaxEntries = 500_000;

    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxPooledLength)
        {
            return text.ToString();
        }

        if (_lookup.TryGetValue(text, out var pooled))
        {
            return pooled;
        }

        var created = text.ToString();
        if (_strings.Count < MaxEntries)
        {
            _strings.Add(created);
        }

        return created;
    }
}
