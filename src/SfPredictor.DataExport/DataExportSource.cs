using SfPredictor.Records;
using SfPredictor.Records.Sources;

namespace SfPredictor.DataExport;

/// <summary>
/// An org read from a Data Export, as a source of scoring runs (<c>sfp recommend</c>). Every read hands over the
/// whole org; what changed since a watermark is found in the records' own stamps, by the rules the Salesforce
/// source asks the API with. An export does not change under a run, so nothing anyone else did can land between
/// a run's writes.
/// </summary>
/// <param name="data">The records.</param>
public sealed class DataExportSource(OrgData data) : IOrgSource
{
    /// <summary>The records.</summary>
    public OrgData Data { get; } = data ?? throw new ArgumentNullException(nameof(data));

    /// <inheritdoc/>
    public Task<SourceRead> ReadAsync(SourceSelection selection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return Task.FromResult(new SourceRead(Data, HasEveryOpenOpportunity: true));
    }

    /// <inheritdoc/>
    public Task<OrgData?> ReadChangedAsync(SourceSelection selection, ObjectStamps since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(since);
        static bool From(DateTimeOffset stamp, DateTimeOffset? start) => start is not { } s || stamp >= s;
        return Task.FromResult<OrgData?>(since.MultiCurrency != Data.Currencies.Count > 0 || Data.ActivityRelations.Count > 0 ? null : new OrgData
        {
            Opportunities = [.. Data.Opportunities.Where(o => From(o.SystemModstamp, since.Opportunity))],
            OpportunityHistories = [.. Data.OpportunityHistories.Where(h => From(h.CreatedDate, since.History))],
            Tasks = [.. Data.Tasks.Where(t => From(t.SystemModstamp, since.Task))],
            Events = [.. Data.Events.Where(e => From(e.SystemModstamp, since.Event))],
            Accounts = [.. Data.Accounts.Where(a => From(a.SystemModstamp, since.Account))],
            Users = Data.Users,
            Stages = Data.Stages,
            Currencies = Data.Currencies,
            ExtractedAt = Data.ExtractedAt,
        });
    }

    /// <inheritdoc/>
    public Task<ChangeSet> FindChangesAsync(DateTimeOffset since, CancellationToken cancellationToken) => Task.FromResult(FindChanges(since));

    /// <inheritdoc/>
    public Task<DateTimeOffset?> LatestStampAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult(OpenChanged(since, upTo: null).Max(o => (DateTimeOffset?)o.SystemModstamp));

    /// <inheritdoc/>
    public Task<DateTimeOffset> SettleAsync(DateTimeOffset since, DateTimeOffset lastStamp, IReadOnlySet<string> written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);
        var others = OpenChanged(lastStamp, upTo: null).Select(o => o.SystemModstamp)
            .Concat(OpenChanged(since, lastStamp).Where(o => !written.Contains(o.Id)).Select(o => o.SystemModstamp))
            .Concat(FindChanges(since, includeRecords: false).RelatedChanges.Values)
            .ToList();
        return Task.FromResult(others.Count == 0 ? lastStamp : others.Min().AddTicks(-1));
    }

    private IEnumerable<Opportunity> OpenChanged(DateTimeOffset since, DateTimeOffset? upTo) =>
        Data.Opportunities.Where(o => !o.IsClosed && o.SystemModstamp > since && (upTo is not { } end || o.SystemModstamp <= end));

    private ChangeSet FindChanges(DateTimeOffset since, bool includeRecords = true)
    {
        var changed = new Dictionary<string, DateTimeOffset>(SalesforceId.Comparer);
        var related = new Dictionary<string, DateTimeOffset>(SalesforceId.Comparer);
        var accounts = new Dictionary<string, DateTimeOffset>(SalesforceId.Comparer);
        var activities = Data.Activities().Where(a => a.SystemModstamp > since).ToList();
        if (includeRecords)
        {
            foreach (var opportunity in OpenChanged(since, upTo: null))
            {
                Later(changed, opportunity.Id, opportunity.SystemModstamp);
            }
        }

        foreach (var activity in activities)
        {
            var (opportunity, account) = activity.Link;
            if (opportunity is not null)
            {
                Later(related, opportunity, activity.SystemModstamp);
            }
            else if (account is not null)
            {
                Later(accounts, account, activity.SystemModstamp);
            }
        }

        var histories = Data.OpportunityHistories.Where(h => h.CreatedDate > since).ToList();
        foreach (var history in histories)
        {
            Later(related, history.OpportunityId, history.CreatedDate);
        }

        foreach (var opportunity in Data.Opportunities.Where(o => !o.IsClosed && o.AccountId is not null && accounts.ContainsKey(o.AccountId)))
        {
            Later(related, opportunity.Id, accounts[opportunity.AccountId!]);
        }

        // Every change read counts for the latest stamp, an activity linked to nothing too (as the API's reads do).
        var latest = changed.Values.Concat(activities.Select(a => a.SystemModstamp)).Concat(histories.Select(h => h.CreatedDate))
            .Max(stamp => (DateTimeOffset?)stamp);
        return new ChangeSet(changed, related, latest);
    }

    private static void Later(Dictionary<string, DateTimeOffset> into, string id, DateTimeOffset stamp) =>
        into[id] = into.TryGetValue(id, out var seen) && seen > stamp ? seen : stamp;
}
