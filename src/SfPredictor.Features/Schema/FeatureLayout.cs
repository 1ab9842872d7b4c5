using System.Globalization;
using SfPredictor.Features.Stages;

namespace SfPredictor.Features.Schema;

// The one place that decides which column holds what; FeatureBuilder writes through it and
// FeatureSchema names through it, so the two cannot drift apart.
internal sealed class FeatureLayout
{
    public const int StagePosition = 0;
    public const int StageProbability = 1;
    public const int DaysInStage = 2;
    public const int StageChanges = 3;
    public const int StageBackwardMoves = 4;
    public const int CloseDatePushes = 5;
    public const int CloseDatePushDays = 6;
    public const int Amount = 7;
    public const int LogAmount = 8;
    public const int AgeDays = 9;
    public const int DaysToClose = 10;
    public const int KindsStart = 11;

    private readonly int[][] _activityColumns;

    public FeatureLayout(FeatureOptions options, IReadOnlyList<FeatureCategory> categories, IReadOnlyList<StageInfo> stages)
    {
        Windows = [.. options.ActivityWindowsDays];
        KindCount = options.ActivityKinds.Count;
        InStageOffset = options.StageActivityFeatures ? Windows.Length + 1 : -1;
        DaysSinceOffset = Windows.Length + (options.StageActivityFeatures ? 2 : 1);
        PerKind = DaysSinceOffset + 1;
        AnyStart = KindsStart + (KindCount * PerKind);
        OpenTasks = AnyStart + PerKind;
        OverdueTasks = OpenTasks + 1;
        UpcomingEvents = OpenTasks + 2;
        AccountLogEmployees = OpenTasks + 3;
        AccountLogRevenue = AccountLogEmployees + 1;
        AccountPastDeals = AccountLogEmployees + 2;
        AccountPastWins = AccountLogEmployees + 3;
        AccountWinRate = AccountLogEmployees + 4;
        OwnerPastDeals = options.OwnerFeatures ? AccountLogEmployees + 5 : -1;
        OwnerPastWins = options.OwnerFeatures ? AccountLogEmployees + 6 : -1;
        OwnerWinRate = options.OwnerFeatures ? AccountLogEmployees + 7 : -1;

        var features = new List<FeatureInfo>();
        AddStageAndDeal(features);
        for (var k = 0; k < KindCount; k++)
        {
            var kind = options.ActivityKinds[k].Name;
            AddActivity(features, k, FeatureNames.Slug(kind), kind);
        }

        AddActivity(features, -1, "any", "activity");
        AddOpenItemsAndAccount(features, options.OwnerFeatures);

        var vocabularies = categories.ToDictionary(c => c.Source, StringComparer.OrdinalIgnoreCase);
        CategoryStarts = new int[3];
        CategoryWidths = new int[3];
        string[] standard = [FeatureCategory.OpportunityType, FeatureCategory.LeadSource, FeatureCategory.Industry];
        string[] prefixes = ["type", "lead_source", "industry"];
        string[] labels = ["Opportunity Type", "Lead Source", "Account Industry"];
        for (var c = 0; c < standard.Length; c++)
        {
            var values = vocabularies.TryGetValue(standard[c], out var v) ? v.Values : [];
            CategoryStarts[c] = features.Count;
            CategoryWidths[c] = values.Count;
            foreach (var value in values)
            {
                features.Add(new FeatureInfo
                {
                    Name = $"{prefixes[c]}={value}",
                    Description = $"{labels[c]} is {value}",
                    Group = FeatureGroup.Category,
                });
            }
        }

        ExtraStarts = new int[options.ExtraFields.Count];
        ExtraValues = new IReadOnlyList<string>[options.ExtraFields.Count];
        for (var e = 0; e < options.ExtraFields.Count; e++)
        {
            var field = options.ExtraFields[e];
            var source = ExtraSource(field);
            ExtraStarts[e] = features.Count;
            if (field.Kind == ExtraFieldKind.Picklist)
            {
                ExtraValues[e] = vocabularies.TryGetValue(source, out var v) ? v.Values : [];
                foreach (var value in ExtraValues[e])
                {
                    features.Add(new FeatureInfo
                    {
                        Name = $"extra:{source}={value}",
                        Description = $"{source} is {value}",
                        Group = FeatureGroup.Extra,
                    });
                }
            }
            else
            {
                ExtraValues[e] = [];
                features.Add(new FeatureInfo
                {
                    Name = $"extra:{source}",
                    Description = field.Kind == ExtraFieldKind.Checkbox ? $"{source} is checked" : $"{source}",
                    Group = FeatureGroup.Extra,
                });
            }
        }

        // Activity by stage band, last so that the other columns keep their places.
        OpenStages = stages.Count(s => !s.IsClosed);
        Bands = options.StageBands > 0 && OpenStages > 0 ? Math.Min(options.StageBands, OpenStages) : 0;
        BandStart = features.Count;
        for (var k = 0; k < KindCount && Bands > 0; k++)
        {
            var kind = options.ActivityKinds[k].Name;
            for (var b = 0; b < Bands; b++)
            {
                var (from, to) = BandStages(b);
                var range = from == to ? F($"{from}") : F($"{from}_{to}");
                var label = from == to ? F($"stage {from}") : F($"stages {from}-{to}");
                features.Add(new()
                {
                    Name = $"activity_{FeatureNames.Slug(kind)}_in_stages_{range}",
                    Description = $"{Capitalise(kind)} count, recency-weighted, done while in {label}",
                    Group = FeatureGroup.Activity,
                    ActivityKindIndex = k,
                    Statistic = ActivityStatistic.CountInStageBand,
                    MonotoneConstraint = options.StageBandMonotone ? 1 : 0,
                });
            }
        }

        Features = features;
        _activityColumns = new int[KindCount][];
        for (var k = 0; k < KindCount; k++)
        {
            var columns = new List<int>();
            foreach (var start in new[] { KindsStart + (k * PerKind), AnyStart })
            {
                for (var i = 0; i < PerKind; i++)
                {
                    columns.Add(start + i);
                }
            }

            for (var b = 0; b < Bands; b++)
            {
                columns.Add(BandColumn(k, b));
            }

            _activityColumns[k] = [.. columns];
        }
    }

    // Open stages of the sales process (positions 0 .. OpenStages-1).
    public int OpenStages { get; }

    // Stage bands of the activity-by-stage columns; 0 without them.
    public int Bands { get; }

    public int BandStart { get; }

    public int BandColumn(int kind, int band) => BandStart + (kind * Bands) + band;

    // The band of a schema stage position; -1 for an unknown or closed stage.
    public int BandOf(float position) =>
        Bands == 0 || float.IsNaN(position) || position < 0 || position >= OpenStages ? -1 : (int)position * Bands / OpenStages;

    // 1-based first and last stage of a band.
    private (int From, int To) BandStages(int band)
    {
        int from = -1, to = -1;
        for (var p = 0; p < OpenStages; p++)
        {
            if (p * Bands / OpenStages == band)
            {
                from = from < 0 ? p + 1 : from;
                to = p + 1;
            }
        }

        return (from, to);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public IReadOnlyList<FeatureInfo> Features { get; }

    public int[] Windows { get; }

    public int KindCount { get; }

    // Within one kind's block: one count per window, then total, in-stage (unless switched off), days since.
    public int PerKind { get; }

    public int TotalOffset => Windows.Length;

    // -1 without stage-aware activity features.
    public int InStageOffset { get; }

    public int DaysSinceOffset { get; }

    public int AnyStart { get; }

    public int OpenTasks { get; }

    public int OverdueTasks { get; }

    public int UpcomingEvents { get; }

    public int AccountLogEmployees { get; }

    public int AccountLogRevenue { get; }

    public int AccountPastDeals { get; }

    public int AccountPastWins { get; }

    public int AccountWinRate { get; }

    // The owner columns are -1 without owner features.
    public int OwnerPastDeals { get; }

    public int OwnerPastWins { get; }

    public int OwnerWinRate { get; }

    // Type, LeadSource, Industry.
    public int[] CategoryStarts { get; }

    public int[] CategoryWidths { get; }

    public int[] ExtraStarts { get; }

    public IReadOnlyList<string>[] ExtraValues { get; }

    public static string ExtraSource(ExtraField field) => $"{field.Object}.{field.Field}";

    // kind -1 is the any-kind block.
    public int KindColumn(int kind, int offset) => (kind < 0 ? AnyStart : KindsStart + (kind * PerKind)) + offset;

    public IReadOnlyList<int> ActivityColumns(int kind) => _activityColumns[kind];

    public void ApplyActivity(Span<float> row, int kind)
    {
        foreach (var start in (ReadOnlySpan<int>)[KindsStart + (kind * PerKind), AnyStart])
        {
            // The counts (per window, total and in-stage) come first in a block, days since last.
            for (var i = 0; i < DaysSinceOffset; i++)
            {
                row[start + i] += 1;
            }

            row[start + DaysSinceOffset] = 0;
        }

        // Done now, so at full weight, in the band of the current stage.
        if (BandOf(row[StagePosition]) is var band and >= 0)
        {
            row[BandColumn(kind, band)] += 1;
        }
    }

    private static void AddStageAndDeal(List<FeatureInfo> features)
    {
        features.Add(new() { Name = "stage_position", Description = "Position of the current stage in the sales process (0 = first)", Group = FeatureGroup.Stage });
        features.Add(new() { Name = "stage_probability", Description = "Default probability of the current stage (0-1)", Group = FeatureGroup.Stage });
        features.Add(new() { Name = "days_in_stage", Description = "Days in the current stage", Group = FeatureGroup.Stage });
        features.Add(new() { Name = "stage_changes", Description = "Number of stage changes so far", Group = FeatureGroup.Stage });
        features.Add(new() { Name = "stage_backward_moves", Description = "Number of moves back to an earlier stage", Group = FeatureGroup.Stage });
        features.Add(new() { Name = "close_date_pushes", Description = "Number of times the close date was moved later", Group = FeatureGroup.Deal });
        features.Add(new() { Name = "close_date_push_days", Description = "Total days the close date was moved later", Group = FeatureGroup.Deal });
        features.Add(new() { Name = "amount", Description = "Amount in the corporate currency", Group = FeatureGroup.Deal });
        features.Add(new() { Name = "log_amount", Description = "Natural log of 1 + amount", Group = FeatureGroup.Deal });
        features.Add(new() { Name = "age_days", Description = "Days since the Opportunity was created", Group = FeatureGroup.Deal });
        features.Add(new() { Name = "days_to_close", Description = "Days until the planned close date (negative: overdue)", Group = FeatureGroup.Deal });
    }

    private void AddActivity(List<FeatureInfo> features, int kind, string slug, string label)
    {
        foreach (var window in Windows)
        {
            features.Add(new()
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"activity_{slug}_count_{window}d"),
                Description = string.Create(CultureInfo.InvariantCulture, $"{Capitalise(label)} count in the last {window} days"),
                Group = FeatureGroup.Activity,
                ActivityKindIndex = kind,
                Statistic = ActivityStatistic.CountInWindow,
                WindowDays = window,
                MonotoneConstraint = 1,
            });
        }

        features.Add(new()
        {
            Name = $"activity_{slug}_count_total",
            Description = $"{Capitalise(label)} count since the Opportunity was created",
            Group = FeatureGroup.Activity,
            ActivityKindIndex = kind,
            Statistic = ActivityStatistic.CountTotal,
            MonotoneConstraint = 1,
        });
        if (InStageOffset >= 0)
        {
            features.Add(new()
            {
                Name = $"activity_{slug}_count_in_stage",
                Description = $"{Capitalise(label)} count since entering the current stage",
                Group = FeatureGroup.Activity,
                ActivityKindIndex = kind,
                Statistic = ActivityStatistic.CountInStage,
                MonotoneConstraint = 1,
            });
        }
        features.Add(new()
        {
            Name = $"activity_{slug}_days_since",
            Description = $"Days since the last {label} (missing: none yet)",
            Group = FeatureGroup.Activity,
            ActivityKindIndex = kind,
            Statistic = ActivityStatistic.DaysSince,
            MonotoneConstraint = -1,
        });
    }

    private static void AddOpenItemsAndAccount(List<FeatureInfo> features, bool owner)
    {
        features.Add(new() { Name = "open_tasks", Description = "Open tasks", Group = FeatureGroup.OpenItems });
        features.Add(new() { Name = "overdue_tasks", Description = "Open tasks past their due date", Group = FeatureGroup.OpenItems });
        features.Add(new() { Name = "upcoming_events", Description = "Scheduled events not yet held", Group = FeatureGroup.OpenItems });
        features.Add(new() { Name = "account_log_employees", Description = "Natural log of 1 + the Account's employees", Group = FeatureGroup.Account });
        features.Add(new() { Name = "account_log_revenue", Description = "Natural log of 1 + the Account's annual revenue", Group = FeatureGroup.Account });
        features.Add(new() { Name = "account_past_deals", Description = "The Account's Opportunities closed before now", Group = FeatureGroup.History });
        features.Add(new() { Name = "account_past_wins", Description = "The Account's Opportunities won before now", Group = FeatureGroup.History });
        features.Add(new() { Name = "account_win_rate", Description = "The Account's past win rate, smoothed: (wins + 1) / (deals + 2)", Group = FeatureGroup.History });
        if (owner)
        {
            features.Add(new() { Name = "owner_past_deals", Description = "The owner's Opportunities closed before now", Group = FeatureGroup.History });
            features.Add(new() { Name = "owner_past_wins", Description = "The owner's Opportunities won before now", Group = FeatureGroup.History });
            features.Add(new() { Name = "owner_win_rate", Description = "The owner's past win rate, smoothed: (wins + 1) / (deals + 2)", Group = FeatureGroup.History });
        }
    }

    private static string Capitalise(string label) =>
        label.Length == 0 ? label : char.ToUpperInvariant(label[0]) + label[1..];
}
