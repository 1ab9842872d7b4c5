using Microsoft.Extensions.Logging;

namespace SfPredictor.LocalOrg;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Local org loaded {Tables} objects ({Rows} records) from {Directory} in {ElapsedMs} ms")]
    public static partial void Loaded(ILogger logger, int tables, long rows, string directory, long elapsedMs);

    [LoggerMessage(2, LogLevel.Information, "Local org listening on {Url}")]
    public static partial void Listening(ILogger logger, Uri url);

    [LoggerMessage(3, LogLevel.Information, "Wrote updated objects {Tables} back to the export in {ElapsedMs} ms")]
    public static partial void Flushed(ILogger logger, string tables, long elapsedMs);

    [LoggerMessage(4, LogLevel.Error, "Writing updated objects back to the export failed; they stay pending and are retried on the next flush")]
    public static partial void FlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Refused a {GrantType} login: {Reason}")]
    public static partial void LoginRefused(ILogger logger, string grantType, string reason);

    [LoggerMessage(7, LogLevel.Information, "Recovered {Writes} writes ({Records} record changes) from the write log and wrote them into the export")]
    public static partial void Recovered(ILogger logger, int writes, int records);

    [LoggerMessage(6, LogLevel.Warning, "Ingest job {JobId} failed: {Reason}")]
    public static partial void IngestJobFailed(ILogger logger, string jobId, string reason);
}
