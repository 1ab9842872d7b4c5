using System.CommandLine;
using System.Globalization;
using SfPredictor.Cli.Settings;
using SfPredictor.DataExport;
using SfPredictor.Benchmarks.Quality;
using SfPredictor.Records;
using SfPredictor.SyntheticOrg;
using SfPredictor.SyntheticOrg.Truth;
using SfPredictor.Training;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp recommend-quality</c>: next-best-activity quality against a generated org's true effects.</summary>
internal sealed class RecommendQualityCommand : ICliCommand
{
    public Command Build()
    {
        var export = new Option<string?>("--export") { Description = "A generated org's export folder (with _truth/). Default: generate one in memory." };
        var opportunities = new Option<int>("--opportunities") { Description = "Opportunities of the generated org.", DefaultValueFactory = _ => SyntheticOrgOptions.DefaultOpportunities };
        var seed = new Option<long>("--seed") { Description = "Seed of the generated org.", DefaultValueFactory = _ => 1 };
        var compare = new Option<bool>("--compare") { Description = "Also train without monotone constraints, with in-stage activity counts, without owner track-record features and with extra fields, and compare (default: the recommended and the default training)." };

        var settings = OfflineSettings.CreateOption();
        var compareTrainers = new Option<bool>("--compare-trainers") { Description = "Also train with ML.NET's LightGBM and FastTree (defaults otherwise) and compare their recommendations." };

        var worlds = new Option<string?>("--worlds")
        {
            Description = "Sweep generated worlds instead of one org: 'all' or a comma-separated list of " + string.Join(", ", OrgWorlds.All.Select(OrgWorlds.Name)) + "; compares the stage-aware modelling choices.",
        };
        var seeds = new Option<int>("--seeds") { Description = "With --worlds: seeds (orgs) per world.", DefaultValueFactory = _ => 3 };
        var loggedShare = new Option<double?>("--logged-share") { Description = "With --worlds: every world logs this share of the activities done (default: the world's own, 0.25 in sparse-logging), and the models are trained with it stated." };
        var upliftLearner = new Option<bool>("--uplift-learner") { Description = "With --worlds: also measure a per-kind uplift model (T-learner: two boosted-tree win models per kind, after an activity of the kind within two weeks and without)." };

        var command = new Command("recommend-quality", "Measure recommended activities against the true effects of a generated org: precision@3 and share of achievable gain, next to two naive baselines.");
        foreach (var option in new Option[] { export, opportunities, seed, compare, settings, compareTrainers, worlds, seeds, upliftLearner, loggedShare })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) => TrainingCommandSupport.Run(() =>
        {
            var progress = new TextProgress(Console.Error);
            if (parseResult.GetValue(worlds) is { } names)
            {
                var selected = names.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)
                    ? OrgWorlds.All
                    : [.. names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(OrgWorlds.Parse)];
                return WorldSweep.Run(selected, Math.Max(1, parseResult.GetValue(seeds)), parseResult.GetValue(opportunities), parseResult.GetValue(loggedShare), parseResult.GetValue(upliftLearner), progress, cancellationToken);
            }

            var configured = OfflineSettings.Load(parseResult.GetValue(settings));
            var (org, truth) = Load(parseResult.GetValue(export), parseResult.GetValue(opportunities), parseResult.GetValue(seed), progress);
            var uplifts = truth.Opportunities
                .Select(t => new TrueUplifts(t.OpportunityId, t.Kinds.Select((k, i) => (k, t.Uplifts[i])).ToDictionary(x => x.k, x => x.Item2, StringComparer.OrdinalIgnoreCase)))
                .ToList();
            var quality = new RecommendationQuality(org, uplifts, truth.AsOf);

            progress.Report("baselines");
            // A baseline recommends three kinds whatever the settings, so its ranking scores are its scores.
            var rows = new List<(string Method, QualityScores Scores, QualityScores Ranking, string Model)>();
            foreach (var baseline in quality.MeasureBaselines(configured.AnyConfigured ? configured.Features : null, cancellationToken))
            {
                rows.Add((baseline.Method, baseline, baseline, ""));
            }

            // With settings (appsettings.json, SfPredictor__… variables, --settings) the first model is the configured one.
            var variants = (parseResult.GetValue(compare) ? RecommendationQuality.ModellingChoices : RecommendationQuality.ModellingChoices.Take(2)).ToList();
            if (configured.AnyConfigured)
            {
                variants.Insert(0, new QualityVariant("configured settings", configured.Training, configured.Features, configured.Snapshots));
            }

            if (parseResult.GetValue(compareTrainers))
            {
                variants.Add(new QualityVariant("ML.NET LightGBM (no monotone constraints)", new TrainingOptions { Trainer = TrainingOptions.LightGbmTrainer }));
                variants.Add(new QualityVariant("ML.NET FastTree (no monotone constraints)", new TrainingOptions { Trainer = TrainingOptions.FastTreeTrainer }));
            }

            foreach (var variant in variants)
            {
                progress.Report($"training: {variant.Name}");
                var result = quality.Measure(variant, configured.AnyConfigured ? configured.Recommendations : null, progress, cancellationToken);
                rows.Add(($"Recommender: {variant.Name}", result.Scores, result.RankingScores, string.Create(CultureInfo.InvariantCulture, $"AUC {result.ValidationAuc:0.000}, {result.Trees} trees")));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{uplifts.Count:N0} open Opportunities as of {truth.AsOf:yyyy-MM-dd}; {rows[0].Scores.Opportunities:N0} with at least one truly helpful kind."));
            // Ranking columns: every kind with a positive expected uplift, no minimum, no cooldown.
            Console.WriteLine("| method | precision@3 | share of achievable gain | kinds recommended | ranking precision@3 | ranking gain share | expected / true uplift | model |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var (method, scores, ranking, model) in rows)
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {method} | {scores.PrecisionAt3:0.000} | {scores.GainShare:0.000} | {scores.MeanRecommended:0.00} | {ranking.PrecisionAt3:0.000} | {ranking.GainShare:0.000} | {(double.IsNaN(scores.UpliftRatio) ? "–" : scores.UpliftRatio.ToString("0.00", CultureInfo.InvariantCulture))} | {model} |"));
            }

            return 0;
        }));
        return command;
    }

    private static (OrgData Org, OrgTruth Truth) Load(string? export, int opportunities, long seed, TextProgress progress)
    {
        if (export is not null)
        {
            progress.Report($"reading {export}");
            return (DataExportReader.Read(export).Data, OrgTruth.Read(export));
        }

        progress.Report($"generating an org of {opportunities:N0} Opportunities (seed {seed})");
        var org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = opportunities, Seed = seed });
        return (org.Data, org.Truth);
    }
}
