using Microsoft.Extensions.Logging;
using SfPredictor.Records;
using SfPredictor.Records.Sources;
using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce;

/// <summary>How the Salesforce source reads (the worker's settings <c>SfPredictor:Worker:…</c>).</summary>
/// <param name="FullReadThreshold">From how many Opportunities to score whole objects are read instead of Id lists.</param>
/// <param name="WatermarkOverlap">How far before an object's latest stamp held its changes are read again.</param>
public sealed record SalesforceSourceSettings(int FullReadThreshold, TimeSpan WatermarkOverlap);

/// <summary>
/// The Salesforce org as a source of scoring runs: reads what scoring (or training) needs through the API — the
/// Opportunities with their current SfPredictor values, their histories and activities, Accounts, Users, stages,
/// currencies, and the closed Opportunities with their histories (the Account's and owner's past outcomes are
/// features) — what changed since a watermark (<see cref="SalesforceChanges"/>), and the records changed since an
/// earlier read.
/// <para>
/// Whole objects are read in REST pages of 2,000 or, when the first page says the object holds more than
/// <c>Salesforce:BulkThreshold</c> records, through one Bulk API 2.0 job — a handful of calls per object however
/// large the org. A few Opportunities are read by Id lists (<see cref="SalesforceOrgReader"/>, a call per 300 Ids per
/// object), more by whole objects. The records changed since an earlier read cost a call per object, plus one per
/// 2,000 changes.
/// </para>
/// </summary>
public sealed class SalesforceSource(
    SalesforceClient client, SalesforceOrgReader reader, SalesforceSourceSettings settings, TimeProvider time)
    : IOrgSource
{
    private readonly SalesforceChanges _changes = new(client);

    /// <inheritdoc/>
    public async Task<SourceRead> ReadAsync(SourceSelection selection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var (ids, extraFields, activityFields, _) = selection;
        if (ids is { Count: 0 })
        {
            return new SourceRead(new OrgData(), HasEveryOpenOpportunity: false);
        }

        return ids is null || ReadsWholeObjects(ids.Count)
            ? new SourceRead(await LoadWholeAsync(OpportunityScope.All, null, extraFields, activityFields, cancellationToken), true)
            : new SourceRead(await LoadByIdsAsync(ids, extraFields, activityFields, cancellationToken), false);
    }

    /// <summary>
    /// Reads every record stamped since the latest stamp held of its object, less <c>SfPredictor:Worker:WatermarkOverlap</c>
    /// (a record read again is the same record, so overlap costs nothing but bandwidth). History rows never change, so
    /// their CreatedDate is their stamp. Users, stages and currencies are small and read whole.
    /// </summary>
    /// <inheritdoc/>
    public Task<OrgData?> ReadChangedAsync(SourceSelection selection, ObjectStamps since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(since);
        return ReadObjectsAsync(OpportunityScope.All, null, selection.OpportunityFields, selection.ActivityFields, since, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ChangeSet> FindChangesAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        _changes.FindAsync(since, cancellationToken);

    /// <inheritdoc/>
    public Task<DateTimeOffset?> LatestStampAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        _changes.LatestStampAsync(since, cancellationToken);

    /// <inheritdoc/>
    public Task<DateTimeOffset> SettleAsync(DateTimeOffset since, DateTimeOffset lastStamp, IReadOnlySet<string> written, CancellationToken cancellationToken) =>
        _changes.SettleAsync(since, lastStamp, written, cancellationToken);

    /// <summary>Whether a selection this large is cheaper to read as whole objects (when the context is not cached).</summary>
    public bool ReadsWholeObjects(int selected) => selected > settings.FullReadThreshold;

    /// <summary>Reads whole objects: the Opportunities in <paramref name="scope"/>, and every related record.</summary>
    public async Task<OrgData> LoadWholeAsync(
        OpportunityScope scope, DateOnly? closeDateFrom, IReadOnlyList<string> extraFields, IReadOnlyList<string> activityFields, CancellationToken cancellationToken) =>
        (await ReadObjectsAsync(scope, closeDateFrom, extraFields, activityFields, since: null, cancellationToken))!;

    // Every object, whole or (with `since`) from each one's stamp less the overlap; null when the org's currency
    // mode is no longer the one `since` was read in.
    private async Task<OrgData?> ReadObjectsAsync(
        OpportunityScope scope, DateOnly? closeDateFrom, IReadOnlyList<string> extraFields, IReadOnlyList<string> activityFields, ObjectStamps? since, CancellationToken cancellationToken)
    {
        var extractedAt = time.GetUtcNow();
        var currencies = await reader.ReadCurrenciesAsync(cancellationToken);
        var multiCurrency = currencies.Count > 0;
        if (since is not null && multiCurrency != since.MultiCurrency)
        {
            return null;
        }

        ObjectRead From(DateTimeOffset? stamp, IReadOnlyList<string> fields) => new()
        {
            ExtraFields = fields,
            MultiCurrency = multiCurrency,
            StampedFrom = since is null ? null : stamp - settings.WatermarkOverlap,
        };

        return new OrgData
        {
            Opportunities = await reader.ReadOpportunitiesAsync(From(since?.Opportunity, extraFields), scope, closeDateFrom, cancellationToken),
            OpportunityHistories = await reader.ReadHistoriesAsync(From(since?.History, []), cancellationToken),
            Tasks = await reader.ReadTasksAsync(From(since?.Task, activityFields), cancellationToken),
            Events = await reader.ReadEventsAsync(From(since?.Event, activityFields), cancellationToken),
            Accounts = await reader.ReadAccountsAsync(From(since?.Account, []), cancellationToken),
            Users = await reader.ReadUsersAsync(cancellationToken),
            Stages = await reader.ReadStagesAsync(cancellationToken),
            Currencies = currencies,
            ExtractedAt = extractedAt,
        };
    }

    /// <summary>The selected open Opportunities and their activities by Id; the rest whole, which costs about as little.</summary>
    private async Task<OrgData> LoadByIdsAsync(
        IReadOnlyCollection<string> ids, IReadOnlyList<string> extraFields, IReadOnlyList<string> activityFields, CancellationToken cancellationToken)
    {
        var open = await reader.ReadAsync(
            new OrgQuery
            {
                Scope = OpportunityScope.Open,
                OpportunityIds = ids,
                ExtraOpportunityFields = extraFields,
                ExtraActivityFields = activityFields,
                IncludeHistories = false,
                IncludeAccounts = false,
                IncludeUsers = false,
            },
            cancellationToken);
        var multiCurrency = open.Currencies.Count > 0;
        var closed = await reader.ReadOpportunitiesAsync(new ObjectRead { MultiCurrency = multiCurrency }, OpportunityScope.Closed, cancellationToken: cancellationToken);
        var openIds = open.Opportunities.Select(o => o.Id).ToHashSet(SalesforceId.Comparer);
        return new OrgData
        {
            Opportunities = [.. open.Opportunities, .. closed.Where(o => !openIds.Contains(o.Id))],
            OpportunityHistories = await reader.ReadHistoriesAsync(new ObjectRead(), cancellationToken),
            Tasks = open.Tasks,
            Events = open.Events,
            Accounts = await reader.ReadAccountsAsync(new ObjectRead { MultiCurrency = multiCurrency }, cancellationToken),
            Users = await reader.ReadUsersAsync(cancellationToken),
            Stages = open.Stages,
            Currencies = open.Currencies,
            ExtractedAt = open.ExtractedAt,
        };
    }
}
