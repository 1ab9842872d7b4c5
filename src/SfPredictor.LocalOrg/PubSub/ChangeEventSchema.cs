using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Avro;
using Avro.Generic;
using Avro.IO;
using SfPredictor.LocalOrg.Data;
using SfPredictor.Records;

namespace SfPredictor.LocalOrg.PubSub;

/// <summary>What a change event's header says, besides the record's own fields.</summary>
internal sealed record ChangeHeader(
    string EntityName, IReadOnlyList<string> RecordIds, ChangeType ChangeType, string ChangeOrigin, string TransactionKey,
    int SequenceNumber, long CommitTimestamp, long CommitNumber, string CommitUser, IReadOnlyList<string> ChangedFields);

/// <summary>
/// The Avro schema of one object's change events, shaped as Salesforce's: a <c>ChangeEventHeader</c> record,
/// then every field of the object (but Id, which is in the header's <c>recordIds</c>) as an optional value of its
/// type. Built from the object's columns as they are, so a field added to the org gives a new schema (and Id).
/// </summary>
internal sealed class ChangeEventSchema
{
    private const string Namespace = "com.sforce.eventbus";
    private static readonly string[] ChangeTypes = ["CREATE", "UPDATE", "DELETE", "UNDELETE", "GAP_CREATE", "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE", "GAP_OVERFLOW"];

    private readonly RecordSchema _schema;
    private readonly RecordSchema _headerSchema;
    private readonly EnumSchema _changeTypeSchema;
    private readonly (OrgColumn Column, int Position)[] _fields;
    private readonly GenericDatumWriter<GenericRecord> _writer;

    private ChangeEventSchema(string json, IReadOnlyList<OrgColumn> columns)
    {
        Json = json;
        Id = IdOf(json);
        _schema = (RecordSchema)Schema.Parse(json);
        _headerSchema = (RecordSchema)_schema.Fields[0].Schema;
        _changeTypeSchema = (EnumSchema)_headerSchema.Fields.First(f => f.Name == "changeType").Schema;
        _fields = [.. columns.Select((c, i) => (c, i + 1))];
        _writer = new GenericDatumWriter<GenericRecord>(_schema);
    }

    /// <summary>The schema's fingerprint, which events carry and <c>GetSchema</c> takes.</summary>
    public string Id { get; }

    /// <summary>The Avro schema, JSON.</summary>
    public string Json { get; }

    public IReadOnlyList<string> FieldNames => [.. _fields.Select(f => f.Column.Name)];

    public static ChangeEventSchema For(OrgTable table)
    {
        var columns = table.Columns.Where(c => c != table.IdColumn && !c.Name.Equals("SystemModstamp", StringComparison.OrdinalIgnoreCase)).ToList();
        return new ChangeEventSchema(SchemaJson(table.Name, columns), columns);
    }

    public static string IdOf(string json) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(json))[..16]);

    /// <summary>
    /// Encodes an event: an update carries the fields it changed, a create every field with a value, a delete none.
    /// <c>changedFields</c> is a bitmap as the Pub/Sub API sends it: one hex string whose bit <c>i</c> stands for the
    /// schema's field <c>i</c>.
    /// </summary>
    public byte[] Encode(ChangeHeader header, ChangeNotice change)
    {
        var changed = change.Type == ChangeType.Update ? change.ChangedFields.ToHashSet(StringComparer.OrdinalIgnoreCase) : null;
        var record = new GenericRecord(_schema);
        var bitmap = BigInteger.Zero;
        var nulled = new List<string>();
        foreach (var (column, position) in _fields)
        {
            var include = change.Type switch
            {
                ChangeType.Create => true,
                ChangeType.Update => changed!.Contains(column.Name),
                _ => false,
            };
            var value = include ? Value(column, change.Row) : null;
            record.Add(column.Name, value);
            if (changed?.Contains(column.Name) == true)
            {
                bitmap |= BigInteger.One << position;
                if (value is null)
                {
                    nulled.Add(column.Name);
                }
            }
        }

        var head = new GenericRecord(_headerSchema);
        head.Add("entityName", header.EntityName);
        head.Add("recordIds", header.RecordIds.ToArray());
        head.Add("changeType", new GenericEnum(_changeTypeSchema, header.ChangeType.ToString().ToUpperInvariant()));
        head.Add("changeOrigin", header.ChangeOrigin);
        head.Add("transactionKey", header.TransactionKey);
        head.Add("sequenceNumber", header.SequenceNumber);
        head.Add("commitTimestamp", header.CommitTimestamp);
        head.Add("commitNumber", header.CommitNumber);
        head.Add("commitUser", header.CommitUser);
        head.Add("nulledFields", nulled.ToArray());
        head.Add("diffFields", Array.Empty<string>());
        head.Add("changedFields", bitmap.IsZero ? Array.Empty<string>() : ["0x" + bitmap.ToString("X", CultureInfo.InvariantCulture).TrimStart('0')]);
        record.Add("ChangeEventHeader", head);

        using var stream = new MemoryStream();
        _writer.Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    // The stored text as the Avro type of its column; a text that does not parse is sent as no value.
    private static object? Value(OrgColumn column, int row)
    {
        var text = column[row];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return column.Type switch
        {
            FieldType.Boolean => RecordValues.TryParseBoolean(text, out var flag) ? flag : null,
            FieldType.Int => RecordValues.TryParseInt32(text, out var number) ? number : null,
            FieldType.Double or FieldType.Currency or FieldType.Percent => RecordValues.TryParseDecimal(text, out var amount) ? (double)amount : null,
            FieldType.Date => RecordValues.TryParseDate(text, out var date) ? date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : null,
            FieldType.DateTime => RecordValues.TryParseDateTime(text, out var moment) ? moment.UtcDateTime : null,
            _ => text,
        };
    }

    private static string SchemaJson(string objectName, IReadOnlyList<OrgColumn> columns)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "record");
            json.WriteString("name", objectName + "ChangeEvent");
            json.WriteString("namespace", Namespace);
            json.WriteStartArray("fields");
            json.WriteStartObject();
            json.WriteString("name", "ChangeEventHeader");
            json.WriteStartObject("type");
            json.WriteString("type", "record");
            json.WriteString("name", "ChangeEventHeader");
            json.WriteStartArray("fields");
            Field(json, "entityName", "string");
            ArrayField(json, "recordIds");
            json.WriteStartObject();
            json.WriteString("name", "changeType");
            json.WriteStartObject("type");
            json.WriteString("type", "enum");
            json.WriteString("name", "ChangeType");
            json.WriteStartArray("symbols");
            foreach (var symbol in ChangeTypes)
            {
                json.WriteStringValue(symbol);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            Field(json, "changeOrigin", "string");
            Field(json, "transactionKey", "string");
            Field(json, "sequenceNumber", "int");
            Field(json, "commitTimestamp", "long");
            Field(json, "commitNumber", "long");
            Field(json, "commitUser", "string");
            ArrayField(json, "nulledFields");
            ArrayField(json, "diffFields");
            ArrayField(json, "changedFields");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            foreach (var column in columns)
            {
                json.WriteStartObject();
                json.WriteString("name", column.Name);
                json.WriteStartArray("type");
                json.WriteStringValue("null");
                WriteType(json, column.Type);
                json.WriteEndArray();
                json.WriteNull("default");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Field(Utf8JsonWriter json, string name, string type)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("type", type);
        json.WriteEndObject();
    }

    private static void ArrayField(Utf8JsonWriter json, string name)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteStartObject("type");
        json.WriteString("type", "array");
        json.WriteString("items", "string");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    // As Salesforce types them: dates as days and datetimes as milliseconds since the epoch.
    private static void WriteType(Utf8JsonWriter json, FieldType type)
    {
        switch (type)
        {
            case FieldType.Boolean:
                json.WriteStringValue("boolean");
                break;
            case FieldType.Int:
                json.WriteStringValue("int");
                break;
            case FieldType.Double or FieldType.Currency or FieldType.Percent:
                json.WriteStringValue("double");
                break;
            case FieldType.Date:
                json.WriteStartObject();
                json.WriteString("type", "int");
                json.WriteString("logicalType", "date");
                json.WriteEndObject();
                break;
            case FieldType.DateTime:
                json.WriteStartObject();
                json.WriteString("type", "long");
                json.WriteString("logicalType", "timestamp-millis");
                json.WriteEndObject();
                break;
            default:
                json.WriteStringValue("string");
                break;
        }
    }
}
