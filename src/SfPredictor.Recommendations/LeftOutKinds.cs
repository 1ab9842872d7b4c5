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
        var copy = (options ?? new RecommendationOptions()).Copy();
        copy.DisabledKinds = [.. copy.DisabledKinds.Union(manifest.LeftOutActivityKinds.Select(k => k.Kind), StringComparer.OrdinalIgnoreCase)];
        return copy;
    }
}
