using SfPredictor.Records;

namespace SfPredictor.Features.Indexing;

// Each Opportunity's activities (its own and its Account's), in two sorted arrays:
// done activities by the time they became known (max of logged and happened), so "counts at T" is a
// prefix; and every Task and Event by CreatedDate, to count what was open or scheduled at T.
internal sealed class ActivityIndex
{
    public ActivityIndex(OrgIndex index, OrgData data)
    {
        var relations = new Dictionary<string, List<string>>(SalesforceId.Comparer);
        foreach (var relation in data.ActivityRelations)
        {
            if (!relations.TryGetValue(relation.ActivityId, out var list))
            {
                relations[relation.ActivityId] = list = [];
            }

            list.Add(relation.RelationId);
        }

        var total = data.Tasks.Count + data.Events.Count;
        var logged = new long[total];
        var happened = new long[total];
        var due = new long[total];
        var kind = new sbyte[total];
        var isEvent = new bool[total];
        var direct = new List<(int Opportunity, int Activity)>(total);
        var onAccount = new List<(int Account, int Activity)>();
        void Link(int a, string id, string? whatId, string? accountId)
        {
            if (whatId is not null && index.TryGetIndex(whatId, out var opportunity))
            {
                direct.Add((opportunity, a));
            }
            else if (index.Accounts.AccountGroup(whatId ?? accountId) is var account and >= 0)
            {
                onAccount.Add((account, a));
            }

            if (relations.TryGetValue(id, out var related))
            {
                foreach (var relation in related)
                {
                    if (index.TryGetIndex(relation, out var o))
                    {
                        direct.Add((o, a));
                    }
                    else if (index.Accounts.AccountGroup(relation) is var acc and >= 0)
                    {
                        onAccount.Add((acc, a));
                    }
                }
            }
        }

        var n = 0;
        foreach (var activity in data.Activities())
        {
            logged[n] = activity.CreatedDate.UtcTicks;
            happened[n] = activity.HappenedAt?.UtcTicks ?? OrgIndex.Never;
            due[n] = activity.DueAt?.UtcTicks ?? OrgIndex.Never;
            kind[n] = (sbyte)index.Kinds.IndexOf(activity);
            isEvent[n] = activity.Source == ActivitySource.Event;
            Link(n++, activity.Id, activity.WhatId, activity.AccountId);
        }

        var (byOpportunityStart, byOpportunity) = Group(direct, index.Count);
        var (byAccountStart, byAccount) = Group(onAccount, index.Accounts.Records.Length);

        // Each Opportunity's activities, its own and its Account's, without duplicates (an activity can
        // reach it by WhatId and by relation). Only the order by time matters within an Opportunity:
        // Build sums and takes maxima over a prefix.
        DoneStart = new int[index.Count + 1];
        ItemStart = new int[index.Count + 1];
        var known = new List<long>(total);
        var happenedSorted = new List<long>(total);
        var kinds = new List<sbyte>(total);
        var itemCreated = new List<long>(total);
        var itemDone = new List<long>(total);
        var itemDue = new List<long>(total);
        var itemIsEvent = new List<bool>(total);
        var mine = new List<int>();
        var keys = new long[16];
        var members = new int[16];
        for (var i = 0; i < index.Count; i++)
        {
            mine.Clear();
            mine.AddRange(byOpportunity.AsSpan(byOpportunityStart[i], byOpportunityStart[i + 1] - byOpportunityStart[i]));
            var account = index.Accounts.AccountOf[i];
            if (account >= 0)
            {
                mine.AddRange(byAccount.AsSpan(byAccountStart[account], byAccountStart[account + 1] - byAccountStart[account]));
            }

            mine.Sort();
            if (keys.Length < mine.Count)
            {
                keys = new long[mine.Count * 2];
                members = new int[mine.Count * 2];
            }

            var count = 0;
            for (var k = 0; k < mine.Count; k++)
            {
                var a = mine[k];
                if ((k == 0 || a != mine[k - 1]) && happened[a] != OrgIndex.Never)
                {
                    keys[count] = Math.Max(logged[a], happened[a]);
                    members[count++] = a;
                }
            }

            Array.Sort(keys, members, 0, count);
            for (var k = 0; k < count; k++)
            {
                known.Add(keys[k]);
                happenedSorted.Add(happened[members[k]]);
                kinds.Add(kind[members[k]]);
            }

            DoneStart[i + 1] = known.Count;

            count = 0;
            for (var k = 0; k < mine.Count; k++)
            {
                if (k == 0 || mine[k] != mine[k - 1])
                {
                    keys[count] = logged[mine[k]];
                    members[count++] = mine[k];
                }
            }

            Array.Sort(keys, members, 0, count);
            for (var k = 0; k < count; k++)
            {
                var a = members[k];
                itemCreated.Add(keys[k]);
                itemDone.Add(happened[a]);
                itemDue.Add(due[a]);
                itemIsEvent.Add(isEvent[a]);
            }

            ItemStart[i + 1] = itemCreated.Count;
        }

        Known = [.. known];
        Happened = [.. happenedSorted];
        Kind = [.. kinds];
        ItemCreated = [.. itemCreated];
        ItemDone = [.. itemDone];
        ItemDue = [.. itemDue];
        ItemIsEvent = [.. itemIsEvent];
    }

    // Done activities of Opportunity i are [DoneStart[i], DoneStart[i + 1]), sorted by Known.
    public int[] DoneStart { get; }

    // When the activity was both logged and done: it counts at T exactly when Known <= T.
    public long[] Known { get; }

    public long[] Happened { get; }

    // Kind index, -1 when no kind matches.
    public sbyte[] Kind { get; }

    // All Tasks and Events of Opportunity i are [ItemStart[i], ItemStart[i + 1]), sorted by ItemCreated.
    public int[] ItemStart { get; }

    public long[] ItemCreated { get; }

    // When a Task was completed or an Event starts; Never for a Task still open.
    public long[] ItemDone { get; }

    // End of a Task's due date; Never when it has none.
    public long[] ItemDue { get; }

    public bool[] ItemIsEvent { get; }

    // One past the last entry in [start, end) whose key is at or before t.
    public static int UpperBound(long[] keys, int start, int end, long t)
    {
        while (start < end)
        {
            var mid = (start + end) >>> 1;
            if (keys[mid] <= t)
            {
                start = mid + 1;
            }
            else
            {
                end = mid;
            }
        }

        return start;
    }

    // Pairs grouped by their first element: members of group g are values[start[g]..start[g + 1]].
    private static (int[] Start, int[] Values) Group(List<(int Group, int Activity)> pairs, int groups)
    {
        var start = new int[groups + 1];
        foreach (var (group, _) in pairs)
        {
            start[group + 1]++;
        }

        for (var g = 0; g < groups; g++)
        {
            start[g + 1] += start[g];
        }

        var next = start[..^1];
        var values = new int[pairs.Count];
        foreach (var (group, activity) in pairs)
        {
            values[next[group]++] = activity;
        }

        return (start, values);
    }
}
