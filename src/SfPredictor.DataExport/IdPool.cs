using SfPredictor.Records;

namespace SfPredictor.DataExport;

/// <summary>
/// Shares one 18-character string per referenced record (owner, account, parent Opportunity): a
/// million Tasks name a few thousand of them, and each would otherwise be its own string.
/// </summary>
internal sealed class IdPool
{
    private const int MaxEntries = 1_000_000;

    // Keyed by the text as written (15 or 18 characters): a hit skips normalising as well as allocating.
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public IdPool() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool TryNormalize(ReadOnlySpan<char> text, out string id)
    {
        if (_lookup.TryGetValue(text, out var pooled))
        {
            id = pooled;
            return true;
        }

        if (!SalesforceId.TryNormalize(text, out id))
        {
            return false;
        }

        if (_ids.Count < MaxEntries)
        {
            // The 18-character text is its own key; a 15-character one needs its own string.
            _ids.Add(text.Length == id.Length ? id : text.ToString(), id);
        }

        return true;
    }
}
