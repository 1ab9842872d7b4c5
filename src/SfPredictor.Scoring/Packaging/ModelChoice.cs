namespace SfPredictor.Scoring.Packaging;

/// <summary>One way of regularising the trees, and its time-ordered cross-validated log loss.</summary>
/// <param name="Name">Shown in the manifest and report.</param>
/// <param name="MaxDepth">XGBoost max_depth (0 for the stage win rates).</param>
/// <param name="MinChildWeight">XGBoost min_child_weight.</param>
/// <param name="L2Regularization">XGBoost lambda.</param>
/// <param name="LogLoss">Mean over the folds of the validation log loss at <paramref name="Rounds"/> (NaN before measuring).</param>
/// <param name="Rounds">The number of boosting rounds with the lowest mean validation log loss across the folds (0 for the stage win rates).</param>
/// <param name="StandardError">Standard error of <paramref name="LogLoss"/>, from the held-out snapshots of all folds with a deal's snapshots counted together (NaN before measuring).</param>
public sealed record RegularisationCandidate(
    string Name,
    int MaxDepth,
    double MinChildWeight,
    double L2Regularization,
    double LogLoss = double.NaN,
    int Rounds = 0,
    double StandardError = double.NaN)
{
    /// <summary>True for the simplest candidate: the win rate of each stage, no trees.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsStageRates => MaxDepth == 0;
}

/// <summary>
/// What time-ordered cross-validation chose on a small org, written to the manifest as <c>model_choice</c>.
/// </summary>
/// <param name="Candidate">The chosen candidate's name (e.g. "stumps", "stage win rates").</param>
/// <param name="Rounds">Boosting rounds the final trees are grown to (0 for the stage win rates).</param>
/// <param name="CvLogLoss">The chosen candidate's mean validation log loss over the folds.</param>
/// <param name="StandardError">Its standard error.</param>
/// <param name="BestCandidate">The candidate with the lowest mean log loss, which set the one-standard-error bar.</param>
/// <param name="Folds">Time-ordered folds measured.</param>
/// <param name="CalibratedOutOfFold">True when the calibration was fitted on the folds' held-out predictions.</param>
public sealed record ModelChoice(string Candidate, int Rounds, double CvLogLoss, double StandardError, string BestCandidate, int Folds, bool CalibratedOutOfFold);
