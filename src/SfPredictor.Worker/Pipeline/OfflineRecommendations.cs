using System.Globalization;
using SfPredictor.Features;
using SfPredictor.Recommendations;
using SfPredictor.Records;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training;

namespace SfPredictor.Worker.Pipeline;

/// <summary>The recommendations for an org's open Opportunities and how they were made.</summary>
/// <param name="AsOf">The point in time.</param>
/// <param name="Model">The model in words (version, kind, trees; trained now or loaded from where).</param>
/// <param name="Results">One entry per Opportunity open at <paramref name="AsOf"/>, in data order.</param>
public sealed record RecommendationRun(DateTimeOffset AsOf, string Model, IReadOnlyList<OpportunityRecommendation> Results)
{
    /// <summary>The model's kinds that were never recommended for lack of training examples.</summary>
    public IReadOnlyList<LeftOutActivityKind> LeftOutKinds { get; init; } = [];

    /// <summary>How well the activity kinds recognise the org's activities (with the model's kinds).</summary>
    public SfPredictor.Features.Activities.ActivityKindCoverage? ActivityCoverage { get; init; }
}

/// <summary>
/// Recommendations for a whole org held in memory (e.g. read from a Data Export): with a given model
/// package, or with a model trained on the org's closed Opportunities first.
/// </summary>
public static class OfflineRecommendations
{
    /// <summary>Scores and recommends for every Opportunity open at the point in time.</summary>
    /// <param name="org">The org's records.</param>
    /// <param name="modelDirectory">A model package folder; <see langword="null"/> trains one on the org's deals closed by the point in time.</param>
    /// <param name="asOf">The point in time; default: <see cref="OrgData.ExtractedAt"/>.</param>
    /// <param name="options">Recommendation settings.</param>
    /// <param name="training">Training settings when a model is trained; default: <see cref="TrainingOptions"/>'s defaults.</param>
    /// <param name="features">Feature settings when a model is trained (activity kinds, ...); default: <see cref="FeatureOptions"/>'s defaults.</param>
    /// <param name="progress">Receives training progress.</param>
    /// <param name="cancellationToken">Stops training and recommending.</param>
    /// <exception cref="ModelPackageException">The model package cannot be loaded.</exception>
    /// <exception cref="InsufficientTrainingDataException">Too few closed deals to train on.</exception>
    /// <exception cref="InvalidOperationException">No Opportunity is open at the point in time.</exception>
    /// <exception cref="ArgumentException">No point in time is given and the records carry none.</exception>
    public static RecommendationRun Run(
        OrgData org,
        string? modelDirectory,
        DateTimeOffset? asOf = null,
        RecommendationOptions? options = null,
        TrainingOptions? training = null,
        FeatureOptions? features = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(org);
        var pointInTime = asOf ?? org.ExtractedAt
            ?? throw new ArgumentException("The records carry no extraction time; give the point in time to recommend at.", nameof(asOf));
        if (modelDirectory is not null)
        {
            using var package = ModelPackage.Load(modelDirectory);
            var m = package.Manifest;
            var description = string.Create(CultureInfo.InvariantCulture, $"model {m.Version} ({m.Kind}, {m.Trees} trees) from {package.Directory}");
            return Recommend(Recommender.Create(org, package.Schema, package.Scorer, pointInTime, LeftOutKinds.Apply(options, m.LeftOutKindNames), package.Effects), description, m);
        }

        var trained = new TrainingPipeline(training ?? new TrainingOptions(), features).Train(org, pointInTime, progress, cancellationToken);
        using var scorer = OnnxScorer.Load(trained.OnnxModel);
        var t = trained.Manifest;
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"model {t.Version} ({t.Kind}, {t.Trees} trees) trained on {t.Counts.Won + t.Counts.Lost:N0} deals closed by {pointInTime:yyyy-MM-dd}; validation AUC {t.ValidationMetrics.Auc:0.000}");
        return Recommend(Recommender.Create(org, trained.Schema, scorer, pointInTime, LeftOutKinds.Apply(options, t.LeftOutKindNames), trained.Effects), summary, t);

        RecommendationRun Recommend(Recommender recommender, string model, ModelManifest manifest)
        {
            progress?.Report(new TrainingProgress("recommending", 0, 1));
            var results = recommender.RecommendOpen(pointInTime, cancellationToken);
            progress?.Report(new TrainingProgress("recommending", 1, 1));
            return new RecommendationRun(pointInTime, model, results)
            {
                LeftOutKinds = manifest.LeftOutActivityKinds,
                ActivityCoverage = SfPredictor.Features.Activities.ActivityKindCoverage.Measure(recommender.Index),
            };
        }
    }
}
