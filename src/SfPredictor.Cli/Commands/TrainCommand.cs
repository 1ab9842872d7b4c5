using System.CommandLine;
using System.Globalization;
using SfPredictor.Cli.Settings;
using SfPredictor.DataExport;
using SfPredictor.Training;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp train</c>: trains a model package from a Data Export folder.</summary>
internal sealed class TrainCommand : ICliCommand
{
    public Command Build()
    {
        var export = new Option<string>("--export") { Description = "Data Export folder (CSV files) to learn from.", Required = true };
        var output = new Option<string>("--out") { Description = "New folder for the model package (model.onnx, manifest.json, schema.json, report.html).", Required = true };
        var asOf = new Option<string?>("--as-of") { Description = "Point in time (UTC date or ISO timestamp): learn only from deals closed by then. Default: the export's latest timestamp." };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => new TrainingOptions().Seed };
        var threads = new Option<int>("--threads") { Description = "XGBoost threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var noMonotone = new Option<bool>("--no-monotone") { Description = "Do not force activity counts to only raise (and days since to only lower) the probability." };
        var settings = OfflineSettings.CreateOption();
        var trainer = TrainingCommandSupport.TrainerOption();

        var command = new Command("train", "Train a win-probability model from a Data Export folder and write a model package.");
        foreach (var option in new Option[] { export, output, asOf, seed, threads, noMonotone, settings, trainer })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) => TrainingCommandSupport.Run(() =>
        {
            var progress = new TextProgress(Console.Error);
            var pointInTime = TrainingCommandSupport.ParseDate(parseResult.GetValue(asOf), "--as-of");
            var configured = OfflineSettings.Load(parseResult.GetValue(settings));
            var options = OfflineCommandSupport.Training(configured, parseResult, seed, threads, noMonotone, trainer);
            var pipeline = new TrainingPipeline(options, configured.Features, configured.Snapshots, configured.Scorer);

            progress.Report($"reading {parseResult.GetValue(export)}");
            var org = DataExportReader.Read(parseResult.GetValue(export)!).Data;
            var model = pipeline.Train(org, pointInTime, progress, cancellationToken);
            var folder = parseResult.GetValue(output)!;
            model.Save(folder);

            var m = model.Manifest;
            var v = m.ValidationMetrics;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Model {m.Version} ({m.Kind}, {m.Trees} trees) written to {Path.GetFullPath(folder)}"));
            if (m.Fallback)
            {
                Console.WriteLine($"Fallback: {m.FallbackReason}");
            }

            if (m.ModelChoice is { } choice)
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Few deals: time-ordered cross-validation ({choice.Folds} folds) chose {choice.Candidate}{(choice.Rounds > 0 ? $", {choice.Rounds} rounds" : "")}, mean log loss {choice.CvLogLoss:0.000} ± {choice.StandardError:0.000} (best: {choice.BestCandidate}; the simplest within one standard error is kept){(choice.CalibratedOutOfFold ? "; calibrated on the folds' held-out predictions" : "")}."));
            }

            var test = m.Periods.FirstOrDefault(p => p.Role == SfPredictor.Scoring.Packaging.ModelPeriod.TestRole);
            var b = m.BaselineValidationMetrics;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Measured on the {m.Counts.ValidationOpportunities:N0} deals closed last ({test?.FirstClose:yyyy-MM-dd} to {test?.LastClose:yyyy-MM-dd}, {v.Rows:N0} snapshots), which chose nothing (not the trees, not when boosting stopped, not the calibration):"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  AUC {v.Auc:0.000} (stage only {b.Auc:0.000}), log loss {v.LogLoss:0.000} ({b.LogLoss:0.000}), Brier {v.Brier:0.000} ({b.Brier:0.000}), ECE {v.Ece:0.000} ({b.Ece:0.000})"));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Calibration: {m.Calibration.Method}{(m.Calibration.PlattLogLoss is { } pl && m.Calibration.IsotonicLogLoss is { } il ? $" (log loss on the later calibration deals: Platt {pl:0.000}, isotonic {il:0.000})" : "")}"));
            OfflineCommandSupport.ReportActivityKinds(m.ActivityCoverage, m.LeftOutActivityKinds);
            return 0;
        }));
        return command;
    }
}

/// <summary>What <c>train</c> and <c>evaluate</c> share: date parsing and turning expected failures into one stderr line.</summary>
internal static class TrainingCommandSupport
{
    public static Task<int> Run(Func<int> action) => Run(() => Task.FromResult(action()));

    public static async Task<int> Run(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return 130;
        }
        catch (Exception e) when (e is InsufficientTrainingDataException or ModelParityException or DataExportFormatException
            or IOException or ArgumentException or Microsoft.Extensions.Options.OptionsValidationException
            or SfPredictor.Training.Native.XGBoostException or DllNotFoundException or SfPredictor.Scoring.OnnxRuntimeException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }

    public static Option<string> TrainerOption()
    {
        var option = new Option<string>("--trainer")
        {
            Description = "Which library grows the trees: xgboost (default), lightgbm or fasttree (ML.NET); default: the Training:Trainer setting.",
        };
        option.AcceptOnlyFromAmong(TrainingOptions.XGBoostTrainer, TrainingOptions.LightGbmTrainer, TrainingOptions.FastTreeTrainer);
        return option;
    }

    public static DateTimeOffset? ParseDate(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new ArgumentException($"{option}: '{text}' is not a date; use e.g. 2026-06-30 or 2026-06-30T12:00:00Z.");
    }
}
