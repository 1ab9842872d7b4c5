using System.Diagnostics;
using SfPredictor.Features;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;
using SfPredictor.Features.Training;
using SfPredictor.Recommendations;
using SfPredictor.Records;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Effects;
using SfPredictor.Training;

namespace SfPredictor.Benchmarks.Quality;

/// <summary>One way of training the model whose recommendations are measured.</summary>
/// <param name="Name">Shown in the table.</param>
/// <param name="Training">Training settings.</param>
/// <param name="Features">Feature settings; defaults when <see langword="null"/>.</param>
/// <param name="Snapshots">Training snapshot settings; defaults when <see langword="null"/>.</param>
public sealed record QualityVariant(string Name, TrainingOptions Training, FeatureOptions? Features = null, TrainingSetOptions? Snapshots = null);

/// <summary>The quality of one variant's recommendations and facts about its model.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="Scores">Precision@3 and gain share against the truth, with the given recommendation settings.</param>
/// <param name="RankingScores">
/// The same with <see cref="RecommendationQuality.RankingOnly"/>: how well the model ranks the kinds,
/// apart from how many of them clear the minimum uplift.
/// </param>
/// <param name="ValidationAuc">The model's AUC on its validation deals.</param>
/// <param name="Trees">Trees in the model.</param>
/// <param name="Elapsed">Training plus recommending.</param>
public sealed record VariantQuality(QualityVariant Variant, QualityScores Scores, QualityScores RankingScores, double ValidationAuc, int Trees, TimeSpan Elapsed)
{
    /// <summary>
    /// When the model has stage × kind effects (and the settings use them, as by default): the same two
    /// measurements with the kinds ranked by counterfactual rows instead; otherwise <see langword="null"/>.
    /// </summary>
    public (QualityScores Scores, QualityScores RankingScores)? Counterfactual { get; init; }
}

/// <summary>
/// Measures recommendations on an org whose true activity effects are known (a generated org): trains
/// on the deals closed by the as-of date, recommends for the open ones, and compares with the truth and
/// with <see cref="NaiveBaselines"/>.
/// </summary>
public sealed class RecommendationQuality
{
    private readonly OrgData _org;
    private readonly IReadOnlyList<TrueUplifts> _truth;
    private readonly DateTimeOffset _asOf;

    /// <summary>
    /// The modelling choices worth comparing: the training and feature defaults first, then a larger
    /// learning rate with fewer rounds, the defaults without monotone constraints, with
    /// the in-stage activity counts (off by default), without the owner's track record (which lets a
    /// model tell a skilled rep's wins from the activities that rep also logs more of), and with the
    /// generated org's Competitor and Partner fields as extra features (observed confounders).
    /// </summary>
    public static IReadOnlyList<QualityVariant> ModellingChoices { get; } =
    [
        new("learning rate 0.03, monotone activity effects (defaults)", new TrainingOptions()),
        new("learning rate 0.1, up to 400 rounds", new TrainingOptions { LearningRate = 0.1, MaxRounds = 400, EarlyStoppingRounds = 30 }),
        new("learning rate 0.03, no monotone constraints", WithoutMonotone(new TrainingOptions())),
        new("learning rate 0.03 + in-stage activity counts", new TrainingOptions(), new FeatureOptions { StageActivityFeatures = true }),
        new("learning rate 0.03, no owner track record", new TrainingOptions(), new FeatureOptions { OwnerFeatures = false }),
        new("learning rate 0.03 + Competitor__c, Partner_Involved__c", new TrainingOptions(), new FeatureOptions
        {
            ExtraFields =
            [
                new ExtraField { Field = "Competitor__c", Kind = ExtraFieldKind.Picklist },
                new ExtraField { Field = "Partner_Involved__c", Kind = ExtraFieldKind.Checkbox },
            ],
        }),
    ];

    /// <summary>
    /// The models compared across the generated worlds (<c>sfp recommend-quality --worlds all</c>): the
    /// training and feature defaults, measured with the kinds ranked by counterfactual rows and by the
    /// model's stage × kind effects (fitted per stage gate), then with the effects blended with a fit on
    /// snapshots and fitted on snapshots alone (the trees are the same; only the effects differ). Each is
    /// trained with <paramref name="activityLoggedShare"/>, the share of activities the org logs as its admin
    /// would state it; below 1 the defaults are measured with it left at 1 as well. The in-stage counts and
    /// the kind-per-stage columns were measured here before and helped in no world (README, "Across
    /// generated worlds").
    /// </summary>
    /// <param name="activityLoggedShare">The org's share of logged activities (<see cref="TrainingOptions.ActivityLoggedShare"/>).</param>
    public static IReadOnlyList<QualityVariant> StageChoices(double activityLoggedShare = 1)
    {
        TrainingOptions Fitted(string effects) => new() { ActivityEffects = effects, ActivityLoggedShare = activityLoggedShare };
        List<QualityVariant> variants =
        [
            new("defaults", Fitted(TrainingOptions.StageGateEffects), new FeatureOptions()),
            new("effects blended (per stage gate and on snapshots)", Fitted(TrainingOptions.BlendedEffects), new FeatureOptions()),
            new("effects on snapshots", Fitted(TrainingOptions.SnapshotEffects), new FeatureOptions()),
        ];
        if (activityLoggedShare < 1)
        {
            variants.Add(new("defaults, logged share not stated (1)", new TrainingOptions(), new FeatureOptions()));
        }

        return variants;
    }

    /// <summary>
    /// Recommendation settings that keep every kind with a positive expected uplift, however small and
    /// however recently done, and skip explanations. A model that predicts smaller uplifts recommends
    /// fewer kinds under the default minimum, and precision@3 counts the empty places as misses; with
    /// these settings the scores compare the models' rankings of the kinds.
    /// </summary>
    public static RecommendationOptions RankingOnly() => new() { MinUpliftPoints = 0, CooldownDays = 0, MaxFactors = 0 };

    /// <summary>Prepares a measurement.</summary>
    /// <param name="org">The org's records.</param>
    /// <param name="truth">The true uplifts of the Opportunities open at <paramref name="asOf"/>.</param>
    /// <param name="asOf">When the truth holds.</param>
    public RecommendationQuality(OrgData org, IReadOnlyList<TrueUplifts> truth, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(truth);
        _org = org;
        _truth = truth;
        _asOf = asOf;
    }

    /// <summary>The scores of the two naive baselines, learned from the deals closed by the as-of date.</summary>
    /// <param name="features">Feature settings (with the in-stage activity counts, which the per-stage baseline reads); defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops learning.</param>
    public IReadOnlyList<QualityScores> MeasureBaselines(FeatureOptions? features = null, CancellationToken cancellationToken = default)
    {
        // The baselines count activities, whatever columns the model reads.
        var options = features ?? new FeatureOptions { StageActivityFeatures = true };
        var index = new OrgIndex(_org, options);
        var builder = new FeatureBuilder(index, options);
        var baselines = NaiveBaselines.Learn(TrainingSetBuilder.Build(builder, index, new TrainingSetOptions(), _asOf));
        cancellationToken.ThrowIfCancellationRequested();
        var frequent = new Dictionary<string, IReadOnlyList<string>>(SalesforceId.Comparer);
        var byStage = new Dictionary<string, IReadOnlyList<string>>(SalesforceId.Comparer);
        foreach (var t in _truth)
        {
            var i = index.IndexOf(t.OpportunityId);
            frequent[t.OpportunityId] = baselines.MostFrequent;
            byStage[t.OpportunityId] = baselines.ForStage(index.StageAt(i, _asOf));
        }

        return
        [
            QualityScores.Measure("Baseline: most frequent kinds", frequent, _truth),
            QualityScores.Measure("Baseline: most common in won deals, per stage", byStage, _truth),
            QualityScores.Measure(CeilingName, Ceiling(index), _truth),
        ];
    }

    /// <summary>The name of the ceiling in <see cref="MeasureBaselines"/>.</summary>
    public const string CeilingName = "Ceiling: best fixed kinds per stage (from the truth)";

    // What knowing the truth's average per stage would give: in each stage, the three kinds with the
    // largest mean true uplift over the open deals in it, recommended to all of them.
    private Dictionary<string, IReadOnlyList<string>> Ceiling(OrgIndex index)
    {
        var stages = _truth.GroupBy(t => index.StageAt(index.IndexOf(t.OpportunityId), _asOf) ?? "", StringComparer.OrdinalIgnoreCase);
        var result = new Dictionary<string, IReadOnlyList<string>>(SalesforceId.Comparer);
        foreach (var stage in stages)
        {
            var best = stage.SelectMany(t => t.Uplifts)
                .GroupBy(u => u.Key, StringComparer.OrdinalIgnoreCase)
                .Select(g => (Kind: g.Key, Mean: g.Average(u => u.Value)))
                .OrderByDescending(x => x.Mean)
                .ThenBy(x => x.Kind, StringComparer.Ordinal)
                .Take(3)
                .Select(x => x.Kind)
                .ToList();
            foreach (var t in stage)
            {
                result[t.OpportunityId] = best;
            }
        }

        return result;
    }

    /// <summary>
    /// Trains a per-kind uplift model (T-learner, two boosted-tree win models per kind: after an activity of
    /// the kind within two weeks and without) on the deals closed by the as-of date and measures its ranking
    /// of the kinds, every kind allowed. A measured alternative, not a setting of the product.
    /// </summary>
    /// <param name="cancellationToken">Stops training.</param>
    public QualityScores MeasureUpliftLearner(CancellationToken cancellationToken = default) =>
        UpliftLearner.Measure(_org, _truth, _asOf, cancellationToken);

    /// <summary>Trains a model the variant's way and measures its recommendations.</summary>
    /// <param name="variant">How to train.</param>
    /// <param name="options">Recommendation settings; defaults when <see langword="null"/>.</param>
    /// <param name="progress">Receives training progress.</param>
    /// <param name="cancellationToken">Stops training and recommending.</param>
    public VariantQuality Measure(QualityVariant variant, RecommendationOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var watch = Stopwatch.StartNew();
        var model = new TrainingPipeline(variant.Training, variant.Features, variant.Snapshots).Train(_org, _asOf, progress, cancellationToken);
        using var scorer = OnnxScorer.Load(model.OnnxModel);
        var settings = LeftOutKinds.Apply(options, model.Manifest.LeftOutKindNames);
        var scores = Measure(variant.Name, model.Schema, scorer, settings, cancellationToken, model.Effects);
        var ranking = Measure(variant.Name, model.Schema, scorer, LeftOutKinds.Apply(RankingOnly(), model.Manifest.LeftOutKindNames), cancellationToken, model.Effects);
        var result = new VariantQuality(variant, scores, ranking, model.Manifest.ValidationMetrics.Auc, model.Manifest.Trees, watch.Elapsed);
        if (model.Effects is null || !settings.UseStageKindEffects)
        {
            return result;
        }

        settings.UseStageKindEffects = false;
        var rowsRanking = LeftOutKinds.Apply(RankingOnly(), model.Manifest.LeftOutKindNames);
        rowsRanking.UseStageKindEffects = false;
        return result with
        {
            Counterfactual = (Measure(variant.Name, model.Schema, scorer, settings, cancellationToken), Measure(variant.Name, model.Schema, scorer, rowsRanking, cancellationToken)),
        };
    }

    /// <summary>Measures the recommendations of a trained model.</summary>
    /// <param name="name">The method's name in the scores.</param>
    /// <param name="schema">The model's feature schema.</param>
    /// <param name="scorer">The model.</param>
    /// <param name="options">Recommendation settings; defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops recommending.</param>
    /// <param name="effects">The model's stage × kind activity effects, or <see langword="null"/>.</param>
    public QualityScores Measure(string name, FeatureSchema schema, OnnxScorer scorer, RecommendationOptions? options = null, CancellationToken cancellationToken = default, StageKindEffects? effects = null)
    {
        var recommender = Recommender.Create(_org, schema, scorer, _asOf, options, effects);
        var results = recommender.Recommend([.. _truth.Select(t => t.OpportunityId)], _asOf, cancellationToken);
        var recommended = results.ToDictionary(r => r.OpportunityId, r => (IReadOnlyList<string>)[.. r.Recommendations.Select(x => x.Kind)], SalesforceId.Comparer);
        var truth = _truth.ToDictionary(t => t.OpportunityId, SalesforceId.Comparer);
        double promised = 0, delivered = 0;
        foreach (var result in results)
        {
            foreach (var r in result.Recommendations)
            {
                promised += r.Uplift;
                delivered += truth[result.OpportunityId].Of(r.Kind);
            }
        }

        return QualityScores.Measure(name, recommended, _truth) with { UpliftRatio = promised / delivered };
    }

    private static TrainingOptions WithoutMonotone(TrainingOptions options)
    {
        options.UseMonotoneConstraints = false;
        return options;
    }
}
