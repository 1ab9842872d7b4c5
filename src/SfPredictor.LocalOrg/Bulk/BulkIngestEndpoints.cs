using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SfPredictor.DataExport;
using SfPredictor.LocalOrg.Api;
using SfPredictor.LocalOrg.Data;

namespace SfPredictor.LocalOrg.Bulk;

/// <summary>
/// Bulk API 2.0 ingest jobs for the update operation: create, upload CSV, mark UploadComplete
/// (the records are updated then), poll, and read the successful and failed results.
/// </summary>
internal static class BulkIngestEndpoints
{
    // Bulk API 2.0's way of setting a field to null; an empty cell leaves the field unchanged.
    private const string NullMarker = "#N/A";

    public static void MapBulkIngest(this WebApplication app, LocalOrgRuntime runtime)
    {
        const string Job = "/services/data/v{version}/jobs/ingest/{id}";
        app.MapPost("/services/data/v{version}/jobs/ingest", context => CreateAsync(context, runtime));
        app.MapPut(Job + "/batches", context => UploadAsync(context, runtime));
        app.MapMethods(Job, [HttpMethods.Patch], context => ChangeStateAsync(context, runtime));
        app.MapGet(Job, context => InfoAsync(context, runtime));
        app.MapGet(Job + "/successfulResults", context => ResultsAsync(context, runtime, success: true));
        app.MapGet(Job + "/failedResults", context => ResultsAsync(context, runtime, success: false));
        app.MapGet(Job + "/unprocessedrecords", context => UnprocessedAsync(context, runtime));
    }

    private static async Task CreateAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        using var request = await ApiResponses.ReadJsonAsync(context);
        if (request is null)
        {
            return;
        }

        var root = request.RootElement;
        var objectName = BulkQueryEndpoints.Text(root, "object");
        var operation = BulkQueryEndpoints.Text(root, "operation");
        var problem = operation != "update" ? $"The local org supports the update operation only, not '{operation}'."
            : objectName is null || runtime.Store.FindTable(objectName) is null ? $"sObject type '{objectName}' is not supported."
            : BulkQueryEndpoints.UnsupportedFormat(root);
        if (problem is not null)
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, BulkQueryEndpoints.InvalidJob, problem);
            return;
        }

        var table = runtime.Store.FindTable(objectName!)!;
        var job = new IngestJob(runtime.Jobs.NewId(), table.Name, ApiResponses.Version(context), runtime.Time.GetUtcNow(), runtime.UserId);
        runtime.Jobs.Add(job);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, job.WriteInfo);
    }

    private static async Task UploadAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        if (FindJob(context, runtime) is not { } job)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        using var data = new MemoryStream();
        await context.Request.Body.CopyToAsync(data, context.RequestAborted);
        if (job.State != JobState.Open || job.Data is not null)
        {
            await ApiResponses.WriteErrorAsync(
                context, StatusCodes.Status409Conflict, BulkQueryEndpoints.InvalidJob, "Data can be uploaded once, while the job is Open.");
            return;
        }

        job.Data = data.ToArray();
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    private static async Task ChangeStateAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        if (FindJob(context, runtime) is not { } job)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        using var request = await ApiResponses.ReadJsonAsync(context);
        if (request is null)
        {
            return;
        }

        var moved = BulkQueryEndpoints.Text(request.RootElement, "state") switch
        {
            "UploadComplete" => job.TryMove(JobState.Open, JobState.UploadComplete),
            "Aborted" => job.TryMove(JobState.Open, JobState.Aborted) || job.TryMove(JobState.UploadComplete, JobState.Aborted),
            _ => false,
        };
        if (!moved)
        {
            await ApiResponses.WriteErrorAsync(
                context, StatusCodes.Status400BadRequest, BulkQueryEndpoints.InvalidJob, $"The job is {job.State}; it cannot move to the requested state.");
            return;
        }

        if (job.State == JobState.UploadComplete)
        {
            Process(job, runtime);
        }

        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, job.WriteInfo);
    }

    private static async Task InfoAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        if (FindJob(context, runtime) is not { } job)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        job.Poll();
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, job.WriteInfo);
    }

    private static async Task ResultsAsync(HttpContext context, LocalOrgRuntime runtime, bool success)
    {
        if (FindJob(context, runtime) is not { } job)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        string[] header = ["sf__Id", success ? "sf__Created" : "sf__Error", .. job.Header];
        var rows = job.Results
            .Where(r => r.Success == success)
            .Select(r => (IReadOnlyList<string?>)[r.Id ?? string.Empty, success ? "false" : r.Error, .. r.Values]);
        await WriteCsvAsync(context, header, rows);
    }

    private static async Task UnprocessedAsync(HttpContext context, LocalOrgRuntime runtime)
    {
        if (FindJob(context, runtime) is not { } job)
        {
            await ApiResponses.WriteNotFoundAsync(context);
            return;
        }

        // Every uploaded row is processed when the upload completes, so none is ever left over.
        await WriteCsvAsync(context, job.Header, []);
    }

    private static async Task WriteCsvAsync(HttpContext context, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        using var buffer = new MemoryStream();
        ExportCsvWriter.Write(buffer, header, rows);
        context.Response.ContentType = "text/csv";
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }

    private static IngestJob? FindJob(HttpContext context, LocalOrgRuntime runtime) =>
        runtime.Jobs.Find<IngestJob>((string)context.GetRouteValue("id")!);

    /// <summary>Applies the uploaded rows; a row that fails is reported and the others are saved.</summary>
    private static void Process(IngestJob job, LocalOrgRuntime runtime)
    {
        var rows = new List<string?[]>();
        try
        {
            using var reader = ExportCsvReader.Open(new MemoryStream(job.Data ?? []), $"ingest job {job.Id}");
            job.Header = reader.Header;
            while (reader.Read())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => (string?)reader[i]).ToArray());
            }
        }
        catch (DataExportFormatException e)
        {
            Fail(job, runtime, $"InvalidBatch : {e.Message}");
            return;
        }

        var idColumn = job.Header.ToList().FindIndex(h => h.Equals("Id", StringComparison.OrdinalIgnoreCase));
        if (idColumn < 0)
        {
            Fail(job, runtime, "InvalidBatch : Field name not found : Id");
            return;
        }

        job.Results = runtime.Store.Write(() =>
        {
            var results = new List<IngestResult>();
            var pending = new List<PendingUpdate>();
            foreach (var values in rows)
            {
                var fields = job.Header
                    .Select((name, i) => (Name: name, Text: values[i], Index: i))
                    .Where(f => f.Index != idColumn && !string.IsNullOrEmpty(f.Text))
                    .Select(f => KeyValuePair.Create(f.Name, f.Text == NullMarker ? new IncomingValue(null, JsonValueKind.Null) : new IncomingValue(f.Text, JsonValueKind.String)));
                var (update, error) = runtime.Updater.Prepare(job.Object, values[idColumn], fields);
                if (update is not null)
                {
                    pending.Add(update);
                    results.Add(new IngestResult(true, update.Id, null, values));
                }
                else
                {
                    var fieldList = error!.Fields.Count > 0 ? string.Join(", ", error.Fields) : string.Empty;
                    results.Add(new IngestResult(false, values[idColumn], $"{error.StatusCode}:{error.Message}:{fieldList} --", values));
                }
            }

            runtime.Updater.Apply(pending);
            return results;
        });
        runtime.Flusher.Changed();
    }

    private static void Fail(IngestJob job, LocalOrgRuntime runtime, string message)
    {
        job.TryMove(JobState.UploadComplete, JobState.Failed, message);
        Log.IngestJobFailed(runtime.Logger, job.Id, message);
    }
}
