using SfPredictor.Features;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Training;
using SfPredictor.Records;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training.Evaluation;

namespace SfPredictor.Worker.Retraining;

/// <summary>A model's numbers on the recent holdout.</summary>
/// <param name="LogLoss">Log loss (lower is better).</param>
/// <param name="Auc">Area under the ROC curve.</param>
/// <param name="Rows">Holdout rows scored.</param>
internal sealed record HoldoutScore(double LogLoss, double Auc, int Rows);

/// <summary>
/// Scores a model on the latest-closing share of the org's closed Opportunities, with the model's own
/// feature schema. The holdout depends only on the records and the snapshot settings, so two models built
/// on different schemas are measured on the same deals at the same moments.
/// </summary>
internal static class HoldoutEvaluation
{
    public static HoldoutScore Evaluate(OrgData org, ModelPackage package, TrainingSetOptions snapshots, double holdoutShare, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var index = new OrgIndex(org, package.Schema.Options);
        var builder = new FeatureBuilder(index, package.Schema);
        var (_, holdout) = TrainingSetBuilder.Build(builder, index, snapshots, asOf).SplitByCloseTime(holdoutShare);
        if (holdout.Count == 0)
        {
            return new HoldoutScore(double.NaN, double.NaN, 0);
        }

        var probabilities = new float[holdout.Count];
        package.Scorer.Score(holdout.Features, probabilities, cancellationToken);
        return new HoldoutScore(Metrics.LogLoss(probabilities, holdout.Labels), Metrics.Auc(probabilities, holdout.Labels), holdout.Count);
    }
}
