using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.Recommendations;
using SfPredictor.Salesforce;
using SfPredictor.Worker.Scheduling;
using SfPredictor.Worker.Telemetry;
using SfPredictor.Worker.WriteBack;

namespace SfPredictor.Worker.AdminSettings;

/// <summary>
/// Reads the admin settings record (<c>SfP_Settings__mdt</c>, <c>Default</c>) at the start of a run and
/// overlays its non-blank fields on the configuration (disabled activity kinds add to the configured ones).
/// A value that does not parse keeps the configured one
/// and is logged; an org without the type (not deployed) is logged once and the configuration is used.
/// </summary>
internal sealed class AdminSettingsReader(
    SalesforceClient client,
    IOptionsMonitor<ScheduleOptions> schedules,
    IOptionsMonitor<WriteBackOptions> writeBack,
    IOptionsMonitor<RecommendationOptions> recommendations,
    ILogger<AdminSettingsReader> logger)
{
    private int _missingLogged;

    /// <summary>The settings for this run: configuration overlaid with the admin record (one API call).</summary>
    /// <exception cref="SalesforceApiException">Salesforce failed for another reason than a missing type or field.</exception>
    public async Task<EffectiveSettings> ReadAsync(CancellationToken cancellationToken = default)
    {
        var configured = Configured();
        IReadOnlyDictionary<string, string?>? record;
        try
        {
            record = (await client.ReadCustomMetadataAsync(
                AdminSettingsMetadata.TypeName, AdminSettingsMetadata.Fields, AdminSettingsMetadata.DefaultRecord, cancellationToken)).LastOrDefault();
        }
        catch (SalesforceApiException e) when (e.ErrorCode is "INVALID_TYPE" or "INVALID_FIELD")
        {
            if (Interlocked.Exchange(ref _missingLogged, 1) == 0)
            {
                Log.AdminSettingsMissing(logger, AdminSettingsMetadata.TypeName, e.ErrorCode);
            }

            return configured;
        }

        if (record is null)
        {
            Log.AdminRecordMissing(logger, AdminSettingsMetadata.TypeName, AdminSettingsMetadata.DefaultRecord);
            return configured;
        }

        return Overlay(configured, record);
    }

    /// <summary>The settings from configuration alone.</summary>
    public EffectiveSettings Configured() =>
        EffectiveSettings.FromOptions(schedules.CurrentValue, writeBack.CurrentValue, recommendations.CurrentValue);

    private EffectiveSettings Overlay(EffectiveSettings settings, IReadOnlyDictionary<string, string?> record)
    {
        string? Text(string field) => record.GetValueOrDefault(field) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        string Cron(string field, string configured)
        {
            var value = Text(field);
            if (value is null)
            {
                return configured;
            }

            if (CronSchedules.IsValid(value))
            {
                return value;
            }

            Log.AdminValueIgnored(logger, $"{AdminSettingsMetadata.TypeName}.{field}: {CronSchedules.Problem(value)}");
            return configured;
        }

        double Number(string field, double configured, double min, double max)
        {
            var value = Text(field);
            if (value is null)
            {
                return configured;
            }

            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
            {
                return number;
            }

            Log.AdminValueIgnored(logger, $"{AdminSettingsMetadata.TypeName}.{field} '{value}' is not a number from {min} to {max}.");
            return configured;
        }

        var disabled = Text(AdminSettingsMetadata.DisabledActivityKinds) is { } kinds
            ? kinds.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;
        var enabled = Text(AdminSettingsMetadata.WriteBackEnabled) is { } flag && bool.TryParse(flag, out var parsed) ? parsed : settings.WriteBackEnabled;
        return settings with
        {
            ScoreCron = Cron(AdminSettingsMetadata.ScoreCron, settings.ScoreCron),
            FullRescoreCron = Cron(AdminSettingsMetadata.FullRescoreCron, settings.FullRescoreCron),
            RetrainCron = Cron(AdminSettingsMetadata.RetrainCron, settings.RetrainCron),
            MinProbabilityChangePoints = Number(AdminSettingsMetadata.MinProbabilityChange, settings.MinProbabilityChangePoints, 0, 100),
            CooldownDays = (int)Number(AdminSettingsMetadata.ActivityCooldownDays, settings.CooldownDays, 0, 365),
            DisabledKinds = disabled is null ? settings.DisabledKinds : [.. settings.DisabledKinds.Union(disabled, StringComparer.OrdinalIgnoreCase)],
            WriteBackEnabled = enabled,
        };
    }
}
