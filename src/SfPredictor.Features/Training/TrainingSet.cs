using SfPredictor.Features.Schema;

namespace SfPredictor.Features.Training;

/// <summary>
/// Training rows: one per snapshot of a closed Opportunity, labelled 1 (won) or 0 (lost), with features
/// as of the snapshot. Rows are ordered by the Opportunity's close time (then Id, then snapshot time), so
/// every split is a prefix and all snapshots of one Opportunity stay on one side.
/// </summary>
public sealed class TrainingSet
{
    internal TrainingSet(
        FeatureSchema schema,
        float[] features,
        float[] labels,
        float[] weights,
        string[] opportunityIds,
        DateTimeOffset[] snapshotTimes,
        DateTimeOffset[] closeTimes,
        string?[] stages)
    {
        Schema = schema;
        Features = features;
        Labels = labels;
        Weights = weights;
        OpportunityIds = opportunityIds;
        SnapshotTimes = snapshotTimes;
        CloseTimes = closeTimes;
        Stages = stages;
        OpportunityCount = opportunityIds.Distinct(StringComparer.Ordinal).Count();
    }

    /// <summary>The schema of the rows.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>Columns per row.</summary>
    public int Width => Schema.Width;

    /// <summary>Number of rows.</summary>
    public int Count => Labels.Length;

    /// <summary>Number of distinct Opportunities.</summary>
    public int OpportunityCount { get; }

    /// <summary>Row-major features, <see cref="Count"/> × <see cref="Width"/>; NaN is missing.</summary>
    public float[] Features { get; }

    /// <summary>1 for won, 0 for lost.</summary>
    public float[] Labels { get; }

    /// <summary>Row weights: 1 / (snapshots of the row's Opportunity), so each Opportunity weighs 1 in all.</summary>
    public float[] Weights { get; }

    /// <summary>The Opportunity of each row.</summary>
    public string[] OpportunityIds { get; }

    /// <summary>The point in time of each row's features.</summary>
    public DateTimeOffset[] SnapshotTimes { get; }

    /// <summary>When each row's Opportunity closed.</summary>
    public DateTimeOffset[] CloseTimes { get; }

    /// <summary>The stage at each snapshot (null when unknown), e.g. for a stage-only baseline.</summary>
    public string?[] Stages { get; }

    /// <summary>Number of rows labelled won.</summary>
    public int WonCount => Labels.Count(l => l > 0.5f);

    /// <summary>Number of distinct Opportunities won.</summary>
    public int WonOpportunityCount =>
        OpportunityIds.Where((_, i) => Labels[i] > 0.5f).Distinct(StringComparer.Ordinal).Count();

    /// <summary>The features of one row.</summary>
    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * Width, Width);

    /// <summary>Rows of Opportunities closed before <paramref name="splitDate"/>, and those closed at or after it.</summary>
    public (TrainingSet Train, TrainingSet Validation) Split(DateTimeOffset splitDate)
    {
        var boundary = 0;
        while (boundary < Count && CloseTimes[boundary] < splitDate)
        {
            boundary++;
        }

        return (Slice(0, boundary), Slice(boundary, Count));
    }

    /// <summary>
    /// A time-based split: the latest-closing share of Opportunities (at least one, when there are two or
    /// more) validates, the earlier ones train. Opportunities closing at the same instant as the first
    /// validation one go to validation too, so every training close precedes every validation close.
    /// </summary>
    public (TrainingSet Train, TrainingSet Validation) SplitByCloseTime(double validationShare)
    {
        if (validationShare is <= 0 or >= 1 || double.IsNaN(validationShare))
        {
            throw new ArgumentOutOfRangeException(nameof(validationShare), validationShare, "The validation share must be in (0, 1).");
        }

        var closes = new List<DateTimeOffset>();
        for (var i = 0; i < Count; i++)
        {
            if (i == 0 || OpportunityIds[i] != OpportunityIds[i - 1])
            {
                closes.Add(CloseTimes[i]);
            }
        }

        if (closes.Count < 2)
        {
            return (this, Slice(Count, Count));
        }

        var validation = Math.Clamp((int)Math.Ceiling(closes.Count * validationShare), 1, closes.Count - 1);
        return Split(closes[closes.Count - validation]);
    }

    /// <summary>The rows in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public TrainingSet Slice(int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        return new TrainingSet(
            Schema,
            Features[(start * Width)..(end * Width)],
            Labels[start..end],
            Weights[start..end],
            OpportunityIds[start..end],
            SnapshotTimes[start..end],
            CloseTimes[start..end],
            Stages[start..end]);
    }
}
