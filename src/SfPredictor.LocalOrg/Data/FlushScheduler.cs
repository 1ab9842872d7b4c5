using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SfPredictor.LocalOrg.Data;

/// <summary>
/// Writes changed tables back to the export a short delay after the first change, so a burst of
/// updates is written once; <see cref="FlushAsync"/> writes at once, and disposing writes what is left.
/// </summary>
internal sealed class FlushScheduler : IAsyncDisposable
{
    private readonly OrgStore _store;
    private readonly WriteJournal? _journal;
    private readonly TimeSpan _delay;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _enabled;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public FlushScheduler(OrgStore store, WriteJournal? journal, TimeSpan delay, TimeProvider time, ILogger logger, bool enabled)
    {
        _store = store;
        _journal = journal;
        _delay = delay;
        _time = time;
        _logger = logger;
        _enabled = enabled;
        _loop = enabled ? Task.Run(LoopAsync) : Task.CompletedTask;
    }

    /// <summary>Notes that a table changed.</summary>
    public void Changed()
    {
        if (!_enabled)
        {
            return;
        }

        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A flush is already due; it will include this change.
        }
    }

    /// <summary>Writes every changed table now.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_enabled)
        {
            return;
        }

        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var written = await Task.Run(() => _store.FlushChangedTables(_journal is null ? null : _journal.Clear), cancellationToken);
            if (written.Count > 0)
            {
                Log.Flushed(_logger, string.Join(", ", written), (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        await FlushAsync(CancellationToken.None);
        _stopping.Dispose();
        _changed.Dispose();
        _flushing.Dispose();
    }

    private async Task LoopAsync()
    {
        var stop = _stopping.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _changed.WaitAsync(stop);
                await Task.Delay(_delay, _time, stop);
                await FlushAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.FlushFailed(_logger, e);
            }
        }
    }
}
