using System.ComponentModel.DataAnnotations;

namespace SfPredictor.Scoring;

/// <summary>How much ONNX Runtime rewrites a model's graph when it loads it (GraphOptimizationLevel).</summary>
public enum GraphOptimizationLevel
{
    /// <summary>No graph optimisation.</summary>
    Disabled = 0,

    /// <summary>Semantics-preserving rewrites such as constant folding and redundant node removal.</summary>
    Basic = 1,

    /// <summary>Basic plus operator fusions.</summary>
    Extended = 2,

    /// <summary>Every available optimisation, including layout changes.</summary>
    All = 99,
}

/// <summary>Settings of an <see cref="OnnxScorer"/> and of the ONNX Runtime session it owns.</summary>
public sealed class ScorerOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Scoring";

    /// <summary>
    /// Threads ONNX Runtime may use inside one run. One keeps concurrent batches from competing for cores;
    /// more helps large single batches.
    /// </summary>
    [Range(1, 256)]
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>The graph optimisation applied when the model is loaded.</summary>
    [EnumDataType(typeof(GraphOptimizationLevel))]
    public GraphOptimizationLevel OptimizationLevel { get; set; } = GraphOptimizationLevel.All;

    /// <summary>
    /// The most rows handed to ONNX Runtime in one run. Larger inputs are split into runs of this size,
    /// which bounds ONNX Runtime's working memory and is where cancellation is checked.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxBatchRows { get; set; } = 16_384;

    internal void Validate()
    {
        if (IntraOpThreads is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, $"{SectionName}:{nameof(IntraOpThreads)} must be between 1 and 256.");
        }

        if (!Enum.IsDefined(OptimizationLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(OptimizationLevel), OptimizationLevel, $"{SectionName}:{nameof(OptimizationLevel)} is not a known level.");
        }

        if (MaxBatchRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchRows), MaxBatchRows, $"{SectionName}:{nameof(MaxBatchRows)} must be at least 1.");
        }
    }
}
