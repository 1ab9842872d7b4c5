using SfPredictor.Scoring.Packaging;
using SfPredictor.Training.Evaluation;

namespace SfPredictor.Training.Tests.Evaluation;

internal static class TestEvaluations
{
    /// <summary>An evaluation with the given numbers and no charts, per-stage figures or predictions.</summary>
    public static EvaluationResult Bare(ClassificationMetrics metrics, int trainRows, int trainOpportunities, int testOpportunities) => new()
    {
        Holdout = "later-closed deals",
        Model = metrics,
        Baseline = metrics,
        TrainRows = trainRows,
        TrainOpportunities = trainOpportunities,
        TestOpportunities = testOpportunities,
        Calibration = [],
        Lift = [],
        AucByStage = [],
        Roc = [],
        BaselineRoc = [],
        FeatureImportance = [],
        ActivityEffects = [],
    };
}
