using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SfPredictor.LocalOrg.Data;

namespace SfPredictor.LocalOrg.Api;

/// <summary>
/// <c>PATCH /composite/sobjects</c>: sObject Collections update of up to 200 records. Answers one
/// SaveResult per record in request order; with <c>allOrNone</c> one failure rolls back the rest
/// (ALL_OR_NONE_OPERATION_ROLLED_BACK), as Salesforce does.
/// </summary>
internal static class CollectionsEndpoint
{
    private const int MaxRecords = 200;

    public static void MapCollections(this WebApplication app, LocalOrgRuntime runtime) =>
        app.MapMethods("/services/data/v{version}/composite/sobjects", [HttpMethods.Patch], context => UpdateAsync(context, runtime));

    private static async Task UpdateAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        using var request = await ApiResponses.ReadJsonAsync(context);
        if (request is null)
        {
            return;
        }

        var root = request.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "INVALID_FIELD", "The request needs a records array.");
            return;
        }

        if (records.GetArrayLength() > MaxRecords)
        {
            await ApiResponses.WriteErrorAsync(
                context, StatusCodes.Status400BadRequest, "EXCEEDED_ID_LIMIT", $"record limit reached. cannot submit more than {MaxRecords} records into this call");
            return;
        }

        if (records.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.Object))
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "JSON_PARSER_ERROR", "Every element of records must be an object.");
            return;
        }

        var allOrNone = root.TryGetProperty("allOrNone", out var flag) && flag.ValueKind == JsonValueKind.True;
        var outcomes = runtime.Store.Write(() =>
        {
            var prepared = records.EnumerateArray().Select(record => Prepare(runtime.Updater, record)).ToList();
            var anyFailed = prepared.Any(p => p.Error is not null);
            if (!allOrNone || !anyFailed)
            {
                runtime.Updater.Apply(prepared.Where(p => p.Update is not null).Select(p => p.Update!));
            }

            return (prepared, rolledBack: allOrNone && anyFailed);
        });
        runtime.Flusher.Changed();

        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartArray();
            foreach (var (update, error) in outcomes.prepared)
            {
                writer.WriteStartObject();
                if (update is not null)
                {
                    writer.WriteString("id", update.Id);
                }

                writer.WriteBoolean("success", error is null && !outcomes.rolledBack);
                writer.WriteStartArray("errors");
                if (error is not null)
                {
                    ApiResponses.WriteError(writer, "statusCode", error.StatusCode, error.Message, error.Fields);
                }
                else if (outcomes.rolledBack)
                {
                    ApiResponses.WriteError(
                        writer, "statusCode", "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                        "Record rolled back because not all records were valid and the request was using AllOrNone header", []);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    private static (PendingUpdate? Update, SaveError? Error) Prepare(RecordUpdater updater, JsonElement record)
    {
        string? type = null;
        string? id = null;
        var fields = new List<KeyValuePair<string, IncomingValue>>();
        foreach (var property in record.EnumerateObject())
        {
            if (property.NameEquals("attributes"))
            {
                type = property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                    ? t.GetString()
                    : null;
            }
            else if (property.Name.Equals("Id", StringComparison.OrdinalIgnoreCase))
            {
                id = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }
            else
            {
                fields.Add(KeyValuePair.Create(property.Name, IncomingValue.FromJson(property.Value)));
            }
        }

        return updater.Prepare(type, id, fields);
    }
}
