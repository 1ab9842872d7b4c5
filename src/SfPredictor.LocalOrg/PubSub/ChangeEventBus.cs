using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using SfPredictor.LocalOrg.Data;

namespace SfPredictor.LocalOrg.PubSub;

/// <summary>A published change event.</summary>
/// <param name="ReplayId">Its position in the org's event stream.</param>
/// <param name="Entity">The object whose record changed.</param>
/// <param name="SchemaId">The schema its payload is written with.</param>
/// <param name="Payload">The Avro-encoded event.</param>
/// <param name="Published">When it was published; it is dropped <see cref="ChangeEventBus.Retention"/> later.</param>
internal sealed record StoredEvent(long ReplayId, string Entity, string SchemaId, byte[] Payload, DateTimeOffset Published);

/// <summary>
/// The org's event bus for Change Data Capture: every saved change becomes one event per record, with a replay id
/// from one sequence, kept 72 hours as Salesforce keeps them. With persisted updates the events and their schemas
/// are appended to <c>_pubsub/events.log</c> in the export folder (a folder the export reader skips), so replay ids
/// survive a restart: a subscriber resumes after the last event it handled.
/// </summary>
internal sealed class ChangeEventBus : IChangeNotifier, IDisposable
{
    /// <summary>How long events stay replayable.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(72);

    private readonly object _gate = new();
    private readonly List<StoredEvent> _events = [];
    private readonly Dictionary<string, string> _schemaJson = new(StringComparer.Ordinal);
    private readonly Dictionary<OrgTable, ChangeEventSchema> _schemaOf = [];
    private readonly TimeProvider _time;
    private readonly string _commitUser;
    private readonly StreamWriter? _log;
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _drop = new();
    private long _lastReplayId;
    private long _firstRetained = 1;
    private long _purgedUpTo;

    /// <param name="logPath">The file events are appended to and reloaded from; null keeps them in memory only.</param>
    /// <param name="time">The org's clock (commit timestamps, retention).</param>
    /// <param name="commitUser">The user every change is committed as.</param>
    public ChangeEventBus(string? logPath, TimeProvider time, string commitUser)
    {
        _time = time;
        _commitUser = commitUser;
        if (logPath is null)
        {
            return;
        }

        if (File.Exists(logPath))
        {
            Load(logPath);
            DropUnfinishedLine(logPath);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        _log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        Purge(time.GetUtcNow());
    }

    /// <summary>Raised for every published change, under the store's write lock (keep handlers short).</summary>
    public event Action<LocalOrgChange>? Published;

    /// <summary>The newest replay id (0 before the first event).</summary>
    public long LastReplayId
    {
        get
        {
            lock (_gate)
            {
                return _lastReplayId;
            }
        }
    }

    /// <summary>Completes at the next publish or <see cref="DropSubscriptions"/>.</summary>
    public Task NextPublish
    {
        get
        {
            lock (_gate)
            {
                return _published.Task;
            }
        }
    }

    /// <summary>Cancelled when open subscriptions are to be dropped.</summary>
    public CancellationToken DropToken
    {
        get
        {
            lock (_gate)
            {
                return _drop.Token;
            }
        }
    }

    public static byte[] Encode(long replayId)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, replayId);
        return bytes;
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out long replayId)
    {
        replayId = 0;
        if (bytes.Length != 8)
        {
            return false;
        }

        replayId = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return replayId >= 0;
    }

    public void Publish(IReadOnlyList<ChangeNotice> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var transactionKey = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var origin = ChangeOrigin.Current;
        lock (_gate)
        {
            var commitNumber = _lastReplayId + 1;
            for (var i = 0; i < changes.Count; i++)
            {
                var change = changes[i];
                var schema = SchemaOf(change.Table);
                var header = new ChangeHeader(
                    change.Table.Name, [change.Id], change.Type, origin, transactionKey, i + 1, now.ToUnixTimeMilliseconds(), commitNumber, _commitUser, change.ChangedFields);
                var stored = new StoredEvent(++_lastReplayId, change.Table.Name, schema.Id, schema.Encode(header, change), now);
                _events.Add(stored);
                _log?.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"E\t{stored.ReplayId}\t{stored.Entity}\t{stored.SchemaId}\t{now.ToUnixTimeMilliseconds()}\t{Convert.ToBase64String(stored.Payload)}"));
                Published?.Invoke(new LocalOrgChange(change.Table.Name, header.ChangeType.ToString().ToUpperInvariant(), change.Id, change.ChangedFields, origin, now));
            }

            _log?.Flush();
            Purge(now);
            Wake();
        }
    }

    /// <summary>Up to <paramref name="max"/> events after <paramref name="after"/> that <paramref name="matches"/> keeps, and the position read up to.</summary>
    public (IReadOnlyList<StoredEvent> Events, long ReadUpTo) Read(Func<string, bool> matches, long after, int max)
    {
        lock (_gate)
        {
            var result = new List<StoredEvent>();
            var start = _events.BinarySearch(new StoredEvent(after + 1, string.Empty, string.Empty, [], default), ByReplayId.Instance);
            var position = after;
            for (var i = start < 0 ? ~start : start; i < _events.Count && result.Count < max; i++)
            {
                position = _events[i].ReplayId;
                if (matches(_events[i].Entity))
                {
                    result.Add(_events[i]);
                }
            }

            // Nothing left to read: the subscriber is at the tip, past events of other topics.
            return (result, result.Count < max ? Math.Max(position, _lastReplayId) : position);
        }
    }

    /// <summary>
    /// Whether a subscription may start after <paramref name="replayId"/>: as Salesforce, only when that event is still
    /// within the retention window (a subscriber that handled nothing for 72 hours has missed events).
    /// </summary>
    public bool CanResumeAfter(long replayId)
    {
        lock (_gate)
        {
            Purge(_time.GetUtcNow());
            return replayId <= _lastReplayId && replayId > _purgedUpTo;
        }
    }

    /// <summary>The position before the oldest retained event.</summary>
    public long BeforeEarliest
    {
        get
        {
            lock (_gate)
            {
                Purge(_time.GetUtcNow());
                return _firstRetained - 1;
            }
        }
    }

    public string? SchemaJson(string schemaId)
    {
        lock (_gate)
        {
            return _schemaJson.GetValueOrDefault(schemaId);
        }
    }

    /// <summary>The current schema of an object's change events.</summary>
    public string CurrentSchemaId(OrgTable table)
    {
        lock (_gate)
        {
            return SchemaOf(table).Id;
        }
    }

    /// <summary>Ends every open subscription, as a network failure or a server restart would.</summary>
    public void DropSubscriptions()
    {
        lock (_gate)
        {
            var old = _drop;
            _drop = new CancellationTokenSource();
            old.Cancel();
            old.Dispose();
            Wake();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _log?.Dispose();
            _drop.Cancel();
            _drop.Dispose();
        }
    }

    private ChangeEventSchema SchemaOf(OrgTable table)
    {
        if (!_schemaOf.TryGetValue(table, out var schema))
        {
            schema = ChangeEventSchema.For(table);
            _schemaOf[table] = schema;
            if (_schemaJson.TryAdd(schema.Id, schema.Json))
            {
                _log?.WriteLine($"S\t{schema.Id}\t{Convert.ToBase64String(Encoding.UTF8.GetBytes(schema.Json))}");
            }
        }

        return schema;
    }

    private void Wake()
    {
        var old = _published;
        _published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    private void Purge(DateTimeOffset now)
    {
        var expired = 0;
        while (expired < _events.Count && now - _events[expired].Published > Retention)
        {
            expired++;
        }

        if (expired > 0)
        {
            _purgedUpTo = _events[expired - 1].ReplayId;
            _events.RemoveRange(0, expired);
        }

        _firstRetained = _events.Count > 0 ? _events[0].ReplayId : _lastReplayId + 1;
    }

    // A line cut short by a crash is cut off before appending, so the next event starts a line of its own.
    private static void DropUnfinishedLine(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var end = file.Length;
        while (end > 0)
        {
            file.Position = end - 1;
            if (file.ReadByte() == '\n')
            {
                break;
            }

            end--;
        }

        file.SetLength(end);
    }

    // A line cut short by a crash can only be the last one; anything else malformed is a damaged file.
    private void Load(string path)
    {
        var lines = File.ReadAllLines(path);
        for (var n = 0; n < lines.Length; n++)
        {
            var parts = lines[n].Split('\t');
            try
            {
                switch (parts)
                {
                    case ["S", var id, var json]:
                        _schemaJson[id] = Encoding.UTF8.GetString(Convert.FromBase64String(json));
                        break;
                    case ["E", var replay, var entity, var schemaId, var millis, var payload]:
                        var stored = new StoredEvent(
                            long.Parse(replay, CultureInfo.InvariantCulture), entity, schemaId, Convert.FromBase64String(payload),
                            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(millis, CultureInfo.InvariantCulture)));
                        _events.Add(stored);
                        _lastReplayId = stored.ReplayId;
                        break;
                    case [""] when n == lines.Length - 1:
                        break;
                    default:
                        throw new FormatException("unknown record");
                }
            }
            catch (FormatException) when (n == lines.Length - 1)
            {
                // The last write was cut short; its event was never delivered.
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{path}, line {n + 1}: not an event or schema record of the local org's event log ({e.Message}).", e);
            }
        }
    }

    private sealed class ByReplayId : IComparer<StoredEvent>
    {
        public static readonly ByReplayId Instance = new();

        public int Compare(StoredEvent? x, StoredEvent? y) => x!.ReplayId.CompareTo(y!.ReplayId);
    }
}

/// <summary>A change the local org published as a change event (for tools watching the org in process).</summary>
/// <param name="EntityName">The object, e.g. <c>Opportunity</c>.</param>
/// <param name="ChangeType"><c>CREATE</c>, <c>UPDATE</c> or <c>DELETE</c>.</param>
/// <param name="RecordId">The record's 18-character Id.</param>
/// <param name="ChangedFields">The fields an update set.</param>
/// <param name="ChangeOrigin">The API and client that made it.</param>
/// <param name="CommitTimestamp">When it was committed, by the org's clock.</param>
public sealed record LocalOrgChange(
    string EntityName, string ChangeType, string RecordId, IReadOnlyList<string> ChangedFields, string ChangeOrigin, DateTimeOffset CommitTimestamp);
