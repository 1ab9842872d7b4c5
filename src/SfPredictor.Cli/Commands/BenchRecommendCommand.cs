using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SfPredictor.Features;
using SfPredictor.Features.Indexing;
using SfPredictor.Recommendations;
using SfPredictor.Benchmarks.Speed;
using SfPredictor.SyntheticOrg;
using SfPredictor.Training;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp bench-recommend</c>: Opportunities per second with recommendations and factors, on 1 and 2 cores.</summary>
internal sealed class BenchRecommendCommand : ICliCommand
{
    public Command Build()
    {
        var opportunities = new Option<int>("--opportunities") { Description = "Open Opportunities to recommend for.", DefaultValueFactory = _ => 100_000 };
        var training = new Option<int>("--training-opportunities") { Description = "Opportunities of the (separate) generated org the model learns from.", DefaultValueFactory = _ => 20_000 };
        var seed = new Option<long>("--seed") { Description = "Seed of the generated orgs.", DefaultValueFactory = _ => 1 };
        var explanations = new Option<string>("--explanations") { Description = "Explanation methods to measure besides none: treepath, replacement or both.", DefaultValueFactory = _ => "both" };
        explanations.AcceptOnlyFromAmong("both", "treepath", "replacement");

        var command = new Command("bench-recommend", "Measure recommendation throughput: train once on a generated org, then recommend for N open Opportunities of a larger one.");
        foreach (var option in new Option[] { opportunities, training, seed, explanations })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) => TrainingCommandSupport.Run(() =>
        {
            var progress = new TextProgress(Console.Error);
            var wanted = parseResult.GetValue(opportunities);
            var trainingSize = parseResult.GetValue(training);
            var s = parseResult.GetValue(seed);

            progress.Report($"generating a training org of {trainingSize:N0} Opportunities");
            var trainingOrg = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = trainingSize, Seed = s });
            var model = new TrainingPipeline(new TrainingOptions()).Train(trainingOrg.Data, trainingOrg.Truth.AsOf, progress, cancellationToken);

            // Generated orgs keep about the same share open, so the training org tells how big the scoring org must be.
            var openShare = trainingOrg.Truth.Opportunities.Count / (double)trainingSize;
            var total = (int)Math.Ceiling(wanted / openShare * 1.05);
            progress.Report($"generating a scoring org of {total:N0} Opportunities");
            var org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = total, Seed = s + 1 });
            var asOf = org.Truth.AsOf;
            progress.Report("indexing it");
            var builder = new FeatureBuilder(new OrgIndex(org.Data, model.Schema.Options), model.Schema);
            var open = builder.Index.OpenAt(asOf);
            var chosen = open.Take(wanted).ToArray();
            progress.Report($"recommending for {chosen.Length:N0} of its {open.Length:N0} open Opportunities");

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Model: {model.Manifest.Trees} trees, {model.Schema.Width} features, kinds ranked by {(model.Effects is null ? "counterfactual rows" : "stage × kind effects")}; {chosen.Length:N0} open Opportunities; {Environment.ProcessorCount} cores."));
            var method = parseResult.GetValue(explanations);
            var cases = RecommendationBenchmark.Cases.Where(c => c.Explanations is null || method == "both" || c.Explanations.ToString()!.Equals(method, StringComparison.OrdinalIgnoreCase)).ToList();
            Console.WriteLine("| intra-op threads | parallel batches | explanations | rows per Opportunity | seconds | Opportunities/s | model rows/s |");
            Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|");
            using var process = Process.GetCurrentProcess();
            var beforeRecommending = process.PeakWorkingSet64;
            RecommendationBenchmark.Run(builder, model.OnnxModel, chosen, asOf, new TableRows(), cases, model.Effects, cancellationToken);
            process.Refresh();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Peak working set: {Mib(process.PeakWorkingSet64):N0} MiB; {Mib(beforeRecommending):N0} MiB before recommending (the generated orgs, their index and the model)."));
            return 0;
        }));
        return command;
    }

    private static double Mib(long bytes) => bytes / (1024.0 * 1024);

    // Prints each case as soon as it is measured.
    private sealed class TableRows : IProgress<RecommendationBenchmarkResult>
    {
        public void Report(RecommendationBenchmarkResult value) => Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {value.IntraOpThreads} | {value.Parallelism} | {value.Explanations switch { ExplanationMethod.TreePath => "tree paths", ExplanationMethod.Replacement => "replacement", _ => "none" }} | {value.RowsPerOpportunity} | {value.Elapsed.TotalSeconds:0.00} | {value.OpportunitiesPerSecond:N0} | {value.RowsPerSecond:N0} |"));
    }
}
