using Microsoft.Extensions.Logging;

namespace SfPredictor.Salesforce.Telemetry;

// Never log a token, key, secret or SOQL text: paths and codes only.
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Logged in to Salesforce with the {Flow} flow; instance {InstanceUrl}")]
    public static partial void LoggedIn(ILogger logger, SalesforceAuthFlow flow, string instanceUrl);

    [LoggerMessage(2, LogLevel.Information, "Salesforce session expired during {Call}; logging in again once")]
    public static partial void SessionExpired(ILogger logger, string call);

    [LoggerMessage(3, LogLevel.Debug, "{Call} answered {StatusCode} in {ElapsedMs} ms")]
    public static partial void CallCompleted(ILogger logger, string call, int statusCode, long elapsedMs);

    [LoggerMessage(4, LogLevel.Warning, "{Call} attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string call, int attempt, string reason, long delayMs);

    [LoggerMessage(5, LogLevel.Debug, "Salesforce API usage {Used}/{Max}")]
    public static partial void ApiUsage(ILogger logger, long used, long max);

    [LoggerMessage(6, LogLevel.Error, "Stopping: {Message}")]
    public static partial void LimitReached(ILogger logger, string message);

    [LoggerMessage(7, LogLevel.Debug, "Bulk {Kind} job {JobId} is {State}")]
    public static partial void BulkJobState(ILogger logger, string kind, string jobId, string state);

    [LoggerMessage(8, LogLevel.Warning, "{Failed} of {Total} {ObjectName} updates failed")]
    public static partial void UpdatesFailed(ILogger logger, int failed, int total, string objectName);

    [LoggerMessage(9, LogLevel.Information, "Reading {ObjectName} through {Mode} ({Count} records)")]
    public static partial void ReadMode(ILogger logger, string objectName, TransferMode mode, long count);

    [LoggerMessage(10, LogLevel.Warning, "Salesforce login failed: {Message}")]
    public static partial void LoginFailed(ILogger logger, string message);

    [LoggerMessage(11, LogLevel.Warning, "Bulk query job {JobId}: a result page broke off after {Rows} rows ({Reason}); reading it again from the start, skipping those rows (attempt {Attempt})")]
    public static partial void BulkPageResumed(ILogger logger, string jobId, int rows, string reason, int attempt);

    [LoggerMessage(12, LogLevel.Debug, "Reading {ObjectName}: {Count} records through {Mode}")]
    public static partial void ObjectRead(ILogger logger, string objectName, long count, TransferMode mode);
}
