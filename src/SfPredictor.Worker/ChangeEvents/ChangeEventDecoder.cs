using System.Collections.Concurrent;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace SfPredictor.Worker.ChangeEvents;

/// <summary>What the subscriber needs of one change event: its header and the activity's links.</summary>
/// <param name="EntityName">The object, e.g. <c>Task</c>.</param>
/// <param name="RecordIds">The records changed (one or, when Salesforce merges identical changes, several).</param>
/// <param name="ChangeType"><c>CREATE</c>, <c>UPDATE</c>, <c>DELETE</c>, <c>UNDELETE</c> or a <c>GAP_</c> kind.</param>
/// <param name="ChangeOrigin">The API and client that made the change (<c>com/salesforce/api/rest/62.0;client=SfPredictor</c>).</param>
/// <param name="CommitUser">The user who committed it.</param>
/// <param name="WhatId">The activity's WhatId when the event carries it (creates, and updates that set it).</param>
/// <param name="AccountId">The activity's AccountId when the event carries it.</param>
internal sealed record ChangeEvent(
    string EntityName, IReadOnlyList<string> RecordIds, string ChangeType, string ChangeOrigin, string CommitUser, string? WhatId, string? AccountId);

/// <summary>
/// Decodes Avro change events with the schema each names, fetched once per schema id (<c>GetSchema</c>) and kept:
/// a schema that changes mid-stream (a field added) is simply a new id.
/// </summary>
internal sealed class ChangeEventDecoder(Func<string, CancellationToken, Task<string>> fetchSchema)
{
    private readonly ConcurrentDictionary<string, GenericDatumReader<GenericRecord>> _readers = new(StringComparer.Ordinal);

    /// <summary>Schemas fetched so far.</summary>
    public int SchemasFetched => _readers.Count;

    /// <exception cref="InvalidDataException">The payload does not match its schema, or the schema is no change event's.</exception>
    public async Task<ChangeEvent> DecodeAsync(string schemaId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (!_readers.TryGetValue(schemaId, out var reader))
        {
            var json = await fetchSchema(schemaId, cancellationToken);
            Schema schema;
            try
            {
                schema = Schema.Parse(json);
            }
            catch (SchemaParseException e)
            {
                throw new InvalidDataException($"Schema {schemaId} is not an Avro schema: {e.Message}", e);
            }

            reader = _readers.GetOrAdd(schemaId, _ => new GenericDatumReader<GenericRecord>(schema, schema));
        }

        try
        {
            using var stream = new MemoryStream(payload.ToArray(), writable: false);
            var record = reader.Read(null!, new BinaryDecoder(stream));
            var header = record["ChangeEventHeader"] as GenericRecord ?? throw new InvalidDataException($"Schema {schemaId} has no ChangeEventHeader.");
            return new ChangeEvent(
                Text(header, "entityName") ?? string.Empty,
                header["recordIds"] is object[] ids ? [.. ids.OfType<string>()] : [],
                header["changeType"] is GenericEnum type ? type.Value : Text(header, "changeType") ?? string.Empty,
                Text(header, "changeOrigin") ?? string.Empty,
                Text(header, "commitUser") ?? string.Empty,
                Text(record, "WhatId"),
                Text(record, "AccountId"));
        }
        catch (Exception e) when (e is AvroException or EndOfStreamException or InvalidCastException)
        {
            throw new InvalidDataException($"The payload does not match schema {schemaId}: {e.Message}", e);
        }
    }

    private static string? Text(GenericRecord record, string field) =>
        record.TryGetValue(field, out var value) ? value as string : null;
}
