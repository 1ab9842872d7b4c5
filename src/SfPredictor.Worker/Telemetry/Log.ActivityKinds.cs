using Microsoft.Extensions.Logging;

namespace SfPredictor.Worker.Telemetry;

// The activity kinds' messages; their own id range so other messages can be added without clashes.
internal static partial class Log
{
    [LoggerMessage(901, LogLevel.Warning, "Model {Version}: {Warning}")]
    public static partial void ActivitiesUnrecognised(ILogger logger, string version, string warning);

    [LoggerMessage(902, LogLevel.Information, "Model {Version} never recommends {Kinds}: too few closed deals with such activities to learn their effect")]
    public static partial void KindsLeftOut(ILogger logger, string version, string kinds);

    [LoggerMessage(903, LogLevel.Information, "{TypeName} is not readable ({ErrorCode}): using the configured activity kinds")]
    public static partial void ActivityKindRulesMissing(ILogger logger, string typeName, string errorCode);

    [LoggerMessage(904, LogLevel.Information, "Activity kind rules from {TypeName}: {Count} records")]
    public static partial void ActivityKindRulesRead(ILogger logger, string typeName, int count);
}
