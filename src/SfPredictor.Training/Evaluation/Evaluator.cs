using SfPredictor.Features.Training;
using SfPredictor.Training.Boosting;

namespace SfPredictor.Training.Evaluation;

/// <summary>
/// Measures a fitted model on holdout rows, next to the stage-only baseline fitted on the rows the
/// model learned from (<c>learnedFrom</c>, everything before the holdout).
/// </summary>
internal static class Evaluator
{
    // Enough rows for a stable average effect per activity kind while keeping evaluation quick.
    private const int MaxEffectRows = 1000;

    public static EvaluationResult Evaluate(
        FittedModel model,
        TrainingSet holdout,
        TrainingSet learnedFrom,
        string holdoutDescription,
        double threshold,
        CancellationToken cancellationToken)
    {
        if (holdout.Count == 0)
        {
            throw new ArgumentException($"There are no holdout rows ({holdoutDescription}) to evaluate on.", nameof(holdout));
        }

        var probabilities = new float[holdout.Count];
        model.Scorer.Score(holdout.Features, probabilities, cancellationToken);

        var stageColumn = ModelFitter.StageColumn(learnedFrom);
        var baseline = StageWinRates.Build(learnedFrom.Features, learnedFrom.Width, stageColumn, learnedFrom.Labels);
        var baselineProbabilities = new float[holdout.Count];
        for (var i = 0; i < holdout.Count; i++)
        {
            baselineProbabilities[i] = (float)(1 / (1 + Math.Exp(-baseline.Margin(holdout.Row(i)))));
        }

        return new EvaluationResult
        {
            Holdout = holdoutDescription,
            Model = Metrics.Evaluate(probabilities, holdout.Labels, threshold),
            Baseline = Metrics.Evaluate(baselineProbabilities, holdout.Labels, threshold),
            EceNoiseFloor = Metrics.EceNoiseFloor(probabilities, holdout.OpportunityIds),
            Predictions = [.. Enumerable.Range(0, holdout.Count).Select(i => new HoldoutPrediction(holdout.OpportunityIds[i], probabilities[i], baselineProbabilities[i], holdout.Labels[i] >= 0.5f))],
            TrainRows = learnedFrom.Count,
            TrainOpportunities = learnedFrom.OpportunityCount,
            TestOpportunities = holdout.OpportunityCount,
            Calibration = Metrics.Reliability(probabilities, holdout.Labels),
            Lift = Metrics.LiftByDecile(probabilities, holdout.Labels),
            AucByStage = ByStage(holdout, probabilities, stageColumn),
            Roc = Metrics.RocCurve(probabilities, holdout.Labels),
            BaselineRoc = Metrics.RocCurve(baselineProbabilities, holdout.Labels),
            FeatureImportance = Importance(model, holdout),
            ActivityEffects = ActivityEffects(model, holdout, probabilities, cancellationToken),
        };
    }

    private static List<StageAuc> ByStage(TrainingSet holdout, float[] probabilities, int stageColumn)
    {
        var groups = Enumerable.Range(0, holdout.Count).GroupBy(i => holdout.Stages[i] ?? "(unknown)", StringComparer.Ordinal);
        return
        [
            .. groups
                .OrderBy(g => g.Select(i => holdout.Row(i)[stageColumn]).Where(float.IsFinite).DefaultIfEmpty(float.MaxValue).Min())
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g =>
                {
                    var rows = g.ToArray();
                    var p = rows.Select(i => probabilities[i]).ToArray();
                    var y = rows.Select(i => holdout.Labels[i]).ToArray();
                    return new StageAuc(g.Key, rows.Length, y.Average(), Metrics.Auc(p, y));
                }),
        ];
    }

    private static List<FeatureImportance> Importance(FittedModel model, TrainingSet holdout)
    {
        var gain = model.Ensemble.TotalGainByFeature();
        var total = gain.Sum();
        if (total <= 0)
        {
            return [];
        }

        var features = holdout.Schema.Features;
        return
        [
            .. gain.Select((g, i) => new FeatureImportance(features[i].Name, features[i].Description, g / total))
                .Where(f => f.Share > 0)
                .OrderByDescending(f => f.Share)
                .ThenBy(f => f.Name, StringComparer.Ordinal),
        ];
    }

    private static List<ActivityEffect> ActivityEffects(FittedModel model, TrainingSet holdout, float[] probabilities, CancellationToken cancellationToken)
    {
        var width = holdout.Width;
        var step = Math.Max(1, holdout.Count / MaxEffectRows);
        var sample = Enumerable.Range(0, holdout.Count).Where(i => i % step == 0).Take(MaxEffectRows).ToArray();
        var rows = new float[sample.Length * width];
        var after = new float[sample.Length];
        var effects = new List<ActivityEffect>();
        for (var kind = 0; kind < holdout.Schema.ActivityKinds.Count; kind++)
        {
            for (var s = 0; s < sample.Length; s++)
            {
                var row = rows.AsSpan(s * width, width);
                holdout.Row(sample[s]).CopyTo(row);
                holdout.Schema.ApplyActivity(row, kind);
            }

            model.Scorer.Score(rows, after, cancellationToken);
            double change = 0, raised = 0;
            for (var s = 0; s < sample.Length; s++)
            {
                var delta = after[s] - probabilities[sample[s]];
                change += delta;
                raised += delta > 1e-6 ? 1 : 0;
            }

            effects.Add(new ActivityEffect(holdout.Schema.ActivityKinds[kind], change / sample.Length, raised / sample.Length, sample.Length));
        }

        return effects;
    }
}
