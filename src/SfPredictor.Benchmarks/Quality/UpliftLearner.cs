using SfPredictor.Features;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Training;
using SfPredictor.Records;
using SfPredictor.Training;
using SfPredictor.Training.Boosting;

namespace SfPredictor.Benchmarks.Quality;

/// <summary>
/// A per-kind uplift model (T-learner) on the same boosted trees, measured beside the stage × kind
/// effects (<c>sfp recommend-quality --worlds ... --uplift-learner</c>). For each activity kind, two win
/// models on the training snapshots: one on the snapshots after which an activity of the kind was done
/// within <see cref="Window"/>, one on the others; a kind's uplift for an open deal is the first's
/// probability minus the second's. Only snapshots of deals still open at the end of the window count: a
/// deal lost the next day had no time for any activity and would make every kind look like it wins.
/// </summary>
internal static class UpliftLearner
{
    /// <summary>The method's name in the tables.</summary>
    public const string Name = "T-learner per kind (boosted trees, 14-day window)";

    /// <summary>How long after a snapshot an activity counts as done "now".</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(14);

    // Faster than the product's defaults (learning rate 0.03, up to 1,500 rounds): two models per kind.
    private static TrainingOptions Boosting() => new() { LearningRate = 0.1, MaxRounds = 400, EarlyStoppingRounds = 30 };

    /// <summary>Trains the per-kind models on the deals closed by <paramref name="asOf"/> and scores their ranking of the kinds for the open ones.</summary>
    /// <param name="org">The org's records.</param>
    /// <param name="truth">The true uplifts of the Opportunities open at <paramref name="asOf"/>.</param>
    /// <param name="asOf">When the truth holds.</param>
    /// <param name="cancellationToken">Stops training.</param>
    public static QualityScores Measure(OrgData org, IReadOnlyList<TrueUplifts> truth, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var features = new FeatureOptions();
        var index = new OrgIndex(org, features);
        var builder = new FeatureBuilder(index, features);
        var rows = TrainingSetBuilder.Build(builder, index, new TrainingSetOptions(), asOf);
        var kinds = builder.Schema.ActivityKinds;
        var done = DoneInWindow(builder, rows, out var eligible);

        // Early stopping watches the latest fifth of the eligible snapshots to close.
        var closes = eligible.Select(r => rows.CloseTimes[r]).Order().ToList();
        var cutoff = closes[(int)(closes.Count * 0.8)];

        var open = truth.Select(t => index.IndexOf(t.OpportunityId)).ToArray();
        var openRows = new float[open.Length * rows.Width];
        for (var o = 0; o < open.Length; o++)
        {
            builder.Build(open[o], asOf, openRows.AsSpan(o * rows.Width, rows.Width));
        }

        using var openMatrix = new XGBoostMatrix(openRows, rows.Width);
        var uplift = new double[kinds.Count][];
        for (var k = 0; k < kinds.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var treated = Probabilities(rows, eligible.Where(r => done[k][r]), cutoff, openMatrix, cancellationToken);
            var untreated = Probabilities(rows, eligible.Where(r => !done[k][r]), cutoff, openMatrix, cancellationToken);
            uplift[k] = treated is null || untreated is null ? new double[open.Length] : [.. treated.Zip(untreated, (a, b) => (double)a - b)];
        }

        var recommended = new Dictionary<string, IReadOnlyList<string>>(SalesforceId.Comparer);
        var byId = truth.ToDictionary(t => t.OpportunityId, SalesforceId.Comparer);
        double promised = 0, delivered = 0;
        for (var o = 0; o < open.Length; o++)
        {
            var top = Enumerable.Range(0, kinds.Count).Where(k => uplift[k][o] > 0).OrderByDescending(k => uplift[k][o]).Take(3).ToList();
            recommended[truth[o].OpportunityId] = [.. top.Select(k => kinds[k])];
            promised += top.Sum(k => uplift[k][o]);
            delivered += top.Sum(k => byId[truth[o].OpportunityId].Of(kinds[k]));
        }

        return QualityScores.Measure(Name, recommended, truth) with { UpliftRatio = promised / delivered };
    }

    // Per kind and snapshot, whether an activity of the kind was done within the window after it; the
    // snapshots of deals still open at the window's end are the eligible ones.
    private static bool[][] DoneInWindow(FeatureBuilder builder, TrainingSet rows, out List<int> eligible)
    {
        var kinds = builder.Schema.ActivityKinds.Count;
        var stages = builder.Index.Stages.Stages.Count;
        var before = new float[stages * kinds];
        var after = new float[stages * kinds];
        var done = new bool[kinds][];
        for (var k = 0; k < kinds; k++)
        {
            done[k] = new bool[rows.Count];
        }

        eligible = [];
        for (var r = 0; r < rows.Count; r++)
        {
            var end = rows.SnapshotTimes[r] + Window;
            if (rows.CloseTimes[r] <= end)
            {
                continue;
            }

            eligible.Add(r);
            var opportunity = builder.Index.IndexOf(rows.OpportunityIds[r]);
            builder.CountActivitiesByStage(opportunity, rows.SnapshotTimes[r], before);
            builder.CountActivitiesByStage(opportunity, end, after);
            for (var k = 0; k < kinds; k++)
            {
                float more = 0;
                for (var s = 0; s < stages; s++)
                {
                    more += after[(s * kinds) + k] - before[(s * kinds) + k];
                }

                done[k][r] = more > 0;
            }
        }

        return done;
    }

    // A win model on the chosen snapshots (those closed after the cutoff watch the rounds), applied to the
    // open deals; null when either part lacks a win or a loss.
    private static float[]? Probabilities(TrainingSet rows, IEnumerable<int> chosen, DateTimeOffset cutoff, XGBoostMatrix open, CancellationToken cancellationToken)
    {
        var train = chosen.Where(r => rows.CloseTimes[r] <= cutoff).ToList();
        var watch = chosen.Where(r => rows.CloseTimes[r] > cutoff).ToList();
        if (!BothOutcomes(rows, train) || watch.Count == 0)
        {
            return null;
        }

        using var trained = BoosterTrainer.Train(Rows(rows, train), Rows(rows, watch), Boosting(), monotoneConstraints: null, progress: null, cancellationToken);
        return trained.Booster.PredictProbabilities(open);
    }

    private static bool BothOutcomes(TrainingSet rows, List<int> chosen) =>
        chosen.Any(r => rows.Labels[r] > 0.5f) && chosen.Any(r => rows.Labels[r] <= 0.5f);

    private static BoostingRows Rows(TrainingSet rows, List<int> chosen)
    {
        var features = new float[chosen.Count * rows.Width];
        var labels = new float[chosen.Count];
        for (var i = 0; i < chosen.Count; i++)
        {
            rows.Row(chosen[i]).CopyTo(features.AsSpan(i * rows.Width, rows.Width));
            labels[i] = rows.Labels[chosen[i]];
        }

        return new BoostingRows(features, rows.Width, labels, null);
    }
}
