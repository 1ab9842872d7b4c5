using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfPredictor.Worker.State;

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    /// <summary>Every selected record was scored and every change written or put on the retry list.</summary>
    Succeeded,

    /// <summary>A stop was requested; the batches written so far count and the rest is picked up next run.</summary>
    Stopped,

    /// <summary>The run could not go on (login, API limit, Salesforce unreachable, no model); nothing was lost.</summary>
    Failed,
}

/// <summary>One record that could not be written, as Salesforce or the client reported it.</summary>
/// <param name="Id">The Opportunity Id.</param>
/// <param name="ErrorCode">Salesforce's status code, e.g. FIELD_CUSTOM_VALIDATION_EXCEPTION.</param>
/// <param name="Message">What went wrong.</param>
public sealed record RecordFailure(string Id, string? ErrorCode, string? Message);

/// <summary>What one run of a job did: kept in the state store, shown by the health endpoint and <c>sfp health</c>.</summary>
public sealed record RunReport
{
    /// <summary>Unique id of the run.</summary>
    public required string RunId { get; init; }

    /// <summary>The job: score, full-rescore or retrain.</summary>
    public required string Job { get; init; }

    /// <summary>The firing of the schedule that started the run, when a schedule did.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }

    /// <summary>The scheduler instance (worker) that ran it, when a schedule did.</summary>
    public string? Node { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When the run ended (UTC).</summary>
    public DateTimeOffset Finished { get; init; }

    /// <summary>How it ended.</summary>
    public RunOutcome Outcome { get; init; }

    /// <summary>Why it failed or stopped, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>Whether nothing was written on purpose (<c>--dry-run</c> or write-back disabled).</summary>
    public bool DryRun { get; init; }

    /// <summary>The model version that scored (or, for retraining, the current version afterwards).</summary>
    public string? ModelVersion { get; init; }

    /// <summary>Open Opportunities read.</summary>
    public int Read { get; init; }

    /// <summary>Opportunities scored.</summary>
    public int Scored { get; init; }

    /// <summary>Opportunities written.</summary>
    public int Written { get; init; }

    /// <summary>Opportunities whose values did not change enough to be written.</summary>
    public int Unchanged { get; init; }

    /// <summary>Opportunities that could not be written; retried next run.</summary>
    public int Failed { get; init; }

    /// <summary>Salesforce API calls the run made.</summary>
    public long ApiCalls { get; init; }

    /// <summary>The org's remaining daily API requests as last reported, when known.</summary>
    public long? DailyApiRemaining { get; init; }

    /// <summary>The records that failed (at most <see cref="MaxFailuresKept"/>; <see cref="Failed"/> counts all).</summary>
    public IReadOnlyList<RecordFailure> Failures { get; init; } = [];

    /// <summary>
    /// For scoring runs: how many of the scored Opportunities fell in each 10-point probability band (0–10 %,
    /// 10–20 %, … 90–100 %); empty when nothing was scored.
    /// </summary>
    public IReadOnlyList<int> ScoreHistogram { get; init; } = [];

    /// <summary>For retraining: what was trained and whether it was promoted.</summary>
    public string? Detail { get; init; }

    /// <summary>Failures listed in a report; the retry list keeps every one.</summary>
    public const int MaxFailuresKept = 200;

    /// <summary>The report as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StateJsonContext.Default.RunReport);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    public static RunReport FromJson(string json) =>
        JsonSerializer.Deserialize(json, StateJsonContext.Default.RunReport) ?? throw new JsonException("A run report is the JSON literal null.");
}

[JsonSourceGenerationOptions(WriteIndented = false, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunReport))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
