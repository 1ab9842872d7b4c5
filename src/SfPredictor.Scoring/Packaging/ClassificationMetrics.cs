namespace SfPredictor.Scoring.Packaging;

/// <summary>Headline numbers of a set of predictions against outcomes.</summary>
/// <param name="Auc">Area under the ROC curve: the chance that a random won deal scores above a random lost one (0.5 = guessing, 1 = perfect).</param>
/// <param name="LogLoss">Mean negative log-likelihood of the outcomes (lower is better; punishes confident mistakes).</param>
/// <param name="Brier">Mean squared difference between probability and outcome (lower is better).</param>
/// <param name="Accuracy">Share of rows whose predicted class (probability at or above the threshold) is right.</param>
/// <param name="Precision">Of the rows predicted won, the share that was won (0 when none was predicted won).</param>
/// <param name="Recall">Of the won rows, the share predicted won.</param>
/// <param name="F1">Harmonic mean of precision and recall.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="WinRate">Share of won rows.</param>
/// <param name="Threshold">The decision threshold used for accuracy, precision, recall and F1.</param>
public sealed record ClassificationMetrics(
    double Auc,
    double LogLoss,
    double Brier,
    double Accuracy,
    double Precision,
    double Recall,
    double F1,
    int Rows,
    double WinRate,
    double Threshold)
{
    /// <summary>
    /// Expected calibration error: over ten equal-width bins of predicted probability, the gap between
    /// mean prediction and observed win rate, weighted by the bin's share of rows (0 = perfectly calibrated).
    /// </summary>
    public double Ece { get; init; } = double.NaN;
}
