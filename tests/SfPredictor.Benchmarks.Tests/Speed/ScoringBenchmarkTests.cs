using SfPredictor.Benchmarks.Speed;

namespace SfPredictor.Benchmarks.Tests.Speed;

public sealed class ScoringBenchmarkTests
{
    [Fact]
    public void RandomEnsemble_SameSeed_GivesSameModelAndCompleteTrees()
    {
        var first = ScoringBenchmark.RandomEnsemble(trees: 3, depth: 2, features: 5, seed: 7);
        var second = ScoringBenchmark.RandomEnsemble(trees: 3, depth: 2, features: 5, seed: 7);

        Assert.Equal(first, second);
        var modes = first.Graph.Node[0].Attribute.Single(a => a.Name == "nodes_modes").Strings.Select(s => s.ToStringUtf8()).ToList();
        Assert.Equal(3 * 7, modes.Count);
        Assert.Equal(3 * 4, modes.Count(m => m == "LEAF"));
    }

    [Fact]
    public void Run_SmallCases_ReportsEveryCaseInOrder()
    {
        var reported = new List<ScoringBenchmarkResult>();
        var options = new ScoringBenchmarkOptions
        {
            Trees = 4,
            Depth = 2,
            Features = 3,
            BatchSizes = [1, 8],
            ThreadCounts = [1, 2],
            Runs = 1,
            RunDuration = TimeSpan.FromMilliseconds(5),
        };

        var results = ScoringBenchmark.Run(options, progress: new Collect(reported));

        Assert.Equal([(1, 1), (1, 8), (2, 1), (2, 8)], results.Select(r => (r.IntraOpThreads, r.BatchSize)));
        Assert.All(results, r => Assert.True(r.RowsPerSecond > 0 && r.MicrosecondsPerCall > 0));
        Assert.Equal(results, reported);
    }

    private sealed class Collect(List<ScoringBenchmarkResult> into) : IProgress<ScoringBenchmarkResult>
    {
        public void Report(ScoringBenchmarkResult value) => into.Add(value);
    }
}
