using System.Diagnostics;
using SfPredictor.Features;
using SfPredictor.Recommendations.Explanations;
using SfPredictor.Scoring;

namespace SfPredictor.Recommendations.Benchmarks;

/// <summary>One measured configuration.</summary>
/// <param name="IntraOpThreads">ONNX Runtime threads inside one model call.</param>
/// <param name="Parallelism">Batches worked on at once.</param>
/// <param name="Factors">Whether explanations were computed (their rows scored).</param>
/// <param name="Opportunities">Opportunities recommended for.</param>
/// <param name="RowsPerOpportunity">Model rows per Opportunity.</param>
/// <param name="Elapsed">Wall-clock time for all of them: feature rows, model calls, ranking and texts.</param>
public sealed record RecommendationBenchmarkResult(int IntraOpThreads, int Parallelism, bool Factors, int Opportunities, int RowsPerOpportunity, TimeSpan Elapsed)
{
    /// <summary>Opportunities per second.</summary>
    public double OpportunitiesPerSecond => Opportunities / Elapsed.TotalSeconds;

    /// <summary>Model rows per second.</summary>
    public double RowsPerSecond => OpportunitiesPerSecond * RowsPerOpportunity;
}

/// <summary>Measures recommendation throughput for many open Opportunities with a trained model.</summary>
public static class RecommendationBenchmark
{
    /// <summary>The configurations measured: 1 core, 2 intra-op threads, 2 parallel batches, and 1 core without explanations.</summary>
    public static IReadOnlyList<(int IntraOpThreads, int Parallelism, bool Factors)> Cases { get; } =
        [(1, 1, true), (2, 1, true), (1, 2, true), (1, 1, false)];

    /// <summary>
    /// Recommends for <paramref name="opportunities"/> once per configuration of <see cref="Cases"/>, after
    /// a warm-up, and reports each as soon as it is measured.
    /// </summary>
    /// <param name="builder">Rows of the org to score, built with the model's schema.</param>
    /// <param name="onnxModel">The serialized model.</param>
    /// <param name="opportunities">Index positions of the open Opportunities to recommend for.</param>
    /// <param name="asOf">The point in time.</param>
    /// <param name="progress">Receives each result.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static IReadOnlyList<RecommendationBenchmarkResult> Run(
        FeatureBuilder builder,
        byte[] onnxModel,
        IReadOnlyList<int> opportunities,
        DateTimeOffset asOf,
        IProgress<RecommendationBenchmarkResult>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(onnxModel);
        ArgumentNullException.ThrowIfNull(opportunities);
        var reference = ExplanationReference.FromOpenOpportunities(builder, asOf);
        var warmUp = opportunities.Take(Math.Min(opportunities.Count, 2048)).ToArray();
        var results = new List<RecommendationBenchmarkResult>();
        foreach (var (threads, parallelism, factors) in Cases)
        {
            using var scorer = OnnxScorer.Load(onnxModel, new ScorerOptions { IntraOpThreads = threads });
            var options = new RecommendationOptions { Parallelism = parallelism, MaxFactors = factors ? new RecommendationOptions().MaxFactors : 0 };
            var recommender = new Recommender(builder, scorer, reference, options);
            recommender.Recommend(warmUp, asOf, cancellationToken);
            var watch = Stopwatch.StartNew();
            recommender.Recommend(opportunities, asOf, cancellationToken);
            var result = new RecommendationBenchmarkResult(threads, parallelism, factors, opportunities.Count, recommender.RowsPerOpportunity, watch.Elapsed);
            results.Add(result);
            progress?.Report(result);
        }

        return results;
    }
}
