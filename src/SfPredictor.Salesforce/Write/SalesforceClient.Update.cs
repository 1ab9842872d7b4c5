using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using SfPredictor.Records;
using SfPredictor.Salesforce.Http;
using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce;

public sealed partial class SalesforceClient
{
    /// <summary>sObject Collections take at most 200 records a call.</summary>
    public const int CollectionBatchSize = 200;

    // One ingest job takes at most 150 MB of CSV; this many update rows stay far below it.
    private const int BulkIngestRecordsPerJob = 100_000;

    /// <summary>
    /// Updates records: sObject Collections (<c>PATCH /composite/sobjects</c>, 200 a call,
    /// <c>allOrNone=false</c>) or, above <see cref="SalesforceOptions.BulkWriteThreshold"/> or when asked,
    /// a Bulk API 2.0 ingest job. Returns one result per input record, in input order; a failure is
    /// never dropped. Records that cannot be sent (bad Id, bad field name or value, duplicate Id) fail
    /// locally. When an error ends the run (daily limit, login, Salesforce unreachable), the records
    /// not yet saved carry that error code and no further call is made.
    /// </summary>
    public async Task<IReadOnlyList<RecordSaveResult>> UpdateAsync(
        string objectName, IReadOnlyList<RecordUpdate> records, TransferMode mode = TransferMode.Auto, CancellationToken cancellationToken = default)
    {
        Soql.Name(objectName, allowRelationshipPath: false);
        ArgumentNullException.ThrowIfNull(records);

        var results = new RecordSaveResult[records.Count];
        var valid = Validate(records, results);
        var bulk = mode == TransferMode.Bulk || (mode == TransferMode.Auto && valid.Count > Options.BulkWriteThreshold);
        try
        {
            foreach (var batch in valid.Chunk(bulk ? BulkIngestRecordsPerJob : CollectionBatchSize))
            {
                Place(batch, bulk
                    ? await BulkUpdateAsync(objectName, batch, cancellationToken)
                    : await UpdateBatchAsync(objectName, batch, cancellationToken), results);
            }
        }
        catch (SalesforceApiException e)
        {
            for (var i = 0; i < results.Length; i++)
            {
                results[i] ??= RecordSaveResult.Failed(SafeId(records[i].Id), e.ErrorCode, e.Message, e.Fields);
            }
        }

        var failed = results.Count(r => !r.Success);
        if (failed > 0)
        {
            Log.UpdatesFailed(_connection.Logger, failed, results.Length, objectName);
        }

        return results;
    }

    /// <summary>One sObject Collections call; a refusal of the whole call fails each of its records.</summary>
    private async Task<RecordSaveResult[]> UpdateBatchAsync(string objectName, IReadOnlyList<ValidUpdate> batch, CancellationToken cancellationToken)
    {
        var body = CollectionBody(objectName, batch);
        IReadOnlyList<SaveResult> saved;
        try
        {
            saved = await SendForJsonAsync(
                HttpMethod.Patch,
                $"{DataPath}/composite/sobjects",
                () => new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                SalesforceJsonContext.Default.IReadOnlyListSaveResult,
                cancellationToken);
        }
        catch (SalesforceApiException e) when (e is not (SalesforceLimitException or SalesforceAuthenticationException)
                                               && (int?)e.StatusCode is >= 400 and < 500)
        {
            return batch.Select(u => RecordSaveResult.Failed(u.Id, e.ErrorCode, e.Message, e.Fields)).ToArray();
        }

        return MatchResults(batch, saved);
    }

    /// <summary>
    /// Salesforce answers in request order, so results match by position; if the count differs,
    /// they match by Id and every record without a successful answer is a failure.
    /// </summary>
    internal static RecordSaveResult[] MatchResults(IReadOnlyList<ValidUpdate> batch, IReadOnlyList<SaveResult> saved)
    {
        if (saved.Count == batch.Count)
        {
            return batch.Select((u, i) => ToResult(u.Id, saved[i])).ToArray();
        }

        var byId = new Dictionary<string, SaveResult>(StringComparer.OrdinalIgnoreCase);
        foreach (var result in saved)
        {
            if (result.Id is not null && SalesforceId.TryNormalize(result.Id, out var id))
            {
                byId[id] = result;
            }
        }

        return batch
            .Select(u => byId.TryGetValue(u.Id, out var result)
                ? ToResult(u.Id, result)
                : RecordSaveResult.Failed(
                    u.Id, "MISSING_RESULT", $"Salesforce answered {saved.Count} results for {batch.Count} records and none for this one.", []))
            .ToArray();
    }

    private static RecordSaveResult ToResult(string id, SaveResult result)
    {
        if (result.Success)
        {
            return RecordSaveResult.Succeeded(id);
        }

        var errors = result.Errors ?? [];
        return RecordSaveResult.Failed(
            id,
            errors.FirstOrDefault()?.StatusCode ?? "UNKNOWN_ERROR",
            errors.Count == 0 ? "Salesforce reported a failure without a message." : string.Join(" | ", errors.Select(e => e.Message)),
            errors.SelectMany(e => e.Fields ?? []).Distinct(StringComparer.Ordinal).ToArray());
    }

    private static byte[] CollectionBody(string objectName, IReadOnlyList<ValidUpdate> batch)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("allOrNone", false);
            writer.WriteStartArray("records");
            foreach (var update in batch)
            {
                writer.WriteStartObject();
                writer.WriteStartObject("attributes");
                writer.WriteString("type", objectName);
                writer.WriteEndObject();
                writer.WriteString("id", update.Id);
                foreach (var (name, value) in update.Record.Fields)
                {
                    FieldValues.WriteJson(writer, name, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static List<ValidUpdate> Validate(IReadOnlyList<RecordUpdate> records, RecordSaveResult[] results)
    {
        var valid = new List<ValidUpdate>(records.Count);
        var seen = new HashSet<string>(SalesforceId.Comparer);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i] ?? throw new ArgumentException($"Record {i} of the update is null.", nameof(records));
            var problem = Problem(record, out var id);
            if (problem is null && !seen.Add(id))
            {
                problem = ("DUPLICATE_VALUE", "The same record appears more than once in this update.", []);
            }

            if (problem is { } p)
            {
                results[i] = RecordSaveResult.Failed(SafeId(record.Id), p.Code, p.Message, p.Fields);
            }
            else
            {
                valid.Add(new ValidUpdate(i, id, record));
            }
        }

        return valid;
    }

    private static (string Code, string Message, string[] Fields)? Problem(RecordUpdate record, out string id)
    {
        if (!SalesforceId.TryNormalize(record.Id ?? string.Empty, out id))
        {
            return ("MALFORMED_ID", $"'{SafeId(record.Id)}' is not a 15- or 18-character Salesforce Id.", []);
        }

        if (record.Fields is null || record.Fields.Count == 0)
        {
            return ("NO_FIELDS", "The update names no field.", []);
        }

        foreach (var (name, value) in record.Fields)
        {
            if (name.Equals("Id", StringComparison.OrdinalIgnoreCase) || !Soql.IsName(name, allowRelationshipPath: false))
            {
                return ("INVALID_FIELD", $"'{SafeId(name)}' is not a field API name that can be updated.", [SafeId(name)]);
            }

            if (!FieldValues.IsSupported(value))
            {
                return ("INVALID_FIELD_VALUE", $"Field {name} has a value of type {value!.GetType().Name}, which cannot be written.", [name]);
            }
        }

        return null;
    }

    private static void Place(IReadOnlyList<ValidUpdate> updates, RecordSaveResult[] outcomes, RecordSaveResult[] results)
    {
        for (var i = 0; i < updates.Count; i++)
        {
            results[updates[i].Index] = outcomes[i];
        }
    }

    private static string SafeId(string? id) =>
        id is null ? "(null)" : SalesforceId.TryNormalize(id, out var normalized) ? normalized : new string(id.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}

/// <summary>An update that passed the local checks: its input position and its 18-character Id.</summary>
internal sealed record ValidUpdate(int Index, string Id, RecordUpdate Record);
