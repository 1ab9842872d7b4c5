using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using SfPredictor.LocalOrg.Soql;
using SfPredictor.Records;

namespace SfPredictor.LocalOrg.Bulk;

internal enum JobState
{
    Open,
    UploadComplete,
    InProgress,
    JobComplete,
    Aborted,
    Failed,
}

/// <summary>
/// A Bulk API 2.0 job. The work is done when the job's data is complete; status polls then walk it
/// through UploadComplete, InProgress and JobComplete, one step per poll, so clients meet every state
/// a real org shows without waiting on a clock.
/// </summary>
internal abstract class BulkJob(string id, string objectName, string operation, string apiVersion, DateTimeOffset created, string createdById)
{
    private readonly Lock _lock = new();

    public string Id { get; } = id;

    public string Object { get; } = objectName;

    public string Operation { get; } = operation;

    public string ApiVersion { get; } = apiVersion;

    public DateTimeOffset Created { get; } = created;

    public string CreatedById { get; } = createdById;

    public JobState State { get; private set; }

    public string? ErrorMessage { get; private set; }

    public abstract string JobType { get; }

    /// <summary>Moves the job one step towards JobComplete; returns the state to report.</summary>
    public JobState Poll()
    {
        lock (_lock)
        {
            State = State switch
            {
                JobState.UploadComplete => JobState.InProgress,
                JobState.InProgress => JobState.JobComplete,
                _ => State,
            };
            return State;
        }
    }

    /// <summary>Changes the state if the job is in <paramref name="from"/>; false otherwise.</summary>
    public bool TryMove(JobState from, JobState to, string? errorMessage = null)
    {
        lock (_lock)
        {
            if (State != from)
            {
                return false;
            }

            State = to;
            ErrorMessage = errorMessage;
            return true;
        }
    }

    /// <summary>Writes the job info object Bulk API 2.0 answers with.</summary>
    public void WriteInfo(Utf8JsonWriter writer)
    {
        var created = Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("operation", Operation);
        writer.WriteString("object", Object);
        writer.WriteString("createdById", CreatedById);
        writer.WriteString("createdDate", created);
        writer.WriteString("systemModstamp", created);
        writer.WriteString("state", State.ToString());
        writer.WriteString("concurrencyMode", "Parallel");
        writer.WriteString("contentType", "CSV");
        writer.WriteNumber("apiVersion", decimal.Parse(ApiVersion, CultureInfo.InvariantCulture));
        writer.WriteString("jobType", JobType);
        writer.WriteString("lineEnding", "LF");
        writer.WriteString("columnDelimiter", "COMMA");
        WriteCounts(writer);
        writer.WriteNumber("retries", 0);
        writer.WriteNumber("totalProcessingTime", 0);
        if (ErrorMessage is not null)
        {
            writer.WriteString("errorMessage", ErrorMessage);
        }

        writer.WriteEndObject();
    }

    protected abstract void WriteCounts(Utf8JsonWriter writer);
}

/// <summary>A query job: the query ran when the job was created; results are paged from its rows.</summary>
internal sealed class QueryJob(string id, string operation, string apiVersion, DateTimeOffset created, string createdById, BoundQuery query, int[] rows)
    : BulkJob(id, query.Table.Name, operation, apiVersion, created, createdById)
{
    public BoundQuery Query { get; } = query;

    public int[] Rows { get; } = rows;

    public override string JobType => "V2Query";

    protected override void WriteCounts(Utf8JsonWriter writer) => writer.WriteNumber("numberRecordsProcessed", Rows.Length);
}

/// <summary>One processed row of an ingest job, with the row's own values for the result files.</summary>
internal sealed record IngestResult(bool Success, string? Id, string? Error, string?[] Values);

/// <summary>An ingest (update) job: CSV is uploaded, then applied when the upload is complete.</summary>
internal sealed class IngestJob(string id, string objectName, string apiVersion, DateTimeOffset created, string createdById)
    : BulkJob(id, objectName, "update", apiVersion, created, createdById)
{
    public byte[]? Data { get; set; }

    public IReadOnlyList<string> Header { get; set; } = [];

    public IReadOnlyList<IngestResult> Results { get; set; } = [];

    public override string JobType => "V2Ingest";

    protected override void WriteCounts(Utf8JsonWriter writer)
    {
        writer.WriteNumber("numberRecordsProcessed", Results.Count);
        writer.WriteNumber("numberRecordsFailed", Results.Count(r => !r.Success));
        writer.WriteString("contentUrl", $"services/data/v{ApiVersion}/jobs/ingest/{Id}/batches");
    }
}

/// <summary>The org's Bulk API 2.0 jobs, by Id (<c>750...</c>).</summary>
internal sealed class BulkJobs
{
    private readonly ConcurrentDictionary<string, BulkJob> _jobs = new(SalesforceId.Comparer);
    private long _counter;

    public string NewId() =>
        SalesforceId.Normalize(string.Create(CultureInfo.InvariantCulture, $"750{Interlocked.Increment(ref _counter):D12}"));

    public void Add(BulkJob job) => _jobs[job.Id] = job;

    public T? Find<T>(string id)
        where T : BulkJob =>
        SalesforceId.TryNormalize(id, out var normalized) && _jobs.TryGetValue(normalized, out var job) ? job as T : null;
}
