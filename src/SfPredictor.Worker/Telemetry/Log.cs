using Microsoft.Extensions.Logging;

namespace SfPredictor.Worker.Telemetry;

// Ids and counts only: never a token, a key, or customer data beyond record Ids.
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "{Job} run {RunId} started ({Kind}{DryRun})")]
    public static partial void RunStarted(ILogger logger, string job, string runId, string kind, string dryRun);

    [LoggerMessage(2, LogLevel.Information, "{Job} run {RunId} {Outcome}: read {Read}, scored {Scored}, written {Written}, unchanged {Unchanged}, failed {Failed}, {ApiCalls} API calls, {Seconds:0.0} s")]
    public static partial void RunFinished(ILogger logger, string job, string runId, string outcome, int read, int scored, int written, int unchanged, int failed, long apiCalls, double seconds);

    [LoggerMessage(3, LogLevel.Error, "{Job} run {RunId} failed: {Reason}")]
    public static partial void RunFailed(ILogger logger, Exception exception, string job, string runId, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Opportunity {Id} was not written ({ErrorCode}: {Message}); it is retried next run")]
    public static partial void RecordFailed(ILogger logger, string id, string? errorCode, string? message);

    [LoggerMessage(5, LogLevel.Information, "Stop requested: stopped between batches after {Written} written; the rest is picked up next run")]
    public static partial void RunStopping(ILogger logger, int written);

    [LoggerMessage(6, LogLevel.Information, "{TypeName} is not readable ({ErrorCode}): using the configured schedules and thresholds")]
    public static partial void AdminSettingsMissing(ILogger logger, string typeName, string errorCode);

    [LoggerMessage(7, LogLevel.Warning, "{TypeName} has no record named {Record}: using the configured schedules and thresholds")]
    public static partial void AdminRecordMissing(ILogger logger, string typeName, string record);

    [LoggerMessage(8, LogLevel.Warning, "Admin setting ignored, the configured value stays: {Problem}")]
    public static partial void AdminValueIgnored(ILogger logger, string problem);

    [LoggerMessage(9, LogLevel.Information, "Schedule of {Job} is now '{Cron}' (was '{Previous}')")]
    public static partial void Rescheduled(ILogger logger, string job, string cron, string? previous);

    [LoggerMessage(10, LogLevel.Information, "Model {Version} loaded ({Kind}, {Features} features)")]
    public static partial void ModelLoaded(ILogger logger, string version, string kind, int features);

    [LoggerMessage(11, LogLevel.Error, "Model {Version} rejected, {Current} keeps scoring: {Reason}")]
    public static partial void ModelRejected(ILogger logger, string version, string current, string reason);

    [LoggerMessage(12, LogLevel.Information, "No model in the store yet: training a first one")]
    public static partial void TrainingFirstModel(ILogger logger);

    [LoggerMessage(13, LogLevel.Information, "Candidate {Candidate}: log loss {CandidateLogLoss:0.0000}, AUC {CandidateAuc:0.000} on {Rows} holdout rows; current {Current}: log loss {CurrentLogLoss:0.0000}, AUC {CurrentAuc:0.000}; {Decision}")]
    public static partial void CandidateCompared(
        ILogger logger, string candidate, double candidateLogLoss, double candidateAuc, int rows, string current, double currentLogLoss, double currentAuc, string decision);

    [LoggerMessage(14, LogLevel.Information, "Model {Version} published and promoted")]
    public static partial void ModelPromoted(ILogger logger, string version);

    [LoggerMessage(15, LogLevel.Warning, "Model {Version} was published but another worker changed the current model first; it stays unpromoted")]
    public static partial void PromotionConflict(ILogger logger, string version);

    [LoggerMessage(16, LogLevel.Warning, "Disabled activity kind '{Kind}' is not a kind of model {Version} and is ignored; its kinds: {Kinds}")]
    public static partial void UnknownDisabledKind(ILogger logger, string kind, string version, string kinds);

    [LoggerMessage(17, LogLevel.Information, "Health endpoint listening on {Urls}")]
    public static partial void HealthListening(ILogger logger, string urls);

    [LoggerMessage(19, LogLevel.Information, "Write-back fields checked on Opportunity: {Count} fields present, of the right type and updateable")]
    public static partial void FieldsVerified(ILogger logger, int count);

    [LoggerMessage(20, LogLevel.Debug, "Batch {Batch}: {Count} records, {Written} written, {Failed} failed")]
    public static partial void BatchWritten(ILogger logger, int batch, int count, int written, int failed);

    [LoggerMessage(25, LogLevel.Warning, "Model {Version} is not a tree ensemble this worker can read: score factors are measured by rescoring each factor instead of by tree paths, about half as fast")]
    public static partial void ExplanationsByReplacement(ILogger logger, string version);

    [LoggerMessage(26, LogLevel.Information, "Context of {Records} records kept in memory: the next incremental run reads only what changes")]
    public static partial void ContextKept(ILogger logger, int records);

    [LoggerMessage(27, LogLevel.Information, "Context brought up to date from memory: {Changed} records read that changed since the last read, {Records} held")]
    public static partial void ContextRefreshed(ILogger logger, int changed, int records);

    [LoggerMessage(28, LogLevel.Information, "Context in memory dropped ({Reason}): reading whole objects")]
    public static partial void ContextDropped(ILogger logger, string reason);
}
