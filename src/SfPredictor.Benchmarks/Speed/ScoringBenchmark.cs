using SfPredictor.Scoring;
using System.Diagnostics;
using Google.Protobuf;
using SfPredictor.Scoring.Onnx;

namespace SfPredictor.Benchmarks.Speed;

/// <summary>What <see cref="ScoringBenchmark.Run"/> measures.</summary>
public sealed class ScoringBenchmarkOptions
{
    /// <summary>Trees in the random ensemble.</summary>
    public int Trees { get; init; } = 300;

    /// <summary>Depth of every (complete) tree: 2^depth leaves each.</summary>
    public int Depth { get; init; } = 6;

    /// <summary>Features per row.</summary>
    public int Features { get; init; } = 40;

    /// <summary>Seed of the thresholds, leaf values and rows, so runs are comparable.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Rows per <see cref="OnnxScorer.Score"/> call.</summary>
    public IReadOnlyList<int> BatchSizes { get; init; } = [1, 64, 4096];

    /// <summary>Intra-op thread counts of the session.</summary>
    public IReadOnlyList<int> ThreadCounts { get; init; } = [1, 2];

    /// <summary>Timed runs per case; the median is reported.</summary>
    public int Runs { get; init; } = 5;

    /// <summary>Length of each timed run (and of the warm-up before them).</summary>
    public TimeSpan RunDuration { get; init; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>One measured case.</summary>
/// <param name="IntraOpThreads">The session's intra-op threads.</param>
/// <param name="BatchSize">Rows per call.</param>
/// <param name="RowsPerSecond">Median throughput over the runs.</param>
/// <param name="MicrosecondsPerCall">Median latency of one call.</param>
public sealed record ScoringBenchmarkResult(int IntraOpThreads, int BatchSize, double RowsPerSecond, double MicrosecondsPerCall);

/// <summary>Measures scoring throughput of a random boosted-tree ensemble of production size.</summary>
public static class ScoringBenchmark
{
    /// <summary>
    /// Builds complete trees of the given depth with random features, thresholds in [0, 1), leaf values in
    /// [-0.2, 0.2) and random missing-value directions.
    /// </summary>
    /// <param name="trees">Number of trees.</param>
    /// <param name="depth">Depth of each tree.</param>
    /// <param name="features">Features per row.</param>
    /// <param name="seed">Random seed.</param>
    public static ModelProto RandomEnsemble(int trees, int depth, int features, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        var random = new Random(seed);
        var branches = (1 << depth) - 1;
        var ensemble = new List<IReadOnlyList<TreeNode>>(trees);
        for (var t = 0; t < trees; t++)
        {
            var nodes = new TreeNode[(2 * branches) + 1];
            for (var i = 0; i < nodes.Length; i++)
            {
                // Breadth-first numbering: node i's children are 2i+1 and 2i+2.
                nodes[i] = i < branches
                    ? TreeNode.Branch(random.Next(features), random.NextSingle(), (2 * i) + 1, (2 * i) + 2, random.Next(2) == 0)
                    : TreeNode.Leaf((random.NextSingle() * 0.4f) - 0.2f);
            }

            ensemble.Add(nodes);
        }

        return TreeEnsembleClassifierModel.Build(ensemble, features);
    }

    /// <summary>Runs every (threads, batch size) case and returns the medians.</summary>
    /// <param name="options">What to measure.</param>
    /// <param name="progress">Receives each result as soon as it is measured.</param>
    /// <param name="cancellationToken">Stops between calls.</param>
    public static IReadOnlyList<ScoringBenchmarkResult> Run(
        ScoringBenchmarkOptions options,
        IProgress<ScoringBenchmarkResult>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Runs, 1);
        var model = RandomEnsemble(options.Trees, options.Depth, options.Features, options.Seed).ToByteArray();
        var random = new Random(options.Seed + 1);
        var maxBatch = options.BatchSizes.Max();
        var rows = new float[maxBatch * options.Features];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = random.NextSingle();
        }

        var probabilities = new float[maxBatch];
        var results = new List<ScoringBenchmarkResult>();
        foreach (var threads in options.ThreadCounts)
        {
            using var scorer = OnnxScorer.Load(model, new ScorerOptions { IntraOpThreads = threads, MaxBatchRows = maxBatch });
            foreach (var batch in options.BatchSizes)
            {
                var input = rows.AsSpan(0, batch * options.Features);
                var output = probabilities.AsSpan(0, batch);
                Measure(scorer, input, output, options.RunDuration, cancellationToken);
                var runs = new (double RowsPerSecond, double MicrosecondsPerCall)[options.Runs];
                for (var r = 0; r < runs.Length; r++)
                {
                    var (calls, elapsed) = Measure(scorer, input, output, options.RunDuration, cancellationToken);
                    runs[r] = (calls * (double)batch / elapsed.TotalSeconds, elapsed.TotalMicroseconds / calls);
                }

                Array.Sort(runs);
                var median = runs[runs.Length / 2];
                var result = new ScoringBenchmarkResult(threads, batch, median.RowsPerSecond, median.MicrosecondsPerCall);
                results.Add(result);
                progress?.Report(result);
            }
        }

        return results;
    }

    private static (long Calls, TimeSpan Elapsed) Measure(OnnxScorer scorer, ReadOnlySpan<float> rows, Span<float> output, TimeSpan duration, CancellationToken cancellationToken)
    {
        long calls = 0;
        var stopwatch = Stopwatch.StartNew();
        do
        {
            scorer.Score(rows, output, cancellationToken);
            calls++;
        }
        while (stopwatch.Elapsed < duration);

        return (calls, stopwatch.Elapsed);
    }
}
