using System.Text.Json;
using SfPredictor.LocalOrg.PubSub;
using SfPredictor.Records;

namespace SfPredictor.LocalOrg.Data;

/// <summary>A value sent for a field: its text and the JSON kind it came as (String for CSV input).</summary>
internal readonly record struct IncomingValue(string? Text, JsonValueKind Kind)
{
    public static IncomingValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new IncomingValue(element.GetString(), JsonValueKind.String),
        JsonValueKind.Null => new IncomingValue(null, JsonValueKind.Null),
        JsonValueKind.True or JsonValueKind.False => new IncomingValue(element.ValueKind == JsonValueKind.True ? "true" : "false", element.ValueKind),
        _ => new IncomingValue(element.GetRawText(), element.ValueKind),
    };
}

/// <summary>A per-record failure, as Salesforce's SaveResult reports it.</summary>
internal sealed record SaveError(string StatusCode, string Message, IReadOnlyList<string> Fields);

/// <summary>A validated update waiting to be applied.</summary>
internal sealed record PendingUpdate(OrgTable Table, int Row, string Id, IReadOnlyList<(string Field, string? Value)> Changes);

/// <summary>
/// Validates and applies record writes as Salesforce's save does: the object must exist, the Id must
/// be well formed, of that object and present, and every field must exist, be updateable and get a
/// value of its type that fits its size (<c>STRING_TOO_LONG</c>, <c>NUMBER_OUTSIDE_VALID_RANGE</c>,
/// <c>INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST</c>). Applying stamps SystemModstamp and LastModifiedDate.
/// </summary>
/// <remarks>
/// Every record write of every endpoint (single-record REST, sObject Collections, Bulk ingest) ends in
/// <see cref="Commit"/>: the one place that makes it durable, applies it and publishes its change events.
/// </remarks>
internal sealed class RecordUpdater(OrgStore store, TimeProvider time, WriteJournal? journal, IChangeNotifier? notifier = null)
{
    private static readonly string[] Modstamps = ["SystemModstamp", "LastModifiedDate"];

    // The Task statuses an org ships with that count as closed (TaskStatus.IsClosed).
    private static readonly HashSet<string> ClosedTaskStatuses = new(StringComparer.OrdinalIgnoreCase) { "Completed" };

    /// <summary>Validates one record's update. Call under the store's write lock, together with <see cref="Apply"/>.</summary>
    public (PendingUpdate? Update, SaveError? Error) Prepare(string? objectName, string? id, IEnumerable<KeyValuePair<string, IncomingValue>> fields)
    {
        var (table, row, error) = FindRecord(objectName, id, "an update");
        if (error is not null)
        {
            return (null, error);
        }

        var (changes, invalid) = Validate(table!, fields, creating: false);
        return invalid is not null ? (null, invalid) : (new PendingUpdate(table!, row, table!.IdOf(row)!, changes), null);
    }

    /// <summary>Validates a new record and makes its Id. Call under the store's write lock, together with <see cref="Commit"/>.</summary>
    public (RecordChange? Create, SaveError? Error) PrepareCreate(string objectName, IEnumerable<KeyValuePair<string, IncomingValue>> fields, string userId)
    {
        if (store.FindTable(objectName) is not { } table)
        {
            return (null, new SaveError("NOT_FOUND", ApiNotFound, []));
        }

        if (!StandardFields.IsCreateable(table.Name) || table.IdColumn is null)
        {
            return (null, new SaveError("INVALID_TYPE", $"entity type cannot be inserted: {table.Name}", []));
        }

        var given = fields.ToList();
        if (given.FirstOrDefault(f => f.Key.Equals("Id", StringComparison.OrdinalIgnoreCase)) is { Key: not null } idField)
        {
            return (null, new SaveError("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", ["Id"]));
        }

        var (changes, invalid) = Validate(table, given, creating: true);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        var values = changes.ToDictionary(c => c.Field, c => c.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (field, value) in Defaults(table.Name))
        {
            values.TryAdd(field, value);
        }

        var missing = StandardObjects.Fields(table.Name)
            .Where(f => !f.Nillable && f.Updateable && f.Type != FieldType.Boolean && values.GetValueOrDefault(f.Name) is null)
            .Select(f => f.Name)
            .ToList();
        if (missing.Count > 0)
        {
            return (null, new SaveError("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing));
        }

        var stamp = RecordValues.FormatDateTime(time.GetUtcNow());
        foreach (var (field, value) in (ReadOnlySpan<(string, string?)>)[
            ("CreatedDate", stamp), ("LastModifiedDate", stamp), ("SystemModstamp", stamp), ("CreatedById", userId),
            ("LastModifiedById", userId), ("OwnerId", userId), ("IsDeleted", "0")])
        {
            if (table.Find(field) is not null)
            {
                values.TryAdd(field, value);
            }
        }

        // Salesforce derives a Task's IsClosed from its status and stamps CompletedDateTime when it is created closed.
        if (table.Name.Equals("Task", StringComparison.OrdinalIgnoreCase) && table.Find("IsClosed") is not null)
        {
            var closed = ClosedTaskStatuses.Contains(values.GetValueOrDefault("Status") ?? string.Empty);
            values["IsClosed"] = RecordValues.FormatBoolean(closed);
            if (closed && table.Find("CompletedDateTime") is not null)
            {
                values.TryAdd("CompletedDateTime", stamp);
            }
        }

        return (new RecordChange(ChangeKind.Create, table.Name, NewId(table), [.. values]), null);
    }

    /// <summary>Validates a delete. Call under the store's write lock, together with <see cref="Commit"/>.</summary>
    public (RecordChange? Delete, SaveError? Error) PrepareDelete(string objectName, string id)
    {
        var (table, row, error) = FindRecord(objectName, id, "a delete");
        if (error is not null)
        {
            return (null, error);
        }

        if (!StandardFields.IsCreateable(table!.Name))
        {
            return (null, new SaveError("INVALID_TYPE", $"entity type cannot be deleted: {table.Name}", []));
        }

        var stamp = RecordValues.FormatDateTime(time.GetUtcNow());
        return (new RecordChange(ChangeKind.Delete, table.Name, table.IdOf(row)!, [.. Modstamps.Where(m => table.Find(m) is not null).Select(m => KeyValuePair.Create(m, (string?)stamp))]), null);
    }

    /// <summary>Whether a row is in the recycle bin (IsDeleted).</summary>
    public static bool IsDeleted(OrgTable table, int row) => table.Find("IsDeleted") is { } deleted && deleted.GetSpan(row) is "1" or "true" or "TRUE" or "True";

    private const string ApiNotFound = "The requested resource does not exist";

    private (OrgTable? Table, int Row, SaveError? Error) FindRecord(string? objectName, string? id, string operation)
    {
        var table = objectName is null ? null : store.FindTable(objectName);
        if (table is null)
        {
            return (null, -1, new SaveError("INVALID_TYPE", objectName is null ? "No SObject Type defined in the record's attributes." : $"sObject type '{objectName}' is not supported.", []));
        }

        if (string.IsNullOrEmpty(id))
        {
            return (null, -1, new SaveError("MISSING_ARGUMENT", $"Id not specified in {operation} call", []));
        }

        if (!SalesforceId.TryNormalize(id, out _))
        {
            return (null, -1, new SaveError("MALFORMED_ID", $"malformed id {id}", []));
        }

        if (table.KeyPrefix is not null && !id.StartsWith(table.KeyPrefix, StringComparison.Ordinal))
        {
            return (null, -1, new SaveError("MALFORMED_ID", $"{table.Name} ID: id value of incorrect type: {id}", ["Id"]));
        }

        if (!table.TryFindRow(id, out var row) || IsDeleted(table, row))
        {
            return (null, -1, new SaveError("ENTITY_IS_DELETED", "entity is deleted", []));
        }

        return (table, row, null);
    }

    private (List<(string Field, string? Value)> Changes, SaveError? Error) Validate(OrgTable table, IEnumerable<KeyValuePair<string, IncomingValue>> fields, bool creating)
    {
        var changes = new List<(string, string?)>();
        foreach (var (name, value) in fields)
        {
            var column = table.Find(name);
            var spec = column?.SpecOn(table) ?? StandardObjects.Find(table.Name, name);
            if (spec is null)
            {
                return ([], new SaveError("INVALID_FIELD", $"No such column '{name}' on sobject of type {table.Name}", [name]));
            }

            if (!spec.Updateable)
            {
                return ([], new SaveError(
                    "INVALID_FIELD_FOR_INSERT_UPDATE",
                    $"Unable to create/update fields: {spec.Name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                    [spec.Name]));
            }

            if (!TryConvert(spec.Type, value, out var stored))
            {
                return ([], new SaveError("INVALID_TYPE_ON_FIELD_IN_RECORD", $"{spec.Name}: value not of required type: {value.Text}", [spec.Name]));
            }

            if (Check(table, column, spec, stored, creating) is { } error)
            {
                return ([], error);
            }

            changes.Add((column?.Name ?? spec.Name, stored));
        }

        return (changes, null);
    }

    // The limits Salesforce checks on save, with its codes and messages.
    private SaveError? Check(OrgTable table, OrgColumn? column, FieldSpec spec, string? stored, bool creating)
    {
        if (stored is null)
        {
            return spec.Nillable || spec.Type == FieldType.Boolean || creating
                ? null
                : new SaveError("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{spec.Name}]", [spec.Name]);
        }

        if (FieldTypes.IsText(spec.Type) && spec.Length > 0 && stored.Length > spec.Length)
        {
            var shown = stored.Length > 100 ? stored[..100] + "..." : stored;
            return new SaveError("STRING_TOO_LONG", $"{ApiNames.Label(spec.Name)}: data value too large: {shown} (max length={spec.Length})", [spec.Name]);
        }

        if (FieldTypes.IsNumber(spec.Type) && spec.Precision > 0 && RecordValues.TryParseDecimal(stored, out var number)
            && IntegerDigits(number) > spec.Precision - spec.Scale)
        {
            return new SaveError("NUMBER_OUTSIDE_VALID_RANGE", $"{ApiNames.Label(spec.Name)}: value outside of valid range on numeric field: {stored}", [spec.Name]);
        }

        if (spec.Type == FieldType.Picklist && RestrictedValues(table, column, spec) is { } allowed && !allowed.Contains(stored, StringComparer.Ordinal))
        {
            return new SaveError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"{ApiNames.Label(spec.Name)}: bad value for restricted picklist field: {stored}", [spec.Name]);
        }

        return null;
    }

    private static int IntegerDigits(decimal number)
    {
        var whole = Math.Abs(decimal.Truncate(number));
        var digits = 0;
        while (whole >= 1)
        {
            whole = decimal.Truncate(whole / 10);
            digits++;
        }

        return digits;
    }

    /// <summary>
    /// The values a restricted picklist takes: the stages of OpportunityStage for StageName, the
    /// currencies of CurrencyType for CurrencyIsoCode, Salesforce's forecast categories; null when
    /// the field is not restricted or the export cannot tell its values.
    /// </summary>
    public IReadOnlyList<string>? RestrictedValues(OrgTable table, OrgColumn? column, FieldSpec spec)
    {
        if (StandardObjects.FixedValues(spec.Name) is { } fixedValues)
        {
            return fixedValues;
        }

        var (source, field) = spec.Name.ToUpperInvariant() switch
        {
            "STAGENAME" when !table.Name.EndsWith("History", StringComparison.OrdinalIgnoreCase) => ("OpportunityStage", "ApiName"),
            "CURRENCYISOCODE" => ("CurrencyType", "IsoCode"),
            _ => (null, null),
        };
        if (source is null || field is null)
        {
            return null;
        }

        if (store.FindTable(source) is { } values && (values.Find(field) ?? values.Find("MasterLabel")) is { } valueColumn)
        {
            return valueColumn.DistinctValues(1000);
        }

        // Without the value table, the values the data holds are the list (as the org's metadata would have them).
        return spec.Name.Equals("StageName", StringComparison.OrdinalIgnoreCase) && column is not null ? column.DistinctValues(1000) : null;
    }

    private static IEnumerable<(string Field, string? Value)> Defaults(string objectName) => objectName.ToUpperInvariant() switch
    {
        "TASK" => [("Status", "Not Started"), ("Priority", "Normal")],
        _ => [],
    };

    // A new record's Id: the object's key prefix, then digits no Id of the table has yet.
    private static string NewId(OrgTable table)
    {
        var prefix = table.KeyPrefix ?? StandardFields.KeyPrefix(table.Name) ?? "a00";
        while (true)
        {
            var candidate = SalesforceId.Normalize(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}8L{Random.Shared.NextInt64(10_000_000_000L):D10}"));
            if (!table.TryFindRow(candidate, out _))
            {
                return candidate;
            }
        }
    }

    /// <summary>Applies validated updates, stamped with the time now. Call under the store's write lock.</summary>
    /// <exception cref="IOException">The write log could not be written; nothing was applied.</exception>
    public void Apply(IEnumerable<PendingUpdate> updates)
    {
        var stamp = RecordValues.FormatDateTime(time.GetUtcNow());
        Commit([.. updates.Select(update => new RecordChange(
            ChangeKind.Update,
            update.Table.Name,
            update.Id,
            [
                .. update.Changes.Select(c => KeyValuePair.Create(c.Field, c.Value)),
                .. Modstamps.Where(name => update.Table.Find(name) is not null).Select(name => KeyValuePair.Create(name, (string?)stamp)),
            ]))]);
    }

    /// <summary>
    /// Makes a write durable (appended to the write log and flushed to disk), then applies it; a
    /// caller answers only after this returns. Call under the store's write lock.
    /// </summary>
    /// <exception cref="IOException">The write log could not be written; nothing was applied.</exception>
    public void Commit(IReadOnlyList<RecordChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        journal?.Append(changes);
        var notices = new List<ChangeNotice>(changes.Count);
        foreach (var change in changes)
        {
            var (table, row) = ApplyChange(change);
            notices.Add(new ChangeNotice(
                change.Kind switch { ChangeKind.Create => ChangeType.Create, ChangeKind.Delete => ChangeType.Delete, _ => ChangeType.Update },
                table, row, change.Id, change.Kind == ChangeKind.Update ? [.. change.Fields.Select(f => f.Key)] : []));
        }

        notifier?.Publish(notices);
    }

    /// <summary>Applies writes read back from the write log at start, without logging them again.</summary>
    /// <exception cref="InvalidOperationException">The log names an object or record the export lacks.</exception>
    public void Replay(IReadOnlyList<RecordChange> changes)
    {
        foreach (var change in changes)
        {
            ApplyChange(change);
        }
    }

    private (OrgTable Table, int Row) ApplyChange(RecordChange change)
    {
        var table = store.FindTable(change.Object)
            ?? throw new InvalidOperationException($"The write log {WriteJournal.FileName} has a write to {change.Object}, but the export has no {change.Object}.csv.");
        int row;
        if (change.Kind == ChangeKind.Create)
        {
            row = table.TryFindRow(change.Id, out var existing) ? existing : table.AddRow(change.Id);
        }
        else if (!table.TryFindRow(change.Id, out row))
        {
            throw new InvalidOperationException($"The write log {WriteJournal.FileName} has a write to {change.Object} {change.Id}, which the export lacks.");
        }

        foreach (var (field, value) in change.Fields)
        {
            table.FindOrAdd(field, StandardObjects.Find(table.Name, field)?.Type ?? FieldType.String).Set(row, value);
        }

        if (change.Kind == ChangeKind.Delete)
        {
            table.FindOrAdd("IsDeleted", FieldType.Boolean).Set(row, "1");
        }

        table.IsDirty = true;
        return (table, row);
    }

    public static bool IsUpdateable(OrgTable table, OrgColumn column) =>
        column.IsCustom ? column.Type != FieldType.Id : StandardFields.IsUpdateable(table.Name, column.Name) && column.Type != FieldType.Id;

    private static (PendingUpdate?, SaveError?) Fail(string code, string message, params string[] fields) =>
        (null, new SaveError(code, message, fields));

    /// <summary>The text to store for a value, in the export's own formats (datetimes as Data Export writes them).</summary>
    private static bool TryConvert(FieldType type, IncomingValue value, out string? stored)
    {
        stored = null;
        if (value.Kind == JsonValueKind.Null || value.Text is null)
        {
            return true;
        }

        var text = value.Text;
        var isJsonString = value.Kind == JsonValueKind.String;
        switch (type)
        {
            case FieldType.Boolean:
                if (RecordValues.TryParseBoolean(text, out var flag))
                {
                    stored = RecordValues.FormatBoolean(flag);
                    return true;
                }

                return false;
            case FieldType.Int:
                stored = RecordValues.TryParseInt32(text, out var integer) ? RecordValues.FormatInt32(integer) : null;
                return stored is not null;
            case FieldType.Double or FieldType.Currency or FieldType.Percent:
                stored = RecordValues.TryParseDecimal(text, out var number) ? RecordValues.FormatDecimal(number) : null;
                return stored is not null;
            case FieldType.Date:
                stored = isJsonString && RecordValues.TryParseDate(text, out var date) ? RecordValues.FormatDate(date) : null;
                return stored is not null;
            case FieldType.DateTime:
                stored = isJsonString && RecordValues.TryParseDateTime(text, out var moment) ? RecordValues.FormatDateTime(moment) : null;
                return stored is not null;
            case FieldType.Id or FieldType.Reference:
                stored = isJsonString && SalesforceId.TryNormalize(text, out var id) ? id : null;
                return stored is not null;
            default:
                stored = text.Length == 0 ? null : text;
                return true;
        }
    }
}
