using Microsoft.Extensions.Logging;
using SfPredictor.Records;
using SfPredictor.Records.Sources;
using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce;

/// <summary>How the Salesforce source reads (the worker's settings <c>SfPredictor:Worker:…</c>).</summary>
/// <param name="CacheContext">Keep what a run read in memory, so the next incremental run reads only what changed since.</param>
/// <param name="FullReadThreshold">Without the context kept: from how many Opportunities to score on whole objects are read instead of Id lists.</param>
/// <param name="WatermarkOverlap">How far before a cached object's latest stamp changes are read again.</param>
public sealed record SalesforceSourceSettings(bool CacheContext, int FullReadThreshold, TimeSpan WatermarkOverlap);

/// <summary>
/// The Salesforce org as a source of scoring runs: reads what scoring (or training) needs through the API — the
/// Opportunities with their current SfPredictor values, their histories and activities, Accounts, Users, stages,
/// currencies, and the closed Opportunities with their histories (the Account's and owner's past outcomes are
/// features) — and what changed since a watermark (<see cref="SalesforceChanges"/>).
/// <para>
/// Whole objects are read in REST pages of 2,000 or, when the first page says the object holds more than
/// <c>Salesforce:BulkThreshold</c> records, through one Bulk API 2.0 job — a handful of calls per object however
/// large the org. With <c>SfPredictor:Worker:CacheContext</c> (the default) what a scoring run read is kept in the
/// process (<see cref="ContextCache"/>), and the next incremental run reads only the records stamped since: a call
/// per object, plus one per 2,000 changes. Without it, a few Opportunities are read by Id lists
/// (<see cref="SalesforceOrgReader"/>, a call per 300 Ids per object) and more by whole objects.
/// </para>
/// </summary>
public sealed class SalesforceSource(
    SalesforceClient client, SalesforceOrgReader reader, ContextCache cache, SalesforceSourceSettings settings, TimeProvider time, ILogger<SalesforceSource> logger)
    : IOrgSource
{
    private readonly SalesforceChanges _changes = new(client);

    /// <inheritdoc/>
    public async Task<SourceRead> ReadAsync(SourceSelection selection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var (ids, extraFields, activityFields, modelVersion) = selection;

        // Nothing to score: nothing to read, and a cached context stays as it is (its next read catches up).
        if (ids is { Count: 0 })
        {
            return new SourceRead(new OrgData(), HasEveryOpenOpportunity: false);
        }

        if (!settings.CacheContext)
        {
            cache.Clear();
            return ids is null || ReadsWholeObjects(ids.Count)
                ? new SourceRead((await ReadWholeAsync(OpportunityScope.All, null, extraFields, activityFields, cacheKey: null, cancellationToken)).Data, true)
                : new SourceRead(await LoadByIdsAsync(ids, extraFields, activityFields, cancellationToken), false);
        }

        var key = ContextKey(extraFields, modelVersion);
        var cached = cache.Take(key, out var dropped);
        if (dropped is not null)
        {
            Log.ContextDropped(logger, dropped);
        }

        // A full run reads everything again: that is also how records deleted since are dropped from the context.
        if (ids is not null && cached is not null && await RefreshAsync(cached, extraFields, activityFields, cancellationToken) is { } refreshed)
        {
            cache.Keep(cached);
            return new SourceRead(refreshed, true);
        }

        var (data, context) = await ReadWholeAsync(OpportunityScope.All, null, extraFields, activityFields, key, cancellationToken);
        cache.Keep(context!);
        Log.ContextKept(logger, context!.Count);
        return new SourceRead(data, true);
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
        (await ReadWholeAsync(scope, closeDateFrom, extraFields, activityFields, cacheKey: null, cancellationToken)).Data;

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

    /// <summary>Reads whole objects and, with a <paramref name="cacheKey"/>, keeps them as a context for later runs.</summary>
    private async Task<(OrgData Data, CachedContext? Context)> ReadWholeAsync(
        OpportunityScope scope, DateOnly? closeDateFrom, IReadOnlyList<string> extraFields, IReadOnlyList<string> activityFields, string? cacheKey, CancellationToken cancellationToken)
    {
        var extractedAt = time.GetUtcNow();
        var currencies = await reader.ReadCurrenciesAsync(cancellationToken);
        var multiCurrency = currencies.Count > 0;
        var opportunities = await reader.ReadOpportunitiesAsync(
            new ObjectRead { ExtraFields = extraFields, MultiCurrency = multiCurrency }, scope, closeDateFrom, cancellationToken);
        var histories = await reader.ReadHistoriesAsync(new ObjectRead(), cancellationToken);
        var tasks = await reader.ReadTasksAsync(new ObjectRead { ExtraFields = activityFields }, cancellationToken);
        var events = await reader.ReadEventsAsync(new ObjectRead { ExtraFields = activityFields }, cancellationToken);
        var accounts = await reader.ReadAccountsAsync(new ObjectRead { MultiCurrency = multiCurrency }, cancellationToken);
        var data = new OrgData
        {
            Opportunities = opportunities,
            OpportunityHistories = histories,
            Tasks = tasks,
            Events = events,
            Accounts = accounts,
            Users = await reader.ReadUsersAsync(cancellationToken),
            Stages = await reader.ReadStagesAsync(cancellationToken),
            Currencies = currencies,
            ExtractedAt = extractedAt,
        };
        if (cacheKey is null)
        {
            return (data, null);
        }

        var context = new CachedContext(cacheKey, multiCurrency);
        context.Opportunities.Put(opportunities);
        context.Histories.Put(histories);
        context.Tasks.Put(tasks);
        context.Events.Put(events);
        context.Accounts.Put(accounts);
        return (data, context);
    }

    /// <summary>
    /// Brings a cached context up to date: every record stamped since the latest stamp read of its object (less
    /// <c>SfPredictor:Worker:WatermarkOverlap</c>; a record read again is replaced by Id, so overlap costs nothing but
    /// bandwidth) is read and put in place of its old version. History rows never change, so their CreatedDate is
    /// their stamp. Users, stages and currencies are small and read whole. Null when the org's currency mode changed.
    /// </summary>
    private async Task<OrgData?> RefreshAsync(CachedContext context, IReadOnlyList<string> extraFields, IReadOnlyList<string> activityFields, CancellationToken cancellationToken)
    {
        var extractedAt = time.GetUtcNow();
        var currencies = await reader.ReadCurrenciesAsync(cancellationToken);
        if (currencies.Count > 0 != context.MultiCurrency)
        {
            Log.ContextDropped(logger, "the org's currencies changed");
            return null;
        }

        ObjectRead Since<T>(CachedObject<T> into, IReadOnlyList<string> fields) => new()
        {
            ExtraFields = fields,
            MultiCurrency = context.MultiCurrency,
            StampedFrom = into.Watermark - settings.WatermarkOverlap,
        };

        var changed = context.Opportunities.Put(await reader.ReadOpportunitiesAsync(Since(context.Opportunities, extraFields), cancellationToken: cancellationToken));
        changed += context.Histories.Put(await reader.ReadHistoriesAsync(Since(context.Histories, []), cancellationToken));
        changed += context.Tasks.Put(await reader.ReadTasksAsync(Since(context.Tasks, activityFields), cancellationToken));
        changed += context.Events.Put(await reader.ReadEventsAsync(Since(context.Events, activityFields), cancellationToken));
        changed += context.Accounts.Put(await reader.ReadAccountsAsync(Since(context.Accounts, []), cancellationToken));
        var users = await reader.ReadUsersAsync(cancellationToken);
        var stages = await reader.ReadStagesAsync(cancellationToken);
        Log.ContextRefreshed(logger, changed, context.Count);
        return context.ToOrgData(users, stages, currencies, extractedAt);
    }

    // What a cached context depends on besides the org: the Opportunity fields read and the model scoring them.
    private static string ContextKey(IReadOnlyList<string> extraFields, string modelVersion) =>
        string.Join('|', [modelVersion, .. extraFields.Order(StringComparer.OrdinalIgnoreCase)]);
}
