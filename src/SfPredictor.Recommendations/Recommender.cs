using SfPredictor.Scoring.Effects;
using System.Buffers;
using System.Runtime.ExceptionServices;
using SfPredictor.Features;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;
using SfPredictor.Records;
using SfPredictor.Recommendations.Explanations;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Trees;

namespace SfPredictor.Recommendations;

/// <summary>
/// Scores open Opportunities, recommends the next best activities and explains each score.
/// <para>
/// For every Opportunity of a batch it builds the feature row as of T and one counterfactual row per
/// enabled activity kind (one more activity of the kind done at T, in the current stage), and scores all
/// rows of the batch in one model call. A kind's uplift is its row's probability minus the Opportunity's.
/// </para>
/// <para>
/// With the model's <see cref="StageKindEffects"/> (and <see cref="RecommendationOptions.UseStageKindEffects"/>),
/// no counterfactual rows are scored: a kind's uplift is what its log-odds gain g in the current stage, given
/// how many of that kind were already done in it (<see cref="StageKindEffects.LogOddsGain"/>), does to the
/// Opportunity's probability p: with effects fitted per stage gate, g raises every gate still ahead
/// (<see cref="GatesAhead"/>); with effects fitted on snapshots, the uplift is
/// <c>sigmoid(L + g) − p</c>, L the log-odds of p. An Opportunity in a stage the effects do not know (e.g. one
/// added after training) gets no recommendations.
/// </para>
/// <para>
/// A factor's impact is the Opportunity's probability minus its probability without that factor. With
/// <see cref="ExplanationMethod.TreePath"/> the factor's columns' path contributions c (see
/// <see cref="TreePathContributions"/>, against the open deals of the <see cref="ExplanationReference"/>)
/// are taken out of the trees' margin m: <c>impact = P(m) − P(m − c)</c>, with P the model's calibration
/// (<see cref="OnnxTreeEnsemble.ProbabilityOfMargin"/>: Platt's sigmoid or the isotonic lookup). With <see cref="ExplanationMethod.Replacement"/>, or when the model's trees
/// cannot be read, the batch also holds one row per factor with that aspect set to the reference's
/// typical value, and the impact is the difference of the two probabilities.
/// </para>
/// Thread-safe; results do not depend on batch size or parallelism.
/// </summary>
public sealed class Recommender
{
    private readonly FeatureBuilder _builder;
    private readonly OnnxScorer _scorer;
    private readonly RecommendationOptions _options;
    private readonly float[] _reference;
    private readonly int[] _kinds;
    private readonly int[] _daysSinceColumns;
    private readonly string[] _kindNames;
    private readonly IReadOnlyList<FactorGroup> _groups;
    private readonly TreePathContributions? _paths;
    private readonly BatchLayout _layout;

    // With stage × kind effects: per stage of the index's catalog, the weight of each schema kind and the
    // log-odds of the gates from it on (null for a stage the effects do not know); null when the
    // counterfactual rows are scored instead.
    private readonly StageEffect?[]? _stageWeights;

    /// <summary>Creates a recommender over an indexed org and a loaded model.</summary>
    /// <param name="builder">Builds rows with the model's feature schema.</param>
    /// <param name="scorer">The model; not owned (the caller disposes it).</param>
    /// <param name="reference">What a typical Opportunity looks like, for the explanations.</param>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <param name="effects">
    /// The model's stage × kind activity effects (the model package's <c>activity-effects.json</c>), used to rank the kinds when
    /// <see cref="RecommendationOptions.UseStageKindEffects"/> is on; <see langword="null"/>: counterfactual rows.
    /// </param>
    /// <exception cref="ArgumentException">The model, the rows, the reference and the effects disagree in width, schema or kinds, or a disabled kind is not a kind of the schema.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range; the message names it.</exception>
    public Recommender(FeatureBuilder builder, OnnxScorer scorer, ExplanationReference reference, RecommendationOptions? options = null, StageKindEffects? effects = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(reference);
        _options = options ?? new RecommendationOptions();
        _options.Validate();
        var schema = builder.Schema;
        if (scorer.FeatureCount != builder.Width)
        {
            throw new ArgumentException($"The model expects {scorer.FeatureCount} features per row but the feature schema has {builder.Width}.", nameof(scorer));
        }

        if (reference.SchemaHash != schema.Hash)
        {
            throw new ArgumentException($"The explanation reference was computed for feature schema {reference.SchemaHash}, not {schema.Hash}.", nameof(reference));
        }

        var disabled = new HashSet<int>();
        for (var i = 0; i < _options.DisabledKinds.Count; i++)
        {
            var kind = schema.ActivityKindIndex(_options.DisabledKinds[i].Trim());
            if (kind < 0)
            {
                throw new ArgumentException(
                    $"{RecommendationOptions.SectionName}:DisabledKinds:{i} '{_options.DisabledKinds[i]}' is not an activity kind of the model; its kinds are {string.Join(", ", schema.ActivityKinds)}.",
                    nameof(options));
            }

            disabled.Add(kind);
        }

        _builder = builder;
        _scorer = scorer;
        _reference = reference.Values.ToArray();
        _kinds = [.. Enumerable.Range(0, schema.ActivityKinds.Count).Where(k => !disabled.Contains(k))];
        _daysSinceColumns = [.. _kinds.Select(schema.DaysSinceColumn)];
        _kindNames = [.. _kinds.Select(k => schema.ActivityKinds[k])];
        // Without factors to show, the explanation rows would be scored for nothing.
        _groups = _options.MaxFactors > 0 ? FactorGroup.For(schema) : [];
        if (_groups.Count > 0 && _options.Explanations == ExplanationMethod.TreePath && scorer.TreeEnsemble is { } trees)
        {
            _paths = reference.PathsFor(trees);
        }

        if (effects is not null && _options.UseStageKindEffects)
        {
            if (effects.FeatureHash != schema.Hash || !effects.ActivityKinds.SequenceEqual(schema.ActivityKinds))
            {
                throw new ArgumentException(
                    $"The activity effects were fitted for feature schema {effects.FeatureHash} with kinds {string.Join(", ", effects.ActivityKinds)}, not {schema.Hash} with {string.Join(", ", schema.ActivityKinds)}.",
                    nameof(effects));
            }

            var byName = effects.Stages.Select((s, i) => new StageEffect(s, effects.RemainingGateLogOdds(i), effects.CountTerms(i))).ToDictionary(s => s.Weights.Stage, StringComparer.OrdinalIgnoreCase);
            _stageWeights = [.. builder.Index.Stages.Stages.Select(s => byName.GetValueOrDefault(s.Name))];
        }

        _layout = new BatchLayout(builder.Width, _stageWeights is null ? _kinds.Length : 0, _paths is null ? _groups.Count : 0);
    }

    /// <summary>The indexed org the recommender works on.</summary>
    public OrgIndex Index => _builder.Index;

    /// <summary>The activity kinds that may be recommended (schema kinds minus the disabled ones).</summary>
    public IReadOnlyList<string> EnabledKinds => _kindNames;

    /// <summary>Whether kinds are ranked by the model's stage × kind effects rather than by counterfactual rows.</summary>
    public bool UsesStageKindEffects => _stageWeights is not null;

    /// <summary>Model rows scored per Opportunity: itself, one per enabled kind (none with stage × kind effects), and with replacement explanations one per factor.</summary>
    public int RowsPerOpportunity => _layout.RowsPerOpportunity;

    /// <summary>
    /// How factors are measured: <see cref="RecommendationOptions.Explanations"/>, except that a model whose trees
    /// cannot be read is explained by <see cref="ExplanationMethod.Replacement"/>; <see langword="null"/> when no factors are wanted.
    /// </summary>
    public ExplanationMethod? Explanations => _groups.Count == 0 ? null : _paths is null ? ExplanationMethod.Replacement : ExplanationMethod.TreePath;

    /// <summary>
    /// Everything needed to recommend for an org with a model: indexes the records with the model's
    /// feature settings and takes the typical open deal at <paramref name="asOf"/> as the explanations' reference.
    /// </summary>
    /// <param name="org">The org's records.</param>
    /// <param name="schema">The feature schema the model was trained with (e.g. the model package's schema).</param>
    /// <param name="scorer">The model; not owned.</param>
    /// <param name="asOf">The point in time the recommendations are for.</param>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <param name="effects">The model's stage × kind activity effects (e.g. the model package's), or <see langword="null"/>.</param>
    /// <exception cref="InvalidOperationException">No Opportunity is open at <paramref name="asOf"/>.</exception>
    public static Recommender Create(OrgData org, FeatureSchema schema, OnnxScorer scorer, DateTimeOffset asOf, RecommendationOptions? options = null, StageKindEffects? effects = null)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(schema);
        var builder = new FeatureBuilder(new OrgIndex(org, schema.Options), schema);
        return new Recommender(builder, scorer, ExplanationReference.FromOpenOpportunities(builder, asOf), options, effects);
    }

    /// <summary>Recommends for every Opportunity open at <paramref name="asOf"/>, in data order.</summary>
    /// <param name="asOf">The point in time ("now").</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    public IReadOnlyList<OpportunityRecommendation> RecommendOpen(DateTimeOffset asOf, CancellationToken cancellationToken = default) =>
        Recommend(_builder.Index.OpenAt(asOf), asOf, cancellationToken);

    /// <summary>Recommends for the Opportunities with the given Ids (15 or 18 characters), in that order.</summary>
    /// <exception cref="KeyNotFoundException">An Id is not in the indexed data; the message names it.</exception>
    public IReadOnlyList<OpportunityRecommendation> Recommend(IReadOnlyList<string> opportunityIds, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opportunityIds);
        return Recommend([.. opportunityIds.Select(_builder.Index.IndexOf)], asOf, cancellationToken);
    }

    /// <summary>Recommends for the Opportunities at the given index positions (see <see cref="OrgIndex"/>), in that order.</summary>
    /// <param name="opportunities">Index positions.</param>
    /// <param name="asOf">The point in time ("now").</param>
    /// <param name="cancellationToken">Checked before every batch and passed to the model.</param>
    /// <exception cref="ArgumentOutOfRangeException">A position is outside the index.</exception>
    public IReadOnlyList<OpportunityRecommendation> Recommend(IReadOnlyList<int> opportunities, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opportunities);
        foreach (var i in opportunities)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(i, nameof(opportunities));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, _builder.Index.Count, nameof(opportunities));
        }

        var results = new OpportunityRecommendation[opportunities.Count];
        var size = _options.BatchSize;
        var batches = (opportunities.Count + size - 1) / size;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken };
        try
        {
            Parallel.For(
                0,
                batches,
                parallel,
                () => new Buffers(_layout.Rows(size) * _layout.Width, _layout.Rows(size), _layout.Width, _groups.Count, _stageWeights is null ? 0 : _stageWeights.Length * _builder.Schema.ActivityKinds.Count),
                (batch, _, buffers) =>
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var start = batch * size;
                    var count = Math.Min(size, opportunities.Count - start);
                    RunBatch(opportunities, start, count, asOf, buffers, results, cancellationToken);
                    return buffers;
                },
                buffers => buffers.Dispose());
        }
        catch (AggregateException e)
        {
            // Callers see the first failure itself, as they would without parallel batches (the
            // other batches running then usually failed the same way).
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return results;
    }

    private void RunBatch(IReadOnlyList<int> opportunities, int start, int count, DateTimeOffset asOf, Buffers buffers, OpportunityRecommendation[] results, CancellationToken cancellationToken)
    {
        var rows = buffers.Rows.AsSpan(0, _layout.Rows(count) * _layout.Width);
        var probabilities = buffers.Probabilities.AsSpan(0, _layout.Rows(count));
        for (var j = 0; j < count; j++)
        {
            WriteRows(opportunities[start + j], asOf, rows, j);
        }

        _scorer.Score(rows, probabilities, cancellationToken);
        for (var j = 0; j < count; j++)
        {
            results[start + j] = Interpret(opportunities[start + j], asOf, rows, probabilities, j, buffers);
        }
    }

    /// <summary>Writes the block of rows of one Opportunity (see <see cref="BatchLayout"/>).</summary>
    internal void WriteRows(int opportunity, DateTimeOffset asOf, Span<float> rows, int slot)
    {
        var row = _layout.Row(rows, _layout.BaseRow(slot));
        _builder.Build(opportunity, asOf, row);
        for (var e = 0; e < _layout.Kinds; e++)
        {
            var counterfactual = _layout.Row(rows, _layout.KindRow(slot, e));
            row.CopyTo(counterfactual);
            _builder.ApplyActivity(counterfactual, _kinds[e]);
        }

        for (var g = 0; g < _layout.Groups; g++)
        {
            var replaced = _layout.Row(rows, _layout.GroupRow(slot, g));
            row.CopyTo(replaced);
            foreach (var c in _groups[g].Columns)
            {
                replaced[c] = _reference[c];
            }
        }
    }

    private OpportunityRecommendation Interpret(int opportunity, DateTimeOffset asOf, Span<float> rows, Span<float> probabilities, int slot, Buffers buffers)
    {
        var row = _layout.Row(rows, _layout.BaseRow(slot));
        double probability = probabilities[_layout.BaseRow(slot)];
        var minUplift = _options.MinUpliftPoints / 100;
        Span<double> uplifts = stackalloc double[_options.MaxRecommendations];
        Span<int> kinds = stackalloc int[_options.MaxRecommendations];
        var count = 0;
        var gains = new ActivityRecommendation[_kinds.Length];
        var effects = _stageWeights is null ? default : StageEffects(opportunity, asOf, buffers.Counts);
        var gates = new GatesAhead(effects.Stage?.RemainingGateLogOdds, probability);
        for (var e = 0; e < _kinds.Length; e++)
        {
            var uplift = _stageWeights is null
                ? probabilities[_layout.KindRow(slot, e)] - probability
                : EffectUplift(effects, _kinds[e], gates);
            gains[e] = new ActivityRecommendation(_kindNames[e], uplift);
            var cooling = row[_daysSinceColumns[e]] < _options.CooldownDays;
            if (uplift >= minUplift && uplift > 0 && !cooling)
            {
                InsertDescending(uplifts, kinds, ref count, uplift, e);
            }
        }

        var recommendations = new ActivityRecommendation[count];
        for (var r = 0; r < count; r++)
        {
            recommendations[r] = new ActivityRecommendation(_kindNames[kinds[r]], uplifts[r]);
        }

        var impacts = buffers.Impacts.AsSpan(0, _groups.Count);
        if (_paths is null)
        {
            for (var g = 0; g < _layout.Groups; g++)
            {
                impacts[g] = probability - probabilities[_layout.GroupRow(slot, g)];
            }
        }
        else
        {
            PathImpacts(row, buffers.Contributions.AsSpan(0, _layout.Width), impacts);
        }

        var minImpact = _options.MinFactorPoints / 100;
        Span<double> sizes = stackalloc double[_options.MaxFactors];
        Span<int> groups = stackalloc int[_options.MaxFactors];
        count = 0;
        for (var g = 0; g < impacts.Length; g++)
        {
            var impact = impacts[g];
            if (Math.Abs(impact) >= minImpact && impact != 0)
            {
                InsertDescending(sizes, groups, ref count, Math.Abs(impact), g);
            }
        }

        var factors = new ScoreFactor[count];
        for (var f = 0; f < count; f++)
        {
            var g = groups[f];
            factors[f] = new ScoreFactor(_groups[g].Describe(row), impacts[g]);
        }

        // Stable sort: equal gains keep schema order, so results stay deterministic.
        ActivityRecommendation[] kindGains = [.. gains.OrderByDescending(g => g.Uplift)];
        return new OpportunityRecommendation(_builder.Index.Opportunities[opportunity].Id, probability, recommendations, factors, kindGains);
    }

    // The stage's weights and the counts of each kind done in it so far; no weights when the stage is unknown.
    private (StageEffect? Stage, float[] Counts, int Offset, float Any) StageEffects(int opportunity, DateTimeOffset asOf, float[] counts)
    {
        var kinds = _builder.Schema.ActivityKinds.Count;
        var stage = _builder.CountActivitiesByStage(opportunity, asOf, counts.AsSpan(0, _stageWeights!.Length * kinds));
        if (stage < 0 || stage >= _stageWeights.Length)
        {
            return (null, counts, 0, 0);
        }

        float any = 0;
        for (var k = 0; k < kinds; k++)
        {
            any += counts[(stage * kinds) + k];
        }

        return (_stageWeights[stage], counts, stage * kinds, any);
    }

    private static double EffectUplift((StageEffect? Stage, float[] Counts, int Offset, float Any) effects, int kind, GatesAhead gates) =>
        effects.Stage is { } stage
            ? gates.Uplift(StageKindEffects.LogOddsGain(stage.Weights, stage.Terms, kind, effects.Counts[effects.Offset + kind], effects.Any))
            : 0;

    private sealed record StageEffect(StageKindWeights Weights, double[] RemainingGateLogOdds, CountTerm[] Terms);

    // The probability minus the probability with a group's contributions taken out of the margin, both through
    // the model's own calibration (Platt or isotonic). Both come from the walked margin (equal to the model's
    // within float rounding), so a group the paths never touch has an impact of exactly 0.
    private void PathImpacts(ReadOnlySpan<float> row, Span<double> contributions, Span<double> impacts)
    {
        contributions.Clear();
        var trees = _paths!.Ensemble;
        var margin = _paths.Add(row, contributions);
        var probability = trees.ProbabilityOfMargin(margin);
        for (var g = 0; g < impacts.Length; g++)
        {
            double contribution = 0;
            foreach (var c in _groups[g].Columns)
            {
                contribution += contributions[c];
            }

            impacts[g] = probability - trees.ProbabilityOfMargin(margin - contribution);
        }
    }

    // Keeps the largest keys seen so far, largest first; an equal key goes after the ones already kept,
    // so ties keep schema order and results are deterministic.
    private static void InsertDescending(Span<double> keys, Span<int> items, ref int count, double key, int item)
    {
        var position = count;
        while (position > 0 && keys[position - 1] < key)
        {
            position--;
        }

        if (position >= keys.Length)
        {
            return;
        }

        var last = Math.Min(count, keys.Length - 1);
        for (var i = last; i > position; i--)
        {
            keys[i] = keys[i - 1];
            items[i] = items[i - 1];
        }

        keys[position] = key;
        items[position] = item;
        count = Math.Min(count + 1, keys.Length);
    }

    // One batch's rows and probabilities, and one Opportunity's contributions and factor impacts, rented
    // once per worker thread and reused for every batch it runs.
    private sealed class Buffers(int values, int rows, int width, int groups, int counts) : IDisposable
    {
        public float[] Counts { get; } = ArrayPool<float>.Shared.Rent(counts);

        public float[] Rows { get; } = ArrayPool<float>.Shared.Rent(values);

        public float[] Probabilities { get; } = ArrayPool<float>.Shared.Rent(rows);

        public double[] Contributions { get; } = ArrayPool<double>.Shared.Rent(width);

        public double[] Impacts { get; } = ArrayPool<double>.Shared.Rent(groups);

        public void Dispose()
        {
            ArrayPool<float>.Shared.Return(Rows);
            ArrayPool<float>.Shared.Return(Probabilities);
            ArrayPool<double>.Shared.Return(Contributions);
            ArrayPool<double>.Shared.Return(Impacts);
            ArrayPool<float>.Shared.Return(Counts);
        }
    }
}
