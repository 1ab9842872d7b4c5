using System.CommandLine;
using System.Globalization;
using SfPredictor.Benchmarks.Speed;

namespace SfPredictor.Cli.Commands;

/// <summary><c>sfp bench-scoring</c>: rows/s of a 300-tree depth-6 ensemble through ONNX Runtime.</summary>
internal sealed class BenchScoringCommand : ICliCommand
{
    public Command Build()
    {
        var trees = new Option<int>("--trees") { Description = "Trees in the random ensemble.", DefaultValueFactory = _ => 300 };
        var depth = new Option<int>("--depth") { Description = "Depth of each tree.", DefaultValueFactory = _ => 6 };
        var features = new Option<int>("--features") { Description = "Features per row.", DefaultValueFactory = _ => 40 };
        var runs = new Option<int>("--runs") { Description = "Timed runs per case; the median is printed.", DefaultValueFactory = _ => 5 };
        var runSeconds = new Option<double>("--run-seconds") { Description = "Length of each timed run.", DefaultValueFactory = _ => 0.5 };

        var command = new Command("bench-scoring", "Measure ONNX Runtime scoring throughput (rows/s) at batch sizes 1, 64, 4096 on 1 and 2 threads.");
        foreach (var option in new Option[] { trees, depth, features, runs, runSeconds })
        {
            command.Options.Add(option);
        }

        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = new ScoringBenchmarkOptions
            {
                Trees = parseResult.GetValue(trees),
                Depth = parseResult.GetValue(depth),
                Features = parseResult.GetValue(features),
                Runs = parseResult.GetValue(runs),
                RunDuration = TimeSpan.FromSeconds(parseResult.GetValue(runSeconds)),
            };
            Console.WriteLine(FormattableString.Invariant(
                $"TreeEnsembleClassifier: {options.Trees} trees, depth {options.Depth}, {options.Features} features; median of {options.Runs} runs of {options.RunDuration.TotalSeconds:0.##} s"));
            Console.WriteLine("| intra-op threads | batch size | rows/s | µs per call |");
            Console.WriteLine("|---:|---:|---:|---:|");
            ScoringBenchmark.Run(options, new TableRows(), cancellationToken);
            return Task.FromResult(0);
        });
        return command;
    }

    // Prints each case as soon as it is measured (Progress<T> would post to the thread pool, out of order).
    private sealed class TableRows : IProgress<ScoringBenchmarkResult>
    {
        public void Report(ScoringBenchmarkResult value) => Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {value.IntraOpThreads} | {value.BatchSize} | {value.RowsPerSecond:N0} | {value.MicrosecondsPerCall:N1} |"));
    }
}
