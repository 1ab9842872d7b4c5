using Microsoft.Extensions.Logging;
using SfPredictor.Records;
using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce;

/// <summary>
/// Reads an org through the API, the one place that writes the queries: the Opportunities an <see cref="OrgQuery"/>
/// selects and the histories, activities, Accounts, Users, stages and currencies around them; or whole objects, or
/// what changed in them since a stamp (<see cref="ObjectRead"/>).
/// </summary>
/// <remarks>
/// Related records are fetched by <c>IN</c> lists of at most 300 Ids (a URI stays well under
/// Salesforce's 16 KB); beyond 3,000 Ids it is cheaper in API calls to read the whole object (through
/// Bulk when large) and keep the matching rows.
/// </remarks>
public sealed partial class SalesforceOrgReader(SalesforceClient client, TimeProvider timeProvider, ILogger<SalesforceOrgReader> logger)
{
    /// <summary>Ids per <c>IN</c> list (tests lower it to force several lists).</summary>
    internal int IdsPerQuery { get; init; } = SoqlBuilder.MaxIdsPerInList;

    /// <summary>Above this many Ids, the whole object is read and filtered here.</summary>
    internal int MaxIdsForFilteredRead { get; init; } = 3_000;

    /// <summary>Reads what <paramref name="query"/> asks for.</summary>
    /// <exception cref="SalesforceApiException">A call failed (see its ErrorCode).</exception>
    /// <exception cref="SalesforceDataException">A record has a value that does not fit its field.</exception>
    public async Task<OrgData> ReadAsync(OrgQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var extractedAt = timeProvider.GetUtcNow();
        var mode = query.Mode;

        // CurrencyType exists only in multi-currency orgs, and so does Opportunity.CurrencyIsoCode.
        var currencies = await ReadCurrenciesAsync(cancellationToken);
        string[] currencyField = currencies.Count == 0 ? [] : [SalesforceFields.CurrencyIsoCode];
        var opportunityFields = SalesforceFields.Opportunity
            .Concat(currencyField)
            .Concat(query.ExtraOpportunityFields.Select(f => Soql.Name(f)))
            .ToArray();
        var opportunities = await ReadSelectedOpportunitiesAsync(query, opportunityFields, cancellationToken);

        var opportunityIds = IdSet(opportunities.Select(o => o.Id));
        var accountIds = IdSet(opportunities.Select(o => o.AccountId));
        var activityKeys = new[] { ("WhatId", opportunityIds), ("AccountId", accountIds) };

        var histories = query.IncludeHistories
            ? await ReadByIdsAsync("OpportunityHistory", SalesforceFields.OpportunityHistory, [("OpportunityId", opportunityIds)], mode,
                SalesforceRecordMapper.ToOpportunityHistory, cancellationToken)
            : [];
        var tasks = query.IncludeTasks
            ? await ReadByIdsAsync("Task", [.. SalesforceFields.Task, .. query.ExtraActivityFields.Select(f => Soql.Name(f))], activityKeys, mode, SalesforceRecordMapper.ToTask, cancellationToken)
            : [];
        var events = query.IncludeEvents
            ? await ReadByIdsAsync("Event", [.. SalesforceFields.Event, .. query.ExtraActivityFields.Select(f => Soql.Name(f))], activityKeys, mode, SalesforceRecordMapper.ToEvent, cancellationToken)
            : [];
        var accounts = query.IncludeAccounts
            // The features convert AnnualRevenue from the Account's own currency (Custom["CurrencyIsoCode"]).
            ? await ReadByIdsAsync("Account", [.. SalesforceFields.Account, .. currencyField], [("Id", accountIds)], mode, SalesforceRecordMapper.ToAccount, cancellationToken)
            : [];

        var ownerIds = IdSet(opportunities.Select(o => o.OwnerId)
            .Concat(accounts.Select(a => a.OwnerId))
            .Concat(tasks.Select(t => t.OwnerId))
            .Concat(events.Select(e => e.OwnerId)));
        var users = query.IncludeUsers
            ? await ReadByIdsAsync("User", SalesforceFields.User, [("Id", ownerIds)], mode, SalesforceRecordMapper.ToUser, cancellationToken)
            : [];
        var stages = query.IncludeStages
            ? await ReadAsync(() => new SoqlBuilder("OpportunityStage").OrderBy("SortOrder"), SalesforceFields.OpportunityStage, TransferMode.Rest,
                SalesforceRecordMapper.ToOpportunityStage, cancellationToken)
            : [];

        return new OrgData
        {
            Opportunities = opportunities,
            OpportunityHistories = histories,
            Tasks = tasks,
            Events = events,
            Accounts = accounts,
            Users = users,
            Stages = stages,
            Currencies = query.IncludeCurrencies ? currencies : [],
            ExtractedAt = extractedAt,
        };
    }

    private async Task<List<Opportunity>> ReadSelectedOpportunitiesAsync(OrgQuery query, string[] fields, CancellationToken cancellationToken)
    {
        SoqlBuilder InScope()
        {
            var soql = new SoqlBuilder("Opportunity");
            if (query.Scope != OpportunityScope.All)
            {
                soql.Where("IsClosed", "=", query.Scope == OpportunityScope.Closed);
            }

            if (query.CloseDateFrom is { } from)
            {
                soql.Where("CloseDate", ">=", from);
            }

            return soql;
        }

        return query.OpportunityIds is { } ids
            ? await ReadByIdsAsync("Opportunity", fields, [("Id", NormalizedIds(ids))], query.Mode, SalesforceRecordMapper.ToOpportunity, InScope, cancellationToken)
            : await ReadAsync(InScope, fields, query.Mode, SalesforceRecordMapper.ToOpportunity, cancellationToken);
    }

    /// <summary>
    /// Rows of <paramref name="objectName"/> whose key fields hold one of the given Ids (any key
    /// matching is enough), each record once.
    /// </summary>
    private Task<List<T>> ReadByIdsAsync<T>(
        string objectName,
        IReadOnlyList<string> fields,
        IReadOnlyList<(string Field, HashSet<string> Ids)> keys,
        TransferMode mode,
        Func<IReadOnlyDictionary<string, string?>, StringPool?, T> map,
        CancellationToken cancellationToken) =>
        ReadByIdsAsync(objectName, fields, keys, mode, map, () => new SoqlBuilder(objectName), cancellationToken);

    private async Task<List<T>> ReadByIdsAsync<T>(
        string objectName,
        IReadOnlyList<string> fields,
        IReadOnlyList<(string Field, HashSet<string> Ids)> keys,
        TransferMode mode,
        Func<IReadOnlyDictionary<string, string?>, StringPool?, T> map,
        Func<SoqlBuilder> filter,
        CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(SalesforceId.Comparer);
        var result = new List<T>();
        var texts = SalesforceRecordMapper.NewPool();
        void Keep(IReadOnlyDictionary<string, string?> row)
        {
            if (seen.Add(new RowReader(objectName, row).RecordId()))
            {
                result.Add(map(row, texts));
            }
        }

        var total = keys.Sum(k => k.Ids.Count);
        if (total == 0)
        {
            return result;
        }

        if (total > MaxIdsForFilteredRead)
        {
            await foreach (var row in RowsAsync(filter, fields, mode, cancellationToken))
            {
                if (keys.Any(k => new RowReader(objectName, row).OptionalId(k.Field) is { } id && k.Ids.Contains(id)))
                {
                    Keep(row);
                }
            }

            return result;
        }

        // Small IN lists: counting first would cost as much as the read.
        var chunkMode = mode == TransferMode.Auto ? TransferMode.Rest : mode;
        foreach (var (field, ids) in keys)
        {
            foreach (var chunk in ids.Order(StringComparer.Ordinal).Chunk(IdsPerQuery))
            {
                await foreach (var row in RowsAsync(() => filter().WhereIdIn(field, chunk), fields, chunkMode, cancellationToken))
                {
                    Keep(row);
                }
            }
        }

        return result;
    }

    private async Task<List<T>> ReadAsync<T>(
        Func<SoqlBuilder> filter, IReadOnlyList<string> fields, TransferMode mode, Func<IReadOnlyDictionary<string, string?>, StringPool?, T> map, CancellationToken cancellationToken)
    {
        var result = new List<T>();
        var texts = SalesforceRecordMapper.NewPool();
        await foreach (var row in RowsAsync(filter, fields, mode, cancellationToken))
        {
            result.Add(map(row, texts));
        }

        return result;
    }

    /// <summary>The rows of a query, through REST or Bulk; Auto counts first and picks Bulk above the threshold.</summary>
    private async IAsyncEnumerable<IReadOnlyDictionary<string, string?>> RowsAsync(
        Func<SoqlBuilder> filter,
        IReadOnlyList<string> fields,
        TransferMode mode,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (mode == TransferMode.Auto)
        {
            var count = await client.CountAsync(filter().SelectCount().Build(), cancellationToken);
            mode = count > client.Options.BulkThreshold ? TransferMode.Bulk : TransferMode.Rest;
            Log.ReadMode(logger, filter().ObjectName, mode, count);
        }

        var soql = filter().Select(fields).Build();
        var rows = mode == TransferMode.Bulk
            ? client.BulkQueryAsync(soql, cancellationToken: cancellationToken)
            : client.QueryAsync(soql, cancellationToken);
        await foreach (var row in rows)
        {
            yield return row;
        }
    }

    private static HashSet<string> NormalizedIds(IEnumerable<string> ids) =>
        IdSet(ids.Select(id => SalesforceId.TryNormalize(id, out var normalized)
            ? normalized
            : throw new ArgumentException($"OrgQuery.OpportunityIds holds '{id}', which is not a Salesforce Id.", nameof(ids))));

    private static HashSet<string> IdSet(IEnumerable<string?> ids) =>
        new(ids.OfType<string>(), SalesforceId.Comparer);
}
