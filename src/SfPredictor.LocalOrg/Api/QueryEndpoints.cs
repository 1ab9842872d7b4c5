using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SfPredictor.LocalOrg.Data;
using SfPredictor.LocalOrg.Soql;

namespace SfPredictor.LocalOrg.Api;

/// <summary>
/// <c>GET /query?q=</c> and <c>/queryAll?q=</c>, and their next pages <c>/query/01g...-2000</c>.
/// A page holds <c>batchSize</c> records (the <c>Sforce-Query-Options</c> header, 200 to 2000);
/// <c>nextRecordsUrl</c> points at the next page until <c>done</c>.
/// </summary>
internal static class QueryEndpoints
{
    private const int MinBatchSize = 200;
    private const int MaxBatchSize = 2000;

    public static void MapQueries(this WebApplication app, LocalOrgRuntime runtime)
    {
        foreach (var resource in (string[])["query", "queryAll"])
        {
            var includeDeleted = resource == "queryAll";
            app.MapGet($"/services/data/v{{version}}/{resource}", context => QueryAsync(context, runtime, resource, includeDeleted));
            app.MapGet($"/services/data/v{{version}}/{resource}/{{locator}}", context => NextPageAsync(context, runtime));
        }
    }

    /// <summary>Answers a SOQL error with Salesforce's body: 400 and the message pointing at the token.</summary>
    public static Task WriteSoqlErrorAsync(HttpContext context, SoqlException error, string query) =>
        ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, error.ErrorCode, error.FormatFor(query));

    private static async Task QueryAsync(HttpContext context, LocalOrgRuntime runtime, string resource, bool includeDeleted)
    {
        var text = context.Request.Query["q"].ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, SoqlErrorCodes.MalformedQuery, "A query string has to be specified");
            return;
        }

        var version = ApiResponses.Version(context);
        byte[] body;
        try
        {
            body = runtime.Store.Read(() =>
            {
                var query = QueryBinder.Bind(text, runtime.Store, runtime.Today, runtime.FiscalYear, includeDeleted);
                if (query.IsCount)
                {
                    var count = query.Count();
                    return ApiResponses.Json(writer =>
                    {
                        writer.WriteStartObject();
                        writer.WriteNumber("totalSize", count);
                        writer.WriteBoolean("done", true);
                        writer.WriteStartArray("records");
                        writer.WriteEndArray();
                        writer.WriteEndObject();
                    });
                }

                var rows = query.Run();
                if (query.IsAggregate)
                {
                    return AggregatePage(query, Aggregates.Compute(query, rows));
                }

                var batchSize = BatchSize(context.Request, runtime.Options.QueryBatchSize);
                var cursor = rows.Length > batchSize ? runtime.Cursors.Open(query, rows, batchSize, resource) : null;
                return Page(runtime, query, rows, 0, batchSize, cursor, version);
            });
        }
        catch (SoqlException e)
        {
            await WriteSoqlErrorAsync(context, e, text);
            return;
        }

        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, body);
    }

    private static async Task NextPageAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        var locator = (string)context.GetRouteValue("locator")!;
        var dash = locator.LastIndexOf('-');
        var cursor = dash > 0 ? runtime.Cursors.Find(locator[..dash]) : null;
        if (cursor is null
            || !int.TryParse(locator.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || start >= cursor.Rows.Length)
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator");
            return;
        }

        var version = ApiResponses.Version(context);
        var body = runtime.Store.Read(() => Page(runtime, cursor.Query, cursor.Rows, start, cursor.BatchSize, cursor, version));
        if (start + cursor.BatchSize >= cursor.Rows.Length)
        {
            runtime.Cursors.Close(cursor.Id);
        }

        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, body);
    }

    private static byte[] Page(LocalOrgRuntime runtime, BoundQuery query, int[] rows, int start, int batchSize, QueryCursor? cursor, string version) =>
        ApiResponses.Json(writer =>
        {
            var end = Math.Min(rows.Length, start + batchSize);
            writer.WriteStartObject();
            writer.WriteNumber("totalSize", rows.Length);
            writer.WriteBoolean("done", end == rows.Length);
            if (end < rows.Length && cursor is not null)
            {
                writer.WriteString("nextRecordsUrl", string.Create(CultureInfo.InvariantCulture, $"/services/data/v{version}/{cursor.Resource}/{cursor.Id}-{end}"));
            }

            writer.WriteStartArray("records");
            for (var i = start; i < end; i++)
            {
                RecordJson.WriteRecord(writer, runtime.Store, query.Table, rows[i], query.Projection, version);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    // Salesforce answers every group in one page, as AggregateResult records.
    private static byte[] AggregatePage(BoundQuery query, List<AggregateRow> rows) =>
        ApiResponses.Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("totalSize", rows.Count);
            writer.WriteBoolean("done", true);
            writer.WriteStartArray("records");
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                writer.WriteStartObject("attributes");
                writer.WriteString("type", "AggregateResult");
                writer.WriteEndObject();
                for (var g = 0; g < query.GroupBy.Count; g++)
                {
                    if (query.GroupNames[g] is not { } name)
                    {
                        continue;
                    }

                    writer.WritePropertyName(name);
                    FieldTypes.WriteJson(writer, query.GroupBy[g].Type, row.Groups[g]);
                }

                for (var a = 0; a < query.Aggregates.Count; a++)
                {
                    if (query.Aggregates[a].Name is not { } name)
                    {
                        continue;
                    }

                    writer.WritePropertyName(name);
                    switch (row.Values[a])
                    {
                        case long count:
                            writer.WriteNumberValue(count);
                            break;
                        case decimal number:
                            writer.WriteNumberValue(number);
                            break;
                        case string text:
                            FieldTypes.WriteJson(writer, query.Aggregates[a].Field.Type, text);
                            break;
                        default:
                            writer.WriteNullValue();
                            break;
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    // "Sforce-Query-Options: batchSize=500"; Salesforce treats the size as a request within 200..2000.
    private static int BatchSize(HttpRequest request, int configured)
    {
        foreach (var option in request.Headers["Sforce-Query-Options"].ToString().Split(',', StringSplitOptions.TrimEntries))
        {
            var parts = option.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[0].Equals("batchSize", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return Math.Clamp(size, MinBatchSize, MaxBatchSize);
            }
        }

        return configured;
    }
}
