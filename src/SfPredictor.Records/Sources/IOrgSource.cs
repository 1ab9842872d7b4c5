namespace SfPredictor.Records.Sources;

/// <summary>
/// Where a scoring run reads an org: the Salesforce API, or a Data Export folder. A run reads a selection of open
/// Opportunities with their context, or first asks what changed since its watermark.
/// </summary>
public interface IOrgSource
{
    /// <summary>Reads the open Opportunities selected (every open one when <see cref="SourceSelection.Ids"/> is null) and their context.</summary>
    /// <param name="selection">What to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<SourceRead> ReadAsync(SourceSelection selection, CancellationToken cancellationToken);

    /// <summary>
    /// Reads what changed since an earlier whole read: of each object the records stamped at or after its stamp in
    /// <paramref name="since"/> (a source may read from a little earlier: a record read again is the same record),
    /// and Users, stages and currencies whole. Null when the org changed in a way only a whole read follows (its
    /// currencies were turned on or off), or the source links activities in ways only a whole read follows
    /// (TaskRelation and EventRelation rows).
    /// </summary>
    /// <param name="selection">The fields to read (<see cref="SourceSelection.Ids"/> is not read: every change is).</param>
    /// <param name="since">The latest stamps of the records held.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<OrgData?> ReadChangedAsync(SourceSelection selection, ObjectStamps since, CancellationToken cancellationToken);

    /// <summary>
    /// The open Opportunities changed after <paramref name="since"/>: their own records, or their Tasks, Events and
    /// history rows (an activity on an Account counts for every open Opportunity of that Account, as in the features).
    /// </summary>
    /// <param name="since">The watermark.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<ChangeSet> FindChangesAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The latest stamp of an open Opportunity changed after <paramref name="since"/>; null when none is.</summary>
    /// <param name="since">The stamp to look after.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<DateTimeOffset?> LatestStampAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Where a watermark may go once a run's own writes into this source are safely in the past: past them, but before
    /// the earliest change anyone else made after <paramref name="since"/>.
    /// </summary>
    /// <param name="since">The watermark the run read changes after.</param>
    /// <param name="lastStamp">The latest stamp of an open Opportunity once the run had written.</param>
    /// <param name="written">The Opportunities the run wrote.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<DateTimeOffset> SettleAsync(DateTimeOffset since, DateTimeOffset lastStamp, IReadOnlySet<string> written, CancellationToken cancellationToken);
}

/// <summary>What a scoring run asks a source for.</summary>
/// <param name="Ids">The open Opportunities to score; null for every open one.</param>
/// <param name="OpportunityFields">Opportunity fields to read besides the standard ones (e.g. the written fields' current values).</param>
/// <param name="ActivityFields">Task and Event fields to read besides the standard ones (the org's own activity type fields).</param>
/// <param name="ModelVersion">The model the records are read for: a source that keeps what it read does not reuse a read for another model.</param>
public sealed record SourceSelection(
    IReadOnlyCollection<string>? Ids, IReadOnlyList<string> OpportunityFields, IReadOnlyList<string> ActivityFields, string ModelVersion);

/// <summary>What a source read for a scoring run.</summary>
/// <param name="Data">The records: every Opportunity to score, open and closed ones around them, and their context.</param>
/// <param name="HasEveryOpenOpportunity">Whether <paramref name="Data"/> holds every open Opportunity of the org (not only those to score).</param>
public sealed record SourceRead(OrgData Data, bool HasEveryOpenOpportunity);

/// <summary>
/// The latest stamp of each object among records read (SystemModstamp; CreatedDate for history rows, which never
/// change), and whether the org had currencies: where a read of what changed since starts.
/// </summary>
public sealed record ObjectStamps(
    DateTimeOffset? Opportunity, DateTimeOffset? History, DateTimeOffset? Task, DateTimeOffset? Event, DateTimeOffset? Account, bool MultiCurrency)
{
    /// <summary>The stamps of a whole read.</summary>
    public static ObjectStamps Of(OrgData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ObjectStamps(null, null, null, null, null, data.Currencies.Count > 0).Then(data);
    }

    /// <summary>The latest stamp of an Opportunity, history row or activity: what a scoring watermark covers.</summary>
    public DateTimeOffset? Latest => new[] { Opportunity, History, Task, Event }.Max();

    /// <summary>These stamps moved past the records of <paramref name="changes"/>.</summary>
    public ObjectStamps Then(OrgData changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return this with
        {
            Opportunity = LatestOf(Opportunity, changes.Opportunities.Select(o => o.SystemModstamp)),
            History = LatestOf(History, changes.OpportunityHistories.Select(h => h.CreatedDate)),
            Task = LatestOf(Task, changes.Tasks.Select(t => t.SystemModstamp)),
            Event = LatestOf(Event, changes.Events.Select(e => e.SystemModstamp)),
            Account = LatestOf(Account, changes.Accounts.Select(a => a.SystemModstamp)),
        };
    }

    // A record without a stamp (MinValue) does not move it.
    private static DateTimeOffset? LatestOf(DateTimeOffset? held, IEnumerable<DateTimeOffset> stamps)
    {
        foreach (var stamp in stamps)
        {
            if (stamp != DateTimeOffset.MinValue && (held is not { } latest || stamp > latest))
            {
                held = stamp;
            }
        }

        return held;
    }
}

/// <summary>The open Opportunities changed since a watermark, with when each change was stamped.</summary>
/// <param name="RecordChanges">Opportunity Id → its own SystemModstamp, for those stamped after the watermark.</param>
/// <param name="RelatedChanges">Opportunity Id → the latest stamp of its (or its Account's) Tasks, Events and history rows after the watermark.</param>
/// <param name="LatestStamp">The latest stamp among every change read; the watermark once all of them are handled.</param>
public sealed record ChangeSet(
    IReadOnlyDictionary<string, DateTimeOffset> RecordChanges, IReadOnlyDictionary<string, DateTimeOffset> RelatedChanges, DateTimeOffset? LatestStamp)
{
    /// <summary>Every changed Opportunity.</summary>
    public IEnumerable<string> Ids => RecordChanges.Keys.Union(RelatedChanges.Keys, SalesforceId.Comparer);

    /// <summary>When an Opportunity last changed, or null when it did not.</summary>
    public DateTimeOffset? ChangedAt(string id) =>
        (RecordChanges.TryGetValue(id, out var own), RelatedChanges.TryGetValue(id, out var related)) switch
        {
            (true, true) => own > related ? own : related,
            (true, false) => own,
            (false, true) => related,
            _ => null,
        };
}
