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
    public Task<ChangeSet> FindChangesAsync(DateTimeOffset since, CancellationToken cancellationToken) => Task.FromResult(FindChanges(since));

    /// <inheritdoc/>
    public Task<DateTimeOffset?> LatestStampAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var stamps = OpenChanged(since, upTo: null).Select(o => o.SystemModstamp).ToList();
        return Task.FromResult(stamps.Count == 0 ? (DateTimeOffset?)null : stamps.Max());
    }

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
        DateTimeOffset? latest = null;

        void Note(Dictionary<string, DateTimeOffset>? into, string? id, DateTimeOffset stamp)
        {
            if (into is not null && id is not null)
            {
                into[id] = into.TryGetValue(id, out var seen) && seen > stamp ? seen : stamp;
            }

            latest = latest is { } l && l > stamp ? l : stamp;
        }

        if (includeRecords)
        {
            foreach (var opportunity in OpenChanged(since, upTo: null))
            {
                Note(changed, opportunity.Id, opportunity.SystemModstamp);
            }
        }

        foreach (var activity in Data.Activities().Where(a => a.SystemModstamp > since))
        {
            switch (activity.Link)
            {
                case ({ } opportunity, _):
                    Note(related, opportunity, activity.SystemModstamp);
                    break;
                case (_, { } account):
                    Note(accounts, account, activity.SystemModstamp);
                    break;
                default:
                    Note(null, null, activity.SystemModstamp);
                    break;
            }
        }

        foreach (var history in Data.OpportunityHistories.Where(h => h.CreatedDate > since))
        {
            Note(related, history.OpportunityId, history.CreatedDate);
        }

        foreach (var opportunity in Data.Opportunities.Where(o => !o.IsClosed && o.AccountId is not null && accounts.ContainsKey(o.AccountId)))
        {
            var stamp = accounts[opportunity.AccountId!];
            related[opportunity.Id] = related.TryGetValue(opportunity.Id, out var seen) && seen > stamp ? seen : stamp;
        }

        return new ChangeSet(changed, related, latest);
    }
}
