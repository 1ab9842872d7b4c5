using SfPredictor.Scoring.Effects;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SfPredictor.Recommendations;

/// <summary>What the <see cref="Recommender"/> may recommend and how it explains a score.</summary>
public sealed class RecommendationOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:Recommendations";

    /// <summary>
    /// Activity kinds (by name, case-insensitive) never recommended, e.g. a kind the team cannot do.
    /// Their counterfactual rows are not even scored.
    /// </summary>
    public IList<string> DisabledKinds { get; set; } = new List<string>();

    /// <summary>
    /// A kind done on the Opportunity (or its Account) fewer than this many days ago is not recommended
    /// again. 0 turns the cooldown off.
    /// </summary>
    [Range(0, 365)]
    public int CooldownDays { get; set; } = 7;

    /// <summary>Most activity kinds recommended per Opportunity.</summary>
    [Range(1, 32)]
    public int MaxRecommendations { get; set; } = 3;

    /// <summary>
    /// Least expected gain, in percentage points of win probability, for a kind to be recommended:
    /// smaller gains are within the model's noise.
    /// </summary>
    [Range(0.0, 100.0)]
    public double MinUpliftPoints { get; set; } = 0.5;

    /// <summary>Most factors listed per Opportunity in the explanation of its score.</summary>
    [Range(0, 32)]
    public int MaxFactors { get; set; } = 4;

    /// <summary>Least effect, in percentage points, of a factor worth naming in the explanation.</summary>
    [Range(0.0, 100.0)]
    public double MinFactorPoints { get; set; } = 0.5;

    /// <summary>
    /// How a factor's impact (the win probability minus the probability without that factor) is measured:
    /// <see cref="ExplanationMethod.TreePath"/> (default) from the model's tree paths at no extra model rows,
    /// or <see cref="ExplanationMethod.Replacement"/> by scoring one more row per factor with that aspect
    /// set to a typical open deal's value. A model whose trees cannot be read is always explained by replacement.
    /// </summary>
    public ExplanationMethod Explanations { get; set; } = ExplanationMethod.TreePath;

    /// <summary>
    /// Whether a model that carries stage × kind activity effects (<c>activity-effects.json</c>, fitted at training)
    /// ranks the kinds by them: the gain of a kind in the deal's current stage, given how many of that kind were
    /// already done in it. Off, or with a model without them (a stage-rates model, a package from before they
    /// existed), each kind's uplift comes from scoring the deal with one more such activity. Default: on; across
    /// the generated worlds it ranked the kinds better in every world (see README, "Recommendation quality").
    /// </summary>
    public bool UseStageKindEffects { get; set; } = true;

    /// <summary>
    /// Opportunities per batch. Each batch is one call into the model with every counterfactual and
    /// explanation row of its Opportunities, and the point where cancellation is checked.
    /// </summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 256;

    /// <summary>Batches worked on at once (each on its own thread); 1 keeps a batch job to one core.</summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = 1;

    /// <summary>
    /// A copy to adjust for one run (a model's left-out kinds, an admin's settings) without touching the bound
    /// options; every setting comes along, so one added later reaches every run with no copying by hand.
    /// </summary>
    public RecommendationOptions Copy()
    {
        var copy = (RecommendationOptions)MemberwiseClone();
        copy.DisabledKinds = new List<string>(DisabledKinds);
        return copy;
    }

    /// <summary>Checks the settings; the message names each wrong key.</summary>
    /// <exception cref="OptionsValidationException">A setting is wrong.</exception>
    public void Validate()
    {
        var errors = Errors();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(RecommendationOptions), errors);
        }
    }

    internal List<string> Errors()
    {
        var result = new RecommendationOptionsAttributeValidator().Validate(null, this);
        var errors = result.Failed ? new List<string>(result.Failures) : [];
        for (var i = 0; i < DisabledKinds.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(DisabledKinds[i]))
            {
                errors.Add($"{SectionName}:DisabledKinds:{i} is empty.");
            }
        }

        if (!Enum.IsDefined(Explanations))
        {
            errors.Add($"{SectionName}:Explanations is {Explanations}; use {string.Join(" or ", Enum.GetNames<ExplanationMethod>())}.");
        }

        return errors;
    }
}

/// <summary>
/// Validates <see cref="RecommendationOptions"/> (attributes and list entries); register it with
/// <c>ValidateOnStart</c> so that a wrong setting stops the host at start with a message naming the key.
/// Whether a disabled kind exists is checked when the <see cref="Recommender"/> meets the model.
/// </summary>
public sealed class ValidateRecommendationOptions : IValidateOptions<RecommendationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RecommendationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Errors();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

[OptionsValidator]
internal sealed partial class RecommendationOptionsAttributeValidator : IValidateOptions<RecommendationOptions>;
