using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SfPredictor.Worker.Retraining;

/// <summary>How the retrain job learns and when it promotes the new model.</summary>
public sealed class RetrainOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:Retrain";

    /// <summary>
    /// Learn from Opportunities that closed within this many days; 0 (the default) learns from every closed
    /// one. A window also hides older outcomes from the Account and owner features of the rows it keeps.
    /// </summary>
    [Range(0, 36_500)]
    public int TrainingWindowDays { get; set; }

    /// <summary>
    /// The candidate is promoted when its log loss on the recent holdout is at most the current model's
    /// plus this much (0: not worse).
    /// </summary>
    [Range(0.0, 1.0)]
    public double MaxLogLossIncrease { get; set; }
}

/// <summary>Validates <see cref="RetrainOptions"/> at start.</summary>
[OptionsValidator]
internal sealed partial class ValidateRetrainOptions : IValidateOptions<RetrainOptions>;
