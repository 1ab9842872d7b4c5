using System.Buffers;
using System.Text.Json;
using SfPredictor.DataExport;

namespace SfPredictor.LocalOrg.Data;

/// <summary>What a committed write did to one record.</summary>
internal enum ChangeKind
{
    Update,
    Create,
    Delete,
}

/// <summary>One record's part of a committed write: the fields set, as the texts stored (stamps included).</summary>
internal sealed record RecordChange(ChangeKind Kind, string Object, string Id, IReadOnlyList<KeyValuePair<string, string?>> Fields);

/// <summary>
/// The append-only log that makes a write durable before it is acknowledged: each committed write is
/// one line of JSON, written and flushed to disk before the answer goes out, and replayed over the
/// export at the next start. Rewriting the export's CSV files at every write would take hundreds of
/// milliseconds on a large org; appending a line takes about one disk flush. Once the changed tables
/// are written back the log is emptied.
/// </summary>
/// <remarks>
/// A process killed while appending leaves at most the last line incomplete; it was never
/// acknowledged, so replay drops it. Any other unreadable line is an error naming the file and line.
/// </remarks>
internal sealed class WriteJournal : IDisposable
{
    /// <summary>The log's name in the export folder; not a <c>.csv</c>, so no loader takes it for an object.</summary>
    public const string FileName = ".sfp-local-org.journal";

    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    private WriteJournal(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>Opens (or creates) the log of an export folder and reads what it holds.</summary>
    /// <exception cref="DataExportFormatException">A complete line of the log cannot be read.</exception>
    public static (WriteJournal Journal, List<IReadOnlyList<RecordChange>> Pending) Open(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1);
        try
        {
            var pending = ReadAll(stream, path);
            stream.Seek(0, SeekOrigin.End);
            return (new WriteJournal(path, stream), pending);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends one committed write and flushes it to disk. Call under the store's write lock.</summary>
    public void Append(IReadOnlyList<RecordChange> changes)
    {
        _buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_buffer))
        {
            writer.WriteStartArray();
            foreach (var change in changes)
            {
                writer.WriteStartObject();
                writer.WriteString("k", change.Kind switch { ChangeKind.Create => "c", ChangeKind.Delete => "d", _ => "u" });
                writer.WriteString("o", change.Object);
                writer.WriteString("i", change.Id);
                writer.WriteStartObject("f");
                foreach (var (field, value) in change.Fields)
                {
                    writer.WriteString(field, value);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        _buffer.Write("\n"u8);
        var start = _stream.Position;
        try
        {
            _stream.Write(_buffer.WrittenSpan);
            _stream.Flush(flushToDisk: true);
        }
        catch
        {
            // A write that failed half way must not leave a line that a later append would complete.
            _stream.SetLength(start);
            _stream.Seek(start, SeekOrigin.Begin);
            throw;
        }
    }

    /// <summary>Empties the log once every change in it is in the export's files. Call while no write can commit.</summary>
    public void Clear()
    {
        _stream.SetLength(0);
        _stream.Flush(flushToDisk: true);
    }

    public void Dispose() => _stream.Dispose();

    private static List<IReadOnlyList<RecordChange>> ReadAll(FileStream stream, string path)
    {
        var writes = new List<IReadOnlyList<RecordChange>>();
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var complete = bytes.AsSpan().LastIndexOf((byte)'\n') + 1;
        var rest = bytes.AsMemory(0, complete);
        var line = 0;
        while (!rest.IsEmpty)
        {
            line++;
            var end = rest.Span.IndexOf((byte)'\n');
            var entry = rest[..end];
            rest = rest[(end + 1)..];
            if (entry.IsEmpty)
            {
                continue;
            }

            try
            {
                writes.Add(Parse(entry));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                throw new DataExportFormatException(path, line, null, null, "The local org's write log is unreadable here; move the file away to start without the writes it holds.", e);
            }
        }

        if (complete < bytes.Length)
        {
            // The tail after the last line break is a write cut short by a crash, never acknowledged.
            stream.SetLength(complete);
            stream.Flush(flushToDisk: true);
        }

        return writes;
    }

    private static List<RecordChange> Parse(ReadOnlyMemory<byte> line)
    {
        using var document = JsonDocument.Parse(line);
        var changes = new List<RecordChange>();
        foreach (var change in document.RootElement.EnumerateArray())
        {
            var kind = change.GetProperty("k").GetString() switch
            {
                "c" => ChangeKind.Create,
                "d" => ChangeKind.Delete,
                "u" => ChangeKind.Update,
                var other => throw new InvalidOperationException($"Unknown change kind '{other}'."),
            };
            var fields = change.GetProperty("f").EnumerateObject().Select(f => KeyValuePair.Create(f.Name, f.Value.GetString())).ToList();
            changes.Add(new RecordChange(kind, change.GetProperty("o").GetString()!, change.GetProperty("i").GetString()!, fields));
        }

        return changes;
    }
}
