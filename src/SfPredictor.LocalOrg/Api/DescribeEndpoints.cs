using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SfPredictor.LocalOrg.Data;

namespace SfPredictor.LocalOrg.Api;

/// <summary>
/// <c>GET /sobjects</c> (global describe) and <c>GET /sobjects/{Name}/describe</c>, in Salesforce's
/// shapes, with every column of the export (custom <c>__c</c> fields included), the configured extra fields,
/// and every standard field of the objects SfPredictor reads whether or not the export has its column.
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
                WriteField(writer, runtime, table, column.SpecOn(table), column);
            }

            foreach (var standard in StandardObjects.Fields(table.Name).Where(f => table.Find(f.Name) is null))
            {
                WriteField(writer, runtime, table, standard, null);
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
        writer.WriteBoolean("createable", StandardFields.IsCreateable(table.Name));
        writer.WriteBoolean("deletable", StandardFields.IsCreateable(table.Name));
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

    private static void WriteField(Utf8JsonWriter writer, LocalOrgRuntime runtime, OrgTable table, FieldSpec spec, OrgColumn? column)
    {
        var store = runtime.Store;
        var type = spec.Type;
        var updateable = spec.Updateable;
        var length = spec.Length;
        var (precision, scale) = (spec.Precision, spec.Scale);
        var relationship = type == FieldType.Reference ? RelationshipName(spec.Name) : null;
        var restricted = type == FieldType.Picklist ? runtime.Updater.RestrictedValues(table, column, spec) : null;
        var custom = spec.Name.EndsWith("__c", StringComparison.OrdinalIgnoreCase);

        writer.WriteStartObject();
        writer.WriteString("name", spec.Name);
        writer.WriteString("label", ApiNames.Label(spec.Name));
        writer.WriteString("type", FieldTypes.ApiName(type));
        writer.WriteString("soapType", FieldTypes.SoapType(type));
        writer.WriteNumber("length", length);
        writer.WriteNumber("byteLength", length * 3);
        writer.WriteNumber("precision", precision);
        writer.WriteNumber("scale", scale);
        writer.WriteNumber("digits", type == FieldType.Int ? precision : 0);
        writer.WriteBoolean("updateable", updateable);
        writer.WriteBoolean("createable", updateable);
        writer.WriteBoolean("nillable", spec.Nillable);
        writer.WriteBoolean("custom", custom);
        writer.WriteBoolean("calculated", false);
        writer.WriteBoolean("autoNumber", false);
        writer.WriteBoolean("unique", false);
        writer.WriteBoolean("externalId", false);
        writer.WriteBoolean("idLookup", type == FieldType.Id);
        writer.WriteBoolean("nameField", spec.Name.Equals("Name", StringComparison.OrdinalIgnoreCase));
        writer.WriteBoolean("namePointing", false);
        writer.WriteBoolean("caseSensitive", false);
        writer.WriteBoolean("filterable", true);
        writer.WriteBoolean("sortable", type != FieldType.TextArea);
        writer.WriteBoolean("groupable", type is not (FieldType.TextArea or FieldType.DateTime or FieldType.Double or FieldType.Currency or FieldType.Percent));
        writer.WriteBoolean("defaultedOnCreate", type == FieldType.Boolean);
        writer.WriteBoolean("deprecatedAndHidden", false);
        writer.WriteBoolean("htmlFormatted", false);
        writer.WriteBoolean("dependentPicklist", false);
        writer.WriteBoolean("restrictedPicklist", restricted is not null);
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
            foreach (var value in (restricted ?? column?.DistinctValues(MaxPicklistValues) ?? []).Order(StringComparer.Ordinal))
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

    private static string RelationshipName(string name) =>
        name.EndsWith("__c", StringComparison.OrdinalIgnoreCase) ? name[..^3] + "__r" : name.EndsWith("Id", StringComparison.Ordinal) ? name[..^2] : name;

    /// <summary>The objects a lookup points to: those its Ids belong to, or the object named like the relationship.</summary>
    private static IEnumerable<string> ReferenceTargets(OrgStore store, OrgColumn? column, string relationship)
    {
        var targets = (column?.DistinctValues(int.MaxValue) ?? [])
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
