using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SfPredictor.LocalOrg.Data;
using SfPredictor.LocalOrg.Soql;

namespace SfPredictor.LocalOrg.Api;

/// <summary>
/// Single-record REST: <c>GET /sobjects/{type}/{id}</c> (with <c>?fields=</c>), <c>PATCH</c> (204),
/// <c>DELETE</c> (204) and <c>POST /sobjects/{type}</c> (201 with the new Id), answering errors with
/// Salesforce's status codes and bodies.
/// </summary>
internal static class SObjectEndpoints
{
    private const string Record = "/services/data/v{version}/sobjects/{type}/{id}";

    public static void MapSObjects(this WebApplication app, LocalOrgRuntime runtime)
    {
        app.MapGet(Record, context => GetAsync(context, runtime));
        app.MapMethods(Record, [HttpMethods.Patch], context => UpdateAsync(context, runtime));
        app.MapDelete(Record, context => DeleteAsync(context, runtime));
        app.MapPost("/services/data/v{version}/sobjects/{type}", context => CreateAsync(context, runtime));
    }

    private static async Task GetAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        var type = (string)context.GetRouteValue("type")!;
        var id = (string)context.GetRouteValue("id")!;
        if (runtime.Store.FindTable(type) is not { } table)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        // Bound as the SOQL query it stands for, so fields are checked and written exactly as a query writes them.
        var fields = context.Request.Query["fields"].ToString();
        var select = fields.Length > 0
            ? fields
            : string.Join(", ", table.Columns.Select(c => c.Name).Concat(StandardObjects.Fields(table.Name).Select(f => f.Name).Where(f => table.Find(f) is null)));
        var status = StatusCodes.Status200OK;
        var body = runtime.Store.Read(() =>
        {
            if (!table.TryFindRow(id, out var row) || RecordUpdater.IsDeleted(table, row))
            {
                status = StatusCodes.Status404NotFound;
                return null;
            }

            var soql = $"SELECT {select} FROM {table.Name}";
            try
            {
                var query = QueryBinder.Bind(soql, runtime.Store, runtime.Today, runtime.FiscalYear, includeDeleted: false);
                return ApiResponses.Json(writer => RecordJson.WriteRecord(writer, runtime.Store, table, row, query.Projection, ApiResponses.Version(context)));
            }
            catch (SoqlException e)
            {
                status = StatusCodes.Status400BadRequest;
                return ApiResponses.Json(writer =>
                {
                    writer.WriteStartArray();
                    ApiResponses.WriteError(writer, "errorCode", e.ErrorCode, e.FormatFor(soql), null);
                    writer.WriteEndArray();
                });
            }
        });
        if (body is null)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        await ApiResponses.WriteJsonAsync(context, status, body);
    }

    private static async Task UpdateAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        var type = (string)context.GetRouteValue("type")!;
        var id = (string)context.GetRouteValue("id")!;
        if (runtime.Store.FindTable(type) is null)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        using var request = await ReadObjectAsync(context);
        if (request is null)
        {
            return;
        }

        await SaveAsync(context, runtime, () =>
        {
            var (update, problem) = runtime.Updater.Prepare(type, id, Fields(request.RootElement));
            if (update is not null)
            {
                runtime.Updater.Apply([update]);
            }

            return problem;
        });
    }

    private static async Task CreateAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        var type = (string)context.GetRouteValue("type")!;
        if (runtime.Store.FindTable(type) is null)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        using var request = await ReadObjectAsync(context);
        if (request is null)
        {
            return;
        }

        var (id, error) = runtime.Store.Write(() =>
        {
            var (create, problem) = runtime.Updater.PrepareCreate(type, Fields(request.RootElement), runtime.UserId);
            if (create is not null)
            {
                runtime.Updater.Commit([create]);
            }

            return (create?.Id, problem);
        });
        if (error is not null)
        {
            await WriteSaveErrorAsync(context, error);
            return;
        }

        runtime.Flusher.Changed();
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status201Created, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteBoolean("success", true);
            writer.WriteStartArray("errors");
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static async Task DeleteAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        var type = (string)context.GetRouteValue("type")!;
        var id = (string)context.GetRouteValue("id")!;
        if (runtime.Store.FindTable(type) is null)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        await SaveAsync(context, runtime, () =>
        {
            var (delete, problem) = runtime.Updater.PrepareDelete(type, id);
            if (delete is not null)
            {
                runtime.Updater.Commit([delete]);
            }

            return problem;
        });
    }

    // Saves under the write lock; answers 204 No Content, or the save error as Salesforce words it.
    private static async Task SaveAsync(HttpContext context, LocalOrgRuntime runtime, Func<SaveError?> save)
    {
        var error = runtime.Store.Write(save);
        if (error is not null)
        {
            await WriteSaveErrorAsync(context, error);
            return;
        }

        runtime.Flusher.Changed();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    // Salesforce answers a record it cannot find with 404, every other save error with 400.
    private static Task WriteSaveErrorAsync(HttpContext context, SaveError error) =>
        ApiResponses.WriteErrorAsync(
            context,
            error.StatusCode is "ENTITY_IS_DELETED" or "NOT_FOUND" ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest,
            error.StatusCode,
            error.Message,
            error.Fields);

    private static async Task<JsonDocument?> ReadObjectAsync(HttpContext context)
    {
        var request = await ApiResponses.ReadJsonAsync(context);
        if (request is not null && request.RootElement.ValueKind != JsonValueKind.Object)
        {
            request.Dispose();
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "JSON_PARSER_ERROR", "The request body must be a JSON object of field values.");
            return null;
        }

        return request;
    }

    private static List<KeyValuePair<string, IncomingValue>> Fields(JsonElement record) =>
        [.. record.EnumerateObject()
            .Where(p => !p.NameEquals("attributes"))
            .Select(p => KeyValuePair.Create(p.Name, IncomingValue.FromJson(p.Value)))];
}
