using Microsoft.Extensions.Logging;

namespace SfPredictor.ModelStore;

/// <summary>Log events of the model stores. Locations are folder paths or blob URIs without their query string.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Published model version {Version} ({FileCount} files, {Bytes} bytes) to {Location}")]
    public static partial void VersionPublished(ILogger logger, string version, int fileCount, long bytes, string location);

    [LoggerMessage(2, LogLevel.Information, "Promoted model version {Version} (was {PreviousVersion}) in {Location}")]
    public static partial void VersionPromoted(ILogger logger, string version, string previousVersion, string location);

    [LoggerMessage(3, LogLevel.Warning, "Promotion of model version {Version} lost the race: the current version is now {CurrentVersion} in {Location}")]
    public static partial void PromotionConflict(ILogger logger, string version, string currentVersion, string location);

    [LoggerMessage(4, LogLevel.Information, "Model version {Version} is available locally at {Path}")]
    public static partial void VersionAvailable(ILogger logger, string version, string path);
}
