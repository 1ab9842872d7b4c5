using Google.Protobuf;
using SfPredictor.Records;

namespace SfPredictor.Worker.ChangeEvents;

/// <summary>What a batch of change events asks for: the records to rescore, and where each stream got to.</summary>
/// <param name="Opportunities">Opportunities changed, or whose activities carried their Id.</param>
/// <param name="Activities">Activity Ids (by object) whose events did not say what they relate to: looked up before scoring.</param>
/// <param name="Accounts">Accounts whose open Opportunities are affected (activities on the Account, Account changes).</param>
/// <param name="ReplayIds">Per channel, the replay id of the last event in the batch: kept once the batch is handled.</param>
/// <param name="Events">Events in the batch.</param>
/// <param name="Own">Of them, events of the worker's own writes (ignored).</param>
/// <param name="CatchUp">A stream could not resume: run one incremental run first.</param>
internal sealed record PendingChanges(
    IReadOnlySet<string> Opportunities,
    IReadOnlyDictionary<string, HashSet<string>> Activities,
    IReadOnlySet<string> Accounts,
    IReadOnlyDictionary<string, ByteString> ReplayIds,
    int Events,
    int Own,
    bool CatchUp)
{
    /// <summary>Whether anything is to be scored (else handling it only keeps the replay ids).</summary>
    public bool HasWork => Opportunities.Count > 0 || Activities.Count > 0 || Accounts.Count > 0 || CatchUp;
}

/// <summary>
/// Collects change events from every stream until the debounce ends, then hands them over as one batch. Events of
/// the worker's own writes are counted (their replay ids still advance) but name nothing to score, so write-back never
/// triggers another run.
/// </summary>
internal sealed class ChangeBatch(string ownClient)
{
    private readonly object _gate = new();
    private HashSet<string> _opportunities = new(SalesforceId.Comparer);
    private Dictionary<string, HashSet<string>> _activities = new(StringComparer.OrdinalIgnoreCase);
    private HashSet<string> _accounts = new(SalesforceId.Comparer);
    private Dictionary<string, ByteString> _replayIds = new(StringComparer.Ordinal);
    private int _events;
    private int _own;
    private bool _catchUp;
    private long _ownReceived;
    private long _othersReceived;
    private TaskCompletionSource _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether no event waits to be handled.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _events == 0 && !_catchUp;
            }
        }
    }

    /// <summary>Events of the worker's own writes received since start (for tests and logs).</summary>
    public long OwnReceived => Interlocked.Read(ref _ownReceived);

    /// <summary>
    /// Events of other changes received since start, undecodable ones included (for tests and logs). Counted apart from
    /// <see cref="OwnReceived"/> because write-back events keep arriving after a run, so a total says nothing of either.
    /// </summary>
    public long OthersReceived => Interlocked.Read(ref _othersReceived);

    /// <summary>
    /// Whether an event comes from the worker's own write-back: its origin names this client, or (for a client that
    /// sent no name) an Opportunity update committed by the integration user.
    /// </summary>
    public bool IsOwn(ChangeEvent change, string? integrationUser)
    {
        var client = change.ChangeOrigin.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("client=", StringComparison.OrdinalIgnoreCase))?["client=".Length..];
        if (client is not null)
        {
            return client.Equals(ownClient, StringComparison.Ordinal);
        }

        return integrationUser is not null
            && SalesforceId.Comparer.Equals(change.CommitUser, integrationUser)
            && change.EntityName.Equals("Opportunity", StringComparison.OrdinalIgnoreCase)
            && change.ChangeType == "UPDATE";
    }

    /// <summary>Adds an event (null when it could not be decoded: its position still counts).</summary>
    public void Add(string topic, ByteString replayId, ChangeEvent? change, string? integrationUser)
    {
        lock (_gate)
        {
            _replayIds[topic] = replayId;
            _events++;
            if (change is not null && IsOwn(change, integrationUser))
            {
                _own++;
                Interlocked.Increment(ref _ownReceived);
            }
            else
            {
                if (change is not null)
                {
                    Classify(change);
                }

                Interlocked.Increment(ref _othersReceived);
            }

            _pending.TrySetResult();
        }
    }

    /// <summary>Asks for one incremental run with the next batch.</summary>
    public void RequestCatchUp()
    {
        lock (_gate)
        {
            _catchUp = true;
            _pending.TrySetResult();
        }
    }

    /// <summary>Completes once something is pending.</summary>
    public Task WhenPendingAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _pending.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Takes everything collected so far.</summary>
    public PendingChanges Take()
    {
        lock (_gate)
        {
            var taken = new PendingChanges(_opportunities, _activities, _accounts, _replayIds, _events, _own, _catchUp);
            _opportunities = new HashSet<string>(SalesforceId.Comparer);
            _activities = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
            _accounts = new HashSet<string>(SalesforceId.Comparer);
            _replayIds = new Dictionary<string, ByteString>(StringComparer.Ordinal);
            (_events, _own, _catchUp) = (0, 0, false);
            _pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return taken;
        }
    }

    /// <summary>Puts back a batch that could not be handled; replay ids received since stay the newer ones.</summary>
    public void Return(PendingChanges batch)
    {
        lock (_gate)
        {
            _opportunities.UnionWith(batch.Opportunities);
            foreach (var (entity, ids) in batch.Activities)
            {
                Activities(entity).UnionWith(ids);
            }

            _accounts.UnionWith(batch.Accounts);
            foreach (var (topic, replayId) in batch.ReplayIds)
            {
                _replayIds.TryAdd(topic, replayId);
            }

            _events += batch.Events;
            _own += batch.Own;
            _catchUp |= batch.CatchUp;
            _pending.TrySetResult();
        }
    }

    private void Classify(ChangeEvent change)
    {
        var deleted = change.ChangeType.EndsWith("DELETE", StringComparison.Ordinal) && !change.ChangeType.StartsWith("GAP", StringComparison.Ordinal);
        switch (change.EntityName)
        {
            case "Opportunity":
                // A deleted Opportunity has no score to write.
                if (!deleted)
                {
                    _opportunities.UnionWith(change.RecordIds);
                }

                break;
            case "Account":
                _accounts.UnionWith(change.RecordIds);
                break;
            case "Task" or "Event":
                var (opportunity, account) = Activity.LinkOf(change.WhatId, change.AccountId);
                if (opportunity is not null)
                {
                    _opportunities.Add(opportunity);
                }
                else if (account is not null)
                {
                    _accounts.Add(account);
                }
                else if ((change.WhatId ?? change.AccountId) is null)
                {
                    // An update that left WhatId alone, a delete or a gap event says nothing of the activity's links.
                    Activities(change.EntityName).UnionWith(change.RecordIds);
                }

                break;
        }
    }

    private HashSet<string> Activities(string entity)
    {
        if (!_activities.TryGetValue(entity, out var ids))
        {
            ids = new HashSet<string>(SalesforceId.Comparer);
            _activities[entity] = ids;
        }

        return ids;
    }
}
