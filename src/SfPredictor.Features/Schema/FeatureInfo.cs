namespace SfPredictor.Features.Schema;

/// <summary>What a feature is about (for explanations and grouping in reports).</summary>
public enum FeatureGroup
{
    /// <summary>Stage at T and its history (position, probability, days in stage, changes).</summary>
    Stage,

    /// <summary>Amount, age, planned close date and its pushes.</summary>
    Deal,

    /// <summary>Activity counts and recency of one kind or of any kind.</summary>
    Activity,

    /// <summary>Open and overdue tasks, scheduled events.</summary>
    OpenItems,

    /// <summary>The Account's size.</summary>
    Account,

    /// <summary>Past win rates of the Account and of the owner.</summary>
    History,

    /// <summary>One-hot Opportunity Type, Lead Source, Account Industry.</summary>
    Category,

    /// <summary>Admin-configured extra fields.</summary>
    Extra,
}

/// <summary>The statistic an activity feature holds.</summary>
public enum ActivityStatistic
{
    /// <summary>Not an activity feature.</summary>
    None,

    /// <summary>Activities done in the last <see cref="FeatureInfo.WindowDays"/> days.</summary>
    CountInWindow,

    /// <summary>Activities done since the Opportunity was created (account activities: ever).</summary>
    CountTotal,

    /// <summary>Activities done since the Opportunity entered its current stage.</summary>
    CountInStage,

    /// <summary>Days since the last activity (NaN: none yet).</summary>
    DaysSince,

    /// <summary>Recency-weighted count of the kind's activities done while in a band of stages (see <see cref="FeatureOptions.StageBands"/>).</summary>
    CountInStageBand,
}

/// <summary>One column of the feature vector.</summary>
public sealed record FeatureInfo
{
    /// <summary>Stable machine name, e.g. <c>activity_demo_count_30d</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What the value means, in words a sales-ops person reads.</summary>
    public required string Description { get; init; }

    /// <summary>The group.</summary>
    public FeatureGroup Group { get; init; }

    /// <summary>The activity kind index for a per-kind activity feature; -1 for "any kind" and non-activity features.</summary>
    public int ActivityKindIndex { get; init; } = -1;

    /// <summary>The statistic of an activity feature.</summary>
    public ActivityStatistic Statistic { get; init; }

    /// <summary>The window of a <see cref="ActivityStatistic.CountInWindow"/> feature; 0 otherwise.</summary>
    public int WindowDays { get; init; }

    /// <summary>
    /// Suggested monotone constraint for the trainer: +1 where more should not lower the win probability
    /// (activity counts), -1 where more should not raise it (days since an activity), 0 otherwise.
    /// </summary>
    public int MonotoneConstraint { get; init; }
}
