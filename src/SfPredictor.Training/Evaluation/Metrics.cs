using Microsoft.ML;
using SfPredictor.Scoring.Packaging;

namespace SfPredictor.Training.Evaluation;

/// <summary>One bin of a reliability diagram: rows whose predicted probability falls in [Lower, Upper).</summary>
/// <param name="Bin">1-based bin number, lowest predictions first.</param>
/// <param name="Lower">Lowest probability of the bin.</param>
/// <param name="Upper">Upper end of the bin (the last bin includes 1).</param>
/// <param name="Rows">Rows in the bin.</param>
/// <param name="MeanPredicted">Average predicted win probability (NaN for an empty bin).</param>
/// <param name="ObservedWinRate">Share of the rows that were won (NaN for an empty bin).</param>
public sealed record CalibrationBin(int Bin, double Lower, double Upper, int Rows, double MeanPredicted, double ObservedWinRate);

/// <summary>One decile of a lift table: rows ranked by predicted probability, highest first.</summary>
/// <param name="Decile">1 = the 10 % of rows with the highest predictions.</param>
/// <param name="Rows">Rows in the decile.</param>
/// <param name="WinRate">Share of the decile's rows that were won.</param>
/// <param name="Lift">Win rate of the decile divided by the overall win rate.</param>
/// <param name="CumulativeWinShare">Share of all won rows found in this and the higher deciles.</param>
public sealed record LiftBin(int Decile, int Rows, double WinRate, double Lift, double CumulativeWinShare);

/// <summary>Evaluation measures for binary predictions (labels 1 = won, 0 = lost).</summary>
public static class Metrics
{
    /// <summary>Probabilities are clipped to [Epsilon, 1 − Epsilon] in the log loss.</summary>
    public const double Epsilon = 1e-15;

    /// <summary>All headline numbers at once.</summary>
    /// <param name="probabilities">Predicted win probabilities.</param>
    /// <param name="labels">Outcomes.</param>
    /// <param name="threshold">Decision threshold.</param>
    public static ClassificationMetrics Evaluate(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, double threshold)
    {
        CheckLengths(probabilities, labels, default);
        long tp = 0, fp = 0, tn = 0, fn = 0;
        double won = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var actual = labels[i] >= 0.5f;
            var predicted = probabilities[i] >= threshold;
            won += actual ? 1 : 0;
            _ = (actual, predicted) switch
            {
                (true, true) => tp++,
                (false, true) => fp++,
                (false, false) => tn++,
                (true, false) => fn++,
            };
        }

        var n = labels.Length;
        var precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        var ece = ExpectedCalibrationError(probabilities, labels);
        return new ClassificationMetrics(
            Auc(probabilities, labels),
            LogLoss(probabilities, labels),
            Brier(probabilities, labels),
            n == 0 ? double.NaN : (double)(tp + tn) / n,
            precision,
            recall,
            f1,
            n,
            n == 0 ? double.NaN : won / n,
            threshold)
        {
            Ece = ece,
        };
    }

    /// <summary>
    /// Area under the ROC curve, computed by ML.NET's binary classification evaluator over every row: the
    /// chance that a random won row scores above a random lost one, a tie counting one half. NaN when one
    /// class is absent.
    /// </summary>
    /// <param name="scores">Scores or probabilities (higher = more likely won).</param>
    /// <param name="labels">Outcomes.</param>
    public static double Auc(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels)
    {
        CheckLengths(scores, labels, default);
        var rows = new AucRow[scores.Length];
        var positives = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new AucRow { Label = labels[i] >= 0.5f, Score = scores[i], PredictedLabel = scores[i] >= 0.5f };
            positives += rows[i].Label ? 1 : 0;
        }

        // ML.NET throws on a single class; an AUC is undefined there.
        if (positives == 0 || positives == rows.Length)
        {
            return double.NaN;
        }

        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(rows);
        return ml.BinaryClassification.EvaluateNonCalibrated(data, nameof(AucRow.Label), nameof(AucRow.Score)).AreaUnderRocCurve;
    }

    /// <summary>Weighted mean negative log-likelihood, probabilities clipped to [<see cref="Epsilon"/>, 1 − <see cref="Epsilon"/>].</summary>
    /// <param name="probabilities">Predicted win probabilities.</param>
    /// <param name="labels">Outcomes.</param>
    /// <param name="weights">Row weights, or empty for 1 each.</param>
    public static double LogLoss(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights = default)
    {
        CheckLengths(probabilities, labels, weights);
        double sum = 0, total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var w = weights.IsEmpty ? 1 : weights[i];
            var p = Math.Clamp(probabilities[i], Epsilon, 1 - Epsilon);
            sum -= w * ((labels[i] * Math.Log(p)) + ((1 - labels[i]) * Math.Log(1 - p)));
            total += w;
        }

        return total == 0 ? double.NaN : sum / total;
    }

    /// <summary>Mean squared difference between probability and outcome.</summary>
    /// <param name="probabilities">Predicted win probabilities.</param>
    /// <param name="labels">Outcomes.</param>
    public static double Brier(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels)
    {
        CheckLengths(probabilities, labels, default);
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var d = (double)probabilities[i] - labels[i];
            sum += d * d;
        }

        return labels.Length == 0 ? double.NaN : sum / labels.Length;
    }

    /// <summary>
    /// The reliability diagram: rows grouped into <paramref name="bins"/> equal-width bins of predicted
    /// probability, each with its row count, mean prediction and observed win rate. In a well-calibrated
    /// model each bin's mean prediction matches its win rate. Every bin is listed, empty ones too.
    /// </summary>
    /// <param name="probabilities">Predicted win probabilities.</param>
    /// <param name="labels">Outcomes.</param>
    /// <param name="bins">Number of bins (10: 0–10 %, 10–20 %, …).</param>
    public static IReadOnlyList<CalibrationBin> Reliability(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, int bins = 10)
    {
        CheckLengths(probabilities, labels, default);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        var count = new int[bins];
        var predicted = new double[bins];
        var won = new double[bins];
        for (var i = 0; i < labels.Length; i++)
        {
            var bin = Math.Clamp((int)(probabilities[i] * bins), 0, bins - 1);
            count[bin]++;
            predicted[bin] += probabilities[i];
            won[bin] += labels[i] >= 0.5f ? 1 : 0;
        }

        return
        [
            .. Enumerable.Range(0, bins).Select(b => new CalibrationBin(
                b + 1,
                (double)b / bins,
                (double)(b + 1) / bins,
                count[b],
                count[b] == 0 ? double.NaN : predicted[b] / count[b],
                count[b] == 0 ? double.NaN : won[b] / count[b])),
        ];
    }

    /// <summary>
    /// Expected calibration error over <paramref name="bins"/> equal-width bins: the sum over bins of
    /// |mean prediction − observed win rate| × (rows in the bin / all rows). NaN without rows.
    /// </summary>
    /// <param name="probabilities">Predicted win probabilities.</param>
    /// <param name="labels">Outcomes.</param>
    /// <param name="bins">Number of bins.</param>
    public static double ExpectedCalibrationError(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, int bins = 10)
    {
        if (labels.Length == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        foreach (var bin in Reliability(probabilities, labels, bins))
        {
            if (bin.Rows > 0)
            {
                sum += Math.Abs(bin.MeanPredicted - bin.ObservedWinRate) * bin.Rows;
            }
        }

        return sum / labels.Length;
    }

    /// <summary>
    /// ECE of the model and of the stage alone, and the ECE noise floor, over the holdout rows of several
    /// evaluations taken as one set. One evaluation of a small org has few test deals, and its ECE
    /// floor can be above a target; pooled over orgs of the same size, calibration can be told from noise.
    /// </summary>
    /// <param name="evaluations">The evaluations; each one's deals are kept apart from the others'.</param>
    public static (double ModelEce, double BaselineEce, double NoiseFloor, int Deals) Pooled(IEnumerable<EvaluationResult> evaluations)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        var rows = evaluations.SelectMany((e, index) => e.Predictions.Select(p => (Deal: string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{index}:{p.OpportunityId}"), p))).ToList();
        var probabilities = rows.Select(r => r.p.Probability).ToArray();
        var baseline = rows.Select(r => r.p.BaselineProbability).ToArray();
        var labels = rows.Select(r => r.p.Won ? 1f : 0f).ToArray();
        var deals = rows.Select(r => r.Deal).ToList();
        return (
            ExpectedCalibrationError(probabilities, labels),
            ExpectedCalibrationError(baseline, labels),
            EceNoiseFloor(probabilities, deals),
            deals.Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>
    /// The expected calibration error a perfectly calibrated predictor would show on these rows: outcomes
    /// are drawn from the probabilities themselves and the ECE of the probabilities against them is
    /// averaged over <paramref name="draws"/> draws. The rows of one group (a deal's snapshots) share one
    /// uniform draw, so they share their outcome as real snapshots do; drawn row by row the floor would
    /// look lower than it is. An ECE near this floor is what that many deals can show.
    /// </summary>
    /// <param name="probabilities">Predicted win probabilities.</param>
    /// <param name="groups">The group (Opportunity id) of each row.</param>
    /// <param name="draws">Simulated outcome sets.</param>
    /// <param name="seed">Seed of the draws, so the floor is reproducible.</param>
    public static double EceNoiseFloor(ReadOnlySpan<float> probabilities, IReadOnlyList<string> groups, int draws = 200, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count != probabilities.Length)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities but {groups.Count} groups.", nameof(groups));
        }

        if (probabilities.IsEmpty)
        {
            return double.NaN;
        }

        var random = new Random(seed);
        var labels = new float[probabilities.Length];
        var uniforms = new Dictionary<string, double>(StringComparer.Ordinal);
        double sum = 0;
        for (var d = 0; d < draws; d++)
        {
            uniforms.Clear();
            for (var i = 0; i < labels.Length; i++)
            {
                if (!uniforms.TryGetValue(groups[i], out var u))
                {
                    u = random.NextDouble();
                    uniforms[groups[i]] = u;
                }

                labels[i] = u < probabilities[i] ? 1 : 0;
            }

            sum += ExpectedCalibrationError(probabilities, labels);
        }

        return sum / draws;
    }

    /// <summary>
    /// Rows ranked by prediction (highest first) and cut into ten groups: how much richer in wins each
    /// group is than the average.
    /// </summary>
    /// <param name="probabilities">Predicted win probabilities.</param>
    /// <param name="labels">Outcomes.</param>
    public static IReadOnlyList<LiftBin> LiftByDecile(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels)
    {
        CheckLengths(probabilities, labels, default);
        var order = SortedIndices(probabilities, descending: true);
        double allWon = 0;
        foreach (var label in labels)
        {
            allWon += label;
        }

        var overall = labels.Length == 0 ? 0 : allWon / labels.Length;
        var table = new List<LiftBin>();
        double cumulative = 0;
        foreach (var (decile, start, end) in Cuts(order.Length, 10))
        {
            double won = 0;
            for (var k = start; k < end; k++)
            {
                won += labels[order[k]];
            }

            cumulative += won;
            var rate = won / (end - start);
            table.Add(new LiftBin(decile, end - start, rate, overall == 0 ? double.NaN : rate / overall, allWon == 0 ? double.NaN : cumulative / allWon));
        }

        return table;
    }

    /// <summary>
    /// The ROC curve: for every distinct score taken as threshold, the share of lost rows (x) and of
    /// won rows (y) at or above it, from (0, 0) to (1, 1); thinned to about <paramref name="maxPoints"/> points.
    /// </summary>
    /// <param name="scores">Scores or probabilities.</param>
    /// <param name="labels">Outcomes.</param>
    /// <param name="maxPoints">Most points kept (the ends are always kept).</param>
    public static IReadOnlyList<RocPoint> RocCurve(ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, int maxPoints = 200)
    {
        CheckLengths(scores, labels, default);
        var order = SortedIndices(scores, descending: true);
        double positives = 0;
        foreach (var label in labels)
        {
            positives += label >= 0.5f ? 1 : 0;
        }

        var negatives = labels.Length - positives;
        var points = new List<RocPoint> { new(0, 0) };
        if (positives == 0 || negatives == 0)
        {
            points.Add(new RocPoint(1, 1));
            return points;
        }

        double tp = 0, fp = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (labels[order[i]] >= 0.5f)
            {
                tp++;
            }
            else
            {
                fp++;
            }

            // A point only after the last row of a group of equal scores: ties move diagonally.
            if (i + 1 == order.Length || scores[order[i + 1]] != scores[order[i]])
            {
                points.Add(new RocPoint(fp / negatives, tp / positives));
            }
        }

        var step = Math.Max(1, points.Count / Math.Max(2, maxPoints));
        return [.. points.Where((_, i) => i % step == 0 || i == points.Count - 1)];
    }

    // Equal-count groups; empty groups (fewer rows than groups) are left out.
    private static IEnumerable<(int Bin, int Start, int End)> Cuts(int count, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        for (var b = 0; b < bins; b++)
        {
            var start = (int)((long)b * count / bins);
            var end = (int)((long)(b + 1) * count / bins);
            if (end > start)
            {
                yield return (b + 1, start, end);
            }
        }
    }

    // Stable, so tied rows keep their input order and results do not depend on the sort algorithm.
    private static int[] SortedIndices(ReadOnlySpan<float> values, bool descending)
    {
        var keys = values.ToArray();
        var order = Enumerable.Range(0, keys.Length);
        return descending
            ? [.. order.OrderByDescending(i => keys[i])]
            : [.. order.OrderBy(i => keys[i])];
    }

    private static void CheckLengths(ReadOnlySpan<float> values, ReadOnlySpan<float> labels, ReadOnlySpan<float> weights)
    {
        if (values.Length != labels.Length || (!weights.IsEmpty && weights.Length != labels.Length))
        {
            throw new ArgumentException($"{values.Length} predictions, {labels.Length} labels and {weights.Length} weights do not match.");
        }
    }

    private sealed class AucRow
    {
        public bool Label { get; set; }

        public float Score { get; set; }

        // The evaluator also counts a confusion matrix, which needs a predicted class; the AUC does not use it.
        public bool PredictedLabel { get; set; }
    }
}
