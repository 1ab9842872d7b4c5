namespace SfPredictor.Worker.Pipeline;

/// <summary>
/// Makes equal texts of one read one string. Owner, Account and parent Ids, picklist values and subjects repeat
/// across hundreds of thousands of records, and what a scoring run read stays in memory until the next one
/// (<see cref="ContextCache"/>): sharing them roughly halves what the records take.
/// </summary>
internal sealed class SharedTexts
{
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

    /// <summary>The row with its field names and values (except its own Id, never repeated) shared.</summary>
    public IReadOnlyDictionary<string, string?> Share(IReadOnlyDictionary<string, string?> row)
    {
        var shared = new Dictionary<string, string?>(row.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in row)
        {
            shared[Share(name)] = value is null || name.Equals("Id", StringComparison.OrdinalIgnoreCase) ? value : Share(value);
        }

        return shared;
    }

    private string Share(string text)
    {
        if (_texts.TryGetValue(text, out var shared))
        {
            return shared;
        }

        _texts.Add(text, text);
        return text;
    }
}
