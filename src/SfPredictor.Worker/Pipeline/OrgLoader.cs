using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.Records;
using SfPredictor.Salesforce;
using SfPredictor.Worker.Telemetry;

namespace SfPredictor.Worker.Pipeline;

/// <summary>Which Opportunities a whole-org read keeps.</summary>
public enum OpportunityFilter
{
    /// <summary>Open and closed.</summary>
    All,

    /// <summary>Closed only (training).</summary>
    Closed,
}

/// <summary>What a scoring run reads.</summary>
/// <param name="Data">The records: every Opportunity to score, open and closed ones around them, and their context.</param>
/// <param name="HasEveryOpenOpportunity">Whether <paramref name="Data"/> holds every open Opportunity of the org (not only those to score).</param>
public sealed record ScoringContext(OrgData Data, bool HasEveryOpenOpportunity);

/// <summary>
/// Reads what scoring (or training) needs through the API: the Opportunities with their current SfPredictor
/// values, their histories and activities, Accounts, Users, stages, currencies, and the closed Opportunities
/// with their histories (the Account's and owner's past outcomes are features).
/// <para>
/// Whole objects are read in REST pages of 2,000 or, when the first page says the object holds more than
/// <c>Salesforce:BulkThreshold</c> records, through one Bulk API 2.0 job — a handful of calls per object however
/// large the org. With <c>SfPredictor:Worker:CacheContext</c> (the default) what a scoring run read is kept in the
/// process (<see cref="ContextCache"/>), and the next incremental run reads only the records stamped since: a call
/// per object, plus one per 2,000 changes. Without it, a few Opportunities are read by Id lists
/// (<see cref="SalesforceOrgReader"/>, a call per 300 Ids per object) and more by whole objects.
/// </para>
/// </summary>
public sealed class OrgLoader(
    SalesforceClient client, SalesforceOrgReader reader, ContextCache cache, IOptions<WorkerOptions> options, TimeProvider time, ILogger<OrgLoader> logger)
{
    private const string Modstamp = "SystemModstamp";

    /// <summary>
    /// Reads the open Opportunities <paramref name="ids"/> (every open one when null) and their context.
    /// Every Opportunity returned that is open and (when given) in <paramref name="ids"/> is to be scored.
    /// </summary>
    /// <param name="ids">The Opportunities to score; null for every open one (which also replaces the cached context).</param>
    /// <param name="extraFields">Opportunity fields to read besides the standard ones (the written fields' current values).</param>
    /// <param name="activityFields">Task and Event fields to read besides the standard ones (the org's own activity type fields the model's kinds look up).</param>
    /// <param name="modelVersion">The model the records are read for: a context read for another model is not reused.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<ScoringContext> LoadForScoringAsync(
        IReadOnlyCollection<string>? ids, IReadOnlyList<string> extraFields, IReadOnlyList<string> activityFields, string modelVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extraFields);
        ArgumentNullException.ThrowIfNull(activityFields);

        // Nothing to score: nothing to read, and a cached context stays as it is (its next read catches up).
        if (ids is { Count: 0 })
        {
            return new ScoringContext(new OrgData(), HasEveryOpenOpportunity: false);
        }

        if (!options.Value.CacheContext)
        {
            cache.Clear();
            return ids is null || ReadsWholeObjects(ids.Count)
                ? new ScoringContext((await ReadWholeAsync(OpportunityFilter.All, null, extraFields, activityFields, cacheKey: null, cancellationToken)).Data, true)
                : new ScoringContext(await LoadByIdsAsync(ids, extraFields, activityFields, cancellationToken), false);
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
            return new ScoringContext(refreshed, true);
        }

        var (data, context) = await ReadWholeAsync(OpportunityFilter.All, null, extraFields, activityFields, key, cancellationToken);
        cache.Keep(context!);
        Log.ContextKept(logger, context!.Count);
        return new ScoringContext(data, true);
    }

    /// <summary>Whether a selection this large is cheaper to read as whole objects (when the context is not cached).</summary>
    public bool ReadsWholeObjects(int selected) => selected > options.Value.FullReadThreshold;

    /// <summary>Reads whole objects: the Opportunities <paramref name="filter"/> keeps, and every related record.</summary>
    public async Task<OrgData> LoadWholeAsync(
        OpportunityFilter filter, DateOnly? closeDateFrom, IReadOnlyList<string> extraFields, IReadOnlyList<string> activityFields, CancellationToken cancellationToken) =>
        (await ReadWholeAsync(filter, closeDateFrom, extraFields, activityFields, cacheKey: null, cancellationToken)).Data;

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
        var closed = await ReadAsync("Opportunity", OpportunityFields(multiCurrency, []), s => s.Where("IsClosed", "=", true),
            SalesforceRecordMapper.ToOpportunity, cancellationToken);
        var openIds = open.Opportunities.Select(o => o.Id).ToHashSet(SalesforceId.Comparer);
        return new OrgData
        {
            Opportunities = [.. open.Opportunities, .. closed.Where(o => !openIds.Contains(o.Id))],
            OpportunityHistories = await ReadAsync("OpportunityHistory", SalesforceFields.OpportunityHistory, null, SalesforceRecordMapper.ToOpportunityHistory, cancellationToken),
            Tasks = open.Tasks,
            Events = open.Events,
            Accounts = await ReadAsync("Account", AccountFields(multiCurrency), null, SalesforceRecordMapper.ToAccount, cancellationToken),
            Users = await ReadSmallAsync("User", SalesforceFields.User, null, SalesforceRecordMapper.ToUser, cancellationToken),
            Stages = open.Stages,
            Currencies = open.Currencies,
            ExtractedAt = open.ExtractedAt,
        };
    }

    /// <summary>Reads whole objects and, with a <paramref name="cacheKey"/>, keeps them as a context for later runs.</summary>
    private async Task<(OrgData Data, CachedContext? Context)> ReadWholeAsync(
        OpportunityFilter filter, DateOnly? closeDateFrom, IReadOnlyList<string> extraFields, IReadOnlyList<string> activityFields, string? cacheKey, CancellationToken cancellationToken)
    {
        var extractedAt = time.GetUtcNow();
        var currencies = await ReadCurrenciesAsync(cancellationToken);
        var multiCurrency = currencies.Count > 0;
        var opportunities = await ReadAsync(
            "Opportunity",
            OpportunityFields(multiCurrency, extraFields),
            s =>
            {
                if (filter == OpportunityFilter.Closed)
                {
                    s.Where("IsClosed", "=", true);
                }

                if (closeDateFrom is { } from)
                {
                    s.Where("CloseDate", ">=", from);
                }
            },
            SalesforceRecordMapper.ToOpportunity,
            cancellationToken);
        var histories = await ReadAsync("OpportunityHistory", SalesforceFields.OpportunityHistory, null, SalesforceRecordMapper.ToOpportunityHistory, cancellationToken);
        var tasks = await ReadAsync("Task", [.. SalesforceFields.Task, .. activityFields], null, SalesforceRecordMapper.ToTask, cancellationToken);
        var events = await ReadAsync("Event", [.. SalesforceFields.Event, .. activityFields], null, SalesforceRecordMapper.ToEvent, cancellationToken);

        var accounts = await ReadAsync("Account", AccountFields(multiCurrency), null, SalesforceRecordMapper.ToAccount, cancellationToken);
        var data = new OrgData
        {
            Opportunities = opportunities,
            OpportunityHistories = histories,
            Tasks = tasks,
            Events = events,
            Accounts = accounts,
            Users = await ReadSmallAsync("User", SalesforceFields.User, null, SalesforceRecordMapper.ToUser, cancellationToken),
            Stages = await ReadStagesAsync(cancellationToken),
            Currencies = currencies,
            ExtractedAt = extractedAt,
        };
        if (cacheKey is null)
        {
            return (data, null);
        }

        var context = new CachedContext(cacheKey, multiCurrency);
        opportunities.ForEach(o => context.Opportunities.Put(o, o.SystemModstamp));
        histories.ForEach(h => context.Histories.Put(h, h.CreatedDate));
        tasks.ForEach(t => context.Tasks.Put(t, t.SystemModstamp));
        events.ForEach(e => context.Events.Put(e, e.SystemModstamp));
        accounts.ForEach(a => context.Accounts.Put(a, a.SystemModstamp));
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
        var currencies = await ReadCurrenciesAsync(cancellationToken);
        if (currencies.Count > 0 != context.MultiCurrency)
        {
            Log.ContextDropped(logger, "the org's currencies changed");
            return null;
        }

        var changed = await ReadChangesAsync(context.Opportunities, "Opportunity", OpportunityFields(context.MultiCurrency, extraFields), Modstamp,
            Stamped(SalesforceRecordMapper.ToOpportunity, o => o.SystemModstamp), cancellationToken);
        changed += await ReadChangesAsync(context.Histories, "OpportunityHistory", SalesforceFields.OpportunityHistory, "CreatedDate",
            Stamped(SalesforceRecordMapper.ToOpportunityHistory, h => h.CreatedDate), cancellationToken);
        changed += await ReadChangesAsync(context.Tasks, "Task", [.. SalesforceFields.Task, .. activityFields], Modstamp,
            Stamped(SalesforceRecordMapper.ToTask, t => t.SystemModstamp), cancellationToken);
        changed += await ReadChangesAsync(context.Events, "Event", [.. SalesforceFields.Event, .. activityFields], Modstamp,
            Stamped(SalesforceRecordMapper.ToEvent, e => e.SystemModstamp), cancellationToken);
        changed += await ReadChangesAsync(context.Accounts, "Account", AccountFields(context.MultiCurrency), Modstamp,
            Stamped(SalesforceRecordMapper.ToAccount, a => a.SystemModstamp), cancellationToken);
        var users = await ReadSmallAsync("User", SalesforceFields.User, null, SalesforceRecordMapper.ToUser, cancellationToken);
        var stages = await ReadStagesAsync(cancellationToken);
        Log.ContextRefreshed(logger, changed, context.Count);
        return context.ToOrgData(users, stages, currencies, extractedAt);
    }

    private async Task<int> ReadChangesAsync<T>(
        CachedObject<T> into, string objectName, IReadOnlyList<string> fields, string stampField,
        Func<IReadOnlyDictionary<string, string?>, StringPool?, (T Record, DateTimeOffset Stamp)> map, CancellationToken cancellationToken)
    {
        var soql = new SoqlBuilder(objectName).Select(fields);
        if (into.Watermark is { } latest)
        {
            // Salesforce stamps to the second and a transaction can commit after a later stamp was read: >= and the
            // overlap read a little again rather than miss a record.
            soql.Where(stampField, ">=", latest - options.Value.WatermarkOverlap);
        }

        var read = 0;
        var texts = SalesforceRecordMapper.NewPool();
        await foreach (var row in client.QueryAutoAsync(soql.Build(), (mode, count) => Log.ObjectRead(logger, objectName + " changes", count, Api(mode)), cancellationToken))
        {
            var (record, stamp) = map(row, texts);
            into.Put(record, stamp);
            read++;
        }

        return read;
    }

    private static Func<IReadOnlyDictionary<string, string?>, StringPool?, (T Record, DateTimeOffset Stamp)> Stamped<T>(
        Func<IReadOnlyDictionary<string, string?>, StringPool?, T> map, Func<T, DateTimeOffset> stampOf) =>
        (row, texts) =>
        {
            var record = map(row, texts);
            return (record, stampOf(record));
        };

    // What a cached context depends on besides the org: the Opportunity fields read and the model scoring them.
    private static string ContextKey(IReadOnlyList<string> extraFields, string modelVersion) =>
        string.Join('|', [modelVersion, .. extraFields.Order(StringComparer.OrdinalIgnoreCase)]);

    private async Task<List<CurrencyType>> ReadCurrenciesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ReadSmallAsync("CurrencyType", SalesforceFields.CurrencyType, null, SalesforceRecordMapper.ToCurrencyType, cancellationToken);
        }
        catch (SalesforceApiException e) when (e.ErrorCode == "INVALID_TYPE")
        {
            // Single-currency orgs have no CurrencyType and no CurrencyIsoCode fields.
            return [];
        }
    }

    private Task<List<OpportunityStage>> ReadStagesAsync(CancellationToken cancellationToken) =>
        ReadSmallAsync("OpportunityStage", SalesforceFields.OpportunityStage, s => s.OrderBy("SortOrder"), SalesforceRecordMapper.ToOpportunityStage, cancellationToken);

    // The features convert an Account's AnnualRevenue from its own currency (Account.Custom["CurrencyIsoCode"]);
    // the stamp tells a cached context which Accounts changed since it was read.
    private static string[] AccountFields(bool multiCurrency) =>
        [.. SalesforceFields.Account, Modstamp, .. multiCurrency ? [SalesforceFields.CurrencyIsoCode] : Array.Empty<string>()];

    private static string[] OpportunityFields(bool multiCurrency, IReadOnlyList<string> extraFields) =>
        [.. SalesforceFields.Opportunity, .. multiCurrency ? [SalesforceFields.CurrencyIsoCode] : Array.Empty<string>(), .. extraFields];

    /// <summary>Every row of an object that <paramref name="where"/> keeps: REST pages, or one Bulk job when the first page says it is large.</summary>
    private async Task<List<T>> ReadAsync<T>(
        string objectName, IReadOnlyList<string> fields, Action<SoqlBuilder>? where, Func<IReadOnlyDictionary<string, string?>, StringPool?, T> map, CancellationToken cancellationToken)
    {
        var soql = Query(objectName, where).Select(fields).Build();
        var texts = SalesforceRecordMapper.NewPool();
        return await MapAsync(client.QueryAutoAsync(soql, (mode, count) => Log.ObjectRead(logger, objectName, count, Api(mode)), cancellationToken), row => map(row, texts));
    }

    /// <summary>Every row of an object that is small in any org (users, stages, currencies): REST pages.</summary>
    private Task<List<T>> ReadSmallAsync<T>(
        string objectName, IReadOnlyList<string> fields, Action<SoqlBuilder>? where, Func<IReadOnlyDictionary<string, string?>, StringPool?, T> map, CancellationToken cancellationToken) =>
        MapAsync(client.QueryAsync(Query(objectName, where).Select(fields).Build(), cancellationToken), row => map(row, null));

    private static string Api(TransferMode mode) => mode == TransferMode.Bulk ? "Bulk API 2.0" : "REST";

    private static SoqlBuilder Query(string objectName, Action<SoqlBuilder>? where)
    {
        var soql = new SoqlBuilder(objectName);
        where?.Invoke(soql);
        return soql;
    }

    private static async Task<List<T>> MapAsync<T>(IAsyncEnumerable<IReadOnlyDictionary<string, string?>> rows, Func<IReadOnlyDictionary<string, string?>, T> map)
    {
        var result = new List<T>();
        await foreach (var row in rows)
        {
            result.Add(map(row));
        }

        return result;
    }
}
