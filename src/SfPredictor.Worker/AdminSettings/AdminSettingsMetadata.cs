namespace SfPredictor.Worker.AdminSettings;

/// <summary>
/// The Custom Metadata Type through which admins set schedules and thresholds inside Salesforce
/// (deployed from <c>infra/salesforce</c>). The worker reads the record named
/// <see cref="DefaultRecord"/> at the start of each run; a blank field keeps the configured value.
/// </summary>
public static class AdminSettingsMetadata
{
    /// <summary>API name of the Custom Metadata Type.</summary>
    public const string TypeName = "SfP_Settings__mdt";

    /// <summary>DeveloperName of the record the worker reads.</summary>
    public const string DefaultRecord = "Default";

    /// <summary>Text: Quartz cron of the incremental scoring job.</summary>
    public const string ScoreCron = "Score_Cron__c";

    /// <summary>Text: Quartz cron of the full rescore job.</summary>
    public const string FullRescoreCron = "Full_Rescore_Cron__c";

    /// <summary>Text: Quartz cron of the retraining job.</summary>
    public const string RetrainCron = "Retrain_Cron__c";

    /// <summary>Number: minimum probability change in points that is written back.</summary>
    public const string MinProbabilityChange = "Min_Probability_Change__c";

    /// <summary>Number: days after an activity of a kind during which that kind is not recommended again.</summary>
    public const string ActivityCooldownDays = "Activity_Cooldown_Days__c";

    /// <summary>Text: semicolon-separated activity kinds that are never recommended.</summary>
    public const string DisabledActivityKinds = "Disabled_Activity_Kinds__c";

    /// <summary>Checkbox: when unchecked the worker scores but writes nothing.</summary>
    public const string WriteBackEnabled = "Write_Back_Enabled__c";

    /// <summary>Every field the worker reads, for the SOQL query and for metadata checks.</summary>
    public static IReadOnlyList<string> Fields { get; } =
        [ScoreCron, FullRescoreCron, RetrainCron, MinProbabilityChange, ActivityCooldownDays, DisabledActivityKinds, WriteBackEnabled];
}
