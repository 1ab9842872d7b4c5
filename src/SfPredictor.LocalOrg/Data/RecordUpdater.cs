using System.Text.Json;
using SfPredictor.DataExport;
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
internal sealed record PendingUpdate(OrgTable Table, int Row, string Id, IReadOnlyList<(OrgColumn Column, string? Value)> Changes);

/// <summary>
/// Validates and applies record updates as Salesforce's save does: the object must exist, the Id must
/// be well formed, of that object and present, and every field must exist, be updateable and get a
/// value of its type. Applying stamps SystemModstamp and LastModifiedDate.
/// </summary>
internal sealed class RecordUpdater(OrgStore store, TimeProvider time, IChangeNotifier notifier)
{
    private static readonly string[] Modstamps = ["SystemModstamp", "LastModifiedDate"];

    /// <summary>Validates one record's update. Call under the store's write lock, together with <see cref="Apply"/>.</summary>
    public (PendingUpdate? Update, SaveError? Error) Prepare(string? objectName, string? id, IEnumerable<KeyValuePair<string, IncomingValue>> fields)
    {
        var table = objectName is null ? null : store.FindTable(objectName);
        if (table is null)
        {
            return Fail("INVALID_TYPE", objectName is null ? "No SObject Type defined in the record's attributes." : $"sObject type '{objectName}' is not supported.");
        }

        if (string.IsNullOrEmpty(id))
        {
            return Fail("MISSING_ARGUMENT", "Id not specified in an update call");
        }

        if (!SalesforceId.TryNormalize(id, out _))
        {
            return Fail("MALFORMED_ID", $"malformed id {id}");
        }

        if (table.KeyPrefix is not null && !id.StartsWith(table.KeyPrefix, StringComparison.Ordinal))
        {
            return Fail("MALFORMED_ID", $"{table.Name} ID: id value of incorrect type: {id}", "Id");
        }

        if (!table.TryFindRow(id, out var row))
        {
            return Fail("ENTITY_IS_DELETED", "entity is deleted");
        }

        var changes = new List<(OrgColumn, string?)>();
        foreach (var (name, value) in fields)
        {
            var column = table.Find(name);
            if (column is null)
            {
                return Fail("INVALID_FIELD", $"No such column '{name}' on sobject of type {table.Name}", name);
            }

            if (!IsUpdateable(table, column))
            {
                return Fail(
                    "INVALID_FIELD_FOR_INSERT_UPDATE",
                    $"Unable to create/update fields: {column.Name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                    column.Name);
            }

            if (!TryConvert(column.Type, value, out var stored))
            {
                return Fail("INVALID_TYPE_ON_FIELD_IN_RECORD", $"{column.Name}: value not of required type: {value.Text}", column.Name);
            }

            changes.Add((column, stored));
        }

        return (new PendingUpdate(table, row, table.IdOf(row)!, changes), null);
    }

    /// <summary>Applies validated updates. Call under the store's write lock.</summary>
    public void Apply(IEnumerable<PendingUpdate> updates)
    {
        var stamp = ExportValues.FormatDateTime(time.GetUtcNow());
        var applied = updates.ToList();
        foreach (var update in applied)
        {
            foreach (var (column, value) in update.Changes)
            {
                column.Set(update.Row, value);
            }

            foreach (var name in Modstamps)
            {
                if (update.Table.Find(name) is { } column)
                {
                    column.Set(update.Row, stamp);
                }
            }

            update.Table.IsDirty = true;
        }

        notifier.Publish([.. applied.Select(u => new RecordChange(ChangeType.Update, u.Table, u.Row, u.Id, [.. u.Changes.Select(c => c.Column.Name), .. Modstamps.Where(n => u.Table.Find(n) is not null)]))]);
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
                if (ExportValues.TryParseBoolean(text, out var flag))
                {
                    stored = ExportValues.FormatBoolean(flag);
                    return true;
                }

                return false;
            case FieldType.Int:
                stored = ExportValues.TryParseInt32(text, out var integer) ? ExportValues.FormatInt32(integer) : null;
                return stored is not null;
            case FieldType.Double or FieldType.Currency or FieldType.Percent:
                stored = ExportValues.TryParseDecimal(text, out var number) ? ExportValues.FormatDecimal(number) : null;
                return stored is not null;
            case FieldType.Date:
                stored = isJsonString && ExportValues.TryParseDate(text, out var date) ? ExportValues.FormatDate(date) : null;
                return stored is not null;
            case FieldType.DateTime:
                stored = isJsonString && ExportValues.TryParseDateTime(text, out var moment) ? ExportValues.FormatDateTime(moment) : null;
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
