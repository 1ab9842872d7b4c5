using System.Text;
using System.Text.Json;
using SfPredictor.Scoring.Packaging;

namespace SfPredictor.Training.Evaluation;

/// <summary>How well a model did on rows it had not learned from, next to the stage-only baseline.</summary>
public sealed record EvaluationResult
{
    /// <summary>What the holdout rows are, in words (e.g. "deals closed after 2026-06-30").</summary>
    public required string Holdout { get; init; }

    /// <summary>
    /// The ECE a perfectly calibrated predictor would show on these test deals (outcomes drawn from the
    /// model's own probabilities, one draw per deal; <see cref="Metrics.EceNoiseFloor"/>): the model's
    /// ECE cannot be told apart from calibrated below it. NaN when not measured.
    /// </summary>
    public double EceNoiseFloor { get; init; } = double.NaN;

    /// <summary>
    /// Each holdout row's prediction by the model and by the stage alone, with its deal and outcome, so
    /// that measures can be pooled over several evaluations (<see cref="Metrics.Pooled"/>).
    /// </summary>
    public IReadOnlyList<HoldoutPrediction> Predictions { get; init; } = [];

    /// <summary>The model's numbers.</summary>
    public required ClassificationMetrics Model { get; init; }

    /// <summary>The stage-only baseline's numbers on the same rows.</summary>
    public required ClassificationMetrics Baseline { get; init; }

    /// <summary>Snapshot rows the model learned from.</summary>
    public required int TrainRows { get; init; }

    /// <summary>Closed Opportunities the model learned from.</summary>
    public required int TrainOpportunities { get; init; }

    /// <summary>Closed Opportunities behind the holdout rows.</summary>
    public required int TestOpportunities { get; init; }

    /// <summary>The reliability diagram: predicted against observed win rate in ten equal-width bins of prediction, with counts.</summary>
    public required IReadOnlyList<CalibrationBin> Calibration { get; init; }

    /// <summary>Win rate by decile of prediction.</summary>
    public required IReadOnlyList<LiftBin> Lift { get; init; }

    /// <summary>AUC within each stage: how well the model ranks deals that are at the same stage.</summary>
    public required IReadOnlyList<StageAuc> AucByStage { get; init; }

    /// <summary>The model's ROC curve.</summary>
    public required IReadOnlyList<RocPoint> Roc { get; init; }

    /// <summary>The baseline's ROC curve.</summary>
    public required IReadOnlyList<RocPoint> BaselineRoc { get; init; }

    /// <summary>Features by their share of the model's total split gain, largest first.</summary>
    public required IReadOnlyList<FeatureImportance> FeatureImportance { get; init; }

    /// <summary>Average change of the win probability when one more activity of a kind is logged.</summary>
    public required IReadOnlyList<ActivityEffect> ActivityEffects { get; init; }

    /// <summary>
    /// The headline numbers as one JSON object: auc, logloss, brier, ece, accuracy, precision, recall, f1,
    /// n_train, n_test, the baseline's auc, logloss, brier and ece, and ece_noise_floor. Undefined values (e.g. AUC with one
    /// class) are null.
    /// </summary>
    /// <param name="extra">Further string or numeric members to append (e.g. timings).</param>
    public string ToSummaryJson(IEnumerable<KeyValuePair<string, object>>? extra = null)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            Number(json, "auc", Model.Auc);
            Number(json, "logloss", Model.LogLoss);
            Number(json, "brier", Model.Brier);
            Number(json, "ece", Model.Ece);
            Number(json, "accuracy", Model.Accuracy);
            Number(json, "precision", Model.Precision);
            Number(json, "recall", Model.Recall);
            Number(json, "f1", Model.F1);
            json.WriteNumber("n_train", TrainRows);
            json.WriteNumber("n_test", Model.Rows);
            json.WriteNumber("n_train_opportunities", TrainOpportunities);
            json.WriteNumber("n_test_opportunities", TestOpportunities);
            Number(json, "threshold", Model.Threshold);
            Number(json, "test_win_rate", Model.WinRate);
            Number(json, "baseline_auc", Baseline.Auc);
            Number(json, "baseline_logloss", Baseline.LogLoss);
            Number(json, "baseline_brier", Baseline.Brier);
            Number(json, "baseline_ece", Baseline.Ece);
            Number(json, "ece_noise_floor", EceNoiseFloor);
            foreach (var (key, value) in extra ?? [])
            {
                switch (value)
                {
                    case string text:
                        json.WriteString(key, text);
                        break;
                    case int whole:
                        json.WriteNumber(key, whole);
                        break;
                    default:
                        Number(json, key, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, 6));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}

/// <summary>One holdout row's predictions.</summary>
/// <param name="OpportunityId">The deal the snapshot row belongs to.</param>
/// <param name="Probability">The model's win probability.</param>
/// <param name="BaselineProbability">The stage-only baseline's win probability.</param>
/// <param name="Won">The outcome.</param>
public sealed record HoldoutPrediction(string OpportunityId, float Probability, float BaselineProbability, bool Won);

/// <summary>AUC among the rows at one stage.</summary>
/// <param name="Stage">Stage name at the snapshot.</param>
/// <param name="Rows">Rows at that stage.</param>
/// <param name="WinRate">Share won.</param>
/// <param name="Auc">AUC within the stage (NaN when all rows share one outcome).</param>
public sealed record StageAuc(string Stage, int Rows, double WinRate, double Auc);

/// <summary>One point of a ROC curve.</summary>
/// <param name="FalsePositiveRate">Share of lost rows at or above the threshold.</param>
/// <param name="TruePositiveRate">Share of won rows at or above the threshold.</param>
public sealed record RocPoint(double FalsePositiveRate, double TruePositiveRate);

/// <summary>A feature's share of the model's total split gain.</summary>
/// <param name="Name">Feature name.</param>
/// <param name="Description">What the feature means.</param>
/// <param name="Share">Share of the total gain (0–1).</param>
public sealed record FeatureImportance(string Name, string Description, double Share);

/// <summary>What one more activity of a kind does to the win probability, on average over holdout rows.</summary>
/// <param name="Kind">Activity kind.</param>
/// <param name="AverageChange">Mean change of the probability (e.g. 0.03 = +3 percentage points).</param>
/// <param name="ShareRaised">Share of rows whose probability went up.</param>
/// <param name="Rows">Rows the effect was measured on.</param>
public sealed record ActivityEffect(string Kind, double AverageChange, double ShareRaised, int Rows);
