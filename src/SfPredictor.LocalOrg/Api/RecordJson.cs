using System.Text.Json;
using SfPredictor.LocalOrg.Data;
using SfPredictor.LocalOrg.Soql;

namespace SfPredictor.LocalOrg.Api;

/// <summary>
/// Writes records as the REST API does: <c>attributes {type, url}</c>, then the selected fields, each
/// parent relationship as a nested record (or null when the lookup is empty).
/// </summary>
internal static class RecordJson
{
    public static void WriteRecord(Utf8JsonWriter writer, OrgStore store, OrgTable table, int row, Projection shape, string version)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("attributes");
        writer.WriteString("type", table.Name);
        if (table.IdOf(row) is { } id)
        {
            writer.WriteString("url", $"/services/data/v{version}/sobjects/{table.Name}/{id}");
        }

        writer.WriteEndObject();
        foreach (var item in shape.Items)
        {
            switch (item)
            {
                case ProjectedField field:
                    var column = table.Find(field.Name);
                    writer.WritePropertyName(column?.Name ?? field.Name);
                    FieldTypes.WriteJson(writer, column?.Type ?? FieldType.String, column is null ? [] : column.GetSpan(row));
                    break;
                case ProjectedChildren children:
                    writer.WritePropertyName(children.Children.Name);
                    var rows = children.Children.Of(table.IdOf(row));
                    if (rows.Count == 0)
                    {
                        writer.WriteNullValue();
                        break;
                    }

                    writer.WriteStartObject();
                    writer.WriteNumber("totalSize", rows.Count);
                    writer.WriteBoolean("done", true);
                    writer.WriteStartArray("records");
                    foreach (var child in rows)
                    {
                        WriteRecord(writer, store, children.Children.Query.Table, child, children.Children.Query.Projection, version);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                    break;
                case ProjectedParent parent:
                    writer.WritePropertyName(parent.Hop.RelationshipName);
                    if (parent.Hop.Follow(store, table, row) is { } found)
                    {
                        WriteRecord(writer, store, found.Table, found.Row, parent.Shape, version);
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }

                    break;
            }
        }

        writer.WriteEndObject();
    }
}
