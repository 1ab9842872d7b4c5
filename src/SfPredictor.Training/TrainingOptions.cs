using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using SfPredictor.Scoring.Packaging;

namespace SfPredictor.Training;

/// <summary>
/// How a model is trained: XGBoost hyperparameters, early stopping, and the minimum numbers of
/// closed deals below which a simpler model (or none) is trained. Defaults suit orgs with a few
/// thousand closed Opportunities.
/// <para>
/// The learning rate is small and the rounds many because these models also answer counterfactual
/// questions ("one more Demo now?"): on generated orgs whose true activity effects are known, 0.03
/// with up to 1,500 rounds ranks activity kinds clearly better than 0.1 with 400 at an equal AUC,
/// since finer steps let the trees express small, stage-dependent effects instead of a few coarse
/// jumps (<c>sfp recommend-quality --compare</c>; README, "Recommendations").
/// </para>
/// </summary>
public sealed class TrainingOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:Training";

    /// <summary><see cref="Trainer"/> value: XGBoost (the default: monotone constraints, best measured).</summary>
    public const string XGBoostTrainer = ModelManifest.XGBoostKind;

    /// <summary><see cref="Trainer"/> value: ML.NET's LightGBM.</summary>
    public const string LightGbmTrainer = ModelManifest.LightGbmKind;

    /// <summary><see cref="Trainer"/> value: ML.NET's FastTree.</summary>
    public const string FastTreeTrainer = ModelManifest.FastTreeKind;

    /// <summary>
    /// Which library grows the trees: <c>xgboost</c>, <c>lightgbm</c> or <c>fasttree</c> (ML.NET). All
    /// export to the same ONNX graph and are calibrated and measured alike; ML.NET's trainers have no
    /// monotone constraints (<c>sfp evaluate --compare-trainers</c>; README, "Model quality").
    /// </summary>
    [AllowedValues(XGBoostTrainer, LightGbmTrainer, FastTreeTrainer)]
    public string Trainer { get; set; } = XGBoostTrainer;

    /// <summary><see cref="ActivityEffects"/> value: the mean of the <c>stage-gates</c> and <c>snapshots</c> fits' weights.</summary>
    public const string BlendedEffects = "blend";

    /// <summary><see cref="ActivityEffects"/> value: one row per stage a closed deal left, labelled with whether it moved on (the default).</summary>
    public const string StageGateEffects = "stage-gates";

    /// <summary><see cref="ActivityEffects"/> value: the trees' snapshots of closed deals, labelled with the final outcome.</summary>
    public const string SnapshotEffects = "snapshots";

    /// <summary>
    /// How the stage × kind activity effects that rank the next activities are fitted (README, "Ranking the
    /// kinds by stage × kind effects"): <c>stage-gates</c>, <c>blend</c> or <c>snapshots</c>. Stage gates: one
    /// row per stage a closed deal left, labelled with whether it moved on, so a kind's weight is what it
    /// does to passing a gate (and the recommender adds it to every gate still ahead); snapshots: the
    /// trees' snapshots labelled with the final outcome; blend: the mean of the two, with the gates' pass
    /// rates.
    /// </summary>
    [AllowedValues(StageGateEffects, BlendedEffects, SnapshotEffects)]
    public string ActivityEffects { get; set; } = StageGateEffects;

    /// <summary>
    /// About what share of the calls, emails and meetings done the reps log as Tasks and Events: 1 (the
    /// default) when they log them all; e.g. 0.25 when three in four are never logged. Below 1 the activity
    /// effects read a logged count as the done activities it likely stands for, so that one more activity is
    /// promised what one done activity does, not what a logged one went with (README, "Effects per stage
    /// gate"). In the generated sparsely logged world a stated share up to twice the true one kept the promises
    /// within 0.8–1.25 of the truth and half of it promised too little. Not read from the data: the records
    /// cannot tell few activities each worth much from many with few logged.
    /// </summary>
    [Range(0.05, 1.0)]
    public double ActivityLoggedShare { get; set; } = 1;

    /// <summary>Most boosting rounds (trees).</summary>
    [Range(1, 10_000)]
    public int MaxRounds { get; set; } = 1500;

    /// <summary>Stop when the validation log loss has not improved for this many rounds; the best round is kept.</summary>
    [Range(1, 10_000)]
    public int EarlyStoppingRounds { get; set; } = 100;

    /// <summary>Maximum depth of each tree (XGBoost max_depth).</summary>
    [Range(1, 16)]
    public int MaxDepth { get; set; } = 5;

    /// <summary>Shrinkage of each tree's contribution (XGBoost eta).</summary>
    [Range(0.001, 1.0)]
    public double LearningRate { get; set; } = 0.03;

    /// <summary>Share of rows sampled for each tree (XGBoost subsample).</summary>
    [Range(0.05, 1.0)]
    public double Subsample { get; set; } = 0.8;

    /// <summary>Share of features sampled for each tree (XGBoost colsample_bytree).</summary>
    [Range(0.05, 1.0)]
    public double ColumnSample { get; set; } = 0.8;

    /// <summary>
    /// Least sum of row weights (Hessian) in a leaf (XGBoost min_child_weight). Snapshots of one deal
    /// are alike, so leaves need some support to generalise.
    /// </summary>
    [Range(0.0, 10_000.0)]
    public double MinChildWeight { get; set; } = 5;

    /// <summary>L2 regularisation of leaf values (XGBoost lambda).</summary>
    [Range(0.0, 10_000.0)]
    public double L2Regularization { get; set; } = 1;

    /// <summary>Least loss reduction for a split (XGBoost gamma).</summary>
    [Range(0.0, 10_000.0)]
    public double MinSplitLoss { get; set; }

    /// <summary>Random seed: the same data, options and seed give the same model.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Native threads XGBoost uses; 0 means all cores.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>
    /// Apply the feature schema's monotone constraints (e.g. more meetings never lowers the score),
    /// which keeps "what if we add this activity" answers consistent.
    /// </summary>
    public bool UseMonotoneConstraints { get; set; } = true;

    /// <summary>
    /// Weight every snapshot by 1 / (snapshots of its Opportunity) in training, early stopping and
    /// calibration, so that every deal counts once. Off by default: won deals pass through more stages
    /// and so have more snapshots, and down-weighting them makes the probabilities too low for the
    /// snapshots actually scored (measured on a generated org: log loss 0.532 weighted, 0.516 not).
    /// </summary>
    public bool WeightOpportunitiesEqually { get; set; }

    /// <summary>Probability at or above which a deal counts as "predicted won" for accuracy, precision, recall, F1.</summary>
    [Range(0.0, 1.0)]
    public double DecisionThreshold { get; set; } = 0.5;

    /// <summary>
    /// Share of the closed Opportunities, the latest-closing ones, that every reported figure is measured
    /// on (by <c>sfp train</c> and, without a cut-off date, by <c>sfp evaluate</c>). They choose nothing:
    /// neither the trees, nor when boosting stops, nor the calibration.
    /// </summary>
    [Range(0.05, 0.5)]
    public double TestShare { get; set; } = 0.2;

    /// <summary>
    /// Share of the deals a model learns from (those before the test deals), the latest-closing ones
    /// before the calibration deals, that decide when boosting stops.
    /// </summary>
    [Range(0.05, 0.4)]
    public double StoppingShare { get; set; } = 0.15;

    /// <summary>
    /// Share of the deals a model learns from, the latest-closing ones, that fit the calibration and
    /// choose between Platt scaling and isotonic calibration (by log loss on their later half).
    /// </summary>
    [Range(0.05, 0.4)]
    public double CalibrationShare { get; set; } = 0.15;

    /// <summary>
    /// Fewer closed deals to learn from than this: the tree depth, leaf size and L2 regularisation are
    /// chosen by time-ordered cross-validation among the configured ones and two more strongly
    /// regularised sets (small orgs). 0 turns the choice off.
    /// </summary>
    [Range(0, 1_000_000)]
    public int ChooseRegularisationBelow { get; set; } = 1000;

    /// <summary>Fewer closed-won Opportunities than this: the stage win-rate fallback model is trained instead.</summary>
    [Range(1, 1_000_000)]
    public int MinWonForModel { get; set; } = 20;

    /// <summary>Fewer closed-lost Opportunities than this: the stage win-rate fallback model is trained instead.</summary>
    [Range(1, 1_000_000)]
    public int MinLostForModel { get; set; } = 20;

    /// <summary>Fewer closed-won Opportunities than this: no model at all (training is refused).</summary>
    [Range(1, 1_000_000)]
    public int MinWonForFallback { get; set; } = 5;

    /// <summary>Fewer closed-lost Opportunities than this: no model at all (training is refused).</summary>
    [Range(1, 1_000_000)]
    public int MinLostForFallback { get; set; } = 5;

    /// <summary>
    /// An activity kind is never recommended by a model trained on fewer closed deals with an activity of
    /// that kind than this: the model cannot have learned its effect. The manifest and report list such kinds.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MinDealsPerActivityKind { get; set; } = 30;

    /// <summary>
    /// Further XGBoost parameters by name (e.g. "max_bin": "128"), applied last so they override the
    /// settings above.
    /// </summary>
    public IDictionary<string, string> ExtraParameters { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The settings as the model manifest records them (snake_case keys).</summary>
    internal JsonElement ToJson() => JsonSerializer.SerializeToElement(this, TrainingOptionsJsonContext.Default.TrainingOptions);

    /// <summary>Checks every setting, including what attributes cannot (the fallback minimums are not above the model minimums).</summary>
    /// <exception cref="OptionsValidationException">A setting is wrong; the message names it.</exception>
    public void Validate()
    {
        var errors = Errors();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(TrainingOptions), errors);
        }
    }

    internal List<string> Errors()
    {
        var errors = new List<string>();
        var attributeResult = new ValidateTrainingOptions().Validate(null, this);
        if (attributeResult.Failed)
        {
            errors.AddRange(attributeResult.Failures);
        }

        if (MinWonForFallback > MinWonForModel)
        {
            errors.Add($"{SectionName}:MinWonForFallback ({MinWonForFallback}) must not exceed MinWonForModel ({MinWonForModel}).");
        }

        if (MinLostForFallback > MinLostForModel)
        {
            errors.Add($"{SectionName}:MinLostForFallback ({MinLostForFallback}) must not exceed MinLostForModel ({MinLostForModel}).");
        }

        foreach (var name in ExtraParameters.Keys.Where(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{SectionName}:ExtraParameters has an empty parameter name ('{name}').");
        }

        return errors;
    }
}

/// <summary>Validates every <see cref="TrainingOptions"/> rule at host start (attributes and cross-field rules).</summary>
internal sealed class TrainingOptionsValidator : IValidateOptions<TrainingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Errors();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The source-generated validator of <see cref="TrainingOptions"/> attributes.</summary>
[OptionsValidator]
public sealed partial class ValidateTrainingOptions : IValidateOptions<TrainingOptions>;

/// <summary>The options as JSON for the model manifest, with the manifest's naming.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(TrainingOptions))]
internal sealed partial class TrainingOptionsJsonContext : JsonSerializerContext;
