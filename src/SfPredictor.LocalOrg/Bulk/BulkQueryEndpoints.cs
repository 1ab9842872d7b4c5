using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SfPredictor.DataExport;
using SfPredictor.LocalOrg.Api;
using SfPredictor.LocalOrg.Data;
using SfPredictor.LocalOrg.Soql;

namespace SfPredictor.LocalOrg.Bulk;

/// <summary>
/// Bulk API 2.0 query jobs: <c>POST /jobs/query</c>, <c>GET /jobs/query/{id}</c> and
/// <c>GET /jobs/query/{id}/results?locator=&amp;maxRecords=</c> (CSV, with <c>Sforce-Locator</c> and
/// <c>Sforce-NumberOfRecords</c>; the last set's locator is the text <c>null</c>).
/// </summary>
internal static class BulkQueryEndpoints
{
    public const string InvalidJob = "INVALIDJOB";

    public static void MapBulkQueries(this WebApplication app, LocalOrgRuntime runtime)
    {
        app.MapPost("/services/data/v{version}/jobs/query", context => CreateAsync(context, runtime));
        app.MapGet("/services/data/v{version}/jobs/query/{id}", context => InfoAsync(context, runtime));
        app.MapGet("/services/data/v{version}/jobs/query/{id}/results", context => ResultsAsync(context, runtime));
    }

    /// <summary>Checks the optional CSV format settings of a job request; the local org writes COMMA and LF only.</summary>
    public static string? UnsupportedFormat(JsonElement request)
    {
        foreach (var (name, supported) in (ReadOnlySpan<(string, string)>)[("contentType", "CSV"), ("columnDelimiter", "COMMA"), ("lineEnding", "LF")])
        {
            if (request.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                && !string.Equals(value.GetString(), supported, StringComparison.OrdinalIgnoreCase))
            {
                return $"The local org supports {name} {supported} only, not {value.GetString()}.";
            }
        }

        return null;
    }

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static async Task CreateAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        using var request = await ApiResponses.ReadJsonAsync(context);
        if (request is null)
        {
            return;
        }

        var root = request.RootElement;
        var operation = Text(root, "operation");
        var text = Text(root, "query");
        if (operation is not ("query" or "queryAll") || string.IsNullOrWhiteSpace(text))
        {
            await ApiResponses.WriteErrorAsync(
                context, StatusCodes.Status400BadRequest, InvalidJob, "A query job needs operation 'query' or 'queryAll' and a query.");
            return;
        }

        if (UnsupportedFormat(root) is { } unsupported)
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, InvalidJob, unsupported);
            return;
        }

        QueryJob job;
        try
        {
            job = runtime.Store.Read(() =>
            {
                var query = QueryBinder.Bind(text, runtime.Store, runtime.Today, runtime.FiscalYear, includeDeleted: operation == "queryAll");
                return new QueryJob(
                    runtime.Jobs.NewId(), operation, ApiResponses.Version(context), runtime.Time.GetUtcNow(), runtime.UserId, query, query.Run());
            });
        }
        catch (SoqlException e)
        {
            await QueryEndpoints.WriteSoqlErrorAsync(context, e, text);
            return;
        }

        // Bulk API 2.0 refuses what it cannot split into result files.
        var refusal = job.Query.IsCount || job.Query.IsAggregate ? "FeatureNotEnabled : Aggregate Queries not supported"
            : job.Query.Offset is not null ? "FeatureNotEnabled : OFFSET clause is not supported"
            : job.Query.Projection.Items.OfType<ProjectedChildren>().Any() ? "FeatureNotEnabled : Parent-to-child relationship queries are not supported"
            : null;
        if (refusal is not null)
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, InvalidJob, refusal);
            return;
        }

        job.TryMove(JobState.Open, JobState.UploadComplete);
        runtime.Jobs.Add(job);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, job.WriteInfo);
    }

    private static async Task InfoAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        if (runtime.Jobs.Find<QueryJob>((string)context.GetRouteValue("id")!) is not { } job)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        job.Poll();
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, job.WriteInfo);
    }

    private static async Task ResultsAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        if (runtime.Jobs.Find<QueryJob>((string)context.GetRouteValue("id")!) is not { } job)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        if (job.State != JobState.JobComplete)
        {
            await ApiResponses.WriteErrorAsync(
                context, StatusCodes.Status412PreconditionFailed, "JOB_NOT_COMPLETE",
                $"can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: {job.State}");
            return;
        }

        var start = DecodeLocator(context.Request.Query["locator"].ToString());
        var maxRecords = runtime.Options.BulkResultPageSize;
        var maxText = context.Request.Query["maxRecords"].ToString();
        if (start is null || start > job.Rows.Length
            || (maxText.Length > 0 && (!int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out maxRecords) || maxRecords < 1)))
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "INVALIDREQUEST", "The locator or maxRecords parameter is invalid.");
            return;
        }

        var from = start.Value;
        var end = (int)Math.Min(job.Rows.Length, (long)from + maxRecords);
        var csv = runtime.Store.Read(() =>
        {
            using var buffer = new MemoryStream();
            var fields = job.Query.Fields;
            var rows = job.Rows.Skip(from).Take(end - from)
                .Select(row => (IReadOnlyList<string?>)fields.Select(f => FieldTypes.FormatBulk(f.Type, f.GetSpan(row))).ToArray());
            ExportCsvWriter.Write(buffer, fields.Select(f => f.Name).ToList(), rows);
            return buffer.ToArray();
        });
        context.Response.Headers["Sforce-Locator"] = end < job.Rows.Length ? EncodeLocator(end) : "null";
        context.Response.Headers["Sforce-NumberOfRecords"] = (end - from).ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/csv";
        await context.Response.Body.WriteAsync(csv, context.RequestAborted);
    }

    // Salesforce's locators are opaque; like theirs, these are the base64 of the next record's position.
    private static string EncodeLocator(int position) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(position.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    private static int? DecodeLocator(string locator)
    {
        if (locator.Length == 0)
        {
            return 0;
        }

        try
        {
            var padded = locator.PadRight(locator.Length + ((4 - (locator.Length % 4)) % 4), '=');
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var position) ? position : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
