using SfPredictor.Records;

namespace SfPredictor.Features.Indexing;

// OpportunityHistory rows grouped by Opportunity and sorted by time, with running totals per row
// (stage changes, close-date pushes, when the current stage was entered) so that
// the state at T is one binary search away.
internal sealed class HistoryIndex
{
    private readonly IReadOnlyList<OpportunityHistory> _rows;

    // Rows whose Opportunity is not in the data (yet): grouped once it is.
    private readonly int[] _orphans;

    public HistoryIndex(OrgIndex index, IReadOnlyList<OpportunityHistory> rows)
        : this(index, rows, previous: null, affected: null)
    {
    }

    // With a previous index of the same org, stages and currencies, whose rows come first in `rows` (later rows were
    // added since): an Opportunity not affected (new, or its record changed) and without rows added keeps its rows and
    // values, copied; the others are grouped and computed again.
    private HistoryIndex(OrgIndex index, IReadOnlyList<OpportunityHistory> rows, HistoryIndex? previous, bool[]? affected)
    {
        _rows = rows;
        var added = new List<(int Opportunity, int Row)>();
        var orphans = new List<int>();
        // The rows to group: every one; or, updating, those added since and those whose Opportunity was missing.
        var toGroup = previous is null ? Enumerable.Range(0, rows.Count)
            : previous._orphans.Concat(Enumerable.Range(previous._rows.Count, rows.Count - previous._rows.Count));
        foreach (var r in toGroup)
        {
            if (index.TryGetIndex(rows[r].OpportunityId, out var opportunity))
            {
                added.Add((opportunity, r));
            }
            else
            {
                orphans.Add(r);
            }
        }

        _orphans = [.. orphans];
        var redo = affected is null ? null : (bool[])affected.Clone();
        var addedStart = new int[index.Count + 1];
        foreach (var (opportunity, _) in added)
        {
            addedStart[opportunity + 1]++;
            if (redo is not null)
            {
                redo[opportunity] = true;
            }
        }

        Start = new int[index.Count + 1];
        for (var i = 0; i < index.Count; i++)
        {
            Start[i + 1] = Start[i] + Kept(i) + addedStart[i + 1];
            addedStart[i + 1] += addedStart[i];
        }

        // Grouped by Opportunity in source order (the rows held before, in their order, then those added), then
        // sorted by time within each group; the sort is stable, so two rows written in the same instant keep the
        // order the source gave them.
        var byOpportunity = new int[added.Count];
        var next = addedStart[..^1];
        foreach (var (opportunity, r) in added)
        {
            byOpportunity[next[opportunity]++] = r;
        }

        var n = Start[^1];
        Row = new int[n];
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
        IsClosedStage = new bool[n];
        IsWonStage = new bool[n];
        for (var i = 0; i < index.Count;)
        {
            var end = i + 1;
            if (redo is not null && !redo[i])
            {
                while (end < index.Count && !redo[end])
                {
                    end++;
                }

                CopyRows(previous!, previous!.Start[i], Start[i], Start[end] - Start[i]);
                i = end;
                continue;
            }

            var kept = Kept(i);
            if (kept > 0)
            {
                previous!.Row.AsSpan(previous.Start[i], kept).CopyTo(Row.AsSpan(Start[i]));
            }

            byOpportunity.AsSpan(addedStart[i], addedStart[i + 1] - addedStart[i]).CopyTo(Row.AsSpan(Start[i] + kept));
            InsertionSortByTime(rows, Row.AsSpan(Start[i], Start[i + 1] - Start[i]));
            for (var g = Start[i]; g < Start[i + 1]; g++)
            {
                Fill(index, i, g);
            }

            i = end;
        }

        // Rows of Opportunity i the previous index held.
        int Kept(int i) => previous is not null && i < previous.Start.Length - 1 ? previous.Start[i + 1] - previous.Start[i] : 0;
    }

    // Row of the org's history rows each entry is.
    public int[] Row { get; }

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

    // The index of the same org with rows added (after the ones held, in `rows`) and the `affected` Opportunities
    // (new, or whose record changed) computed again, for an org index with the same stages and currencies.
    public HistoryIndex Update(OrgIndex index, IReadOnlyList<OpportunityHistory> rows, bool[] affected) =>
        new(index, rows, this, affected);

    // Whether a row is held already (under its Opportunity, or among the rows whose Opportunity is not in the data).
    public bool Holds(OrgIndex index, OpportunityHistory row)
    {
        if (!index.TryGetIndex(row.OpportunityId, out var opportunity))
        {
            return _orphans.Any(r => SalesforceId.Comparer.Equals(_rows[r].Id, row.Id));
        }

        for (var g = Start[opportunity]; g < Start[opportunity + 1]; g++)
        {
            if (SalesforceId.Comparer.Equals(_rows[Row[g]].Id, row.Id))
            {
                return true;
            }
        }

        return false;
    }

    // One entry's values, from its row and the entry before it of the same Opportunity.
    private void Fill(OrgIndex index, int opportunity, int g)
    {
        var row = _rows[Row[g]];
        var o = index.Opportunities[opportunity];
        Time[g] = row.CreatedDate.UtcTicks;
        StageName[g] = row.StageName;
        var stage = index.Stages.Find(row.StageName);
        Stage[g] = stage?.Position ?? -1;
        IsClosedStage[g] = stage?.IsClosed ?? false;
        IsWonStage[g] = stage?.IsWon ?? false;
        RowProbability[g] = row.Probability is { } p ? (float)(p / 100m) : float.NaN;
        Amount[g] = index.Convert(row.Amount, o.CurrencyIsoCode, $"OpportunityHistory {row.Id} Amount");
        var closeDate = row.CloseDate is { } d ? OrgIndex.EndOfDay(d) : 0;
        if (g == Start[opportunity])
        {
            CloseDate[g] = closeDate;
            Entry[g] = Math.Min(index.Created[opportunity], Time[g]);
            return;
        }

        var changed = !string.Equals(row.StageName, StageName[g - 1], StringComparison.OrdinalIgnoreCase);
        Changes[g] = Changes[g - 1] + (changed ? 1 : 0);
        Entry[g] = changed ? Time[g] : Entry[g - 1];
        CloseDate[g] = closeDate != 0 ? closeDate : CloseDate[g - 1];
        var pushed = closeDate != 0 && CloseDate[g - 1] != 0 && closeDate > CloseDate[g - 1];
        Pushes[g] = Pushes[g - 1] + (pushed ? 1 : 0);
        PushDays[g] = PushDays[g - 1] + (pushed ? (float)((closeDate - CloseDate[g - 1]) / (double)TimeSpan.TicksPerDay) : 0);
    }

    private void CopyRows(HistoryIndex from, int at, int to, int count)
    {
        Array.Copy(from.Row, at, Row, to, count);
        Array.Copy(from.Time, at, Time, to, count);
        Array.Copy(from.Stage, at, Stage, to, count);
        Array.Copy(from.StageName, at, StageName, to, count);
        Array.Copy(from.RowProbability, at, RowProbability, to, count);
        Array.Copy(from.Amount, at, Amount, to, count);
        Array.Copy(from.CloseDate, at, CloseDate, to, count);
        Array.Copy(from.Changes, at, Changes, to, count);
        Array.Copy(from.Pushes, at, Pushes, to, count);
        Array.Copy(from.PushDays, at, PushDays, to, count);
        Array.Copy(from.Entry, at, Entry, to, count);
        Array.Copy(from.IsClosedStage, at, IsClosedStage, to, count);
        Array.Copy(from.IsWonStage, at, IsWonStage, to, count);
    }

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
        var lo = SortedKeys.UpperBound(Time, Start[opportunity], Start[opportunity + 1], t);
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
