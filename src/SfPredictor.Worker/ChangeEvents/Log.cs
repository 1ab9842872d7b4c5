using Microsoft.Extensions.Logging;

namespace SfPredictor.Worker.ChangeEvents;

internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Information, "Subscribed to {Topic} ({Start})")]
    public static partial void Subscribed(ILogger logger, string topic, string start);

    [LoggerMessage(102, LogLevel.Warning, "Change event stream {Topic} failed ({Reason}); subscribing again in {DelaySeconds} s while the polling schedule keeps scores current")]
    public static partial void Reconnecting(ILogger logger, string topic, string reason, double delaySeconds);

    [LoggerMessage(103, LogLevel.Warning, "The stored replay id of {Topic} is no longer retained by Salesforce (72 hours): changes may have been missed, so one incremental run catches up and the subscription restarts at the newest event")]
    public static partial void ReplayIdTooOld(ILogger logger, string topic);

    [LoggerMessage(104, LogLevel.Information, "Change events: {Events} events ({Own} from the worker's own writes) name {Opportunities} Opportunities; rescoring them")]
    public static partial void Rescoring(ILogger logger, int events, int own, int opportunities);

    [LoggerMessage(105, LogLevel.Warning, "Rescoring after change events did not succeed ({Reason}); trying again in {DelaySeconds} s")]
    public static partial void RescoreFailed(ILogger logger, string reason, double delaySeconds);

    [LoggerMessage(106, LogLevel.Error, "A change event of {Topic} (schema {SchemaId}) could not be decoded and is left to the polling schedule: {Reason}")]
    public static partial void Undecodable(ILogger logger, string topic, string schemaId, string reason);

    [LoggerMessage(107, LogLevel.Information, "Fetched change event schema {SchemaId}")]
    public static partial void SchemaFetched(ILogger logger, string schemaId);
}
