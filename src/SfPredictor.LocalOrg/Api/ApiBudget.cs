namespace SfPredictor.LocalOrg.Api;

/// <summary>
/// The daily API request budget. Every API call uses one request; once the day's budget is used up,
/// calls are refused until the next UTC day. (Salesforce counts a rolling 24 hours; a calendar day
/// keeps the local org predictable under a fake clock.)
/// </summary>
internal sealed class ApiBudget(TimeProvider time, int max)
{
    private readonly Lock _lock = new();
    private DateOnly _day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
    private int _used;
    private long _total;

    public int Max => max;

    /// <summary>Calls counted since the org started, across days.</summary>
    public long TotalCalls => Interlocked.Read(ref _total);

    public int Used
    {
        get
        {
            lock (_lock)
            {
                RollOver();
                return _used;
            }
        }
    }

    /// <summary>Uses one request; false when none is left today.</summary>
    public bool TryUse()
    {
        lock (_lock)
        {
            RollOver();
            if (_used >= max)
            {
                return false;
            }

            _used++;
            Interlocked.Increment(ref _total);
            return true;
        }
    }

    private void RollOver()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (today != _day)
        {
            _day = today;
            _used = 0;
        }
    }
}
