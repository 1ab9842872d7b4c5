using SfPredictor.Training;

namespace SfPredictor.Recommendations;

/// <summary>
/// Training settings for models whose counterfactual answers drive recommendations. Against the true
/// effects of generated orgs, a smaller learning rate with more trees (and the monotone activity
/// constraints, on by default) ranks activity kinds clearly better than the general defaults at an
/// almost equal AUC: finer steps let the trees express small, stage-dependent activity effects instead
/// of a few coarse jumps. <c>sfp recommend-quality --compare</c> measures it.
/// </summary>
public static class RecommendedTraining
{
    /// <summary>Learning rate 0.03, up to 1,500 rounds, early stopping after 100 rounds without improvement.</summary>
    public static TrainingOptions Options() => new()
    {
        LearningRate = 0.03,
        MaxRounds = 1500,
        EarlyStoppingRounds = 100,
    };
}
