using System.Globalization;

namespace SfPredictor.Features.Schema;

// Feature values in words a rep reads: "No activity in 24 days", "Last Demo 3 days ago",
// "Account won 4 of its 5 earlier deals".
internal static class FeatureText
{
    public static string Describe(FeatureSchema schema, int column, ReadOnlySpan<float> row)
    {
        var feature = schema.Features[column];
        var layout = schema.Layout;
        var value = row[column];
        return feature.Group switch
        {
            FeatureGroup.Activity => Activity(schema, feature, value),
            FeatureGroup.History => column <= layout.AccountWinRate
                ? PastDeals("Account", row[layout.AccountPastDeals], row[layout.AccountPastWins])
                : PastDeals("Owner", row[layout.OwnerPastDeals], row[layout.OwnerPastWins]),
            FeatureGroup.Category or FeatureGroup.Extra when feature.Name.Contains('=', StringComparison.Ordinal) =>
                value >= 0.5f ? feature.Description : feature.Description.Replace(" is ", " is not ", StringComparison.Ordinal),
            _ => Other(feature, column, layout, row, value),
        };
    }

    private static string Activity(FeatureSchema schema, FeatureInfo feature, float value)
    {
        var any = feature.ActivityKindIndex < 0;
        var kind = any ? "activity" : schema.ActivityKinds[feature.ActivityKindIndex];
        var count = (int)value;
        var counted = any ? (count == 1 ? "1 activity" : F($"{count} activities")) : F($"{count} {Noun(kind, count)}");
        return feature.Statistic switch
        {
            ActivityStatistic.CountInWindow => F($"{counted} in the last {feature.WindowDays} days"),
            ActivityStatistic.CountTotal => F($"{counted} so far"),
            ActivityStatistic.CountInStage => F($"{counted} in the current stage"),
            ActivityStatistic.CountInStageBand => F($"{value:0.#} {(any ? "activities" : kind)} (recency-weighted) {feature.Description[(feature.Description.IndexOf(" while ", StringComparison.Ordinal) + 1)..]}"),
            _ when float.IsNaN(value) => any ? "No activity yet" : F($"No {kind} yet"),
            _ when any && value >= 14 => F($"No activity in {Whole(value)} days"),
            _ => F($"Last {kind} {Ago(value)}"),
        };
    }

    private static string PastDeals(string who, float deals, float wins) =>
        deals < 1 ? F($"{who} has no earlier closed deals")
            : F($"{who} won {(int)wins} of {(who == "Account" ? "its" : "their")} {(int)deals} earlier {Noun("deal", (int)deals)}");

    private static string Other(FeatureInfo feature, int column, FeatureLayout layout, ReadOnlySpan<float> row, float value)
    {
        if (float.IsNaN(value))
        {
            return F($"{feature.Description}: unknown");
        }

        if (column == FeatureLayout.StagePosition)
        {
            return F($"In stage {Whole(value) + 1} of the sales process");
        }

        if (column == FeatureLayout.StageProbability)
        {
            return F($"Stage probability {value:P0}");
        }

        if (column == FeatureLayout.DaysInStage)
        {
            return F($"{Whole(value)} days in the current stage");
        }

        if (column is FeatureLayout.StageChanges)
        {
            return F($"{Whole(value)} stage {Noun("change", Whole(value))}");
        }

        if (column is FeatureLayout.StageBackwardMoves)
        {
            return value < 1 ? "Never moved back a stage" : F($"Moved back a stage {Whole(value)} {Noun("time", Whole(value))}");
        }

        if (column is FeatureLayout.CloseDatePushes or FeatureLayout.CloseDatePushDays)
        {
            var pushes = Whole(row[FeatureLayout.CloseDatePushes]);
            return pushes == 0 ? "Close date never pushed"
                : F($"Close date pushed {pushes} {Noun("time", pushes)} ({Whole(row[FeatureLayout.CloseDatePushDays])} days in all)");
        }

        if (column is FeatureLayout.Amount or FeatureLayout.LogAmount)
        {
            return F($"Amount {row[FeatureLayout.Amount]:N0}");
        }

        if (column == FeatureLayout.AgeDays)
        {
            return F($"Open for {Whole(value)} days");
        }

        if (column == FeatureLayout.DaysToClose)
        {
            return value >= 0 ? F($"Planned close in {Whole(value)} days") : F($"Planned close date passed {Whole(-value)} days ago");
        }

        if (column == layout.OpenTasks)
        {
            return F($"{Whole(value)} open {Noun("task", Whole(value))}");
        }

        if (column == layout.OverdueTasks)
        {
            return F($"{Whole(value)} overdue {Noun("task", Whole(value))}");
        }

        if (column == layout.UpcomingEvents)
        {
            return F($"{Whole(value)} scheduled {Noun("event", Whole(value))}");
        }

        if (column == layout.AccountLogEmployees)
        {
            return F($"Account has about {Math.Exp(value) - 1:N0} employees");
        }

        if (column == layout.AccountLogRevenue)
        {
            return F($"Account revenue about {Math.Exp(value) - 1:N0}");
        }

        return feature.Description.EndsWith(" is checked", StringComparison.Ordinal)
            ? (value >= 0.5f ? feature.Description : feature.Description.Replace(" is checked", " is not checked", StringComparison.Ordinal))
            : F($"{feature.Description} = {value:G6}");
    }

    private static string Ago(float days) =>
        days < 1 ? "today" : Whole(days) == 1 ? "1 day ago" : F($"{Whole(days)} days ago");

    private static int Whole(float value) => (int)Math.Round(value, MidpointRounding.AwayFromZero);

    private static string Noun(string noun, int count) => count == 1 ? noun : noun + "s";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
