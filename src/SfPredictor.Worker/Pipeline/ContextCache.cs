using SfPredictor.Features.Indexing;
using SfPredictor.Records.Sources;

namespace SfPredictor.Worker.Pipeline;

/// <summary>
/// The org as the last scoring run of this process left it: its index (the records the features read, each
/// Opportunity's activities in time order) and the latest stamp of each object read, so that the next incremental
/// run reads only the records stamped since and updates the index with them, instead of reading every object whole
/// and indexing it again. It lives in memory only: the state store stays the source of truth for what is written and
/// what is due, and a process starts without it.
/// </summary>
/// <remarks>
/// A run takes the context out (<see cref="Take"/>) and puts it back only once it is brought up to date, so a failed
/// read or update leaves no context behind and the next run reads whole. Deleted records are not seen by the reads of
/// changes; the full rescore reads everything again and replaces the context, which drops them.
/// </remarks>
public sealed class ContextCache
{
    private KeptContext? _context;

    /// <summary>Records held (Opportunities, history rows, Tasks, Events, Accounts), 0 when there is no context.</summary>
    public int Records => Volatile.Read(ref _context)?.Records ?? 0;

    /// <summary>Drops the context: the next scoring run reads whole objects.</summary>
    public void Clear() => Volatile.Write(ref _context, null);

    /// <summary>Takes the context out if it was read for <paramref name="key"/>; any other is dropped.</summary>
    internal KeptContext? Take(string key, out string? dropped)
    {
        var context = Interlocked.Exchange(ref _context, null);
        dropped = context is not null && context.Key != key ? "read with other fields or for another model" : null;
        return dropped is null ? context : null;
    }

    /// <summary>Keeps an up-to-date context for the next run.</summary>
    internal void Keep(KeptContext context) => Volatile.Write(ref _context, context);
}

/// <summary>One org's index and where a read of its changes starts.</summary>
/// <param name="Key">What the records were read for: the model and the Opportunity fields selected.</param>
/// <param name="Index">The org.</param>
/// <param name="Stamps">The latest stamp of each object read.</param>
internal sealed record KeptContext(string Key, OrgIndex Index, ObjectStamps Stamps)
{
    public int Records => Index.Count + Index.Data.OpportunityHistories.Count + Index.ActivityCount + Index.Data.Accounts.Count;
}
