namespace SfPredictor.LocalOrg.Data;

/// <summary>
/// The distinct-ish texts of one table (Ids, timestamps, free text) packed into large char chunks,
/// addressed by number. A table of millions of rows then holds a few hundred arrays instead of tens
/// of millions of strings, which the garbage collector would otherwise copy and scan. Equal texts
/// close together (a row's CreatedDate and SystemModstamp, consecutive rows' parent Id) are stored once.
/// </summary>
internal sealed class TextStore
{
    private const int ChunkLength = 1 << 20;
    private const int OffsetBits = 20;
    private const int LengthBits = 21;
    private const int MaxLength = (1 << LengthBits) - 1;
    private const int RecentSlots = 1 << 12;

    private readonly List<char[]> _chunks = [];
    private readonly int[] _recent = new int[RecentSlots];
    private long[] _locations = new long[1024];
    private int _count;
    private int _used = ChunkLength;

    /// <summary>Stores a text (or finds it among recently stored ones) and returns its number.</summary>
    public int Add(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxLength)
        {
            throw new InvalidOperationException($"A value of {text.Length:N0} characters is longer than any Salesforce field holds.");
        }

        var slot = Slot(text);
        var recent = _recent[slot] - 1;
        if (recent >= 0 && Get(recent).SequenceEqual(text))
        {
            return recent;
        }

        var chunk = Place(text.Length);
        text.CopyTo(_chunks[chunk].AsSpan(_used));
        if (_count == _locations.Length)
        {
            Array.Resize(ref _locations, _locations.Length * 2);
        }

        _locations[_count] = ((long)chunk << (OffsetBits + LengthBits)) | ((long)_used << LengthBits) | (uint)text.Length;
        _used += text.Length;
        _recent[slot] = _count + 1;
        return _count++;
    }

    public ReadOnlySpan<char> Get(int number)
    {
        var location = _locations[number];
        var chunk = (int)(location >> (OffsetBits + LengthBits));
        var offset = (int)((location >> LengthBits) & ((1 << OffsetBits) - 1));
        var length = (int)(location & MaxLength);
        return _chunks[chunk].AsSpan(offset, length);
    }

    // Ids and timestamps differ mostly in their last characters, so those and the length make a
    // cheap enough hash for a cache whose hits are always checked.
    private static int Slot(ReadOnlySpan<char> text)
    {
        var hash = (uint)text.Length;
        foreach (var c in text[Math.Max(0, text.Length - 8)..])
        {
            hash = (hash * 31) + c;
        }

        return (int)((hash ^ (hash >> 15)) & (RecentSlots - 1));
    }

    // Returns the chunk to write into; a value longer than a chunk gets a chunk of its own.
    private int Place(int length)
    {
        if (_used + length <= ChunkLength && _chunks.Count > 0)
        {
            return _chunks.Count - 1;
        }

        _chunks.Add(new char[Math.Max(ChunkLength, length)]);
        _used = 0;
        return _chunks.Count - 1;
    }
}
