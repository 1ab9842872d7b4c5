using SfPredictor.Training.Packaging;

namespace SfPredictor.Recommendations;

/// <summary>
/// Keeps the kinds a model left out (too few training examples, see <see cref="ModelManifest.LeftOutActivityKinds"/>)
/// out of its recommendations, whatever the settings say.
/// </summary>
public static class LeftOutKinds
{
    /// <summary>A copy of <paramref name="options"/> (or the defaults) whose disabled kinds include the model's left-out kinds.</summary>
    public static RecommendationOptions Apply(RecommendationOptions? options, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var source = options ?? new RecommendationOptions();
        return new RecommendationOptions
        {
            DisabledKinds = [.. source.DisabledKinds.Union(manifest.LeftOutActivityKinds.Select(k => k.Kind), StringComparer.OrdinalIgnoreCase)],
            CooldownDays = source.CooldownDays,
            MaxRecommendations = source.MaxRecommendations,
            MinUpliftPoints = source.MinUpliftPoints,
            MaxFactors = source.MaxFactors,
            MinFactorPoints = source.MinFactorPoints,
            Explanations = source.Explanations,
            BatchSize = source.BatchSize,
            Parallelism = source.Parallelism,
            UseStageKindEffects = source.UseStageKindEffects,
        };
    }
}
