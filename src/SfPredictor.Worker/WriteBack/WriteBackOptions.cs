using System.ComponentModel.DataAnnotations;

namespace SfPredictor.Worker.WriteBack;

/// <summary>
/// Which Opportunity custom fields the worker writes, and when a change is worth writing.
/// The defaults match the fields deployed from <c>infra/salesforce</c>.
/// </summary>
public sealed class WriteBackOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:WriteBack";

    /// <summary>Percent field: the calibrated win probability (0–100).</summary>
    [Required] public string ProbabilityField { get; set; } = "SfP_Win_Probability__c";

    /// <summary>Number field: change of the probability since the previous written score, in points.</summary>
    [Required] public string ScoreChangeField { get; set; } = "SfP_Score_Change__c";

    /// <summary>Text field: Improving, Steady or Declining.</summary>
    [Required] public string ScoreTrendField { get; set; } = "SfP_Score_Trend__c";

    /// <summary>Text fields: the three next activities, e.g. "Demo (+12 pts)".</summary>
    [Required, MinLength(3), MaxLength(3)]
    public string[] NextActivityFields { get; set; } =
        ["SfP_Next_Activity_1__c", "SfP_Next_Activity_2__c", "SfP_Next_Activity_3__c"];

    /// <summary>Long text field: the factors behind the score, one per line.</summary>
    [Required] public string TopFactorsField { get; set; } = "SfP_Top_Factors__c";

    /// <summary>
    /// Long text field: the expected gain of every activity kind, one per line ("Demo (+12 pts)"), for the
    /// score card's chart. Empty to write no such field.
    /// </summary>
    public string? ActivityGainsField { get; set; } = "SfP_Activity_Gains__c";

    /// <summary>DateTime field: when the score was computed.</summary>
    [Required] public string ScoredAtField { get; set; } = "SfP_Scored_At__c";

    /// <summary>Text field: the model version that produced the score.</summary>
    [Required] public string ModelVersionField { get; set; } = "SfP_Model_Version__c";

    /// <summary>
    /// Write only when the probability moved by at least this many points (or the recommendations
    /// changed), so record-triggered Flows fire only on real changes.
    /// </summary>
    [Range(0.0, 100.0)] public double MinProbabilityChangePoints { get; set; } = 2.0;

    /// <summary>A change of at least this many points makes the trend Improving or Declining.</summary>
    [Range(0.0, 100.0)] public double TrendThresholdPoints { get; set; } = 2.0;

    /// <summary>Kill switch: when false, runs score and report but write nothing.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Every field written, with the type it must have: checked against describe at start and against
    /// the metadata in <c>infra/salesforce</c> by tests.
    /// </summary>
    public IReadOnlyList<WriteBackField> Fields() =>
    [
        new(ProbabilityField, "Percent", "percent", "(5,1)"),
        new(ScoreChangeField, "Number", "double", "(5,1)"),
        new(ScoreTrendField, "Text", "string", "(20)"),
        .. NextActivityFields.Select(f => new WriteBackField(f, "Text", "string", "(100)")),
        new(TopFactorsField, "LongTextArea", "textarea", "(4000)"),
        .. string.IsNullOrWhiteSpace(ActivityGainsField) ? [] : new[] { new WriteBackField(ActivityGainsField, "LongTextArea", "textarea", "(4000)") },
        new(ScoredAtField, "DateTime", "datetime"),
        new(ModelVersionField, "Text", "string", "(80)"),
    ];
}

/// <summary>One written field and its expected type.</summary>
/// <param name="ApiName">Field API name on Opportunity.</param>
/// <param name="MetadataType">Type in Salesforce metadata (CustomField.type).</param>
/// <param name="DescribeType">Type as the describe call reports it.</param>
/// <param name="Size">
/// The size the deployed field has in <c>infra/salesforce</c>: <c>(length)</c> or <c>(precision,scale)</c>;
/// empty for types without one. The local org declares the fields with it, so a value too long for the
/// real field fails there as it would in Salesforce.
/// </param>
public sealed record WriteBackField(string ApiName, string MetadataType, string DescribeType, string Size = "");

/// <summary>Validates <see cref="WriteBackOptions"/> at start.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
internal sealed partial class ValidateWriteBackOptions : Microsoft.Extensions.Options.IValidateOptions<WriteBackOptions>;
