namespace SfPredictor.Training;

/// <summary>Progress of a long training step, for a progress bar or a log line.</summary>
/// <param name="Step">What is running, e.g. "features", "boosting", "parity check".</param>
/// <param name="Done">Units finished.</param>
/// <param name="Total">Units expected (an upper bound while boosting, which may stop early).</param>
public sealed record TrainingProgress(string Step, int Done, int Total);
