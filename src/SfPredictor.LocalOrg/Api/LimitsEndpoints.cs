using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SfPredictor.LocalOrg.Api;

/// <summary><c>GET /services/data/</c> (the versions, no session needed) and <c>GET /limits</c>.</summary>
internal static class LimitsEndpoints
{
    public static void MapLimitsAndVersions(this WebApplication app, LocalOrgRuntime runtime)
    {
        // Routing ignores a trailing slash, so this also answers /services/data/.
        app.MapGet("/services/data", Versions);
        app.MapGet("/services/data/v{version}/limits", context => ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            foreach (var (name, max) in Limits)
            {
                var remaining = name == "DailyApiRequests" ? runtime.Budget.Max - runtime.Budget.Used : max;
                writer.WriteStartObject(name);
                writer.WriteNumber("Max", name == "DailyApiRequests" ? runtime.Budget.Max : max);
                writer.WriteNumber("Remaining", remaining);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }));
    }

    // The keys a Developer or Enterprise Edition org answers, with its usual maxima. Only the API
    // request budget is counted; the others report their whole allowance as remaining.
    private static readonly (string Name, int Max)[] Limits =
    [
        ("ActiveScratchOrgs", 3), ("AnalyticsExternalDataSizeMB", 40_960), ("ConcurrentAsyncGetReportInstances", 200),
        ("ConcurrentEinsteinDataInsightsStoryCreation", 5), ("ConcurrentEinsteinDiscoveryStoryCreation", 2), ("ConcurrentSyncReportRuns", 20),
        ("DailyAnalyticsDataflowJobExecutions", 60), ("DailyAnalyticsUploadedFilesSizeMB", 51_200), ("DailyApiRequests", 0),
        ("DailyAsyncApexExecutions", 250_000), ("DailyAsyncApexTests", 500), ("DailyBulkApiBatches", 15_000),
        ("DailyBulkV2QueryFileStorageMB", 976_562), ("DailyBulkV2QueryJobs", 10_000), ("DailyDeliveredPlatformEvents", 10_000),
        ("DailyDurableGenericStreamingApiEvents", 10_000), ("DailyDurableStreamingApiEvents", 10_000),
        ("DailyEinsteinDataInsightsStoryCreation", 1_000), ("DailyEinsteinDiscoveryPredictAPICalls", 50_000),
        ("DailyEinsteinDiscoveryPredictionsByCDC", 500_000), ("DailyEinsteinDiscoveryStoryCreation", 100), ("DailyFunctionsApiCallLimit", 235_000),
        ("DailyGenericStreamingApiEvents", 10_000), ("DailyScratchOrgs", 6), ("DailyStandardVolumePlatformEvents", 10_000),
        ("DailyStreamingApiEvents", 10_000), ("DailyWorkflowEmails", 2_000_000), ("DataStorageMB", 5), ("DurableStreamingApiConcurrentClients", 20),
        ("FileStorageMB", 20), ("HourlyAsyncReportRuns", 1_200), ("HourlyDashboardRefreshes", 200), ("HourlyDashboardResults", 5_000),
        ("HourlyDashboardStatuses", 999_999_999), ("HourlyLongTermIdMapping", 100_000), ("HourlyManagedContentPublicRequests", 50_000),
        ("HourlyODataCallout", 10_000), ("HourlyPublishedPlatformEvents", 50_000), ("HourlyPublishedStandardVolumePlatformEvents", 100_000),
        ("HourlyShortTermIdMapping", 100_000), ("HourlySyncReportRuns", 500), ("HourlyTimeBasedWorkflow", 1_000), ("MassEmail", 5_000),
        ("MonthlyEinsteinDiscoveryStoryCreation", 500), ("MonthlyPlatformEventsUsageEntitlement", 300_000), ("Package2VersionCreates", 6),
        ("Package2VersionCreatesWithoutValidation", 500), ("PermissionSets", 1_500), ("PrivateConnectOutboundCalloutHourlyLimitMB", 0),
        ("PublishCallbackUsageInApex", 5_000_000), ("SingleEmail", 5_000), ("StreamingApiConcurrentClients", 20),
    ];

    private static Task Versions(HttpContext context) => ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
    {
        writer.WriteStartArray();
        foreach (var (label, url, version) in ApiVersions.All())
        {
            writer.WriteStartObject();
            writer.WriteString("label", label);
            writer.WriteString("url", url);
            writer.WriteString("version", version);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });
}
