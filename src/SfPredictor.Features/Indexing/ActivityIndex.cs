using System.Runtime.InteropServices;
using SfPredictor.Records;

namespace SfPredictor.Features.Indexing;

// Each Opportunity's activities (its own and its Account's), in two sorted arrays:
// done activities by the time they became known (max of logged and happened), so "counts at T" is a
// prefix; and every Task and Event by CreatedDate, to count what was open or scheduled at T.
//
// Beside them it keeps, per Task and Event (a "slot"), what those arrays are made of: when it was logged,
// done and due, its kind and what it is linked to. That is all the index needs of an activity, so the
// records themselves are not kept, and Update rebuilds only the Opportunities a change touches.
internal sealed class ActivityIndex
{
    // Each slot's Task or Event Id, and the slots by Id: made when first needed and shared with the index an update
    // makes (it only grows), so an index is updated once and its update next.
    private readonly string[] _ids;
    private Dictionary<string, int>? _slotOf;
    private readonly long[] _logged;
    private readonly long[] _happened;
    private readonly long[] _due;
    private readonly sbyte[] _kind;
    private readonly bool[] _isEvent;

    // The Opportunity the activity is on, else -1; the Account group it is on or rolls up to, else -1.
    private readonly int[] _onOpportunity;
    private readonly int[] _onAccount;

    // Slots whose WhatId or AccountId names an Opportunity or Account not (yet) in the data: linked when it comes.
    private readonly Dictionary<int, (string? WhatId, string? AccountId)> _unlinked;

    // TaskRelation and EventRelation rows link an activity to more records than one; only a full build reads them.
    private readonly bool _hasRelations;

    public ActivityIndex(OrgIndex index, OrgData data)
    {
        var total = data.Tasks.Count + data.Events.Count;
        _ids = new string[total];
        _logged = new long[total];
        _happened = new long[total];
        _due = new long[total];
        _kind = new sbyte[total];
        _isEvent = new bool[total];
        _onOpportunity = new int[total];
        _onAccount = new int[total];
        _unlinked = [];
        var slot = 0;
        foreach (var activity in data.Activities())
        {
            _ids[slot] = activity.Id;
            Put(index, slot++, activity);
        }

        _hasRelations = data.ActivityRelations.Count > 0;
        var (direct, onAccount) = _hasRelations ? RelationLinks(index, data.ActivityRelations) : default;
        (DoneStart, Known, Happened, Kind, ItemStart, ItemCreated, ItemDone, ItemDue, ItemIsEvent) =
            Segments(index, Links(index, direct, onAccount), previous: null, affected: null);
    }

    private ActivityIndex(ActivityIndex previous, Dictionary<string, int> slotOf, int total)
    {
        _slotOf = slotOf;
        _ids = Grown(previous._ids, total);
        _logged = Grown(previous._logged, total);
        _happened = Grown(previous._happened, total);
        _due = Grown(previous._due, total);
        _kind = Grown(previous._kind, total);
        _isEvent = Grown(previous._isEvent, total);
        _onOpportunity = Grown(previous._onOpportunity, total);
        _onAccount = new int[total];
        _unlinked = new Dictionary<int, (string?, string?)>(previous._unlinked);
    }

    // Tasks and Events held.
    public int Count => _ids.Length;

    // Done activities of Opportunity i are [DoneStart[i], DoneStart[i + 1]), sorted by Known.
    public int[] DoneStart { get; private set; } = [];

    // When the activity was both logged and done: it counts at T exactly when Known <= T.
    public long[] Known { get; private set; } = [];

    public long[] Happened { get; private set; } = [];

    // Kind index, -1 when no kind matches.
    public sbyte[] Kind { get; private set; } = [];

    // All Tasks and Events of Opportunity i are [ItemStart[i], ItemStart[i + 1]), sorted by ItemCreated.
    public int[] ItemStart { get; private set; } = [];

    public long[] ItemCreated { get; private set; } = [];

    // When a Task was completed or an Event starts; Never for a Task still open.
    public long[] ItemDone { get; private set; } = [];

    // End of a Task's due date; Never when it has none.
    public long[] ItemDue { get; private set; } = [];

    public bool[] ItemIsEvent { get; private set; } = [];

    /// <summary>
    /// This index with <paramref name="changed"/> Tasks and Events put in (each in place of the one with its Id, or
    /// added), for <paramref name="index"/>, the org index being built from <paramref name="previous"/>: Opportunities
    /// keep their positions and new ones come last. Only the Opportunities a change touches are sorted again: those
    /// new, those whose Account changed, and those a changed activity was or is now linked to (directly or through
    /// their Account); every other one's arrays are copied.
    /// </summary>
    public ActivityIndex Update(OrgIndex index, OrgIndex previous, IReadOnlyList<Activity> changed)
    {
        if (_hasRelations)
        {
            throw new InvalidOperationException("An index of activities with TaskRelation or EventRelation rows is built again, not updated.");
        }

        var slotOf = _slotOf ??= SlotsById();
        if (slotOf.Count != Count)
        {
            throw new InvalidOperationException("This index was updated already: update the index its update returned.");
        }

        // Nothing here changed (the common case: Opportunities' own fields, a score written back, an activity read
        // again by the overlap): the same arrays serve.
        if (index.Count == previous.Count
            && index.Accounts.Ids.AsSpan().SequenceEqual(previous.Accounts.Ids) && index.Accounts.AccountOf.AsSpan().SequenceEqual(previous.Accounts.AccountOf)
            && changed.All(a => Holds(index, slotOf, a)))
        {
            return this;
        }

        var latest = new Dictionary<string, Activity>(SalesforceId.Comparer);
        foreach (var activity in changed)
        {
            latest[activity.Id] = activity;
        }

        var added = latest.Keys.Count(id => !slotOf.ContainsKey(id));
        var next = new ActivityIndex(this, slotOf, Count + added);

        // Account groups are numbered anew in each index: carry each link over by the Account's Id.
        var accountOf = new int[previous.Accounts.Ids.Length];
        for (var g = 0; g < accountOf.Length; g++)
        {
            accountOf[g] = index.Accounts.AccountGroup(previous.Accounts.Ids[g]);
        }

        for (var s = 0; s < Count; s++)
        {
            next._onAccount[s] = _onAccount[s] >= 0 ? accountOf[_onAccount[s]] : -1;
        }

        var affected = new bool[index.Count];
        var byAccount = OpportunitiesByAccount(index);
        void Touch(int opportunity, int account)
        {
            if (opportunity >= 0)
            {
                affected[opportunity] = true;
            }

            if (account >= 0)
            {
                foreach (var o in byAccount.Values.AsSpan(byAccount.Start[account], byAccount.Start[account + 1] - byAccount.Start[account]))
                {
                    affected[o] = true;
                }
            }
        }

        for (var i = 0; i < index.Count; i++)
        {
            affected[i] = i >= previous.Count
                || index.Accounts.AccountOf[i] != (previous.Accounts.AccountOf[i] is var was and >= 0 ? accountOf[was] : -1);
        }

        // Links that could not be made before may be now, to an Opportunity or Account read since: only new
        // Opportunities, or ones that moved to that Account, can gain such an activity, and they are affected already.
        foreach (var (slot, (whatId, accountId)) in _unlinked)
        {
            next.Link(index, slot, whatId, accountId);
        }

        var nextSlot = Count;
        foreach (var activity in latest.Values)
        {
            if (slotOf.TryGetValue(activity.Id, out var slot))
            {
                Touch(next._onOpportunity[slot], next._onAccount[slot]);
            }
            else
            {
                slot = nextSlot++;
                slotOf[activity.Id] = slot;
                next._ids[slot] = activity.Id;
            }

            next.Put(index, slot, activity);
            Touch(next._onOpportunity[slot], next._onAccount[slot]);
        }

        (next.DoneStart, next.Known, next.Happened, next.Kind, next.ItemStart, next.ItemCreated, next.ItemDone, next.ItemDue, next.ItemIsEvent) =
            next.Segments(index, next.Links(index, null, null), this, affected);
        return next;
    }

    // For arrays every entry of which is written before it is read.
    private static T[] Uninitialized<T>(int length) => GC.AllocateUninitializedArray<T>(length);

    private static T[] Grown<T>(T[] values, int length)
    {
        var grown = Uninitialized<T>(length);
        values.AsSpan().CopyTo(grown);
        return grown;
    }

    // Members grouped: groupOf[m] is member m's group (-1 for none), `more` adds (group, member) pairs; the members of
    // group g are Values[Start[g]..Start[g + 1]].
    private static (int[] Start, int[] Values) Group(int[] groupOf, int groups, List<(int Group, int Member)>? more = null)
    {
        var start = new int[groups + 1];
        foreach (var g in groupOf)
        {
            if (g >= 0)
            {
                start[g + 1]++;
            }
        }

        foreach (var (g, _) in more ?? [])
        {
            start[g + 1]++;
        }

        for (var g = 0; g < groups; g++)
        {
            start[g + 1] += start[g];
        }

        var next = start[..^1];
        var values = new int[start[^1]];
        for (var m = 0; m < groupOf.Length; m++)
        {
            if (groupOf[m] >= 0)
            {
                values[next[groupOf[m]]++] = m;
            }
        }

        foreach (var (g, m) in more ?? [])
        {
            values[next[g]++] = m;
        }

        return (start, values);
    }

    private static (int[] Start, int[] Values) OpportunitiesByAccount(OrgIndex index) =>
        Group(index.Accounts.AccountOf, index.Accounts.Ids.Length);

    private Dictionary<string, int> SlotsById()
    {
        var slotOf = new Dictionary<string, int>(Count, SalesforceId.Comparer);
        for (var slot = 0; slot < Count; slot++)
        {
            slotOf[_ids[slot]] = slot;
        }

        return slotOf;
    }

    // Whether the activity is held as it is (same Account numbering as the index it was put in for).
    private bool Holds(OrgIndex index, Dictionary<string, int> slotOf, Activity activity)
    {
        if (!slotOf.TryGetValue(activity.Id, out var slot))
        {
            return false;
        }

        var (logged, happened, due, kind, isEvent) = FactsOf(index, activity);
        return _logged[slot] == logged && _happened[slot] == happened && _due[slot] == due && _kind[slot] == kind && _isEvent[slot] == isEvent
            && (_onOpportunity[slot], _onAccount[slot]) == LinkOf(index, activity.WhatId, activity.AccountId);
    }

    // What the segments need of an activity, and what it is linked to.
    private void Put(OrgIndex index, int slot, Activity activity)
    {
        (_logged[slot], _happened[slot], _due[slot], _kind[slot], _isEvent[slot]) = FactsOf(index, activity);
        _unlinked.Remove(slot);
        if (!Link(index, slot, activity.WhatId, activity.AccountId)
            && (activity.WhatId ?? activity.AccountId) is { } target
            && (target.StartsWith("006", StringComparison.Ordinal) || target.StartsWith("001", StringComparison.Ordinal)))
        {
            _unlinked[slot] = (activity.WhatId, activity.AccountId);
        }
    }

    private static (long Logged, long Happened, long Due, sbyte Kind, bool IsEvent) FactsOf(OrgIndex index, Activity activity) => (
        activity.CreatedDate.UtcTicks,
        activity.HappenedAt?.UtcTicks ?? OrgIndex.Never,
        activity.DueAt?.UtcTicks ?? OrgIndex.Never,
        (sbyte)index.Kinds.IndexOf(activity),
        activity.Source == ActivitySource.Event);

    // Linked to the Opportunity it is on, else to the Account it is on or rolls up to; an activity on an
    // Opportunity not in the data is on no Account either. -1 for none.
    private static (int Opportunity, int Account) LinkOf(OrgIndex index, string? whatId, string? accountId)
    {
        var opportunity = whatId is not null && index.TryGetIndex(whatId, out var o) ? o : -1;
        return (opportunity, opportunity < 0 ? index.Accounts.AccountGroup(whatId ?? accountId) : -1);
    }

    // Links the slot (see LinkOf); false when linked to nothing.
    private bool Link(OrgIndex index, int slot, string? whatId, string? accountId)
    {
        (_onOpportunity[slot], _onAccount[slot]) = LinkOf(index, whatId, accountId);
        var linked = _onOpportunity[slot] >= 0 || _onAccount[slot] >= 0;
        if (linked)
        {
            _unlinked.Remove(slot);
        }

        return linked;
    }

    private SegmentLinks Links(OrgIndex index, List<(int, int)>? direct, List<(int, int)>? onAccount) =>
        new(Group(_onOpportunity, index.Count, direct), Group(_onAccount, index.Accounts.Ids.Length, onAccount));

    // The links TaskRelation and EventRelation rows add: to Opportunities, else to Accounts.
    private (List<(int, int)> Direct, List<(int, int)> OnAccount) RelationLinks(OrgIndex index, IReadOnlyList<ActivityRelation> relations)
    {
        var slotOf = SlotsById();
        var direct = new List<(int, int)>();
        var onAccount = new List<(int, int)>();
        foreach (var relation in relations)
        {
            if (!slotOf.TryGetValue(relation.ActivityId, out var slot))
            {
                continue;
            }

            if (index.TryGetIndex(relation.RelationId, out var o))
            {
                direct.Add((o, slot));
            }
            else if (index.Accounts.AccountGroup(relation.RelationId) is var account and >= 0)
            {
                onAccount.Add((account, slot));
            }
        }

        return (direct, onAccount);
    }

    // Each Opportunity's arrays, one after another; an Opportunity not affected keeps its arrays from the previous
    // index (copied in runs), the others are made again.
    private (int[], long[], long[], sbyte[], int[], long[], long[], long[], bool[]) Segments(
        OrgIndex index, SegmentLinks links, ActivityIndex? previous, bool[]? affected)
    {
        var doneStart = new int[index.Count + 1];
        var itemStart = new int[index.Count + 1];
        var made = new SegmentLists(previous is null ? Count : 256);
        if (previous is null)
        {
            for (var i = 0; i < index.Count; i++)
            {
                Append(index, i, links, made);
                (doneStart[i + 1], itemStart[i + 1]) = (made.Known.Count, made.ItemCreated.Count);
            }

            return (doneStart, [.. made.Known], [.. made.Happened], [.. made.Kind], itemStart,
                [.. made.ItemCreated], [.. made.ItemDone], [.. made.ItemDue], [.. made.ItemIsEvent]);
        }

        var madeAt = new Dictionary<int, (int Done, int Item)>();
        for (var i = 0; i < index.Count; i++)
        {
            int done, items;
            if (affected![i])
            {
                madeAt[i] = (made.Known.Count, made.ItemCreated.Count);
                Append(index, i, links, made);
                (done, items) = (made.Known.Count - madeAt[i].Done, made.ItemCreated.Count - madeAt[i].Item);
            }
            else
            {
                (done, items) = (previous.DoneStart[i + 1] - previous.DoneStart[i], previous.ItemStart[i + 1] - previous.ItemStart[i]);
            }

            (doneStart[i + 1], itemStart[i + 1]) = (doneStart[i] + done, itemStart[i] + items);
        }

        var (doneCount, itemCount) = (doneStart[^1], itemStart[^1]);
        var (known, happened, kind) = (Uninitialized<long>(doneCount), Uninitialized<long>(doneCount), Uninitialized<sbyte>(doneCount));
        var (itemCreated, itemDone, itemDue, itemIsEvent) = (Uninitialized<long>(itemCount), Uninitialized<long>(itemCount), Uninitialized<long>(itemCount), Uninitialized<bool>(itemCount));
        for (var i = 0; i < index.Count;)
        {
            var end = i + 1;
            int fromDone, fromItem;
            ActivityIndex from;
            if (affected![i])
            {
                (fromDone, fromItem) = madeAt[i];
                from = this;
            }
            else
            {
                while (end < index.Count && !affected[end])
                {
                    end++;
                }

                (fromDone, fromItem, from) = (previous.DoneStart[i], previous.ItemStart[i], previous);
            }

            var (done, items) = (doneStart[end] - doneStart[i], itemStart[end] - itemStart[i]);
            var (toDone, toItem) = (doneStart[i], itemStart[i]);
            if (from == this)
            {
                CollectionsMarshal.AsSpan(made.Known).Slice(fromDone, done).CopyTo(known.AsSpan(toDone));
                CollectionsMarshal.AsSpan(made.Happened).Slice(fromDone, done).CopyTo(happened.AsSpan(toDone));
                CollectionsMarshal.AsSpan(made.Kind).Slice(fromDone, done).CopyTo(kind.AsSpan(toDone));
                CollectionsMarshal.AsSpan(made.ItemCreated).Slice(fromItem, items).CopyTo(itemCreated.AsSpan(toItem));
                CollectionsMarshal.AsSpan(made.ItemDone).Slice(fromItem, items).CopyTo(itemDone.AsSpan(toItem));
                CollectionsMarshal.AsSpan(made.ItemDue).Slice(fromItem, items).CopyTo(itemDue.AsSpan(toItem));
                CollectionsMarshal.AsSpan(made.ItemIsEvent).Slice(fromItem, items).CopyTo(itemIsEvent.AsSpan(toItem));
            }
            else
            {
                Array.Copy(from.Known, fromDone, known, toDone, done);
                Array.Copy(from.Happened, fromDone, happened, toDone, done);
                Array.Copy(from.Kind, fromDone, kind, toDone, done);
                Array.Copy(from.ItemCreated, fromItem, itemCreated, toItem, items);
                Array.Copy(from.ItemDone, fromItem, itemDone, toItem, items);
                Array.Copy(from.ItemDue, fromItem, itemDue, toItem, items);
                Array.Copy(from.ItemIsEvent, fromItem, itemIsEvent, toItem, items);
            }

            i = end;
        }

        return (doneStart, known, happened, kind, itemStart, itemCreated, itemDone, itemDue, itemIsEvent);
    }

    // Appends Opportunity i's arrays: its own activities and its Account's, without duplicates (an activity can reach
    // it by WhatId and by relation), done ones by when they became known and all by when they were logged.
    private void Append(OrgIndex index, int i, SegmentLinks links, SegmentLists into)
    {
        var mine = into.Mine;
        mine.Clear();
        var (byOpportunityStart, byOpportunity) = links.ByOpportunity;
        mine.AddRange(byOpportunity.AsSpan(byOpportunityStart[i], byOpportunityStart[i + 1] - byOpportunityStart[i]));
        var account = index.Accounts.AccountOf[i];
        if (account >= 0)
        {
            var (byAccountStart, byAccount) = links.ByAccount;
            mine.AddRange(byAccount.AsSpan(byAccountStart[account], byAccountStart[account + 1] - byAccountStart[account]));
        }

        mine.Sort();
        if (into.Keys.Length < mine.Count)
        {
            into.Keys = new long[mine.Count * 2];
            into.Members = new int[mine.Count * 2];
        }

        var (keys, members) = (into.Keys, into.Members);
        var count = 0;
        for (var k = 0; k < mine.Count; k++)
        {
            var a = mine[k];
            if ((k == 0 || a != mine[k - 1]) && _happened[a] != OrgIndex.Never)
            {
                keys[count] = Math.Max(_logged[a], _happened[a]);
                members[count++] = a;
            }
        }

        SortByTime(keys, members, count, DoneOrder);
        for (var k = 0; k < count; k++)
        {
            into.Known.Add(keys[k]);
            into.Happened.Add(_happened[members[k]]);
            into.Kind.Add(_kind[members[k]]);
        }

        count = 0;
        for (var k = 0; k < mine.Count; k++)
        {
            if (k == 0 || mine[k] != mine[k - 1])
            {
                keys[count] = _logged[mine[k]];
                members[count++] = mine[k];
            }
        }

        SortByTime(keys, members, count, ItemOrder);
        for (var k = 0; k < count; k++)
        {
            var a = members[k];
            into.ItemCreated.Add(keys[k]);
            into.ItemDone.Add(_happened[a]);
            into.ItemDue.Add(_due[a]);
            into.ItemIsEvent.Add(_isEvent[a]);
        }
    }

    // Sorted by time, and activities of the same time by what the arrays hold of them, so that an Opportunity's
    // arrays depend only on its activities, not on the order they were read or put in.
    private static void SortByTime(long[] keys, int[] members, int count, Comparison<int> tie)
    {
        Array.Sort(keys, members, 0, count);
        for (var start = 0; start < count;)
        {
            var end = start + 1;
            while (end < count && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                members.AsSpan(start, end - start).Sort(tie);
            }

            start = end;
        }
    }

    private int DoneOrder(int a, int b) =>
        _happened[a].CompareTo(_happened[b]) is var c and not 0 ? c : _kind[a].CompareTo(_kind[b]);

    private int ItemOrder(int a, int b) =>
        _happened[a].CompareTo(_happened[b]) is var c and not 0 ? c
        : _due[a].CompareTo(_due[b]) is var d and not 0 ? d
        : _isEvent[a].CompareTo(_isEvent[b]);

    // Each Opportunity's activities linked to it directly, and each Account group's.
    private sealed record SegmentLinks((int[] Start, int[] Values) ByOpportunity, (int[] Start, int[] Values) ByAccount);

    // Arrays being made, and room to sort one Opportunity's activities.
    private sealed class SegmentLists(int capacity)
    {
        public List<long> Known { get; } = new(capacity);

        public List<long> Happened { get; } = new(capacity);

        public List<sbyte> Kind { get; } = new(capacity);

        public List<long> ItemCreated { get; } = new(capacity);

        public List<long> ItemDone { get; } = new(capacity);

        public List<long> ItemDue { get; } = new(capacity);

        public List<bool> ItemIsEvent { get; } = new(capacity);

        public List<int> Mine { get; } = [];

        public long[] Keys { get; set; } = new long[16];

        public int[] Members { get; set; } = new int[16];
    }
}
