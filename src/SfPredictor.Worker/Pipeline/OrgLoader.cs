using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.Records;
using SfPredictor.Salesforce;

namespace SfPredictor.Worker.Pipeline;

/// <summary>Which Opportunities a whole-org read keeps.</summary>
public enum OpportunityFilter
{
    /// <summary>Open and closed.</summary>
    All,

    /// <summary>Closed only (training).</summary>
    Closed,
}

/// <summary>
/// Reads what scoring (or training) needs through the API: the Opportunities with their current SfPredictor
/// values, their histories and activities, Accounts, Users, stages, currencies, and the closed Opportunities
/// with their histories (the Account's and owner's past outcomes are features).
/// <para>
/// A few Opportunities are read by Id lists (<see cref="SalesforceOrgReader"/>, a call per 300 Ids per object).
/// Anything larger reads whole objects: a count, then REST pages of 2,000 or, above
/// <c>Salesforce:BulkThreshold</c>, one Bulk API 2.0 job — a handful of calls per object however large the org.
/// </para>
/// </summary>
public sealed class OrgLoader(SalesforceClient client, SalesforceOrgReader reader, IOptions<WorkerOptions> options, TimeProvider time, ILogger<OrgLoader> logger)
{
    /// <summary>
    /// Reads the open Opportunities <paramref name="ids"/> (every open one when null) and their context.
    /// Every Opportunity returned that is open and (when given) in <paramref name="ids"/> is to be scored.
    /// </summary>
    public async Task<OrgData> LoadForScoringAsync(IReadOnlyCollection<string>? ids, IReadOnlyList<string> extraFields, CancellationToken cancellationToken)
    {
        if (ids is null || ReadsWholeObjects(ids.Count))
        {
            return await LoadWholeAsync(OpportunityFilter.All, null, extraFields, cancellationToken);
        }

        if (ids.Count == 0)
        {
            return new OrgData();
        }

        // The selected Opportunities and their activities by Id; the rest whole, which costs about as little.
        var open = await reader.ReadAsync(
            new OrgQuery
            {
                Scope = OpportunityScope.Open,
                OpportunityIds = ids,
                ExtraOpportunityFields = extraFields,
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

    /// <summary>Whether a selection this large is cheaper to read as whole objects.</summary>
    public bool ReadsWholeObjects(int selected) => selected > options.Value.FullReadThreshold;

    /// <summary>Reads whole objects: the Opportunities <paramref name="filter"/> keeps, and every related record.</summary>
    public async Task<OrgData> LoadWholeAsync(OpportunityFilter filter, DateOnly? closeDateFrom, IReadOnlyList<string> extraFields, CancellationToken cancellationToken)
    {
        var extractedAt = time.GetUtcNow();
        List<CurrencyType> currencies;
        try
        {
            currencies = await ReadSmallAsync("CurrencyType", SalesforceFields.CurrencyType, null, SalesforceRecordMapper.ToCurrencyType, cancellationToken);
        }
        catch (SalesforceApiException e) when (e.ErrorCode == "INVALID_TYPE")
        {
            // Single-currency orgs have no CurrencyType and no Opportunity.CurrencyIsoCode.
            currencies = [];
        }

        var opportunities = await ReadAsync(
            "Opportunity",
            OpportunityFields(currencies.Count > 0, extraFields),
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
        return new OrgData
        {
            Opportunities = opportunities,
            OpportunityHistories = await ReadAsync("OpportunityHistory", SalesforceFields.OpportunityHistory, null, SalesforceRecordMapper.ToOpportunityHistory, cancellationToken),
            Tasks = await ReadAsync("Task", SalesforceFields.Task, null, SalesforceRecordMapper.ToTask, cancellationToken),
            Events = await ReadAsync("Event", SalesforceFields.Event, null, SalesforceRecordMapper.ToEvent, cancellationToken),
            Accounts = await ReadAsync("Account", AccountFields(currencies.Count > 0), null, SalesforceRecordMapper.ToAccount, cancellationToken),
            Users = await ReadSmallAsync("User", SalesforceFields.User, null, SalesforceRecordMapper.ToUser, cancellationToken),
            Stages = await ReadSmallAsync("OpportunityStage", SalesforceFields.OpportunityStage, s => s.OrderBy("SortOrder"), SalesforceRecordMapper.ToOpportunityStage, cancellationToken),
            Currencies = currencies,
            ExtractedAt = extractedAt,
        };
    }

    // The features convert an Account's AnnualRevenue from its own currency (Account.Custom["CurrencyIsoCode"]).
    private static string[] AccountFields(bool multiCurrency) =>
        [.. SalesforceFields.Account, .. multiCurrency ? [SalesforceFields.CurrencyIsoCode] : Array.Empty<string>()];

    private static string[] OpportunityFields(bool multiCurrency, IReadOnlyList<string> extraFields) =>
        [.. SalesforceFields.Opportunity, .. multiCurrency ? [SalesforceFields.CurrencyIsoCode] : Array.Empty<string>(), .. extraFields];

    /// <summary>Every row of an object that <paramref name="where"/> keeps: counted first, then REST pages or one Bulk job.</summary>
    private async Task<List<T>> ReadAsync<T>(
        string objectName, IReadOnlyList<string> fields, Action<SoqlBuilder>? where, Func<IReadOnlyDictionary<string, string?>, T> map, CancellationToken cancellationToken)
    {
        var count = await client.CountAsync(Query(objectName, where).SelectCount().Build(), cancellationToken);
        var bulk = count > client.Options.BulkThreshold;
        Telemetry.Log.ObjectRead(logger, objectName, count, bulk ? "Bulk API 2.0" : "REST");
        var soql = Query(objectName, where).Select(fields).Build();
        return await MapAsync(bulk ? client.BulkQueryAsync(soql, cancellationToken: cancellationToken) : client.QueryAsync(soql, cancellationToken), map);
    }

    /// <summary>Every row of an object that is small in any org (users, stages, currencies): REST pages, no count.</summary>
    private Task<List<T>> ReadSmallAsync<T>(
        string objectName, IReadOnlyList<string> fields, Action<SoqlBuilder>? where, Func<IReadOnlyDictionary<string, string?>, T> map, CancellationToken cancellationToken) =>
        MapAsync(client.QueryAsync(Query(objectName, where).Select(fields).Build(), cancellationToken), map);

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
