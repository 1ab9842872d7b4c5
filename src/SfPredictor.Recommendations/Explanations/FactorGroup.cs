using System.Globalization;
using SfPredictor.Features.Schema;

namespace SfPredictor.Recommendations.Explanations;

/// <summary>Puts what a row says about one aspect of an Opportunity into words.</summary>
internal delegate string FactorText(ReadOnlySpan<float> row);

/// <summary>
/// Columns that together describe one aspect of an Opportunity a rep recognises ("the Demos", "the
/// close date pushes"). Columns are explained together because they move together: replacing only
/// the 30-day Demo count by a typical value would describe a deal that cannot exist.
/// </summary>
internal sealed class FactorGroup(string name, int[] columns, FactorText describe)
{
    public string Name { get; } = name;

    public int[] Columns { get; } = columns;

    public string Describe(ReadOnlySpan<float> row) => describe(row);

    /// <summary>Whether the row already holds the reference values in every column (then replacing them changes nothing).</summary>
    public bool Matches(ReadOnlySpan<float> row, ReadOnlySpan<float> reference)
    {
        foreach (var c in Columns)
        {
            if (!(row[c] == reference[c] || (float.IsNaN(row[c]) && float.IsNaN(reference[c]))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The groups of a schema: stage, time in stage, moves back, close date pushes, amount, age, planned
    /// close, each activity kind, any activity, open items, account size, the Account's and the owner's
    /// track records, each categorical field and each extra field. Columns of no group are not explained.
    /// </summary>
    public static IReadOnlyList<FactorGroup> For(FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var groups = new List<FactorGroup>();
        var stage = schema.IndexOf("stage_position");
        var daysInStage = schema.IndexOf("days_in_stage");

        // The number of stage changes mostly restates how far the deal has come; explained apart from
        // the stage, both would claim the same effect.
        Add("stage", [stage, schema.IndexOf("stage_probability"), schema.IndexOf("stage_changes")], row => StageText(schema, row[stage]));
        Add("days_in_stage", [daysInStage], row => float.IsNaN(row[daysInStage])
            ? "Time in the current stage unknown"
            : F($"In {StageName(schema, row[stage])} for {Days(row[daysInStage])}"));
        Single("stage_backward_moves");
        var pushes = schema.IndexOf("close_date_pushes");
        Add("close_date_pushes", [pushes, schema.IndexOf("close_date_push_days")], row => schema.Describe(pushes, row));
        var amount = schema.IndexOf("amount");
        Add("amount", [amount, schema.IndexOf("log_amount")], row => schema.Describe(amount, row));
        Single("age_days");
        Single("days_to_close");

        for (var k = 0; k < schema.ActivityKinds.Count; k++)
        {
            var kind = k;
            var daysSince = schema.DaysSinceColumn(kind);
            var inStage = Column(f => f.ActivityKindIndex == kind && f.Statistic == ActivityStatistic.CountInStage);
            Add($"activity:{schema.ActivityKinds[k]}", Columns(f => f.Group == FeatureGroup.Activity && f.ActivityKindIndex == kind), row => KindText(schema, daysSince, inStage, row));
        }

        var anyDaysSince = Column(f => f.Group == FeatureGroup.Activity && f.ActivityKindIndex < 0 && f.Statistic == ActivityStatistic.DaysSince);
        Add("activity:any", Columns(f => f.Group == FeatureGroup.Activity && f.ActivityKindIndex < 0), row => schema.Describe(anyDaysSince, row));

        var open = schema.IndexOf("open_tasks");
        var overdue = schema.IndexOf("overdue_tasks");
        var upcoming = schema.IndexOf("upcoming_events");
        Add("open_items", [open, overdue, upcoming], row => OpenItemsText(schema, row, open, overdue, upcoming));

        var employees = schema.IndexOf("account_log_employees");
        var revenue = schema.IndexOf("account_log_revenue");
        Add("account_size", [employees, revenue], row => schema.Describe(float.IsNaN(row[employees]) ? revenue : employees, row));
        var accountRate = schema.IndexOf("account_win_rate");
        Add("account_history", [schema.IndexOf("account_past_deals"), schema.IndexOf("account_past_wins"), accountRate], row => schema.Describe(accountRate, row));
        var ownerRate = schema.IndexOf("owner_win_rate");
        Add("owner_history", [schema.IndexOf("owner_past_deals"), schema.IndexOf("owner_past_wins"), ownerRate], row => schema.Describe(ownerRate, row));

        // One-hot columns are named "field=value"; every value of one field is one group.
        var covered = groups.SelectMany(g => g.Columns).ToHashSet();
        var rest = Enumerable.Range(0, schema.Width).Where(c => !covered.Contains(c) && schema.Features[c].Group is FeatureGroup.Category or FeatureGroup.Extra);
        foreach (var field in rest.GroupBy(c => OneHotFields.FieldOf(schema.Features[c].Name) ?? schema.Features[c].Name, StringComparer.Ordinal))
        {
            var columns = field.ToArray();
            var oneHot = OneHotFields.FieldOf(schema.Features[columns[0]].Name) is not null;
            Add(field.Key, columns, row => oneHot ? OneHotText(schema, columns, row) : schema.Describe(columns[0], row));
        }

        return groups;

        void Add(string name, int[] columns, FactorText text)
        {
            if (columns.Length > 0 && columns.All(c => c >= 0))
            {
                groups.Add(new FactorGroup(name, columns, text));
            }
        }

        void Single(string feature)
        {
            var column = schema.IndexOf(feature);
            Add(feature, [column], row => schema.Describe(column, row));
        }

        int[] Columns(Func<FeatureInfo, bool> predicate) =>
            [.. Enumerable.Range(0, schema.Width).Where(c => predicate(schema.Features[c]))];

        int Column(Func<FeatureInfo, bool> predicate) => Columns(predicate) is [var c, ..] ? c : -1;
    }

    private static string StageText(FeatureSchema schema, float position)
    {
        if (float.IsNaN(position))
        {
            return "Stage unknown";
        }

        var openStages = schema.Stages.Count(s => !s.IsClosed);
        return F($"Stage {StageName(schema, position)} ({(int)position + 1} of {openStages})");
    }

    private static string StageName(FeatureSchema schema, float position) =>
        schema.Stages.FirstOrDefault(s => s.Position == (int)position)?.Name ?? "the current stage";

    // "No Demo yet", "Last Demo 3 days ago, 2 in this stage", "Last Demo 40 days ago, none in this stage".
    private static string KindText(FeatureSchema schema, int daysSince, int inStage, ReadOnlySpan<float> row)
    {
        var text = schema.Describe(daysSince, row);
        if (float.IsNaN(row[daysSince]) || inStage < 0)
        {
            return text;
        }

        var count = (int)row[inStage];
        return count == 0 ? text + ", none in this stage" : F($"{text}, {count} in this stage");
    }

    private static string OpenItemsText(FeatureSchema schema, ReadOnlySpan<float> row, int open, int overdue, int upcoming)
    {
        if (row[overdue] >= 1)
        {
            return schema.Describe(overdue, row);
        }

        if (row[upcoming] >= 1)
        {
            return schema.Describe(upcoming, row);
        }

        return row[open] >= 1 ? schema.Describe(open, row) : "No open tasks or scheduled events";
    }

    private static string OneHotText(FeatureSchema schema, int[] columns, ReadOnlySpan<float> row)
    {
        foreach (var c in columns)
        {
            if (row[c] >= 0.5f)
            {
                return schema.Features[c].Description;
            }
        }

        // "Lead Source is Web" -> "Lead Source is another value or blank".
        var description = schema.Features[columns[0]].Description;
        var cut = description.IndexOf(" is ", StringComparison.Ordinal);
        return (cut > 0 ? description[..cut] : description) + " is another value or blank";
    }

    private static string Days(float days)
    {
        var whole = (int)Math.Round(days, MidpointRounding.AwayFromZero);
        return whole == 1 ? "1 day" : F($"{whole} days");
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
