using SfPredictor.Records;

namespace SfPredictor.Features.Indexing;

// OpportunityHistory rows grouped by Opportunity and sorted by time, with running totals per row
// (stage changes, close-date pushes, when the current stage was entered) so that
// the state at T is one binary search away.
internal sealed class HistoryIndex
{
    public HistoryIndex(OrgIndex index, IReadOnlyList<OpportunityHistory> rows)
    {
        var opportunityOf = new int[rows.Count];
        Start = new int[index.Count + 1];
        for (var r = 0; r < rows.Count; r++)
        {
            if (index.TryGetIndex(rows[r].OpportunityId, out opportunityOf[r]))
            {
                Start[opportunityOf[r] + 1]++;
            }
            else
            {
                opportunityOf[r] = -1;
            }
        }

        for (var i = 0; i < index.Count; i++)
        {
            Start[i + 1] += Start[i];
        }

        // Grouped by Opportunity in source order, then sorted by time within each group; the sort is
        // stable, so two rows written in the same instant keep the order the source gave them.
        var n = Start[^1];
        var order = new int[n];
        var next = Start[..^1];
        for (var r = 0; r < rows.Count; r++)
        {
            if (opportunityOf[r] >= 0)
            {
                order[next[opportunityOf[r]]++] = r;
            }
        }

        for (var i = 0; i < index.Count; i++)
        {
            InsertionSortByTime(rows, order.AsSpan(Start[i], Start[i + 1] - Start[i]));
        }

        Time = new long[n];
        Stage = new int[n];
        StageName = new string[n];
        RowProbability = new float[n];
        Amount = new double[n];
        CloseDate = new long[n];
        Changes = new int[n];
        Pushes = new int[n];
        PushDays = new float[n];
        Entry = new long[n];

        for (var g = 0; g < n; g++)
        {
            var row = rows[order[g]];
            var opportunity = opportunityOf[order[g]];
            var o = index.Opportunities[opportunity];
            var first = g == Start[opportunity];
            Time[g] = row.CreatedDate.UtcTicks;
            StageName[g] = row.StageName;
            var stage = index.Stages.Find(row.StageName);
            Stage[g] = stage?.Position ?? -1;
            RowProbability[g] = row.Probability is { } p ? (float)(p / 100m) : float.NaN;
            Amount[g] = index.Convert(row.Amount, o.CurrencyIsoCode, $"OpportunityHistory {row.Id} Amount");
            var closeDate = row.CloseDate is { } d ? OrgIndex.EndOfDay(d) : 0;
            if (first)
            {
                CloseDate[g] = closeDate;
                Entry[g] = Math.Min(index.Created[opportunity], Time[g]);
                continue;
            }

            var changed = !string.Equals(row.StageName, StageName[g - 1], StringComparison.OrdinalIgnoreCase);
            Changes[g] = Changes[g - 1] + (changed ? 1 : 0);
            Entry[g] = changed ? Time[g] : Entry[g - 1];
            CloseDate[g] = closeDate != 0 ? closeDate : CloseDate[g - 1];
            var pushed = closeDate != 0 && CloseDate[g - 1] != 0 && closeDate > CloseDate[g - 1];
            Pushes[g] = Pushes[g - 1] + (pushed ? 1 : 0);
            PushDays[g] = PushDays[g - 1] + (pushed ? (float)((closeDate - CloseDate[g - 1]) / (double)TimeSpan.TicksPerDay) : 0);
        }

        IsClosedStage = new bool[n];
        IsWonStage = new bool[n];
        for (var g = 0; g < n; g++)
        {
            var stage = index.Stages.Find(StageName[g]);
            IsClosedStage[g] = stage?.IsClosed ?? false;
            IsWonStage[g] = stage?.IsWon ?? false;
        }
    }

    // Rows of Opportunity i are [Start[i], Start[i + 1]).
    public int[] Start { get; }

    public long[] Time { get; }

    // Catalog position, -1 when the stage is not in the catalog.
    public int[] Stage { get; }

    public string[] StageName { get; }

    public bool[] IsClosedStage { get; }

    public bool[] IsWonStage { get; }

    // The probability (0-1) stored on the row, NaN when empty.
    public float[] RowProbability { get; }

    public double[] Amount { get; }

    // End of the planned close day in ticks, carried forward over rows without one; 0 when none yet.
    public long[] CloseDate { get; }

    public int[] Changes { get; }

    public int[] Pushes { get; }

    public float[] PushDays { get; }

    // When the stage of this row was entered.
    public long[] Entry { get; }

    private static void InsertionSortByTime(IReadOnlyList<OpportunityHistory> rows, Span<int> group)
    {
        for (var k = 1; k < group.Length; k++)
        {
            var r = group[k];
            var time = rows[r].CreatedDate;
            var j = k - 1;
            while (j >= 0 && rows[group[j]].CreatedDate > time)
            {
                group[j + 1] = group[j];
                j--;
            }

            group[j + 1] = r;
        }
    }

    public bool HasHistory(int opportunity) => Start[opportunity + 1] > Start[opportunity];

    // The last row at or before t, or -1 when none.
    public int RowAt(int opportunity, long t)
    {
        var lo = Start[opportunity];
        var hi = Start[opportunity + 1];
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Time[mid] <= t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo - 1 >= Start[opportunity] ? lo - 1 : -1;
    }

    // The first entry into a closed stage, or -1.
    public int FirstClosedRow(int opportunity)
    {
        for (var g = Start[opportunity]; g < Start[opportunity + 1]; g++)
        {
            if (IsClosedStage[g])
            {
                return g;
            }
        }

        return -1;
    }

    // When the Opportunity last entered a closed stage, else the fallback (its CloseDate).
    public long CloseTime(int opportunity, long fallback)
    {
        for (var g = Start[opportunity + 1] - 1; g >= Start[opportunity]; g--)
        {
            if (IsClosedStage[g] && (g == Start[opportunity] || !IsClosedStage[g - 1]))
            {
                return Time[g];
            }
        }

        return fallback;
    }
}
