using System.CommandLine;
using System.Globalization;
using SfPredictor.Cli.Settings;
using SfPredictor.DataExport;
using SfPredictor.Training;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp evaluate</c>: a time-based backtest on the closed Opportunities of a Data Export folder.</summary>
internal sealed class EvaluateCommand : ICliCommand
{
    public Command Build()
    {
        var export = new Option<string>("--export") { Description = "Data Export folder (CSV files).", Required = true };
        var asOf = new Option<string?>("--as-of") { Description = "Cut-off (UTC date or ISO timestamp): learn from deals closed before it, test on deals closed after. Default: the last 20 % of closed deals are the test." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the metrics on stdout (progress still goes to stderr)." };
        var report = new Option<string?>("--report") { Description = "Also write the HTML report to this file." };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => new TrainingOptions().Seed };
        var threads = new Option<int>("--threads") { Description = "XGBoost threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var noMonotone = new Option<bool>("--no-monotone") { Description = "Do not force activity counts to only raise (and days since to only lower) the probability." };
        var settings = OfflineSettings.CreateOption();
        var trainer = TrainingCommandSupport.TrainerOption();
        var compareTrainers = new Option<bool>("--compare-trainers") { Description = "Backtest every trainer (xgboost, lightgbm, fasttree) on the same deals and print them side by side." };

        var command = new Command("evaluate", "Backtest: train on earlier-closed deals of a Data Export, measure on later-closed ones, compare with the stage alone.");
        foreach (var option in new Option[] { export, asOf, json, report, seed, threads, noMonotone, settings, trainer, compareTrainers })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) => TrainingCommandSupport.Run(() =>
        {
            var started = TimeProvider.System.GetTimestamp();
            var progress = new TextProgress(Console.Error);
            var cutoff = TrainingCommandSupport.ParseDate(parseResult.GetValue(asOf), "--as-of");
            var configured = OfflineSettings.Load(parseResult.GetValue(settings));
            var pipeline = new TrainingPipeline(
                OfflineCommandSupport.Training(configured, parseResult, seed, threads, noMonotone, trainer), configured.Features, configured.Snapshots, configured.Scorer);

            progress.Report($"reading {parseResult.GetValue(export)}");
            var org = DataExportReader.Read(parseResult.GetValue(export)!).Data;
            if (parseResult.GetValue(compareTrainers))
            {
                return CompareTrainers(org, cutoff, parseResult.GetValue(seed), parseResult.GetValue(threads), !parseResult.GetValue(noMonotone), parseResult.GetValue(json), progress, cancellationToken);
            }

            var result = pipeline.Backtest(org, cutoff, progress, cancellationToken);
            if (parseResult.GetValue(report) is { } reportPath)
            {
                File.WriteAllText(reportPath, result.ReportHtml);
                progress.Report($"report written to {Path.GetFullPath(reportPath)}");
            }

            var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            var e = result.Evaluation;
            if (result.ActivityCoverage?.Warning is { } warning)
            {
                Console.Error.WriteLine(warning);
            }

            if (parseResult.GetValue(json))
            {
                Console.WriteLine(e.ToSummaryJson(
                [
                    new("cutoff", result.Cutoff.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
                    new("model_kind", result.Kind),
                    new("trees", result.Trees),
                    new("seconds", Math.Round(seconds, 1)),
                    new("unrecognised_activity_share", result.ActivityCoverage?.UnrecognisedShare ?? 0),
                ]));
                return 0;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Backtest: learned from {e.TrainOpportunities:N0} deals ({e.TrainRows:N0} snapshots), tested on {e.Holdout} ({e.TestOpportunities:N0} deals, {e.Model.Rows:N0} snapshots)."));
            Console.WriteLine($"Model: {result.Kind}, {result.Trees} trees.");
            Console.WriteLine("| metric | model | stage only |");
            Console.WriteLine("|---|---:|---:|");
            foreach (var (name, model, baseline) in new[]
            {
                ("AUC", e.Model.Auc, e.Baseline.Auc),
                ("log loss", e.Model.LogLoss, e.Baseline.LogLoss),
                ("Brier", e.Model.Brier, e.Baseline.Brier),
                ("accuracy", e.Model.Accuracy, e.Baseline.Accuracy),
                ("precision", e.Model.Precision, e.Baseline.Precision),
                ("recall", e.Model.Recall, e.Baseline.Recall),
                ("F1", e.Model.F1, e.Baseline.F1),
            })
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {model:0.000} | {baseline:0.000} |"));
            }

            OfflineCommandSupport.ReportActivityKinds(result.ActivityCoverage, []);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Took {seconds:0.0} s."));
            return 0;
        }));
        return command;
    }

    private static int CompareTrainers(
        SfPredictor.Records.OrgData org, DateTimeOffset? cutoff, int seed, int threads, bool monotone, bool json, TextProgress progress, CancellationToken cancellationToken)
    {
        var rows = new List<(string Trainer, BacktestResult Result, double Seconds)>();
        foreach (var trainer in new[] { TrainingOptions.XGBoostTrainer, TrainingOptions.LightGbmTrainer, TrainingOptions.FastTreeTrainer })
        {
            progress.Report($"trainer {trainer}");
            var started = TimeProvider.System.GetTimestamp();
            var pipeline = new TrainingPipeline(new TrainingOptions { Seed = seed, Threads = threads, UseMonotoneConstraints = monotone, Trainer = trainer });
            var result = pipeline.Backtest(org, cutoff, progress, cancellationToken);
            rows.Add((trainer, result, TimeProvider.System.GetElapsedTime(started).TotalSeconds));
        }

        if (json)
        {
            foreach (var (trainer, result, seconds) in rows)
            {
                Console.WriteLine(result.Evaluation.ToSummaryJson(
                [
                    new("trainer", trainer),
                    new("model_kind", result.Kind),
                    new("trees", result.Trees),
                    new("calibration", result.Calibration.Method),
                    new("seconds", Math.Round(seconds, 1)),
                ]));
            }

            return 0;
        }

        var e = rows[0].Result.Evaluation;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Backtest on {e.Holdout} ({e.TestOpportunities:N0} deals, {e.Model.Rows:N0} snapshots); seconds include building the features."));
        Console.WriteLine("| trainer | AUC | log loss | ECE | Brier | trees | calibration | seconds |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---|---:|");
        foreach (var (trainer, result, seconds) in rows)
        {
            var m = result.Evaluation.Model;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {trainer} | {m.Auc:0.000} | {m.LogLoss:0.000} | {m.Ece:0.000} | {m.Brier:0.000} | {result.Trees} | {result.Calibration.Method} | {seconds:0.0} |"));
        }

        var b = e.Baseline;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| stage only | {b.Auc:0.000} | {b.LogLoss:0.000} | {b.Ece:0.000} | {b.Brier:0.000} | – | – | – |"));
        return 0;
    }
}
