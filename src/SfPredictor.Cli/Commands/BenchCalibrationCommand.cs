using System.CommandLine;
using System.Globalization;
using SfPredictor.Scoring.Packaging;
using SfPredictor.SyntheticOrg;
using SfPredictor.Training;
using SfPredictor.Training.Evaluation;

namespace SfPredictor.Cli.Commands;

/// <summary>
/// <c>sfp bench-calibration</c>: backtests generated orgs of several sizes, causal worlds and seeds and
/// prints, per size, AUC, log loss and ECE of the model and of the stage alone on the later-closed deals
/// (mean and worst), next to the ECE a perfectly calibrated predictor would show on that many deals.
/// </summary>
internal sealed class BenchCalibrationCommand : ICliCommand
{
    private sealed record Run(int Size, string World, int Seed, int TestDeals, ClassificationMetrics Model, ClassificationMetrics Baseline, double Floor, string Choice, double Seconds, EvaluationResult Evaluation);

    public Command Build()
    {
        var sizes = new Option<int[]>("--sizes") { Description = "Opportunities per generated org (open and closed).", DefaultValueFactory = _ => [150, 300, 500, 2000, 20_000], AllowMultipleArgumentsPerToken = true };
        var worlds = new Option<int>("--worlds") { Description = "Causal worlds per size (the first N of generate-org --world).", DefaultValueFactory = _ => OrgWorlds.All.Count };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per world (1..N).", DefaultValueFactory = _ => 2 };
        var largeFrom = new Option<int>("--large-from") { Description = "Sizes from this many Opportunities use --large-worlds and --large-seeds, to keep the run affordable.", DefaultValueFactory = _ => 10_000 };
        var largeWorlds = new Option<int>("--large-worlds") { Description = "Worlds for the large sizes.", DefaultValueFactory = _ => 2 };
        var largeSeeds = new Option<int>("--large-seeds") { Description = "Seeds for the large sizes.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "XGBoost threads (0 = all cores).", DefaultValueFactory = _ => 0 };

        var command = new Command(
            "bench-calibration",
            "Backtest generated orgs of several sizes, worlds and seeds: AUC, log loss and ECE on the later-closed deals against the stage alone, with the ECE noise floor.");
        foreach (var option in new Option[] { sizes, worlds, seeds, largeFrom, largeWorlds, largeSeeds, threads })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) => Task.FromResult(Measure(parseResult, cancellationToken)));
        return command;

        int Measure(ParseResult parseResult, CancellationToken cancellationToken)
        {
            var progress = new TextProgress(Console.Error);
            var runs = new List<Run>();
            var pipeline = new TrainingPipeline(new TrainingOptions { Threads = parseResult.GetValue(threads) });
            foreach (var size in parseResult.GetValue(sizes)!)
            {
                var large = size >= parseResult.GetValue(largeFrom);
                var worldCount = Math.Clamp(parseResult.GetValue(large ? largeWorlds : worlds), 1, OrgWorlds.All.Count);
                var seedCount = Math.Max(1, parseResult.GetValue(large ? largeSeeds : seeds));
                // Seeds outermost, so that an interrupted run has seen every world of a size.
                for (var seed = 1; seed <= seedCount; seed++)
                {
                    foreach (var world in OrgWorlds.All.Take(worldCount))
                    {
                        var name = OrgWorlds.Name(world);
                        progress.Report(F($"{size:N0} Opportunities, {name}, seed {seed}: generating and backtesting"));
                        var started = TimeProvider.System.GetTimestamp();
                        var org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = size, Seed = seed, World = world }).Data;
                        BacktestResult result;
                        try
                        {
                            result = pipeline.Backtest(org, cancellationToken: cancellationToken);
                        }
                        catch (InsufficientTrainingDataException e)
                        {
                            progress.Report($"  skipped: {e.Message}");
                            continue;
                        }

                        var evaluation = result.Evaluation;
                        var choice = result.ModelChoice?.Candidate ?? result.Kind;
                        var run = new Run(size, name, seed, evaluation.TestOpportunities, evaluation.Model, evaluation.Baseline, evaluation.EceNoiseFloor, choice, TimeProvider.System.GetElapsedTime(started).TotalSeconds, evaluation);
                        runs.Add(run);
                        progress.Report(F($"  {run.TestDeals} test deals, {choice}: AUC {run.Model.Auc:0.000} (stage {run.Baseline.Auc:0.000}), log loss {run.Model.LogLoss:0.000} ({run.Baseline.LogLoss:0.000}), ECE {run.Model.Ece:0.000} ({run.Baseline.Ece:0.000}), floor {run.Floor:0.000}, {run.Seconds:0.0} s"));
                    }
                }
            }

            Print(runs);
            return 0;
        }
    }

    private static void Print(List<Run> runs)
    {
        Console.WriteLine("Later-closed deals of each backtest (the latest 20 %, which chose nothing); snapshots of those deals. Mean over worlds × seeds, worst in brackets. ECE floor: the ECE a perfectly calibrated predictor shows on those deals (outcomes drawn from the model's own probabilities, one draw per deal, mean of 200 draws; highest in brackets).");
        Console.WriteLine();
        Console.WriteLine("| Opportunities | runs | test deals | AUC | stage only | log loss | stage only | ECE | stage only | ECE floor | chosen |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var size in runs.GroupBy(r => r.Size).OrderBy(g => g.Key))
        {
            var r = size.ToList();
            var chosen = string.Join(", ", r.GroupBy(x => x.Choice).OrderByDescending(g => g.Count()).Select(g => F($"{g.Key} {g.Count()}")));
            Console.WriteLine(
                F($"| {size.Key:N0} | {r.Count} | {r.Min(x => x.TestDeals)}–{r.Max(x => x.TestDeals)} ") +
                F($"| {r.Average(x => x.Model.Auc):0.000} ({r.Min(x => x.Model.Auc):0.000}) | {r.Average(x => x.Baseline.Auc):0.000} ({r.Min(x => x.Baseline.Auc):0.000}) ") +
                F($"| {r.Average(x => x.Model.LogLoss):0.000} ({r.Max(x => x.Model.LogLoss):0.000}) | {r.Average(x => x.Baseline.LogLoss):0.000} ({r.Max(x => x.Baseline.LogLoss):0.000}) ") +
                F($"| {r.Average(x => x.Model.Ece):0.000} ({r.Max(x => x.Model.Ece):0.000}) | {r.Average(x => x.Baseline.Ece):0.000} ({r.Max(x => x.Baseline.Ece):0.000}) ") +
                F($"| {r.Average(x => x.Floor):0.000} ({r.Max(x => x.Floor):0.000}) | {chosen} |"));
        }

        Console.WriteLine();
        Console.WriteLine("Pooled: the later-closed deals of every org of a size taken as one set (each org's deals kept apart), so that calibration can be told from the noise of a few dozen deals.");
        Console.WriteLine();
        Console.WriteLine("| Opportunities | orgs | test deals | ECE | stage only | ECE floor | target |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---|");
        foreach (var size in runs.GroupBy(r => r.Size).OrderBy(g => g.Key))
        {
            var pooled = Metrics.Pooled(size.Select(r => r.Evaluation));
            double? target = size.Key switch { 500 => 0.06, 20_000 => 0.03, _ => null };
            var verdict = target is { } t ? F($"≤ {t:0.00}: {(pooled.ModelEce <= t ? "met" : "not met")}") : "–";
            Console.WriteLine(F($"| {size.Key:N0} | {size.Count()} | {pooled.Deals:N0} | {pooled.ModelEce:0.000} | {pooled.BaselineEce:0.000} | {pooled.NoiseFloor:0.000} | {verdict} |"));
        }

        Console.WriteLine();
        Console.WriteLine("Targets: ECE ≤ 0.06 at 500 Opportunities and ≤ 0.03 at 20,000, judged on the pooled deals. On one org's few dozen test deals the floor itself can be near or above a target.");
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
