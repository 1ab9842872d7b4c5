using SfPredictor.Records;
using SfPredictor.Records.Sources;

namespace SfPredictor.Salesforce;

/// <summary>
/// Finds what an incremental run must score: open Opportunities whose SystemModstamp is after the
/// watermark, plus those whose Tasks or Events (by SystemModstamp) or history rows (by CreatedDate) are.
/// An activity on an Account counts for every open Opportunity of that Account, as it does in the features.
/// Each query selects only Ids and stamps, so it costs one call per 2,000 changes.
/// </summary>
/// <param name="client">The client the queries go through.</param>
public sealed class SalesforceChanges(SalesforceClient client)
{
    /// <summary>The latest SystemModstamp of an open Opportunity changed after <paramref name="since"/> (one call).</summary>
    /// <param name="since">The stamp to look after.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<DateTimeOffset?> LatestStampAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var soql = OpenChanged(since, upTo: null).Select("SystemModstamp").OrderBy("SystemModstamp", descending: true).Limit(1).Build();
        await foreach (var row in client.QueryAsync(soql, cancellationToken))
        {
            return Stamp(row, "SystemModstamp");
        }

        return null;
    }

    /// <summary>
    /// Where the watermark may go once a run's writes are safely in the past: past them, but before the earliest
    /// change anyone else made since the run's watermark. Changes after the run's last stamp are someone else's;
    /// within the run, a count tells whether any Opportunity besides the written ones changed, so the usual case
    /// costs a handful of calls instead of reading every written Id back.
    /// </summary>
    /// <param name="since">The watermark the run read changes after.</param>
    /// <param name="lastStamp">The latest stamp of an open Opportunity once the run had written.</param>
    /// <param name="written">The Opportunities the run wrote.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public async Task<DateTimeOffset> SettleAsync(DateTimeOffset since, DateTimeOffset lastStamp, IReadOnlySet<string> written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);
        var later = await OpenChangesAsync(lastStamp, upTo: null, cancellationToken);
        var others = later.Values.ToList();
        var duringRun = await client.CountAsync(OpenChanged(since, lastStamp).SelectCount().Build(), cancellationToken);
        if (duringRun != written.Count - later.Keys.Count(written.Contains))
        {
            var during = await OpenChangesAsync(since, lastStamp, cancellationToken);
            others.AddRange(during.Where(c => !written.Contains(c.Key)).Select(c => c.Value));
        }

        others.AddRange((await FindAsync(since, cancellationToken, includeRecords: false)).RelatedChanges.Values);
        return others.Count == 0 ? lastStamp : others.Min().AddTicks(-1);
    }

    private static SoqlBuilder OpenChanged(DateTimeOffset since, DateTimeOffset? upTo)
    {
        var soql = new SoqlBuilder("Opportunity").Where("IsClosed", "=", false).Where("SystemModstamp", ">", since);
        return upTo is { } end ? soql.Where("SystemModstamp", "<=", end) : soql;
    }

    private async Task<Dictionary<string, DateTimeOffset>> OpenChangesAsync(DateTimeOffset since, DateTimeOffset? upTo, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<string, DateTimeOffset>(SalesforceId.Comparer);
        await foreach (var row in client.QueryAsync(OpenChanged(since, upTo).Select("Id", "SystemModstamp").Build(), cancellationToken))
        {
            changes[Id(row, "Id")!] = Stamp(row, "SystemModstamp");
        }

        return changes;
    }

    /// <summary>The open Opportunities changed after <paramref name="since"/>, themselves or through their activities and history.</summary>
    /// <param name="since">The stamp to look after.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <param name="includeRecords">Whether the Opportunities' own changes count (else only related ones).</param>
    public async Task<ChangeSet> FindAsync(DateTimeOffset since, CancellationToken cancellationToken, bool includeRecords = true)
    {
        var changed = new Dictionary<string, DateTimeOffset>(SalesforceId.Comparer);
        var related = new Dictionary<string, DateTimeOffset>(SalesforceId.Comparer);
        var accounts = new Dictionary<string, DateTimeOffset>(SalesforceId.Comparer);
        DateTimeOffset? latest = null;

        void Note(Dictionary<string, DateTimeOffset> into, string id, DateTimeOffset stamp)
        {
            into[id] = into.TryGetValue(id, out var seen) && seen > stamp ? seen : stamp;
            latest = latest is { } l && l > stamp ? l : stamp;
        }

        if (includeRecords)
        {
            foreach (var (id, stamp) in await OpenChangesAsync(since, upTo: null, cancellationToken))
            {
                Note(changed, id, stamp);
            }
        }

        foreach (var activity in new[] { "Task", "Event" })
        {
            var soql = new SoqlBuilder(activity).Select("WhatId", "AccountId", "SystemModstamp").Where("SystemModstamp", ">", since).Build();
            await foreach (var row in client.QueryAsync(soql, cancellationToken))
            {
                var stamp = Stamp(row, "SystemModstamp");
                switch (RelatedTo(row))
                {
                    case ({ } opportunity, _):
                        Note(related, opportunity, stamp);
                        break;
                    case (_, { } account):
                        Note(accounts, account, stamp);
                        break;
                    default:
                        latest = latest is { } l && l > stamp ? l : stamp;
                        break;
                }
            }
        }

        var histories = new SoqlBuilder("OpportunityHistory").Select("OpportunityId", "CreatedDate").Where("CreatedDate", ">", since).Build();
        await foreach (var row in client.QueryAsync(histories, cancellationToken))
        {
            Note(related, Id(row, "OpportunityId")!, Stamp(row, "CreatedDate"));
        }

        foreach (var chunk in accounts.Keys.Order(StringComparer.Ordinal).Chunk(SoqlBuilder.MaxIdsPerInList))
        {
            var soql = new SoqlBuilder("Opportunity").Select("Id", "AccountId").Where("IsClosed", "=", false).WhereIdIn("AccountId", chunk).Build();
            await foreach (var row in client.QueryAsync(soql, cancellationToken))
            {
                var id = Id(row, "Id")!;
                var stamp = accounts[Id(row, "AccountId")!];
                related[id] = related.TryGetValue(id, out var seen) && seen > stamp ? seen : stamp;
            }
        }

        return new ChangeSet(changed, related, latest);
    }

    /// <summary>
    /// The open Opportunities that activities and Accounts stand for, as change events name them: the activities are read
    /// back (deleted ones too) for what they relate to, and an Account stands for its open Opportunities. A call per
    /// <see cref="SoqlBuilder.MaxIdsPerInList"/> Ids.
    /// </summary>
    /// <param name="activities">Task or Event Ids by object name.</param>
    /// <param name="accounts">Account Ids.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public async Task<HashSet<string>> OpenOpportunitiesOfAsync(
        IReadOnlyDictionary<string, HashSet<string>> activities, IEnumerable<string> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activities);
        var opportunities = new HashSet<string>(SalesforceId.Comparer);
        var allAccounts = new HashSet<string>(accounts, SalesforceId.Comparer);
        foreach (var (entity, ids) in activities)
        {
            foreach (var chunk in ids.Order(StringComparer.Ordinal).Chunk(SoqlBuilder.MaxIdsPerInList))
            {
                var soql = new SoqlBuilder(entity).Select("Id", "WhatId", "AccountId").WhereIdIn("Id", chunk).Build();
                await foreach (var row in client.QueryAllAsync(soql, cancellationToken))
                {
                    var (opportunity, account) = RelatedTo(row);
                    if (opportunity is not null)
                    {
                        opportunities.Add(opportunity);
                    }
                    else if (account is not null)
                    {
                        allAccounts.Add(account);
                    }
                }
            }
        }

        foreach (var chunk in allAccounts.Order(StringComparer.Ordinal).Chunk(SoqlBuilder.MaxIdsPerInList))
        {
            var soql = new SoqlBuilder("Opportunity").Select("Id").Where("IsClosed", "=", false).WhereIdIn("AccountId", chunk).Build();
            await foreach (var row in client.QueryAsync(soql, cancellationToken))
            {
                if (Id(row, "Id") is { } id)
                {
                    opportunities.Add(id);
                }
            }
        }

        return opportunities;
    }

    // An activity counts for the Opportunity it is on, else for the Account it is on or rolls up to (as in the features).
    private static (string? Opportunity, string? Account) RelatedTo(IReadOnlyDictionary<string, string?> row) =>
        Activity.LinkOf(Id(row, "WhatId"), Id(row, "AccountId"));

    private static string? Id(IReadOnlyDictionary<string, string?> row, string field) =>
        row.GetValueOrDefault(field) is { Length: > 0 } text
            ? RecordValues.TryParseId(text, out var id) ? id : throw new SalesforceDataException($"{field} '{text}' is not a Salesforce Id.")
            : null;

    // REST answers 2024-05-01T10:00:00.000+0000, Bulk CSV 2024-05-01T10:00:00.000Z: the one record value parser reads both.
    internal static DateTimeOffset Stamp(IReadOnlyDictionary<string, string?> row, string field)
    {
        var text = row.GetValueOrDefault(field);
        return RecordValues.TryParseDateTime(text, out var value)
            ? value
            : throw new SalesforceDataException($"{field} '{text}' is not a timestamp.");
    }
}
