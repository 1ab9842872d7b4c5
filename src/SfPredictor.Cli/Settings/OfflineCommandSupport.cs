using System.CommandLine;
using System.Globalization;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training;

namespace SfPredictor.Cli.Settings;

/// <summary>What the offline verbs share about settings and activity kinds.</summary>
internal static class OfflineCommandSupport
{
    /// <summary>The configured training settings with the options given on the command line on top.</summary>
    public static TrainingOptions Training(OfflineSettings settings, ParseResult parseResult, Option<int> seed, Option<int> threads, Option<bool> noMonotone, Option<string>? trainer = null)
    {
        var options = settings.Training;
        if (trainer is not null && parseResult.GetValue(trainer) is { } chosen)
        {
            options.Trainer = chosen;
        }

        if (parseResult.GetResult(seed) is { Implicit: false })
        {
            options.Seed = parseResult.GetValue(seed);
        }

        if (parseResult.GetResult(threads) is { Implicit: false })
        {
            options.Threads = parseResult.GetValue(threads);
        }

        if (parseResult.GetValue(noMonotone))
        {
            options.UseMonotoneConstraints = false;
        }

        return options;
    }

    /// <summary>Prints how well the activity kinds recognised the org, loudly when badly, and the kinds never recommended.</summary>
    public static void ReportActivityKinds(ActivityCoverageSummary? coverage, IReadOnlyList<LeftOutActivityKind> leftOut)
    {
        if (coverage is not null)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Activity kinds: {coverage.LinkedActivities - coverage.Unrecognised:N0} of {coverage.LinkedActivities:N0} activities linked to deals recognised ({1 - coverage.UnrecognisedShare:P0})."));
            if (coverage.Warning is { } warning)
            {
                Console.Error.WriteLine(warning);
                Console.WriteLine(warning);
            }
        }

        foreach (var kind in leftOut)
        {
            Console.WriteLine($"Never recommended: {kind.Kind} ({kind.Reason}).");
        }
    }
}
