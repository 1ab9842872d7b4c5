namespace SfPredictor.Recommendations;

/// <summary>
/// Keeps the kinds a model left out (too few training examples; the model manifest's
/// <c>left_out_activity_kinds</c>) out of its recommendations, whatever the settings say.
/// </summary>
public static class LeftOutKinds
{
    /// <summary>A copy of <paramref name="options"/> (or the defaults) whose disabled kinds include the model's left-out kinds.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="leftOutKinds">The names of the kinds the model left out.</param>
    public static RecommendationOptions Apply(RecommendationOptions? options, IEnumerable<string> leftOutKinds)
    {
        ArgumentNullException.ThrowIfNull(leftOutKinds);
        var copy = (options ?? new RecommendationOptions()).Copy();
        copy.DisabledKinds = [.. copy.DisabledKinds.Union(leftOutKinds, StringComparer.OrdinalIgnoreCase)];
        return copy;
    }
}
