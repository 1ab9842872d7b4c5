using System.Globalization;
using SfPredictor.Benchmarks.Quality;
using SfPredictor.SyntheticOrg;
using SfPredictor.Training;

namespace SfPredictor.Cli.Commands;

/// <summary>
/// <c>sfp recommend-quality --worlds ...</c>: every method on orgs of several causal worlds and seeds,
/// printed as world × method and as mean and worst world per method, so that a default is chosen by
/// how it holds across worlds rather than on one.
/// </summary>
internal static class WorldSweep
{
    private sealed record Row(string World, string Method, QualityScores Ranking, QualityScores? Defaults, double Auc);

    public static int Run(IReadOnlyList<OrgWorld> worlds, int seeds, int opportunities, double? loggedShare, bool upliftLearner, TextProgress progress, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        // Seeds outermost, so that an interrupted sweep has seen every world; each org's rows go to the
        // progress output as soon as they are measured.
        for (var seed = 1; seed <= seeds; seed++)
        {
            foreach (var world in worlds)
            {
                var name = OrgWorlds.Name(world);
                progress.Report($"{name}, seed {seed}: generating {opportunities:N0} Opportunities");
                var org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = opportunities, Seed = seed, World = world, LoggedShare = loggedShare });
                var uplifts = org.Truth.Opportunities
                    .Select(t => new TrueUplifts(t.OpportunityId, t.Kinds.Select((k, i) => (k, t.Uplifts[i])).ToDictionary(x => x.k, x => x.Item2, StringComparer.OrdinalIgnoreCase)))
                    .ToList();
                var quality = new RecommendationQuality(org.Data, uplifts, org.Truth.AsOf);
                foreach (var baseline in quality.MeasureBaselines(cancellationToken: cancellationToken))
                {
                    rows.Add(new Row(name, baseline.Method, baseline, null, double.NaN));
                }

                // Each world's models are trained with its logged share stated, as its admin would.
                var variants = RecommendationQuality.StageChoices(loggedShare ?? OrgWorlds.LoggedShare(world));
                foreach (var variant in variants)
                {
                    progress.Report($"{name}, seed {seed}: {variant.Name}");
                    var result = quality.Measure(variant, cancellationToken: cancellationToken);
                    // The counterfactual rows read the trees alone, the same for every variant of the effects.
                    if (result.Counterfactual is { } rowsRanked && variant == variants[0])
                    {
                        rows.Add(new Row(name, $"{variant.Name}, kinds by counterfactual rows", rowsRanked.RankingScores, rowsRanked.Scores, result.ValidationAuc));
                    }

                    var method = result.Counterfactual is null ? variant.Name : $"{variant.Name}, kinds by stage × kind effects";
                    rows.Add(new Row(name, method, result.RankingScores, result.Scores, result.ValidationAuc));
                }

                if (upliftLearner)
                {
                    progress.Report($"{name}, seed {seed}: per-kind uplift model");
                    var learned = quality.MeasureUpliftLearner(cancellationToken);
                    rows.Add(new Row(name, learned.Method, learned, null, double.NaN));
                }

                foreach (var row in rows.Where(r => r.World == name).TakeLast(rows.Count(r => r.World == name) / seed))
                {
                    progress.Report(F($"{name}, seed {seed}: {row.Method}: precision@3 {row.Ranking.PrecisionAt3:0.000}, kinds {row.Ranking.MeanRecommended:0.00}, top-1 {row.Ranking.Top1:0.000}, gain share {row.Ranking.GainShare:0.000}, expected/true {row.Ranking.UpliftRatio:0.00}, AUC {row.Auc:0.000}, precision@3 with defaults {row.Defaults?.PrecisionAt3 ?? double.NaN:0.000}"));
                }
            }
        }

        Console.WriteLine(F($"{worlds.Count} worlds × {seeds} seeds, {opportunities:N0} Opportunities each; means over seeds. Every kind allowed (no minimum gain, no cooldown) except the last column, which uses the default minimum gain and cooldown."));
        Console.WriteLine();
        Console.WriteLine("| world | method | precision@3 | top-1 | gain share | expected / true uplift | AUC | precision@3 with default minimum and cooldown |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        var methods = rows.Select(r => r.Method).Distinct().ToList();
        var perWorld = new List<(string World, string Method, double P3, double Top1, double Gain, double Ratio, double Auc, double DefaultP3)>();
        foreach (var world in worlds.Select(OrgWorlds.Name))
        {
            foreach (var method in methods)
            {
                var runs = rows.Where(r => r.World == world && r.Method == method).ToList();
                if (runs.Count == 0)
                {
                    // A method measured in some worlds only (the logged share left unstated where it is below 1).
                    continue;
                }

                var cell = (world, method,
                    runs.Average(r => r.Ranking.PrecisionAt3), runs.Average(r => r.Ranking.Top1), runs.Average(r => r.Ranking.GainShare),
                    runs.Average(r => r.Ranking.UpliftRatio), runs.Average(r => r.Auc), runs.Average(r => r.Defaults?.PrecisionAt3 ?? double.NaN));
                perWorld.Add(cell);
                Console.WriteLine(F($"| {world} | {method} | {cell.Item3:0.000} | {cell.Item4:0.000} | {cell.Item5:0.000} | {Num(cell.Item6, "0.00")} | {Num(cell.Item7, "0.000")} | {Num(cell.Item8, "0.000")} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| method | mean precision@3 | worst world precision@3 | mean top-1 | worst world top-1 | mean gain share | expected / true uplift, lowest–highest world | mean AUC | mean precision@3 with default minimum and cooldown |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var method in methods)
        {
            var cells = perWorld.Where(c => c.Method == method).ToList();
            var worstP3 = cells.MinBy(c => c.P3);
            var worstTop1 = cells.MinBy(c => c.Top1);
            var ratios = double.IsNaN(cells[0].Ratio) ? "–" : F($"{cells.Min(c => c.Ratio):0.00}–{cells.Max(c => c.Ratio):0.00}");
            Console.WriteLine(F($"| {method} | {cells.Average(c => c.P3):0.000} | {worstP3.P3:0.000} ({worstP3.World}) | {cells.Average(c => c.Top1):0.000} | {worstTop1.Top1:0.000} ({worstTop1.World}) | {cells.Average(c => c.Gain):0.000} | {ratios} | {Num(cells.Average(c => c.Auc), "0.000")} | {Num(cells.Average(c => c.DefaultP3), "0.000")} |"));
        }

        return 0;
    }

    private static string Num(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
