using SfPredictor.Records;

namespace SfPredictor.Salesforce;

/// <summary>
/// The records the last scoring run of this process read — Opportunities open and closed, their histories,
/// Tasks, Events and Accounts — so that the next incremental run reads only what was stamped since, instead
/// of every object whole. It lives in memory only: the state store stays the source of truth for what is
/// written and what is due, and a process starts without it.
/// </summary>
/// <remarks>
/// A reader takes the context out (<see cref="Take"/>) and puts it back only once it is brought up to date, so a
/// failed read or merge leaves no cache behind and the next run reads whole. Deleted records are not seen by the
/// reads of changes; the full rescore reads everything again and replaces the context, which drops them.
/// </remarks>
public sealed class ContextCache
{
    private CachedContext? _context;

    /// <summary>Records held (every object together), 0 when there is no context.</summary>
    public int Records => Volatile.Read(ref _context)?.Count ?? 0;

    /// <summary>Drops the context: the next scoring run reads whole objects.</summary>
    public void Clear() => Volatile.Write(ref _context, null);

    /// <summary>Takes the context out if it was read for <paramref name="key"/>; any other is dropped.</summary>
    internal CachedContext? Take(string key, out string? dropped)
    {
        var context = Interlocked.Exchange(ref _context, null);
        dropped = context is not null && context.Key != key ? "read with other fields or for another model" : null;
        return dropped is null ? context : null;
    }

    /// <summary>Keeps an up-to-date context for the next run.</summary>
    internal void Keep(CachedContext context) => Volatile.Write(ref _context, context);
}

/// <summary>One read of the org's scoring context, kept by Id, with the latest stamp seen of each object.</summary>
/// <param name="key">What the records were read for: the fields selected and the model.</param>
/// <param name="multiCurrency">Whether the org had currencies (and so CurrencyIsoCode fields) when read.</param>
internal sealed class CachedContext(string key, bool multiCurrency)
{
    public string Key { get; } = key;

    public bool MultiCurrency { get; } = multiCurrency;

    public CachedObject<Opportunity> Opportunities { get; } = new(o => o.Id, o => o.SystemModstamp);

    // History rows never change: their CreatedDate is their stamp.
    public CachedObject<OpportunityHistory> Histories { get; } = new(h => h.Id, h => h.CreatedDate);

    public CachedObject<SfTask> Tasks { get; } = new(t => t.Id, t => t.SystemModstamp);

    public CachedObject<SfEvent> Events { get; } = new(e => e.Id, e => e.SystemModstamp);

    public CachedObject<Account> Accounts { get; } = new(a => a.Id, a => a.SystemModstamp);

    public int Count => Opportunities.Count + Histories.Count + Tasks.Count + Events.Count + Accounts.Count;

    /// <summary>The records as one <see cref="OrgData"/>, with the small objects read by this run.</summary>
    public OrgData ToOrgData(List<User> users, List<OpportunityStage> stages, List<CurrencyType> currencies, DateTimeOffset extractedAt) => new()
    {
        Opportunities = Opportunities.ToList(),
        OpportunityHistories = Histories.ToList(),
        Tasks = Tasks.ToList(),
        Events = Events.ToList(),
        Accounts = Accounts.ToList(),
        Users = users,
        Stages = stages,
        Currencies = currencies,
        ExtractedAt = extractedAt,
    };
}

/// <summary>The records of one object by Id, and the latest stamp among those read.</summary>
internal sealed class CachedObject<T>(Func<T, string> idOf, Func<T, DateTimeOffset> stampOf)
{
    private readonly Dictionary<string, T> _byId = new(SalesforceId.Comparer);

    /// <summary>The latest SystemModstamp (CreatedDate for history rows) read; null when none was.</summary>
    public DateTimeOffset? Watermark { get; private set; }

    public int Count => _byId.Count;

    /// <summary>Adds records, each in place of the one with its Id; a record without a stamp (MinValue) leaves the watermark.</summary>
    /// <returns>How many were put.</returns>
    public int Put(IReadOnlyList<T> records)
    {
        foreach (var record in records)
        {
            _byId[idOf(record)] = record;
            var stamp = stampOf(record);
            if (stamp != DateTimeOffset.MinValue && (Watermark is not { } latest || stamp > latest))
            {
                Watermark = stamp;
            }
        }

        return records.Count;
    }

    public List<T> ToList() => [.. _byId.Values];
}
