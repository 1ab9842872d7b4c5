namespace SfPredictor.Worker.State;

/// <summary>
/// What a scoring run keeps between runs: its watermarks, the retry list, what the last run wrote and the run
/// reports. The worker keeps it in its database (<see cref="StateStore"/>); a one-off run over a Data Export keeps it
/// for its own length only (<see cref="OneOffState"/>).
/// </summary>
internal interface IScoringState
{
    /// <summary>The watermark of <paramref name="name"/>, or null before the first completed run.</summary>
    Task<DateTimeOffset?> GetWatermarkAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Sets the watermark of <paramref name="name"/>.</summary>
    Task SetWatermarkAsync(string name, DateTimeOffset value, CancellationToken cancellationToken = default);

    /// <summary>Removes the watermark of <paramref name="name"/>.</summary>
    Task DeleteWatermarkAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Keeps what a run wrote, until the next run has settled it.</summary>
    Task SaveWrittenAsync(WrittenByRun written, CancellationToken cancellationToken = default);

    /// <summary>What the last run wrote, or null when it is settled.</summary>
    Task<WrittenByRun?> GetWrittenAsync(CancellationToken cancellationToken = default);

    /// <summary>Forgets what the last run wrote.</summary>
    Task ClearWrittenAsync(CancellationToken cancellationToken = default);

    /// <summary>The Opportunities whose write failed and is due again.</summary>
    Task<IReadOnlyList<PendingRetry>> GetRetriesAsync(CancellationToken cancellationToken = default);

    /// <summary>Puts failed Opportunities on the retry list (or counts one more attempt) and takes written ones off it.</summary>
    Task UpdateRetriesAsync(IReadOnlyCollection<RecordFailure> failed, IReadOnlyCollection<string> succeeded, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Keeps a run's report.</summary>
    Task SaveRunAsync(RunReport report, CancellationToken cancellationToken = default);
}

/// <summary>
/// The state of runs that start from nothing and leave nothing behind (<c>sfp recommend</c> over a Data Export):
/// held in memory for the process, so a first run has no watermark and scores every open Opportunity.
/// </summary>
internal sealed class OneOffState : IScoringState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _watermarks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingRetry> _retries = new(Records.SalesforceId.Comparer);
    private WrittenByRun? _written;

    public Task<DateTimeOffset?> GetWatermarkAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_watermarks.TryGetValue(name, out var value) ? value : (DateTimeOffset?)null);
        }
    }

    public Task SetWatermarkAsync(string name, DateTimeOffset value, CancellationToken cancellationToken = default) =>
        Locked(() => _watermarks[name] = value);

    public Task DeleteWatermarkAsync(string name, CancellationToken cancellationToken = default) => Locked(() => _watermarks.Remove(name));

    public Task SaveWrittenAsync(WrittenByRun written, CancellationToken cancellationToken = default) => Locked(() => _written = written);

    public Task<WrittenByRun?> GetWrittenAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_written);
        }
    }

    public Task ClearWrittenAsync(CancellationToken cancellationToken = default) => Locked(() => _written = null);

    public Task<IReadOnlyList<PendingRetry>> GetRetriesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<PendingRetry>>([.. _retries.Values]);
        }
    }

    public Task UpdateRetriesAsync(IReadOnlyCollection<RecordFailure> failed, IReadOnlyCollection<string> succeeded, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failed);
        ArgumentNullException.ThrowIfNull(succeeded);
        return Locked(() =>
        {
            foreach (var failure in failed)
            {
                var attempts = _retries.TryGetValue(failure.Id, out var seen) ? seen.Attempts + 1 : 1;
                _retries[failure.Id] = new PendingRetry(failure.Id, attempts, failure.ErrorCode);
            }

            foreach (var id in succeeded)
            {
                _retries.Remove(id);
            }
        });
    }

    // The report is the run's result, handed to whoever ran it: nothing after the process reads it.
    public Task SaveRunAsync(RunReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Task.CompletedTask;
    }

    private Task Locked(Action action)
    {
        lock (_gate)
        {
            action();
        }

        return Task.CompletedTask;
    }
}
