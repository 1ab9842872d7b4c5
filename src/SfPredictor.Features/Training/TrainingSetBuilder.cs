using SfPredictor.Features.Indexing;

namespace SfPredictor.Features.Training;

/// <summary>Builds training rows from the closed Opportunities of an org.</summary>
public static class TrainingSetBuilder
{
    /// <summary>
    /// Every Opportunity closed (at or before <paramref name="asOf"/>, when given) contributes snapshots at
    /// <see cref="TrainingSetOptions.LifeFractions"/> of its life and at each entry into an open stage,
    /// always at or after creation and strictly before the close, labelled with its outcome; each row's
    /// features are built as of its snapshot, so nothing dated after the snapshot is used.
    /// </summary>
    public static TrainingSet Build(FeatureBuilder builder, OrgIndex index, TrainingSetOptions options, DateTimeOffset? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        if (!ReferenceEquals(builder.Index, index))
        {
            throw new ArgumentException("The builder reads another OrgIndex than the one given.", nameof(index));
        }

        var fractions = options.EffectiveLifeFractions();
        var limit = asOf?.UtcTicks ?? long.MaxValue;
        var closed = Enumerable.Range(0, index.Count)
            .Where(i => index.CloseTime[i] != OrgIndex.Never && index.CloseTime[i] <= limit)
            .OrderBy(i => index.CloseTime[i])
            .ThenBy(i => index.Opportunities[i].Id, StringComparer.Ordinal)
            .ToArray();

        var snapshots = new List<(int Opportunity, long Time)>();
        var perOpportunity = new List<long>();
        foreach (var i in closed)
        {
            perOpportunity.Clear();
            Snapshots(index, i, fractions, options, perOpportunity);
            foreach (var t in perOpportunity)
            {
                snapshots.Add((i, t));
            }
        }

        var width = builder.Width;
        var count = snapshots.Count;
        var features = new float[count * width];
        var labels = new float[count];
        var weights = new float[count];
        var ids = new string[count];
        var times = new DateTimeOffset[count];
        var closes = new DateTimeOffset[count];
        var stages = new string?[count];
        var perOpportunityCount = snapshots.CountBy(s => s.Opportunity).ToDictionary(x => x.Key, x => x.Value);
        Parallel.For(0, count, r =>
        {
            var (i, t) = snapshots[r];
            var time = new DateTimeOffset(t, TimeSpan.Zero);
            builder.Build(i, time, features.AsSpan(r * width, width));
            labels[r] = index.Won[i] ? 1 : 0;
            weights[r] = 1f / perOpportunityCount[i];
            ids[r] = index.Opportunities[i].Id;
            times[r] = time;
            closes[r] = new DateTimeOffset(index.CloseTime[i], TimeSpan.Zero);
            stages[r] = index.StageAt(i, t).Name;
        });

        return new TrainingSet(builder.Schema, features, labels, weights, ids, times, closes, stages);
    }

    private static bool IsClosedAt(OrgIndex index, int i, long t)
    {
        var row = index.History.RowAt(i, t);
        return row >= 0 && index.History.IsClosedStage[row];
    }

    private static void Snapshots(OrgIndex index, int i, IReadOnlyList<double> fractions, TrainingSetOptions options, List<long> result)
    {
        var created = index.Created[i];
        var close = index.CloseTime[i];
        if (close <= created)
        {
            return;
        }

        foreach (var f in fractions)
        {
            result.Add(created + (long)((close - created) * f));
        }

        if (options.SnapshotAtStageEntries)
        {
            var history = index.History;
            for (var g = history.Start[i]; g < history.Start[i + 1]; g++)
            {
                var entered = g == history.Start[i] || history.Entry[g] == history.Time[g];
                if (entered && !history.IsClosedStage[g] && history.Time[g] >= created && history.Time[g] < close)
                {
                    result.Add(history.Time[g]);
                }
            }
        }

        result.Sort();

        // A deal closed and reopened before its final close is skipped while it sits in a closed stage.
        var unique = result.Distinct()
            .Where(t => t >= created && t < close && !IsClosedAt(index, i, t))
            .ToList();
        result.Clear();
        if (unique.Count <= options.MaxSnapshotsPerOpportunity)
        {
            result.AddRange(unique);
            return;
        }

        // Evenly spaced over the sorted snapshots, first and last included.
        var keep = options.MaxSnapshotsPerOpportunity;
        for (var k = 0; k < keep; k++)
        {
            var position = keep == 1 ? unique.Count / 2 : (int)Math.Round(k * (unique.Count - 1) / (double)(keep - 1));
            result.Add(unique[position]);
        }
    }
}
