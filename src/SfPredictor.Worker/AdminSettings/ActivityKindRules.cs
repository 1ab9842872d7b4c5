using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfPredictor.Features;
using SfPredictor.Features.Activities;
using SfPredictor.Salesforce;
using SfPredictor.Worker.Telemetry;

namespace SfPredictor.Worker.AdminSettings;

/// <summary>
/// The Custom Metadata Type through which admins map their org's activities to kinds inside Salesforce
/// (deployed from <c>infra/salesforce</c>): one record per rule, read at every retraining and laid over
/// the configured <see cref="FeatureOptions"/>. A record naming an existing kind adds its values, words
/// and patterns to that kind; a new name adds a kind (ahead of the defaults); <see cref="Disabled"/> drops
/// the kind; <see cref="NewName"/> renames it. List fields hold one value per line or separated by ';'.
/// Rules apply from the next retraining: a model keeps the kinds it was trained with.
/// </summary>
public static class ActivityKindMetadata
{
    /// <summary>API name of the Custom Metadata Type.</summary>
    public const string TypeName = "SfP_Activity_Kind__mdt";

    /// <summary>Text: the kind the record is about (an existing kind's name, or a new one).</summary>
    public const string Kind = "Kind__c";

    /// <summary>Long text: values of Type, TaskSubtype / EventSubtype or the org's own type fields meaning the kind.</summary>
    public const string Types = "Types__c";

    /// <summary>Long text: subject words or phrases meaning the kind.</summary>
    public const string SubjectKeywords = "Subject_Keywords__c";

    /// <summary>Long text: subject regular expressions meaning the kind.</summary>
    public const string SubjectPatterns = "Subject_Patterns__c";

    /// <summary>Text: the org's own activity type fields (e.g. <c>Activity_Type__c</c>) whose values the <see cref="Types"/> name.</summary>
    public const string TypeFields = "Type_Fields__c";

    /// <summary>Checkbox: the kind is not used at all.</summary>
    public const string Disabled = "Disabled__c";

    /// <summary>Text: a new name for the kind.</summary>
    public const string NewName = "New_Name__c";

    /// <summary>Every field the worker reads.</summary>
    public static IReadOnlyList<string> Fields { get; } = [Kind, Types, SubjectKeywords, SubjectPatterns, TypeFields, Disabled, NewName];
}

/// <summary>Reads <see cref="ActivityKindMetadata.TypeName"/> and lays its records over the configured feature settings.</summary>
public sealed class ActivityKindRulesReader(SalesforceClient client, IOptionsFactory<FeatureOptions> configured, ILogger<ActivityKindRulesReader> logger)
{
    private int _missingLogged;

    /// <summary>The feature settings for a retraining: the configuration with the org's rules laid over it (one API call).</summary>
    /// <exception cref="OptionsValidationException">A record does not make a valid rule; the message names the record and field.</exception>
    /// <exception cref="SalesforceApiException">Salesforce failed for another reason than a missing type or field.</exception>
    public async Task<FeatureOptions> ReadAsync(CancellationToken cancellationToken = default)
    {
        List<IReadOnlyDictionary<string, string?>> records;
        try
        {
            records = await client.ReadCustomMetadataAsync(ActivityKindMetadata.TypeName, ActivityKindMetadata.Fields, cancellationToken: cancellationToken);
        }
        catch (SalesforceApiException e) when (e.ErrorCode is "INVALID_TYPE" or "INVALID_FIELD")
        {
            if (Interlocked.Exchange(ref _missingLogged, 1) == 0)
            {
                Log.ActivityKindRulesMissing(logger, ActivityKindMetadata.TypeName, e.ErrorCode);
            }

            return configured.Create(Options.DefaultName);
        }

        Log.ActivityKindRulesRead(logger, ActivityKindMetadata.TypeName, records.Count);
        return Overlay(configured.Create(Options.DefaultName), records);
    }

    /// <summary>Lays the records over <paramref name="options"/> (changed in place and returned), checked like configured settings.</summary>
    /// <exception cref="OptionsValidationException">A record does not make a valid rule; the message names the record and field.</exception>
    public static FeatureOptions Overlay(FeatureOptions options, IReadOnlyList<IReadOnlyDictionary<string, string?>> records)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(records);
        var result = options;
        var errors = new List<string>();
        foreach (var record in records)
        {
            var name = record.GetValueOrDefault("DeveloperName") ?? "?";
            string Where(string field) => $"{ActivityKindMetadata.TypeName}.{name}.{field}";
            var kind = record.GetValueOrDefault(ActivityKindMetadata.Kind)?.Trim();
            if (string.IsNullOrEmpty(kind))
            {
                errors.Add($"{Where(ActivityKindMetadata.Kind)} is blank; name the activity kind the record is about.");
                continue;
            }

            if (string.Equals(record.GetValueOrDefault(ActivityKindMetadata.Disabled), "true", StringComparison.OrdinalIgnoreCase))
            {
                result.DisabledActivityKinds.Add(kind);
            }

            if (record.GetValueOrDefault(ActivityKindMetadata.NewName)?.Trim() is { Length: > 0 } newName)
            {
                result.RenamedActivityKinds[kind] = newName;
                kind = newName;
            }

            var rule = new ActivityKind
            {
                Name = kind,
                Types = List(record, ActivityKindMetadata.Types),
                SubjectKeywords = List(record, ActivityKindMetadata.SubjectKeywords),
                SubjectPatterns = List(record, ActivityKindMetadata.SubjectPatterns),
            };
            foreach (var pattern in rule.SubjectPatterns)
            {
                try
                {
                    ActivityKindMapper.CompilePattern(pattern, kind);
                }
                catch (ArgumentException e)
                {
                    errors.Add($"{Where(ActivityKindMetadata.SubjectPatterns)}: {e.Message}");
                }
            }

            if (rule.Types.Count + rule.SubjectKeywords.Count + rule.SubjectPatterns.Count > 0)
            {
                result.AdditionalActivityKinds.Add(rule);
            }

            foreach (var field in List(record, ActivityKindMetadata.TypeFields).Where(f => !result.ActivityTypeFields.Contains(f, StringComparer.OrdinalIgnoreCase)))
            {
                result.ActivityTypeFields.Add(field);
            }
        }

        if (errors.Count == 0)
        {
            try
            {
                result.Validate();
            }
            catch (OptionsValidationException e)
            {
                errors.AddRange(e.Failures.Select(f => $"{ActivityKindMetadata.TypeName} with the configuration: {f}"));
            }
        }

        return errors.Count == 0 ? result : throw new OptionsValidationException(ActivityKindMetadata.TypeName, typeof(FeatureOptions), errors);
    }

    private static List<string> List(IReadOnlyDictionary<string, string?> record, string field) =>
        [.. (record.GetValueOrDefault(field) ?? "").Split(['\n', '\r', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
