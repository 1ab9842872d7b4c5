using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SfPredictor.LocalOrg.Data;

namespace SfPredictor.LocalOrg.Api;

/// <summary>
/// <c>GET /sobjects</c> (global describe) and <c>GET /sobjects/{Name}/describe</c>, in Salesforce's
/// shapes, with every column of the export (custom <c>__c</c> fields included) and the configured extra fields.
/// </summary>
internal static class DescribeEndpoints
{
    // Picklist values are listed from the data; a free-text column mistaken for a picklist must not flood the answer.
    private const int MaxPicklistValues = 500;

    public static void MapDescribe(this WebApplication app, LocalOrgRuntime runtime)
    {
        app.MapGet("/services/data/v{version}/sobjects", context => GlobalAsync(context, runtime));
        app.MapGet("/services/data/v{version}/sobjects/{name}/describe", context => DescribeAsync(context, runtime));
    }

    private static Task GlobalAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        var version = ApiResponses.Version(context);
        var body = runtime.Store.Read(() => ApiResponses.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("encoding", "UTF-8");
            writer.WriteNumber("maxBatchSize", 200);
            writer.WriteStartArray("sobjects");
            foreach (var table in runtime.Store.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                WriteObjectProperties(writer, table, version, runtime.BaseUri);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }));
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, body);
    }

    private static async Task DescribeAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        if (runtime.Store.FindTable((string)context.GetRouteValue("name")!) is not { } table)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        var version = ApiResponses.Version(context);
        var body = runtime.Store.Read(() => ApiResponses.Json(writer =>
        {
            writer.WriteStartObject();
            WriteObjectProperties(writer, table, version, runtime.BaseUri);
            writer.WriteStartArray("fields");
            foreach (var column in table.Columns)
            {
                WriteField(writer, runtime.Store, table, column);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("childRelationships");
            writer.WriteEndArray();
            writer.WriteStartArray("recordTypeInfos");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }));
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, body);
    }

    private static void WriteObjectProperties(Utf8JsonWriter writer, OrgTable table, string version, Uri baseUrl)
    {
        var updateable = table.Columns.Any(c => RecordUpdater.IsUpdateable(table, c));
        writer.WriteString("name", table.Name);
        writer.WriteString("label", ApiNames.Label(table.Name));
        writer.WriteString("labelPlural", ApiNames.Label(table.Name) + "s");
        writer.WriteString("keyPrefix", table.KeyPrefix);
        writer.WriteBoolean("custom", table.Name.EndsWith("__c", StringComparison.OrdinalIgnoreCase));
        writer.WriteBoolean("customSetting", false);
        writer.WriteBoolean("queryable", true);
        writer.WriteBoolean("retrieveable", true);
        writer.WriteBoolean("searchable", false);
        writer.WriteBoolean("updateable", updateable);
        writer.WriteBoolean("createable", false);
        writer.WriteBoolean("deletable", false);
        writer.WriteBoolean("undeletable", false);
        writer.WriteBoolean("mergeable", false);
        writer.WriteBoolean("replicateable", true);
        writer.WriteBoolean("triggerable", false);
        writer.WriteBoolean("feedEnabled", false);
        writer.WriteBoolean("layoutable", false);
        writer.WriteBoolean("activateable", false);
        writer.WriteBoolean("deprecatedAndHidden", false);
        writer.WriteNull("listviewable");
        writer.WriteNull("lookupLayoutable");
        writer.WriteNull("searchLayoutable");
        writer.WriteStartObject("urls");
        writer.WriteString("sobject", $"/services/data/v{version}/sobjects/{table.Name}");
        writer.WriteString("describe", $"/services/data/v{version}/sobjects/{table.Name}/describe");
        writer.WriteString("rowTemplate", $"/services/data/v{version}/sobjects/{table.Name}/{{ID}}");
        writer.WriteString("uiDetailTemplate", $"{baseUrl}{{ID}}");
        writer.WriteString("uiEditTemplate", $"{baseUrl}{{ID}}/e");
        writer.WriteString("uiNewRecord", $"{baseUrl}{table.KeyPrefix}/e");
        writer.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter writer, OrgStore store, OrgTable table, OrgColumn column)
    {
        var type = column.Type;
        var updateable = RecordUpdater.IsUpdateable(table, column);
        var length = type switch
        {
            FieldType.Id or FieldType.Reference => 18,
            FieldType.TextArea => 32768,
            FieldType.String or FieldType.Picklist => 255,
            _ => 0,
        };
        var (precision, scale) = type switch
        {
            FieldType.Currency => (18, 2),
            FieldType.Percent => (5, 2),
            FieldType.Double => (18, 6),
            _ => (0, 0),
        };
        var relationship = type == FieldType.Reference ? RelationshipName(column) : null;

        writer.WriteStartObject();
        writer.WriteString("name", column.Name);
        writer.WriteString("label", ApiNames.Label(column.Name));
        writer.WriteString("type", FieldTypes.ApiName(type));
        writer.WriteString("soapType", FieldTypes.SoapType(type));
        writer.WriteNumber("length", length);
        writer.WriteNumber("byteLength", length * 3);
        writer.WriteNumber("precision", precision);
        writer.WriteNumber("scale", scale);
        writer.WriteNumber("digits", type == FieldType.Int ? 9 : 0);
        writer.WriteBoolean("updateable", updateable);
        writer.WriteBoolean("createable", updateable);
        writer.WriteBoolean("nillable", type is not (FieldType.Id or FieldType.Boolean));
        writer.WriteBoolean("custom", column.IsCustom);
        writer.WriteBoolean("calculated", false);
        writer.WriteBoolean("autoNumber", false);
        writer.WriteBoolean("unique", false);
        writer.WriteBoolean("externalId", false);
        writer.WriteBoolean("idLookup", type == FieldType.Id);
        writer.WriteBoolean("nameField", column.Name.Equals("Name", StringComparison.OrdinalIgnoreCase));
        writer.WriteBoolean("namePointing", false);
        writer.WriteBoolean("caseSensitive", false);
        writer.WriteBoolean("filterable", true);
        writer.WriteBoolean("sortable", type != FieldType.TextArea);
        writer.WriteBoolean("groupable", type is not (FieldType.TextArea or FieldType.DateTime or FieldType.Double or FieldType.Currency or FieldType.Percent));
        writer.WriteBoolean("defaultedOnCreate", type == FieldType.Boolean);
        writer.WriteBoolean("deprecatedAndHidden", false);
        writer.WriteBoolean("htmlFormatted", false);
        writer.WriteBoolean("dependentPicklist", false);
        writer.WriteBoolean("restrictedPicklist", false);
        writer.WriteBoolean("writeRequiresMasterRead", false);
        writer.WriteNull("defaultValue");
        writer.WriteNull("calculatedFormula");
        writer.WriteNull("defaultValueFormula");
        writer.WriteNull("controllerName");
        writer.WriteNull("inlineHelpText");
        writer.WriteNull("relationshipOrder");
        if (relationship is null)
        {
            writer.WriteNull("relationshipName");
        }
        else
        {
            writer.WriteString("relationshipName", relationship);
        }

        writer.WriteStartArray("referenceTo");
        if (type == FieldType.Reference)
        {
            foreach (var target in ReferenceTargets(store, column, relationship!))
            {
                writer.WriteStringValue(target);
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("picklistValues");
        if (type == FieldType.Picklist)
        {
            foreach (var value in column.DistinctValues(MaxPicklistValues).Order(StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteBoolean("active", true);
                writer.WriteBoolean("defaultValue", false);
                writer.WriteString("label", value);
                writer.WriteNull("validFor");
                writer.WriteString("value", value);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static string RelationshipName(OrgColumn column) =>
        column.IsCustom ? column.Name[..^3] + "__r" : column.Name.EndsWith("Id", StringComparison.Ordinal) ? column.Name[..^2] : column.Name;

    /// <summary>The objects a lookup points to: those its Ids belong to, or the object named like the relationship.</summary>
    private static IEnumerable<string> ReferenceTargets(OrgStore store, OrgColumn column, string relationship)
    {
        var targets = column.DistinctValues(int.MaxValue)
            .Select(Ids.KeyPrefix).OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(prefix => store.FindTableByPrefix(prefix)?.Name).OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var named = relationship is "Owner" or "CreatedBy" or "LastModifiedBy" ? "User" : relationship;
        if (targets.Count == 0 && store.FindTable(named) is { } table)
        {
            targets.Add(table.Name);
        }

        return targets.Order(StringComparer.Ordinal);
    }
}
