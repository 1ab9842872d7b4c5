using System.Diagnostics;
using SfPredictor.Features;
using SfPredictor.Recommendations;
using SfPredictor.Recommendations.Explanations;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Effects;

namespace SfPredictor.Benchmarks.Speed;

/// <summary>One configuration to measure.</summary>
/// <param name="IntraOpThreads">ONNX Runtime threads inside one model call.</param>
/// <param name="Parallelism">Batches worked on at once.</param>
/// <param name="Explanations">How factors are measured; <see langword="null"/> for none.</param>
public sealed record RecommendationBenchmarkCase(int IntraOpThreads, int Parallelism, ExplanationMethod? Explanations);

/// <summary>One measured configuration.</summary>
/// <param name="IntraOpThreads">ONNX Runtime threads inside one model call.</param>
/// <param name="Parallelism">Batches worked on at once.</param>
/// <param name="Explanations">How factors were measured (<see cref="Recommender.Explanations"/>); <see langword="null"/> for none.</param>
/// <param name="Opportunities">Opportunities recommended for.</param>
/// <param name="RowsPerOpportunity">Model rows per Opportunity.</param>
/// <param name="Elapsed">Wall-clock time for all of them: feature rows, model calls, ranking and texts.</param>
public sealed record RecommendationBenchmarkResult(int IntraOpThreads, int Parallelism, ExplanationMethod? Explanations, int Opportunities, int RowsPerOpportunity, TimeSpan Elapsed)
{
    /// <summary>Opportunities per second.</summary>
    public double OpportunitiesPerSecond => Opportunities / Elapsed.TotalSeconds;

    /// <summary>Model rows per second.</summary>
    public double RowsPerSecond => OpportunitiesPerSecond * RowsPerOpportunity;
}

/// <summary>Measures recommendation throughput for many open Opportunities with a trained model.</summary>
public static class RecommendationBenchmark
{
    /// <summary>How long each configuration is run before it is measured.</summary>
    public static TimeSpan WarmUpTime { get; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The configurations measured by default: with tree-path explanations on 1 core, with 2 intra-op threads
    /// and with 2 parallel batches; with replacement explanations on 1 core and with 2 parallel batches; and on
    /// 1 core without explanations.
    /// </summary>
    public static IReadOnlyList<RecommendationBenchmarkCase> Cases { get; } =
    [
        new(1, 1, ExplanationMethod.TreePath),
        new(2, 1, ExplanationMethod.TreePath),
        new(1, 2, ExplanationMethod.TreePath),
        new(1, 1, ExplanationMethod.Replacement),
        new(1, 2, ExplanationMethod.Replacement),
        new(1, 1, null),
    ];

    /// <summary>
    /// Recommends for <paramref name="opportunities"/> once per configuration, after a warm-up of
    /// <see cref="WarmUpTime"/>, and reports each as soon as it is measured.
    /// </summary>
    /// <param name="builder">Rows of the org to score, built with the model's schema.</param>
    /// <param name="onnxModel">The serialized model.</param>
    /// <param name="opportunities">Index positions of the open Opportunities to recommend for.</param>
    /// <param name="asOf">The point in time.</param>
    /// <param name="progress">Receives each result.</param>
    /// <param name="cases">The configurations; default: <see cref="Cases"/>.</param>
    /// <param name="effects">The model's stage × kind activity effects, or <see langword="null"/> for counterfactual rows.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public static IReadOnlyList<RecommendationBenchmarkResult> Run(
        FeatureBuilder builder,
        byte[] onnxModel,
        IReadOnlyList<int> opportunities,
        DateTimeOffset asOf,
        IProgress<RecommendationBenchmarkResult>? progress = null,
        IReadOnlyList<RecommendationBenchmarkCase>? cases = null,
        StageKindEffects? effects = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(onnxModel);
        ArgumentNullException.ThrowIfNull(opportunities);
        var reference = ExplanationReference.FromOpenOpportunities(builder, asOf);
        var warmUp = opportunities.Take(Math.Min(opportunities.Count, 2048)).ToArray();
        var results = new List<RecommendationBenchmarkResult>();
        foreach (var (threads, parallelism, explanations) in cases ?? Cases)
        {
            using var scorer = OnnxScorer.Load(onnxModel, new ScorerOptions { IntraOpThreads = threads });
            var options = new RecommendationOptions
            {
                Parallelism = parallelism,
                MaxFactors = explanations is null ? 0 : new RecommendationOptions().MaxFactors,
                Explanations = explanations ?? ExplanationMethod.TreePath,
            };
            var recommender = new Recommender(builder, scorer, reference, options, effects);

            // Tiered compilation optimises hot code only after the first calls and a quiet moment, so a
            // single short warm-up would leave part of the first measurement to unoptimised code.
            var warming = Stopwatch.StartNew();
            do
            {
                recommender.Recommend(warmUp, asOf, cancellationToken);
            }
            while (warming.Elapsed < WarmUpTime);

            // The records held in memory can be gigabytes; a full collection during the measurement would be
            // timed as recommending, so the leftovers of earlier runs go now.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var watch = Stopwatch.StartNew();
            recommender.Recommend(opportunities, asOf, cancellationToken);
            var result = new RecommendationBenchmarkResult(threads, parallelism, recommender.Explanations, opportunities.Count, recommender.RowsPerOpportunity, watch.Elapsed);
            results.Add(result);
            progress?.Report(result);
        }

        return results;
    }
}
