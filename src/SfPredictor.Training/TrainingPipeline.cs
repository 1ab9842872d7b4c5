using System.Globalization;
using SfPredictor.Features;
using SfPredictor.Features.Activities;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;
using SfPredictor.Features.Training;
using SfPredictor.Records;
using SfPredictor.Scoring;
using SfPredictor.Scoring.Calibration;
using SfPredictor.Scoring.Effects;
using SfPredictor.Scoring.Packaging;
using SfPredictor.Training.Effects;
using SfPredictor.Training.Evaluation;

namespace SfPredictor.Training;

/// <summary>
/// The whole training path for one org held in memory: records → index → point-in-time snapshot rows
/// → XGBoost (or the stage fallback) → calibration → ONNX (checked against the trained model) →
/// evaluation against the stage-only baseline → a model package. Used by <c>sfp train</c>,
/// <c>sfp evaluate</c>, and the worker's retraining job.
/// </summary>
public sealed class TrainingPipeline
{
    private readonly TrainingOptions _options;
    private readonly FeatureOptions _features;
    private readonly TrainingSetOptions _snapshots;
    private readonly ScorerOptions? _scorerOptions;
    private readonly TimeProvider _time;

    /// <summary>Creates a pipeline; <see langword="null"/> arguments take defaults.</summary>
    /// <param name="options">Training settings.</param>
    /// <param name="features">Feature settings (activity kinds, windows, extra fields).</param>
    /// <param name="snapshots">Where in each closed deal's life training rows are taken.</param>
    /// <param name="scorerOptions">ONNX Runtime settings for the export check and evaluation.</param>
    /// <param name="timeProvider">The clock stamped on packages.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is wrong; the message names it.</exception>
    public TrainingPipeline(
        TrainingOptions? options = null,
        FeatureOptions? features = null,
        TrainingSetOptions? snapshots = null,
        ScorerOptions? scorerOptions = null,
        TimeProvider? timeProvider = null)
    {
        _options = options ?? new TrainingOptions();
        _features = features ?? new FeatureOptions();
        _snapshots = snapshots ?? new TrainingSetOptions();
        _scorerOptions = scorerOptions;
        _time = timeProvider ?? TimeProvider.System;
        _options.Validate();
        _features.Validate();
    }

    /// <summary>
    /// Trains a model on the Opportunities closed by <paramref name="asOf"/> and measures it: the
    /// latest-closing share (<see cref="TrainingOptions.TestShare"/>) is held out and every reported
    /// figure comes from those deals, which choose nothing; the earlier deals teach the trees, stop the
    /// boosting and fit the calibration, each its own period (<see cref="TrainingOptions.StoppingShare"/>,
    /// <see cref="TrainingOptions.CalibrationShare"/>). The model is the one measured, so what is reported
    /// is what is shipped; <c>sfp evaluate</c> on the same deals gives the same figures.
    /// </summary>
    /// <param name="org">The org's records.</param>
    /// <param name="asOf">The point in time; default: the data's extraction time, else now.</param>
    /// <param name="progress">Receives progress of the long steps.</param>
    /// <param name="cancellationToken">Stops between steps and boosting rounds.</param>
    /// <exception cref="InsufficientTrainingDataException">Too few closed deals even for the stage fallback.</exception>
    /// <exception cref="ModelParityException">The ONNX export does not reproduce the trained model.</exception>
    public TrainedModel Train(OrgData org, DateTimeOffset? asOf = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(org);
        var pointInTime = asOf ?? org.ExtractedAt ?? _time.GetUtcNow();
        var (rows, coverage) = BuildRows(org, pointInTime, progress, cancellationToken, out var builder);
        var won = rows.WonOpportunityCount;
        var lost = rows.OpportunityCount - won;
        var (learn, test) = rows.SplitByCloseTime(_options.TestShare);
        using var model = ModelFitter.Fit(learn, _options, _scorerOptions, progress, cancellationToken, won, lost);

        progress?.Report(new TrainingProgress("evaluating", 0, 1));
        var evaluation = Evaluator.Evaluate(model, test, model.LearnedFrom, TestDescription(test), _options.DecisionThreshold, cancellationToken);
        progress?.Report(new TrainingProgress("evaluating", 1, 1));

        var created = _time.GetUtcNow().ToUniversalTime();
        var sha = ModelPackage.Sha256(model.Onnx);
        var schema = rows.Schema;
        var manifest = new ModelManifest
        {
            Version = string.Create(CultureInfo.InvariantCulture, $"{created:yyyy-MM-dd'T'HH-mm-ss'Z'}-{sha[..8]}"),
            Kind = model.Kind,
            FallbackReason = model.FallbackReason,
            Created = created,
            AsOf = pointInTime,
            TrainingWindow = new TrainingWindow(rows.CloseTimes[0], rows.CloseTimes[^1]),
            Counts = new TrainingCounts(
                model.LearnedFrom.Count, test.Count, model.LearnedFrom.OpportunityCount, test.OpportunityCount,
                won, lost),
            Periods = Periods(model, test),
            Regularisation = model.Regularisation,
            ModelChoice = model.Choice,
            FeatureCount = schema.Width,
            FeatureNames = schema.Names,
            FeatureHash = schema.Hash,
            ActivityKinds = schema.ActivityKinds,
            ActivityCoverage = ActivityCoverageSummary.From(coverage),
            LeftOutActivityKinds = LeftOut(coverage),
            ValidationMetrics = evaluation.Model,
            BaselineValidationMetrics = evaluation.Baseline,
            Calibration = model.Calibration,
            Trees = model.Ensemble.Trees.Count,
            XGBoostVersion = model.XGBoostVersion,
            ParityMaxDifference = model.ParityMaxDifference,
            TrainingOptions = _options.ToJson(),
            ModelSha256 = sha,
        };
        var facts = Facts(manifest);
        facts.AddRange(PeriodFacts(model, test));
        // A stage-rates model is for orgs with too few closed deals to learn activity effects from.
        var effects = model.Kind == ModelManifest.StageFallbackKind
            ? null
            : StageKindEffectsFitter.Fit(builder, model.LearnedFrom, _options.ActivityEffects, _options.Seed, pointInTime, _options.ActivityLoggedShare, cancellationToken);
        var insights = SalesInsights.Compute(org, builder, rows, test, model.Scorer, ModelFitter.StageColumn(rows), pointInTime, cancellationToken);
        var report = HtmlReport.Render("Win-probability model: report", facts, evaluation, insights);
        return new TrainedModel(model.Onnx, manifest, schema, evaluation, report, effects);
    }

    /// <summary>
    /// A time-based backtest: trains as <see cref="Train"/> does on the Opportunities closed before
    /// <paramref name="cutoff"/> and measures the model on those closed at or after it, which it has
    /// never seen, next to the stage-only baseline.
    /// </summary>
    /// <param name="org">The org's records.</param>
    /// <param name="cutoff">
    /// The backtest's point in time. Default: the close time that leaves the latest-closing
    /// <see cref="TrainingOptions.TestShare"/> of closed Opportunities for the test, the same deals
    /// <see cref="Train"/> reports on.
    /// </param>
    /// <param name="progress">Receives progress of the long steps.</param>
    /// <param name="cancellationToken">Stops between steps and boosting rounds.</param>
    /// <exception cref="ArgumentException">No Opportunity closed after the cut-off, or none before it.</exception>
    /// <exception cref="InsufficientTrainingDataException">Too few deals closed before the cut-off.</exception>
    public BacktestResult Backtest(OrgData org, DateTimeOffset? cutoff = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(org);
        var (rows, coverage) = BuildRows(org, null, progress, cancellationToken, out _);
        var (train, test) = cutoff is { } date ? rows.Split(date) : rows.SplitByCloseTime(_options.TestShare);
        if (test.Count == 0 || train.Count == 0)
        {
            throw new ArgumentException(
                $"The backtest needs deals closed before and after the cut-off {cutoff:yyyy-MM-dd}; found {train.OpportunityCount} before and {test.OpportunityCount} after.",
                nameof(cutoff));
        }

        var splitAt = test.CloseTimes[0];
        var won = train.WonOpportunityCount;
        using var model = ModelFitter.Fit(train, _options, _scorerOptions, progress, cancellationToken, won, train.OpportunityCount - won);
        progress?.Report(new TrainingProgress("evaluating", 0, 1));
        var holdout = TestDescription(test);
        var evaluation = Evaluator.Evaluate(model, test, train, holdout, _options.DecisionThreshold, cancellationToken);
        progress?.Report(new TrainingProgress("evaluating", 1, 1));
        List<ReportFact> facts =
        [
            new("Model", model.Kind == ModelManifest.StageFallbackKind ? "stage win rates (too few closed deals for more)" : $"gradient-boosted trees ({model.Ensemble.Trees.Count} trees)"),
            .. ActivityFacts(ActivityCoverageSummary.From(coverage), LeftOut(coverage)),
        ];
        facts.AddRange(PeriodFacts(model, test));
        var report = HtmlReport.Render("Win-probability model: backtest report", facts, evaluation);
        return new BacktestResult(evaluation, splitAt, model.Kind, model.Ensemble.Trees.Count, report) { Calibration = model.Calibration, ActivityCoverage = ActivityCoverageSummary.From(coverage), ModelChoice = model.Choice };
    }

    private static string TestDescription(TrainingSet test) => string.Create(
        CultureInfo.InvariantCulture,
        $"the {test.OpportunityCount:N0} deals closed last, {test.CloseTimes[0]:yyyy-MM-dd} to {test.CloseTimes[^1]:yyyy-MM-dd}, which chose nothing");

    private static List<ModelPeriod> Periods(FittedModel model, TrainingSet test)
    {
        var periods = new List<ModelPeriod> { Period(ModelPeriod.TreesRole, model.Train) };
        if (model.Stopping.Count > 0)
        {
            periods.Add(Period(ModelPeriod.StoppingRole, model.Stopping));
        }

        periods.Add(Period(ModelPeriod.CalibrationRole, model.CalibrationRows));
        periods.Add(Period(ModelPeriod.TestRole, test));
        return periods;
    }

    private static ModelPeriod Period(string role, TrainingSet rows) =>
        new(role, rows.CloseTimes[0], rows.CloseTimes[^1], rows.OpportunityCount, rows.Count);

    private static IEnumerable<ReportFact> PeriodFacts(FittedModel model, TrainingSet test)
    {
        static string Span(TrainingSet rows) => string.Create(
            CultureInfo.InvariantCulture,
            $"{rows.OpportunityCount:N0} deals closed {rows.CloseTimes[0]:yyyy-MM-dd} to {rows.CloseTimes[^1]:yyyy-MM-dd}");

        var stageRates = model.Kind == ModelManifest.StageFallbackKind;
        yield return new ReportFact(stageRates ? "Stage win rates learned from" : "Trees learned from", Span(model.Train));
        if (model.Stopping.Count > 0)
        {
            yield return new ReportFact("Boosting stopped by", $"{Span(model.Stopping)} ({model.Ensemble.Trees.Count} trees kept)");
        }

        if (model.Choice is { } choice)
        {
            var chosen = model.Regularisation.First(r => r.Name == choice.Candidate);
            yield return new ReportFact(
                string.Create(CultureInfo.InvariantCulture, $"Few deals: chosen by time-ordered cross-validation ({choice.Folds} folds, one-standard-error rule)"),
                Boosting.RegularisationChoice.Describe(chosen, model.Regularisation));
        }

        var c = model.Calibration;
        var how = c.Method switch
        {
            ModelCalibration.NoneMethod => "none (stage win rates already are rates)",
            _ when model.Choice is { CalibratedOutOfFold: true } => string.Create(
                CultureInfo.InvariantCulture,
                $"{c.Method}, fitted on the cross-validation folds' held-out predictions of {Span(model.CalibrationRows)}, each scored by trees that never saw it{(c.PlattLogLoss is { } p && c.IsotonicLogLoss is { } i ? string.Create(CultureInfo.InvariantCulture, $"; chosen by log loss on their later half (Platt {p:0.000}, isotonic {i:0.000})") : "")}"),
            _ when c.PlattLogLoss is { } platt && c.IsotonicLogLoss is { } isotonic => string.Create(
                CultureInfo.InvariantCulture,
                $"{c.Method}, fitted on {Span(model.CalibrationRows)}; chosen by log loss on their later half (Platt {platt:0.000}, isotonic {isotonic:0.000})"),
            _ => $"{c.Method}, fitted on {Span(model.CalibrationRows)}",
        };
        yield return new ReportFact("Calibration", how);
        yield return new ReportFact("Every figure below comes from", Span(test) + ", which chose nothing: not the trees, not when boosting stopped, not the calibration");
    }

    private (TrainingSet Rows, ActivityKindCoverage Coverage) BuildRows(OrgData org, DateTimeOffset? asOf, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, out FeatureBuilder builder)
    {
        progress?.Report(new TrainingProgress("indexing records", 0, 1));
        var index = new OrgIndex(org, _features);
        builder = new FeatureBuilder(index, _features);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new TrainingProgress("building snapshot features", 0, 1));
        var rows = TrainingSetBuilder.Build(builder, index, _snapshots, asOf);
        progress?.Report(new TrainingProgress("building snapshot features", 1, 1));
        var coverage = ActivityKindCoverage.Measure(org, index);
        cancellationToken.ThrowIfCancellationRequested();
        if (rows.Count == 0)
        {
            throw new InsufficientTrainingDataException(0, 0, _options.MinWonForFallback, _options.MinLostForFallback);
        }

        return (rows, coverage);
    }

    private List<LeftOutActivityKind> LeftOut(ActivityKindCoverage coverage) =>
    [
        .. coverage.TooFewExamples(_options.MinDealsPerActivityKind).Select(k => new LeftOutActivityKind(
            k.Kind,
            k.ClosedDeals,
            string.Create(CultureInfo.InvariantCulture, $"only {k.ClosedDeals} closed deals have an activity of this kind; the model needs {_options.MinDealsPerActivityKind} ({TrainingOptions.SectionName}:MinDealsPerActivityKind) to learn its effect"))),
    ];

    private static IEnumerable<ReportFact> ActivityFacts(ActivityCoverageSummary coverage, IReadOnlyList<LeftOutActivityKind> leftOut)
    {
        yield return new("Activities recognised", string.Create(
            CultureInfo.InvariantCulture,
            $"{coverage.LinkedActivities - coverage.Unrecognised:N0} of the {coverage.LinkedActivities:N0} activities linked to deals ({1 - coverage.UnrecognisedShare:P0}): {string.Join(", ", coverage.Kinds.Select(k => $"{k.Kind} {k.Activities:N0}"))}"));
        if (coverage.Warning is { } warning)
        {
            yield return new("Warning", warning);
        }

        yield return new("Never recommended", leftOut.Count == 0 ? "none: every kind has enough examples"
            : string.Join("; ", leftOut.Select(k => $"{k.Kind}: {k.Reason}")));
    }

    private static List<ReportFact> Facts(ModelManifest manifest) =>
    [
        new("Model version", manifest.Version),
        new("Model", manifest.Fallback ? $"stage win rates: {manifest.FallbackReason}" : $"gradient-boosted trees ({manifest.Trees} trees)"),
        new("Data as of", manifest.AsOf.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
        new("Closed deals", string.Create(CultureInfo.InvariantCulture, $"{manifest.Counts.Won:N0} won, {manifest.Counts.Lost:N0} lost")),
        new("Activity kinds", string.Join(", ", manifest.ActivityKinds)),
        .. ActivityFacts(manifest.ActivityCoverage!, manifest.LeftOutActivityKinds),
    ];
}

/// <summary>A trained, checked model ready to be written as a package.</summary>
public sealed class TrainedModel
{
    internal TrainedModel(byte[] onnx, ModelManifest manifest, FeatureSchema schema, EvaluationResult evaluation, string reportHtml, StageKindEffects? effects = null)
    {
        Effects = effects;
        OnnxModel = onnx;
        Manifest = manifest;
        Schema = schema;
        Evaluation = evaluation;
        ReportHtml = reportHtml;
    }

    /// <summary>The serialized ONNX model.</summary>
    public byte[] OnnxModel { get; }

    /// <summary>The manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The feature schema rows must be built with.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>The evaluation on the validation rows.</summary>
    public EvaluationResult Evaluation { get; }

    /// <summary>The evaluation as a self-contained HTML page.</summary>
    public string ReportHtml { get; }

    /// <summary>The stage × kind activity effects; <see langword="null"/> for a stage-rates model, which has none.</summary>
    public StageKindEffects? Effects { get; }

    /// <summary>Writes the package (model, manifest, schema, report, activity effects) to a new folder.</summary>
    /// <param name="directory">The folder; must not exist or be empty.</param>
    public void Save(string directory) => ModelPackage.Write(directory, OnnxModel, Manifest, Schema, ReportHtml, Effects);
}

/// <summary>The outcome of a backtest.</summary>
/// <param name="Evaluation">The numbers on the deals closed after the cut-off.</param>
/// <param name="Cutoff">The first close time of the test deals.</param>
/// <param name="Kind">The model kind trained (<see cref="ModelManifest.XGBoostKind"/> or <see cref="ModelManifest.StageFallbackKind"/>).</param>
/// <param name="Trees">Trees in the model.</param>
/// <param name="ReportHtml">The evaluation as a self-contained HTML page.</param>
public sealed record BacktestResult(EvaluationResult Evaluation, DateTimeOffset Cutoff, string Kind, int Trees, string ReportHtml)
{
    /// <summary>How well the activity kinds recognised the org's activities.</summary>
    public ActivityCoverageSummary? ActivityCoverage { get; init; }

    /// <summary>The calibration the backtest's model chose.</summary>
    public ModelCalibration Calibration { get; init; } = ModelCalibration.Identity;

    /// <summary>On a small org, what time-ordered cross-validation chose; otherwise <see langword="null"/>.</summary>
    public ModelChoice? ModelChoice { get; init; }
}
