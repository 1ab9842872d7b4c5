using System.Globalization;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;

namespace SfPredictor.Features;

/// <summary>
/// Builds the feature row of an Opportunity as of a point in time T from records that existed at T
/// only: history rows, activities, and other Opportunities' outcomes dated at or before T. The same
/// code serves training (T = snapshot times) and live scoring (T = now). Two exceptions use current
/// values because the record model has no history for them: Type, Lead Source, the Account's fields and
/// admin-configured extra fields; and an Opportunity without any history row takes its stage, amount and
/// close date from the record, except that a record which closed after T shows no stage and no close date.
/// Thread-safe; <see cref="Build(int, DateTimeOffset, Span{float})"/> does not allocate.
/// </summary>
public sealed class FeatureBuilder
{
    private readonly OrgIndex _index;
    private readonly FeatureLayout _layout;
    private readonly long[] _windowTicks;
    private readonly int[] _typeColumn;
    private readonly int[] _leadSourceColumn;
    private readonly int[] _industryColumn;
    private readonly ExtraValues _extras;

    // Index catalog position -> the schema's stage position and default probability (NaN when unknown).
    private readonly float[] _stagePosition;
    private readonly float[] _stageProbability;

    // Per history row: moves back to an earlier stage so far, by the schema's stage order.
    private readonly int[] _backwardMoves;

    /// <summary>A builder whose schema takes its vocabularies from the indexed data (for training).</summary>
    /// <exception cref="ArgumentException">The options' activity kinds differ from the ones the index was built with.</exception>
    public FeatureBuilder(OrgIndex index, FeatureOptions options)
        : this(index, FeatureSchema.Create(index, options))
    {
    }

    /// <summary>A builder for a given schema (for scoring with a trained model's schema).</summary>
    /// <exception cref="ArgumentException">The index was built with other activity kinds, or an extra field value cannot be read.</exception>
    public FeatureBuilder(OrgIndex index, FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(schema);
        var indexKinds = index.Options.ActivityKinds;
        var schemaKinds = schema.Options.ActivityKinds;
        if (indexKinds.Count != schemaKinds.Count
            || !indexKinds.Zip(schemaKinds).All(p => SameKind(p.First, p.Second))
            || !index.Options.ActivityTypeFields.SequenceEqual(schema.Options.ActivityTypeFields, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The index maps activities to [{string.Join(", ", indexKinds.Select(k => k.Name))}] but the schema expects " +
                $"[{string.Join(", ", schemaKinds.Select(k => k.Name))}]; build the OrgIndex with the schema's Options.",
                nameof(schema));
        }

        if (!string.Equals(index.Options.CorporateCurrency, schema.Options.CorporateCurrency, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The schema's CorporateCurrency is '{schema.Options.CorporateCurrency}', the index's '{index.Options.CorporateCurrency}'.",
                nameof(schema));
        }

        _index = index;
        Schema = schema;
        _layout = schema.Layout;
        _windowTicks = [.. _layout.Windows.Select(w => w * TimeSpan.TicksPerDay)];
        var vocabularies = schema.Categories.ToDictionary(c => c.Source, StringComparer.OrdinalIgnoreCase);
        _typeColumn = CategoryColumns(vocabularies, FeatureCategory.OpportunityType, _layout.CategoryStarts[0], i => index.Opportunities[i].Type);
        _leadSourceColumn = CategoryColumns(vocabularies, FeatureCategory.LeadSource, _layout.CategoryStarts[1], i => index.Opportunities[i].LeadSource);
        _industryColumn = CategoryColumns(vocabularies, FeatureCategory.Industry, _layout.CategoryStarts[2], i =>
            index.Accounts.AccountOf[i] is var a and >= 0 ? index.Accounts.Records[a]?.Industry : null);
        _extras = new ExtraValues(index, schema);
        (_stagePosition, _stageProbability) = StageMaps(index, schema);
        _backwardMoves = BackwardMoves(index, _stagePosition);
    }

    /// <summary>The schema of the rows this builder writes.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>The index the builder reads.</summary>
    public OrgIndex Index => _index;

    /// <summary>Number of columns of a row.</summary>
    public int Width => Schema.Width;

    /// <summary>Writes the features of an Opportunity as of <paramref name="asOf"/> into <paramref name="row"/>.</summary>
    /// <exception cref="KeyNotFoundException">The Opportunity is not in the index.</exception>
    public void Build(string opportunityId, DateTimeOffset asOf, Span<float> row) =>
        Build(_index.IndexOf(opportunityId), asOf, row);

    /// <summary>Writes the features of the Opportunity at index <paramref name="opportunity"/> as of <paramref name="asOf"/>.</summary>
    public void Build(int opportunity, DateTimeOffset asOf, Span<float> row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(opportunity);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(opportunity, _index.Count);
        if (row.Length != Width)
        {
            throw new ArgumentException($"The row has {row.Length} values; the schema has {Width} columns.", nameof(row));
        }

        var t = asOf.UtcTicks;
        row.Clear();
        var entry = WriteStageAndDeal(opportunity, t, row);
        WriteActivities(opportunity, t, entry, row);
        WriteOpenItems(opportunity, t, row);
        WriteAccountAndHistory(opportunity, t, row);
        SetOneHot(row, _typeColumn[opportunity]);
        SetOneHot(row, _leadSourceColumn[opportunity]);
        SetOneHot(row, _industryColumn[opportunity]);
        _extras.Write(opportunity, row);
    }

    /// <summary>
    /// Turns the row into the row as if one more activity of the kind had been done at its point in time,
    /// at the current stage (see <see cref="FeatureSchema.ApplyActivity"/>).
    /// </summary>
    public void ApplyActivity(Span<float> row, int activityKindIndex) => Schema.ApplyActivity(row, activityKindIndex);

    /// <summary>
    /// Counts the activities of each kind the Opportunity had done by <paramref name="asOf"/> in each stage,
    /// by the stage it was in when the activity happened: <c>counts[stage * kinds + kind]</c>, with stage the
    /// position in <see cref="OrgIndex.Stages"/> and kind the schema's kind index. Activities before the
    /// Opportunity was created or in an unknown stage do not count.
    /// </summary>
    /// <param name="opportunity">Index position of the Opportunity.</param>
    /// <param name="asOf">The point in time.</param>
    /// <param name="counts">Stages × kinds values; cleared first.</param>
    /// <returns>The position in <see cref="OrgIndex.Stages"/> of the stage at <paramref name="asOf"/>, or -1 when unknown.</returns>
    public int CountActivitiesByStage(int opportunity, DateTimeOffset asOf, Span<float> counts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(opportunity);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(opportunity, _index.Count);
        var kinds = Schema.ActivityKinds.Count;
        if (counts.Length != _index.Stages.Stages.Count * kinds)
        {
            throw new ArgumentException($"The counts need {_index.Stages.Stages.Count} stages × {kinds} kinds values.", nameof(counts));
        }

        counts.Clear();
        var t = asOf.UtcTicks;
        var activities = _index.Activities;
        var start = activities.DoneStart[opportunity];
        var end = SortedKeys.UpperBound(activities.Known, start, activities.DoneStart[opportunity + 1], t);
        var created = _index.Created[opportunity];
        for (var j = start; j < end; j++)
        {
            var kind = activities.Kind[j];
            var happened = activities.Happened[j];
            if (kind < 0 || happened < created || happened > t)
            {
                continue;
            }

            var stage = _index.StageAt(opportunity, happened).Position;
            if (stage >= 0 && (stage * kinds) + kind < counts.Length)
            {
                counts[(stage * kinds) + kind]++;
            }
        }

        return _index.StageAt(opportunity, t).Position;
    }

    // Returns when the current stage was entered (the creation time when unknown).
    private long WriteStageAndDeal(int i, long t, Span<float> row)
    {
        var history = _index.History;
        var stage = _index.StageAt(i, t);
        var created = _index.Created[i];
        row[FeatureLayout.StagePosition] = stage.Position >= 0 ? _stagePosition[stage.Position] : float.NaN;
        var probability = stage.Position >= 0 ? _stageProbability[stage.Position] : float.NaN;
        row[FeatureLayout.StageProbability] = float.IsNaN(probability) ? stage.RowProbability : probability;
        row[FeatureLayout.DaysInStage] = stage.IsKnown ? Days(t - stage.Entry) : float.NaN;

        double amount;
        long closeDate;
        if (stage.Row >= 0)
        {
            var r = stage.Row;
            row[FeatureLayout.StageChanges] = history.Changes[r];
            row[FeatureLayout.StageBackwardMoves] = _backwardMoves[r];
            row[FeatureLayout.CloseDatePushes] = history.Pushes[r];
            row[FeatureLayout.CloseDatePushDays] = history.PushDays[r];
            amount = history.Amount[r];
            closeDate = history.CloseDate[r];
        }
        else if (history.HasHistory(i))
        {
            var first = history.Start[i];
            amount = history.Amount[first];
            closeDate = history.CloseDate[first];
        }
        else
        {
            amount = _index.CurrentAmount[i];
            var outcomeKnown = _index.CloseTime[i] == OrgIndex.Never || t >= _index.CloseTime[i];
            closeDate = outcomeKnown ? _index.CurrentCloseDate[i] : 0;
        }

        row[FeatureLayout.Amount] = (float)amount;
        row[FeatureLayout.LogAmount] = amount >= 0 ? (float)Math.Log(1 + amount) : float.NaN;
        row[FeatureLayout.AgeDays] = Days(t - created);
        row[FeatureLayout.DaysToClose] = closeDate != 0 ? Days(closeDate - t) : float.NaN;
        return stage.IsKnown ? stage.Entry : created;
    }

    private void WriteActivities(int i, long t, long stageEntry, Span<float> row)
    {
        var activities = _index.Activities;
        var start = activities.DoneStart[i];
        var end = SortedKeys.UpperBound(activities.Known, start, activities.DoneStart[i + 1], t);
        var kinds = _layout.KindCount;
        Span<long> last = stackalloc long[kinds + 1];
        last.Fill(long.MinValue);
        var windows = _windowTicks;
        var created = _index.Created[i];
        var perKind = _layout.PerKind;
        for (var j = start; j < end; j++)
        {
            var happened = activities.Happened[j];
            var kind = activities.Kind[j];
            var any = _layout.AnyStart;
            var own = kind >= 0 ? FeatureLayout.KindsStart + (kind * perKind) : -1;
            for (var w = 0; w < windows.Length; w++)
            {
                if (happened > t - windows[w])
                {
                    row[any + w]++;
                    if (own >= 0)
                    {
                        row[own + w]++;
                    }
                }
            }

            if (happened >= created)
            {
                row[any + _layout.TotalOffset]++;
                if (own >= 0)
                {
                    row[own + _layout.TotalOffset]++;
                }
            }

            if (happened >= stageEntry && _layout.InStageOffset >= 0)
            {
                row[any + _layout.InStageOffset]++;
                if (own >= 0)
                {
                    row[own + _layout.InStageOffset]++;
                }
            }

            last[kinds] = Math.Max(last[kinds], happened);
            if (kind >= 0)
            {
                last[kind] = Math.Max(last[kind], happened);
            }
        }

        for (var k = 0; k <= kinds; k++)
        {
            var column = _layout.KindColumn(k == kinds ? -1 : k, _layout.DaysSinceOffset);
            row[column] = last[k] == long.MinValue ? float.NaN : Days(t - last[k]);
        }

        if (_layout.Bands > 0)
        {
            WriteStageBands(i, t, start, end, row);
        }
    }

    // Each activity of a kind counts in the band of the stage the Opportunity was in when it happened,
    // weighted by recency; activities before creation or in an unknown stage do not count.
    private void WriteStageBands(int i, long t, int start, int end, Span<float> row)
    {
        var activities = _index.Activities;
        var created = _index.Created[i];
        var halfLife = Schema.Options.StageBandHalfLifeDays * (double)TimeSpan.TicksPerDay;
        for (var j = start; j < end; j++)
        {
            var kind = activities.Kind[j];
            var happened = activities.Happened[j];
            if (kind < 0 || happened < created)
            {
                continue;
            }

            var stage = _index.StageAt(i, happened);
            var band = stage.Position >= 0 ? _layout.BandOf(_stagePosition[stage.Position]) : -1;
            if (band >= 0)
            {
                row[_layout.BandColumn(kind, band)] += halfLife > 0 ? (float)Math.Exp(-Math.Log(2) * (t - happened) / halfLife) : 1f;
            }
        }
    }

    private void WriteOpenItems(int i, long t, Span<float> row)
    {
        var activities = _index.Activities;
        var start = activities.ItemStart[i];
        var end = SortedKeys.UpperBound(activities.ItemCreated, start, activities.ItemStart[i + 1], t);
        int open = 0, overdue = 0, upcoming = 0;
        for (var j = start; j < end; j++)
        {
            if (activities.ItemDone[j] <= t)
            {
                continue;
            }

            if (activities.ItemIsEvent[j])
            {
                upcoming++;
            }
            else
            {
                open++;
                overdue += activities.ItemDue[j] < t ? 1 : 0;
            }
        }

        row[_layout.OpenTasks] = open;
        row[_layout.OverdueTasks] = overdue;
        row[_layout.UpcomingEvents] = upcoming;
    }

    private void WriteAccountAndHistory(int i, long t, Span<float> row)
    {
        var accounts = _index.Accounts;
        var account = accounts.AccountOf[i];
        row[_layout.AccountLogEmployees] = account >= 0 ? accounts.LogEmployees[account] : float.NaN;
        row[_layout.AccountLogRevenue] = account >= 0 ? accounts.LogRevenue[account] : float.NaN;

        // The Opportunity's own outcome is never part of its past.
        var self = _index.OutcomeTime[i] <= t;
        var selfWin = self && _index.OutcomeWon[i] ? 1 : 0;
        var (accountDeals, accountWins) = accounts.AccountOutcomes.At(account, t);
        if (account >= 0 && self)
        {
            accountDeals--;
            accountWins -= selfWin;
        }

        row[_layout.AccountPastDeals] = accountDeals;
        row[_layout.AccountPastWins] = accountWins;
        row[_layout.AccountWinRate] = (accountWins + 1f) / (accountDeals + 2f);
        if (_layout.OwnerPastDeals < 0)
        {
            return;
        }

        var (ownerDeals, ownerWins) = accounts.OwnerOutcomes.At(accounts.OwnerOf[i], t);
        if (accounts.OwnerOf[i] >= 0 && self)
        {
            ownerDeals--;
            ownerWins -= selfWin;
        }

        row[_layout.OwnerPastDeals] = ownerDeals;
        row[_layout.OwnerPastWins] = ownerWins;
        row[_layout.OwnerWinRate] = (ownerWins + 1f) / (ownerDeals + 2f);
    }

    private static void SetOneHot(Span<float> row, int column)
    {
        if (column >= 0)
        {
            row[column] = 1;
        }
    }

    private static float Days(long ticks) => (float)(ticks / (double)TimeSpan.TicksPerDay);

    private int[] CategoryColumns(
        Dictionary<string, FeatureCategory> vocabularies, string source, int start, Func<int, string?> value)
    {
        var columns = new int[_index.Count];
        Array.Fill(columns, -1);
        if (!vocabularies.TryGetValue(source, out var vocabulary))
        {
            return columns;
        }

        var lookup = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var v = 0; v < vocabulary.Values.Count; v++)
        {
            lookup.TryAdd(vocabulary.Values[v], start + v);
        }

        for (var i = 0; i < columns.Length; i++)
        {
            var text = value(i)?.Trim();
            if (!string.IsNullOrEmpty(text) && lookup.TryGetValue(text, out var column))
            {
                columns[i] = column;
            }
        }

        return columns;
    }

    private static (float[] Position, float[] Probability) StageMaps(OrgIndex index, FeatureSchema schema)
    {
        var known = schema.Stages.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
        var stages = index.Stages.Stages;
        var position = new float[stages.Count];
        var probability = new float[stages.Count];
        for (var p = 0; p < stages.Count; p++)
        {
            var frozen = known.GetValueOrDefault(stages[p].Name);
            position[p] = frozen?.Position ?? float.NaN;
            var percent = frozen is null ? stages[p].DefaultProbability : frozen.DefaultProbability;
            probability[p] = percent is { } value ? (float)(value / 100m) : float.NaN;
        }

        return (position, probability);
    }

    private static int[] BackwardMoves(OrgIndex index, float[] stagePosition)
    {
        var history = index.History;
        var moves = new int[history.Time.Length];
        for (var i = 0; i < index.Count; i++)
        {
            for (var g = history.Start[i] + 1; g < history.Start[i + 1]; g++)
            {
                var from = history.Stage[g - 1] >= 0 ? stagePosition[history.Stage[g - 1]] : float.NaN;
                var to = history.Stage[g] >= 0 ? stagePosition[history.Stage[g]] : float.NaN;
                moves[g] = moves[g - 1] + (to < from ? 1 : 0);
            }
        }

        return moves;
    }

    private static bool SameKind(Activities.ActivityKind a, Activities.ActivityKind b) =>
        string.Equals(a.Name, b.Name, StringComparison.Ordinal)
        && a.Types.SequenceEqual(b.Types, StringComparer.Ordinal)
        && a.SubjectKeywords.SequenceEqual(b.SubjectKeywords, StringComparer.Ordinal)
        && a.SubjectPatterns.SequenceEqual(b.SubjectPatterns, StringComparer.Ordinal)
        && a.KeywordChannels.SequenceEqual(b.KeywordChannels, StringComparer.Ordinal);

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"FeatureBuilder({_index.Count} opportunities, {Schema})");
}
