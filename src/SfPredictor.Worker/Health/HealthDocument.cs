using System.Text.Json;
using System.Text.Json.Serialization;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.State;

namespace SfPredictor.Worker.Health;

/// <summary>One run in the health document: the report without its list of failures.</summary>
/// <param name="Job">The job.</param>
/// <param name="RunId">The run's id.</param>
/// <param name="Started">When it started.</param>
/// <param name="Finished">When it ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Error">Why it failed or stopped.</param>
/// <param name="ModelVersion">The model it used.</param>
/// <param name="Read">Open Opportunities read.</param>
/// <param name="Scored">Scored.</param>
/// <param name="Written">Written.</param>
/// <param name="Unchanged">Skipped as unchanged.</param>
/// <param name="Failed">Not written; retried next run.</param>
/// <param name="ApiCalls">API calls made.</param>
/// <param name="Detail">For retraining: the comparison and decision.</param>
public sealed record RunSummary(
    string Job, string RunId, DateTimeOffset Started, DateTimeOffset Finished, RunOutcome Outcome, string? Error, string? ModelVersion,
    int Read, int Scored, int Written, int Unchanged, int Failed, long ApiCalls, string? Detail)
{
    /// <summary>The summary of a report.</summary>
    public static RunSummary Of(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.Job, report.RunId, report.Started, report.Finished, report.Outcome, report.Error, report.ModelVersion,
            report.Read, report.Scored, report.Written, report.Unchanged, report.Failed, report.ApiCalls, report.Detail);
    }
}

/// <summary>What <c>GET /health</c> and <c>sfp health</c> report: the last run of each job and the model.</summary>
/// <param name="Status"><c>ok</c>, or <c>failing</c> when the latest scoring run failed.</param>
/// <param name="ModelVersion">The model scoring now (null before the first one).</param>
/// <param name="LastRun">The latest run of any job.</param>
/// <param name="Jobs">The latest run of each job that has run.</param>
/// <param name="RetryPending">Opportunities waiting to be written again.</param>
public sealed record HealthDocument(string Status, string? ModelVersion, RunSummary? LastRun, IReadOnlyDictionary<string, RunSummary> Jobs, int RetryPending)
{
    /// <summary>Builds the document from the state store.</summary>
    public static async Task<HealthDocument> CreateAsync(StateStore state, string? modelVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var jobs = new Dictionary<string, RunSummary>(StringComparer.Ordinal);
        foreach (var job in JobNames.All)
        {
            if ((await state.GetRunsAsync(1, job, cancellationToken)).FirstOrDefault() is { } run)
            {
                jobs[job] = RunSummary.Of(run);
            }
        }

        var last = jobs.Values.OrderByDescending(r => r.Started).FirstOrDefault();
        var lastScoring = jobs.Values.Where(r => r.Job != JobNames.Retrain).OrderByDescending(r => r.Started).FirstOrDefault();
        var retries = (await state.GetRetriesAsync(cancellationToken)).Count;
        return new HealthDocument(
            lastScoring?.Outcome == RunOutcome.Failed ? "failing" : "ok",
            modelVersion ?? last?.ModelVersion,
            last,
            jobs,
            retries);
    }

    /// <summary>The document as JSON.</summary>
    public string ToJson(bool indented = false) =>
        JsonSerializer.Serialize(this, indented ? IndentedHealthJsonContext.Default.HealthDocument : HealthJsonContext.Default.HealthDocument);
}

[JsonSourceGenerationOptions(UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HealthDocument))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;

[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HealthDocument))]
internal sealed partial class IndentedHealthJsonContext : JsonSerializerContext;
