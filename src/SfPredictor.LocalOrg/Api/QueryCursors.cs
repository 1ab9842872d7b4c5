using System.Collections.Concurrent;
using System.Globalization;
using SfPredictor.LocalOrg.Soql;
using SfPredictor.Records;

namespace SfPredictor.LocalOrg.Api;

/// <summary>A query result still being paged through with nextRecordsUrl.</summary>
internal sealed class QueryCursor(string id, BoundQuery query, int[] rows, int batchSize, string resource)
{
    public string Id { get; } = id;

    public BoundQuery Query { get; } = query;

    /// <summary>The result's rows, fixed when the query ran.</summary>
    public int[] Rows { get; } = rows;

    public int BatchSize { get; } = batchSize;

    /// <summary><c>query</c> or <c>queryAll</c>, the resource the next pages are fetched from.</summary>
    public string Resource { get; } = resource;

    public DateTimeOffset LastUsed { get; set; }
}

/// <summary>
/// Open query cursors. As in Salesforce, a cursor closes after its last page, after 15 minutes
/// unused, or when too many are open (the least recently used goes first).
/// </summary>
internal sealed class QueryCursors(TimeProvider time)
{
    private const int MaxOpen = 50;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, QueryCursor> _cursors = new(StringComparer.OrdinalIgnoreCase);
    private long _counter;

    public QueryCursor Open(BoundQuery query, int[] rows, int batchSize, string resource)
    {
        var number = Interlocked.Increment(ref _counter);
        var id = SalesforceId.Normalize(string.Create(CultureInfo.InvariantCulture, $"01g{number:D12}"));
        var cursor = new QueryCursor(id, query, rows, batchSize, resource) { LastUsed = time.GetUtcNow() };
        _cursors[id] = cursor;
        EvictBeyondLimit();
        return cursor;
    }

    public QueryCursor? Find(string id)
    {
        if (!_cursors.TryGetValue(id, out var cursor))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now - cursor.LastUsed > IdleTimeout)
        {
            _cursors.TryRemove(id, out _);
            return null;
        }

        cursor.LastUsed = now;
        return cursor;
    }

    public void Close(string id) => _cursors.TryRemove(id, out _);

    private void EvictBeyondLimit()
    {
        while (_cursors.Count > MaxOpen)
        {
            var oldest = _cursors.Values.MinBy(c => c.LastUsed);
            if (oldest is null)
            {
                return;
            }

            _cursors.TryRemove(oldest.Id, out _);
        }
    }
}
