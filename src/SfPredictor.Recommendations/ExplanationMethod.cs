namespace SfPredictor.Recommendations;

/// <summary>How the <see cref="Recommender"/> measures a factor's impact on a score.</summary>
public enum ExplanationMethod
{
    /// <summary>
    /// From the paths the Opportunity takes through the model's trees: each split moves the expected score
    /// of a typical open deal towards this deal's, and the move is credited to the split's factor. No extra
    /// model rows are scored. Needs a model whose trees can be read (every model the trainer exports);
    /// other models are explained by <see cref="Replacement"/>.
    /// </summary>
    TreePath,

    /// <summary>
    /// By scoring the Opportunity once more per factor with that aspect set to a typical open deal's value
    /// (one extra model row per factor). Works with any model, and is several times slower.
    /// </summary>
    Replacement,
}
