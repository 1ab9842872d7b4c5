using SfPredictor.Features.Activities;
using SfPredictor.Features.Currency;
using SfPredictor.Features.Stages;
using SfPredictor.Records;

namespace SfPredictor.Features.Indexing;

/// <summary>
/// Every record of an org arranged once for fast point-in-time lookups: per Opportunity its history
/// and its activities sorted by time, per Account and per owner the closed outcomes sorted by close
/// time. Activities count for an Opportunity when they are linked to it (WhatId or a Task/EventRelation)
/// or to its Account (WhatId or a relation to the Account, or no WhatId and the Account as AccountId);
/// an activity whose WhatId is another Opportunity belongs to that one only.
/// <para>
/// Times: an activity happened when <see cref="Activity.HappenedAt"/> says. An activity counts at T only when it was
/// logged (CreatedDate) and happened at or before T. A Task that is still open never counts as done.
/// A closed Opportunity closed (for its label) when it last entered a closed stage in its history, else
/// at the end of its CloseDate; it counts in its Account's and owner's past win rates from the first
/// time it entered a closed stage, with that stage's outcome. Immutable and thread-safe after construction.
/// </para>
/// </summary>
public sealed class OrgIndex
{
    /// <summary>Sentinel for "never": an open Opportunity's close time, an open Task's completion.</summary>
    internal const long Never = long.MaxValue;

    private readonly Dictionary<string, int> _opportunityIndex = new(SalesforceId.Comparer);

    /// <summary>Indexes an org.</summary>
    /// <exception cref="ArgumentException">A setting is wrong, or a record cannot be used (the message names it).</exception>
    public OrgIndex(OrgData data, FeatureOptions options)
        : this(WithoutActivities(data), options, data, since: null, data.ExtractedAt ?? LatestRecordTime(data, data.Activities()))
    {
    }

    // Indexes `data` (the records but the activities): its activities are `whole`'s, or `since` says how it differs
    // from a previous index, whose history and activities it updates.
    private OrgIndex(OrgData data, FeatureOptions options, OrgData? whole, Since? since, DateTimeOffset dataTime)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        Data = data;
        Options = Schema.FeatureSchema.Effective(options);
        Stages = StageCatalog.FromOrg(data);
        Currency = new CurrencyConverter(data.Currencies, Options.CorporateCurrency);
        Kinds = new ActivityKindMapper([.. Options.ActivityKinds], [.. Options.ActivityTypeFields]);
        if (whole is not null)
        {
            ActivityKindMapper.VerifyTypeFields(whole, Kinds.TypeFields);
        }

        Opportunities = data.Opportunities;
        var count = Opportunities.Count;
        for (var i = 0; i < count; i++)
        {
            if (!_opportunityIndex.TryAdd(Opportunities[i].Id, i))
            {
                throw new ArgumentException($"Opportunity {Opportunities[i].Id} appears twice.", nameof(data));
            }
        }

        Created = new long[count];
        CloseTime = new long[count];
        Won = new bool[count];
        CurrentAmount = new double[count];
        CurrentCloseDate = new long[count];
        CurrentStage = new int[count];
        for (var i = 0; i < count; i++)
        {
            var o = Opportunities[i];
            Created[i] = o.CreatedDate.UtcTicks;
            Won[i] = o.IsClosed && o.IsWon;
            CurrentAmount[i] = Convert(o.Amount, o.CurrencyIsoCode, $"Opportunity {o.Id} Amount");
            CurrentCloseDate[i] = EndOfDay(o.CloseDate);
            CurrentStage[i] = Stages.Find(o.StageName)?.Position ?? -1;
        }

        var previous = since?.Previous;
        History = previous is not null && Stages.Stages.SequenceEqual(previous.Stages.Stages) && data.Currencies.SequenceEqual(previous.Data.Currencies)
            ? previous.History.Update(this, data.OpportunityHistories, since!.Changed(count))
            : new HistoryIndex(this, data.OpportunityHistories);
        OutcomeTime = new long[count];
        OutcomeWon = new bool[count];
        for (var i = 0; i < count; i++)
        {
            CloseTime[i] = Opportunities[i].IsClosed ? Math.Max(Created[i], History.CloseTime(i, CurrentCloseDate[i])) : Never;
            var first = History.FirstClosedRow(i);
            (OutcomeTime[i], OutcomeWon[i]) = first >= 0
                ? (History.Time[first], History.IsWonStage[first])
                : (CloseTime[i], Won[i]);
        }

        Accounts = new AccountIndex(this, data.Accounts);
        Activities = since is null ? new ActivityIndex(this, whole!) : since.Previous.Activities.Update(this, since.Previous, since.Activities);
        DataTime = dataTime;
    }

    /// <summary>
    /// The indexed records but the activities: of each Task and Event the index keeps only what the features read of
    /// it, not the record.
    /// </summary>
    public OrgData Data { get; }

    /// <summary>Tasks and Events indexed.</summary>
    public int ActivityCount => Activities.Count;

    /// <summary>The effective options the index was built with (defaults resolved).</summary>
    public FeatureOptions Options { get; }

    /// <summary>The org's stages.</summary>
    public StageCatalog Stages { get; }

    /// <summary>The currency converter.</summary>
    public CurrencyConverter Currency { get; }

    /// <summary>The activity kind mapper.</summary>
    public ActivityKindMapper Kinds { get; }

    /// <summary>The Opportunities; an Opportunity's index is its position here (and in <see cref="OrgData.Opportunities"/>).</summary>
    public IReadOnlyList<Opportunity> Opportunities { get; }

    /// <summary>Number of Opportunities.</summary>
    public int Count => Opportunities.Count;

    /// <summary>When the data was taken: <see cref="OrgData.ExtractedAt"/>, else the latest timestamp in the records.</summary>
    public DateTimeOffset DataTime { get; }

    internal long[] Created { get; }

    // Never for an Opportunity that is open now.
    internal long[] CloseTime { get; }

    internal bool[] Won { get; }

    // When the Opportunity first entered a closed stage and whether that stage is won: from then on it is
    // part of its Account's and owner's past. The first closing, not the last, so that a reopening and
    // closing again after T cannot change what was known at T.
    internal long[] OutcomeTime { get; }

    internal bool[] OutcomeWon { get; }

    internal double[] CurrentAmount { get; }

    internal long[] CurrentCloseDate { get; }

    internal int[] CurrentStage { get; }

    internal HistoryIndex History { get; }

    internal AccountIndex Accounts { get; }

    internal ActivityIndex Activities { get; }

    /// <summary>The index of an Opportunity Id (15 or 18 characters), or false.</summary>
    public bool TryGetIndex(string opportunityId, out int index)
    {
        ArgumentNullException.ThrowIfNull(opportunityId);
        if (_opportunityIndex.TryGetValue(opportunityId, out index))
        {
            return true;
        }

        index = -1;
        return opportunityId.Length == 15 && SalesforceId.TryNormalize(opportunityId, out var full)
            && _opportunityIndex.TryGetValue(full, out index);
    }

    /// <summary>The index of an Opportunity Id.</summary>
    /// <exception cref="KeyNotFoundException">No such Opportunity.</exception>
    public int IndexOf(string opportunityId) =>
        TryGetIndex(opportunityId, out var index)
            ? index
            : throw new KeyNotFoundException($"Opportunity {opportunityId} is not in the data.");

    /// <summary>When the Opportunity closed, or null when it is open now.</summary>
    public DateTimeOffset? GetCloseTime(int index) =>
        CloseTime[index] == Never ? null : new DateTimeOffset(CloseTime[index], TimeSpan.Zero);

    /// <summary>Whether the Opportunity is closed now and won.</summary>
    public bool IsWon(int index) => Won[index];

    /// <summary>Whether the Opportunity existed and was open at <paramref name="asOf"/>.</summary>
    public bool IsOpenAt(int index, DateTimeOffset asOf)
    {
        var t = asOf.UtcTicks;
        return Created[index] <= t && t < CloseTime[index];
    }

    /// <summary>The indexes of the Opportunities open at <paramref name="asOf"/>, in data order.</summary>
    public int[] OpenAt(DateTimeOffset asOf)
    {
        var open = new List<int>();
        for (var i = 0; i < Count; i++)
        {
            if (IsOpenAt(i, asOf))
            {
                open.Add(i);
            }
        }

        return [.. open];
    }

    /// <summary>
    /// The stage name at <paramref name="asOf"/> from OpportunityHistory (see <see cref="FeatureBuilder"/>),
    /// or null when it cannot be known without looking past <paramref name="asOf"/>.
    /// </summary>
    public string? StageAt(int index, DateTimeOffset asOf) => StageAt(index, asOf.UtcTicks).Name;

    // The stage at t: from the last history row at or before t; before the first row, the first row's
    // stage (entered at creation); without history, the record's stage when that is not the outcome.
    // A closed stage seen only in a row after t, or on a record that closed after t, is the outcome
    // and stays unknown.
    internal StageState StageAt(int index, long t)
    {
        var row = History.RowAt(index, t);
        if (row >= 0)
        {
            return new StageState(row, History.Stage[row], History.StageName[row], History.Entry[row], History.RowProbability[row]);
        }

        if (History.HasHistory(index))
        {
            var first = History.Start[index];
            return History.IsClosedStage[first]
                ? StageState.Unknown
                : new StageState(-1, History.Stage[first], History.StageName[first], Created[index], History.RowProbability[first]);
        }

        if (CloseTime[index] != Never && t < CloseTime[index])
        {
            return StageState.Unknown;
        }

        var o = Opportunities[index];
        return new StageState(-1, CurrentStage[index], o.StageName, Created[index], o.Probability is { } p ? (float)(p / 100m) : float.NaN);
    }

    /// <summary>
    /// The open stages the Opportunity left, in order, from its OpportunityHistory: each stage (its
    /// position in <see cref="Stages"/>), when the deal left it, and whether it moved on (to another open
    /// stage or to a won stage) rather than to a lost one. Rows after the first closed stage (a reopened
    /// deal) are not read; a stage not in the catalog ends nothing.
    /// </summary>
    /// <param name="index">The Opportunity's index.</param>
    /// <param name="exits">Receives the exits (cleared first).</param>
    public void StageExits(int index, List<StageExit> exits)
    {
        ArgumentNullException.ThrowIfNull(exits);
        exits.Clear();
        var history = History;
        for (var g = history.Start[index] + 1; g < history.Start[index + 1]; g++)
        {
            var from = history.Stage[g - 1];
            if (history.IsClosedStage[g - 1])
            {
                return;
            }

            if (from >= 0 && !string.Equals(history.StageName[g], history.StageName[g - 1], StringComparison.OrdinalIgnoreCase))
            {
                var lost = history.IsClosedStage[g] && !history.IsWonStage[g];
                exits.Add(new StageExit(from, new DateTimeOffset(history.Time[g], TimeSpan.Zero), !lost));
            }
        }
    }

    /// <summary>
    /// The index of the org as it is once <paramref name="changes"/> are in: every record there (Opportunities,
    /// history rows, Tasks, Events, Accounts) in place of the one with its Id, or added; Users, stages and currencies
    /// as <paramref name="changes"/> has them (a source reads them whole). The same as indexing the whole org again,
    /// at a fraction of the cost: an Opportunity keeps its index and new ones come last; only the Opportunities a
    /// changed or new activity touches have their activities sorted again, and only those new, changed or with history
    /// rows added have their history computed again (all of them when the stages or currencies changed). This index
    /// stays as it was.
    /// </summary>
    /// <param name="changes">Records new or changed since the data of this index was read.</param>
    /// <exception cref="ArgumentException">A record cannot be used (the message names it).</exception>
    /// <exception cref="InvalidOperationException">This index was built with TaskRelation or EventRelation rows.</exception>
    public OrgIndex Update(OrgData changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.ActivityRelations.Count > 0)
        {
            throw new ArgumentException("TaskRelation and EventRelation rows are read with the whole org, not as changes.", nameof(changes));
        }

        var opportunities = new List<Opportunity>(Opportunities);
        var added = new Dictionary<string, int>(SalesforceId.Comparer);
        var replaced = new HashSet<int>();
        foreach (var o in changes.Opportunities)
        {
            if (TryGetIndex(o.Id, out var i) || added.TryGetValue(o.Id, out i))
            {
                opportunities[i] = o;
                replaced.Add(i);
            }
            else
            {
                added[o.Id] = opportunities.Count;
                opportunities.Add(o);
            }
        }

        // History rows never change: one held already is read again only by an overlap.
        var newRows = new HashSet<string>(SalesforceId.Comparer);
        var accounts = new List<Account>(Data.Accounts);
        var accountAt = new Dictionary<string, int>(SalesforceId.Comparer);
        for (var a = 0; a < accounts.Count; a++)
        {
            accountAt.TryAdd(accounts[a].Id, a);
        }

        foreach (var account in changes.Accounts)
        {
            if (accountAt.TryGetValue(account.Id, out var a))
            {
                accounts[a] = account;
            }
            else
            {
                accountAt[account.Id] = accounts.Count;
                accounts.Add(account);
            }
        }

        var data = new OrgData
        {
            Opportunities = opportunities,
            OpportunityHistories = [.. Data.OpportunityHistories, .. changes.OpportunityHistories.Where(h => !History.Holds(this, h) && newRows.Add(h.Id))],
            Accounts = accounts,
            Users = changes.Users,
            Stages = changes.Stages,
            Currencies = changes.Currencies,
            ExtractedAt = changes.ExtractedAt,
        };
        var activities = changes.Activities().ToList();
        return new OrgIndex(data, Options, whole: null, new Since(this, replaced, activities),
            changes.ExtractedAt ?? Max(DataTime, LatestRecordTime(changes, activities)));
    }

    internal static long EndOfDay(DateOnly date) => Activity.EndOfDay(date).UtcTicks;

    internal double Convert(decimal? amount, string? currency, string what)
    {
        if (amount is not { } value)
        {
            return double.NaN;
        }

        try
        {
            return (double)Currency.ToCorporate(value, currency);
        }
        catch (KeyNotFoundException e)
        {
            throw new ArgumentException($"{what}: {e.Message}", e);
        }
    }

    // What an updated index differs by from the previous one: the Opportunities replaced (new ones come after the
    // previous ones), and the Tasks and Events new or changed.
    private sealed record Since(OrgIndex Previous, HashSet<int> Replaced, IReadOnlyList<Activity> Activities)
    {
        public bool[] Changed(int count)
        {
            var changed = new bool[count];
            for (var i = 0; i < count; i++)
            {
                changed[i] = i >= Previous.Count || Replaced.Contains(i);
            }

            return changed;
        }
    }

    // Position is in this index's catalog; RowProbability is the probability stored with the stage.
    internal readonly record struct StageState(int Row, int Position, string? Name, long Entry, float RowProbability)
    {
        public static StageState Unknown { get; } = new(-1, -1, null, 0, float.NaN);

        public bool IsKnown => Name is not null;
    }

    // The records but the activities, which the index keeps only as what the features read of them.
    private static OrgData WithoutActivities(OrgData data) => data is null ? throw new ArgumentNullException(nameof(data)) : new()
    {
        Accounts = data.Accounts,
        Users = data.Users,
        Opportunities = data.Opportunities,
        OpportunityHistories = data.OpportunityHistories,
        Stages = data.Stages,
        Currencies = data.Currencies,
        ExtractedAt = data.ExtractedAt,
    };

    private static DateTimeOffset LatestRecordTime(OrgData data, IEnumerable<Activity> activities)
    {
        var latest = DateTimeOffset.MinValue;
        foreach (var o in data.Opportunities)
        {
            latest = Max(latest, Max(o.CreatedDate, Max(o.LastModifiedDate, o.SystemModstamp)));
        }

        foreach (var h in data.OpportunityHistories)
        {
            latest = Max(latest, h.CreatedDate);
        }

        foreach (var a in activities)
        {
            latest = Max(latest, Max(a.CreatedDate, a.SystemModstamp));
        }

        return latest;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}

/// <summary>An open stage a deal left (<see cref="OrgIndex.StageExits"/>).</summary>
/// <param name="Stage">The stage's position in the org's stage catalog.</param>
/// <param name="Time">When the deal left it.</param>
/// <param name="Passed">Whether it moved on to another open stage or was won, rather than lost.</param>
public readonly record struct StageExit(int Stage, DateTimeOffset Time, bool Passed);
