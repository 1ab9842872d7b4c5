using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using SfPredictor.Features.Activities;

namespace SfPredictor.Features;

/// <summary>
/// Settings that shape the feature vector. Every setting here changes the schema hash, so a model
/// only scores rows built with the settings it was trained with (they travel inside the schema).
/// Lists are empty by default and then mean "use the defaults" because configuration binding
/// appends to a pre-filled list instead of replacing it.
/// </summary>
public sealed partial class FeatureOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:Features";

    /// <summary>The windows used when <see cref="ActivityWindowsDays"/> is empty.</summary>
    public static IReadOnlyList<int> DefaultActivityWindowsDays { get; } = [7, 30, 90];

    /// <summary>Windows (in days, back from the point in time) over which activities are counted. Empty: 7, 30, 90.</summary>
    public IList<int> ActivityWindowsDays { get; set; } = new List<int>();

    /// <summary>
    /// Activity kinds, in precedence order (see <see cref="ActivityKindMapper"/>), replacing the defaults.
    /// Empty: the six default kinds with the built-in words of <see cref="ActivityLanguages"/>. To add to
    /// the defaults rather than replace them, use <see cref="AdditionalActivityKinds"/>.
    /// </summary>
    [ValidateEnumeratedItems]
    public IList<ActivityKind> ActivityKinds { get; set; } = new List<ActivityKind>();

    /// <summary>
    /// Built-in vocabularies of the default kinds, by language code (<c>en</c>, <c>es</c>, <c>pt</c>,
    /// <c>fr</c>, <c>de</c>, <c>it</c>). Empty: all of them. Ignored when <see cref="ActivityKinds"/> is set.
    /// </summary>
    public IList<string> ActivityLanguages { get; set; } = new List<string>();

    /// <summary>
    /// Kinds merged into the kinds above: one named like an existing kind adds its types, keywords,
    /// patterns and channels to that kind; a new name ("Site visit", "Workshop") becomes a kind ahead of
    /// the others (in the order listed), so its rules win over the broader defaults.
    /// </summary>
    [ValidateEnumeratedItems]
    public IList<ActivityKind> AdditionalActivityKinds { get; set; } = new List<ActivityKind>();

    /// <summary>Kinds (by name, after renaming) left out altogether: their activities count as no kind.</summary>
    public IList<string> DisabledActivityKinds { get; set; } = new List<string>();

    /// <summary>New names for kinds, old name → new name (e.g. <c>Call</c> → <c>Llamada</c>); applied before the two settings above.</summary>
    public IDictionary<string, string> RenamedActivityKinds { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The org's own activity type fields on Task and Event (custom picklist or text fields such as
    /// <c>Activity_Type__c</c>), looked up, in this order, before Type; their values are matched against
    /// each kind's <see cref="ActivityKind.Types"/>. The worker selects them; the Data Export reader keeps them.
    /// </summary>
    public IList<string> ActivityTypeFields { get; set; } = new List<string>();

    /// <summary>Admin-configured fields from Opportunity or Account that become features.</summary>
    [ValidateEnumeratedItems]
    public IList<ExtraField> ExtraFields { get; set; } = new List<ExtraField>();

    /// <summary>
    /// ISO code amounts are converted to. Null: the CurrencyType marked corporate (or no conversion in a
    /// single-currency org).
    /// </summary>
    [RegularExpression("^[A-Za-z]{3}$")]
    public string? CorporateCurrency { get; set; }

    /// <summary>
    /// Most values one-hot encoded per categorical field (Type, LeadSource, Industry, picklists without
    /// configured values); the most frequent values in the training data win, the rest encode as all zeros.
    /// </summary>
    [Range(1, 200)]
    public int MaxCategories { get; set; } = 20;

    /// <summary>A categorical value needs at least this many records to get its own column.</summary>
    [Range(1, 1_000_000)]
    public int MinCategoryCount { get; set; } = 5;

    /// <summary>
    /// Whether each activity kind, and any kind, gets a count of the activities done since the
    /// Opportunity entered its current stage (<c>activity_{kind}_count_in_stage</c>). Default: off.
    /// Against the true activity effects of 11 generated orgs (<c>sfp recommend-quality --compare</c>)
    /// the counts did not improve recommendations: without them the share of achievable gain was higher
    /// on 7 of 11 orgs (0.721 vs 0.712 on average), precision@3 of the ranking on 8 of 11 (0.702 vs
    /// 0.691), expected uplifts overstated the true ones less (1.14 vs 1.18 times, on 9 of 11), and AUC
    /// was the same (0.829). The stage itself stays a feature, so activity effects can still differ by
    /// stage. Models trained before this setting existed have the counts and keep them.
    /// </summary>
    public bool StageActivityFeatures { get; set; }

    /// <summary>
    /// Stage bands for the activity-by-stage features: the open stages are split, in sales order, into
    /// this many bands (capped at the number of open stages: one band per stage), and each activity kind
    /// gets one column per band holding the activities of that kind done while the Opportunity was in a
    /// stage of the band (<c>activity_{kind}_in_stages_{from}_{to}</c>), weighted by recency (see
    /// <see cref="StageBandHalfLifeDays"/>). The counterfactual row of a kind adds one to the band of the
    /// current stage, so a model can learn that what helps depends on the stage an activity is done in.
    /// 0 turns the columns off. Chosen across the generated worlds (see README, "Recommendation quality").
    /// </summary>
    [Range(0, 12)]
    public int StageBands { get; set; }

    /// <summary>
    /// Half-life, in days, of an activity's weight in the activity-by-stage columns: an activity done that
    /// long ago counts one half. 0: no decay (every activity counts 1).
    /// </summary>
    [Range(0, 3650)]
    public int StageBandHalfLifeDays { get; set; }

    /// <summary>
    /// Whether the activity-by-stage columns are constrained to raise the win probability (XGBoost monotone
    /// constraint +1) like the other activity counts; off lets a kind hurt in some stages.
    /// </summary>
    public bool StageBandMonotone { get; set; }

    /// <summary>
    /// Whether the owner's track record (<c>owner_past_deals</c>, <c>owner_past_wins</c>,
    /// <c>owner_win_rate</c>) is a feature. Default: on. Skilled reps log more activities and also win
    /// more; without their track record the model credits the activities with those wins. Against the
    /// true activity effects of 11 generated orgs (<c>sfp recommend-quality --compare</c>, other settings
    /// at their defaults), without it the expected uplifts of the recommended kinds were 1.47 times the
    /// true ones instead of 1.14 (higher on 10 of 11 orgs) and AUC fell on all 11 (0.820 vs 0.829),
    /// while the kinds were ranked no better (precision@3 of the ranking 0.698 vs 0.702). Precision@3
    /// with the default minimum uplift rose (0.638 vs 0.600) because the overstated uplifts let more
    /// kinds pass that minimum.
    /// </summary>
    public bool OwnerFeatures { get; set; } = true;

    internal IReadOnlyList<int> EffectiveActivityWindowsDays() =>
        ActivityWindowsDays.Count == 0 ? DefaultActivityWindowsDays : [.. ActivityWindowsDays];

    /// <summary>
    /// The kinds in effect: <see cref="ActivityKinds"/> (or the defaults in <see cref="ActivityLanguages"/>),
    /// renamed, merged with <see cref="AdditionalActivityKinds"/>, without <see cref="DisabledActivityKinds"/>.
    /// Unknown names and languages are left to <see cref="Validate"/>.
    /// </summary>
    public IReadOnlyList<ActivityKind> EffectiveActivityKinds() => ResolveKinds(disable: true);

    private List<ActivityKind> ResolveKinds(bool disable)
    {
        var kinds = ActivityKinds.Count > 0
            ? [.. ActivityKinds.Select(k => k.Copy())]
            : ActivityVocabulary.DefaultKinds(ActivityLanguages.Where(ActivityVocabulary.IsKnown)).Select(k => k.Copy()).ToList();
        if (RenamedActivityKinds.Count > 0)
        {
            var renames = new Dictionary<string, string>(RenamedActivityKinds, StringComparer.OrdinalIgnoreCase);
            string Rename(string name) => renames.TryGetValue(name, out var to) && !string.IsNullOrWhiteSpace(to) ? to.Trim() : name;
            foreach (var kind in kinds)
            {
                kind.Name = Rename(kind.Name);
                kind.KeywordChannels = [.. kind.KeywordChannels.Select(Rename)];
            }
        }

        var front = 0;
        foreach (var extra in AdditionalActivityKinds)
        {
            var same = kinds.FirstOrDefault(k => string.Equals(k.Name, extra.Name.Trim(), StringComparison.OrdinalIgnoreCase));
            if (same is null)
            {
                kinds.Insert(front++, extra.Copy());
                continue;
            }

            static void AddNew(IList<string> to, IEnumerable<string> from)
            {
                foreach (var value in from.Where(v => !to.Contains(v, StringComparer.OrdinalIgnoreCase)))
                {
                    to.Add(value);
                }
            }

            AddNew(same.Types, extra.Types);
            AddNew(same.SubjectKeywords, extra.SubjectKeywords);
            AddNew(same.SubjectPatterns, extra.SubjectPatterns);
            AddNew(same.KeywordChannels, extra.KeywordChannels);
        }

        if (disable && DisabledActivityKinds.Count > 0)
        {
            var disabled = new HashSet<string>(DisabledActivityKinds.Select(d => d.Trim()), StringComparer.OrdinalIgnoreCase);
            kinds.RemoveAll(k => disabled.Contains(k.Name));
            foreach (var kind in kinds.Where(k => k.KeywordChannels.Count > 0))
            {
                var kept = kind.KeywordChannels.Where(c => !disabled.Contains(c)).ToList();
                // A kind whose every channel was disabled listens to its own activities only, not to all.
                kind.KeywordChannels = kept.Count > 0 ? kept : [kind.Name];
            }
        }

        return kinds;
    }

    /// <summary>
    /// Checks what attributes cannot: windows positive and distinct, kind names non-empty and distinct
    /// (also after turning them into feature-name slugs), extra fields unique.
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is wrong; the message names it.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        var windows = EffectiveActivityWindowsDays();
        for (var i = 0; i < windows.Count; i++)
        {
            if (windows[i] <= 0 || windows[i] > 3660)
            {
                errors.Add($"{SectionName}:ActivityWindowsDays:{i} must be between 1 and 3660 (got {windows[i]}).");
            }
        }

        if (windows.Distinct().Count() != windows.Count)
        {
            errors.Add($"{SectionName}:ActivityWindowsDays lists a window twice.");
        }

        ValidateActivityKindSettings(errors);
        var kinds = EffectiveActivityKinds();
        if (kinds.Count > 32)
        {
            errors.Add($"{SectionName}:ActivityKinds has {kinds.Count} kinds; at most 32 are supported.");
        }

        // "any" names the all-kinds activity block.
        var slugs = new HashSet<string>(StringComparer.Ordinal) { "any" };
        for (var i = 0; i < kinds.Count; i++)
        {
            var slug = FeatureNames.Slug(kinds[i].Name);
            if (slug.Length == 0)
            {
                errors.Add($"{SectionName}:ActivityKinds:{i}:Name must contain a letter or digit.");
            }
            else if (!slugs.Add(slug))
            {
                errors.Add($"{SectionName}:ActivityKinds:{i}:Name '{kinds[i].Name}' repeats another kind's name or is the reserved name 'any'.");
            }
        }

        var names = new HashSet<string>(kinds.Select(k => k.Name), StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < kinds.Count; i++)
        {
            foreach (var channel in kinds[i].KeywordChannels.Where(c => !names.Contains(c)))
            {
                errors.Add($"{SectionName}:ActivityKinds: kind '{kinds[i].Name}' names an unknown keyword channel '{channel}'; the kinds are {string.Join(", ", names)}.");
            }
        }

        var fields = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < ExtraFields.Count; i++)
        {
            var field = ExtraFields[i];
            if (string.IsNullOrWhiteSpace(field.Field))
            {
                errors.Add($"{SectionName}:ExtraFields:{i}:Field is required.");
            }
            else if (!fields.Add($"{field.Object}.{field.Field}"))
            {
                errors.Add($"{SectionName}:ExtraFields:{i} repeats {field.Object}.{field.Field}.");
            }
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(FeatureOptions), errors);
        }
    }

    // The settings that shape the kinds, each error naming the key to fix.
    private void ValidateActivityKindSettings(List<string> errors)
    {
        for (var i = 0; i < ActivityLanguages.Count; i++)
        {
            if (!ActivityVocabulary.IsKnown(ActivityLanguages[i]))
            {
                errors.Add($"{SectionName}:ActivityLanguages:{i} '{ActivityLanguages[i]}' has no built-in vocabulary; use {string.Join(", ", ActivityVocabulary.Languages)}.");
            }
        }

        void Patterns(string key, IList<ActivityKind> kinds)
        {
            for (var k = 0; k < kinds.Count; k++)
            {
                for (var p = 0; p < kinds[k].SubjectPatterns.Count; p++)
                {
                    try
                    {
                        ActivityKindMapper.CompilePattern(kinds[k].SubjectPatterns[p], kinds[k].Name);
                    }
                    catch (ArgumentException e)
                    {
                        errors.Add($"{SectionName}:{key}:{k}:SubjectPatterns:{p}: {e.Message}");
                    }
                }
            }
        }

        Patterns(nameof(ActivityKinds), ActivityKinds);
        Patterns(nameof(AdditionalActivityKinds), AdditionalActivityKinds);

        var before = (ActivityKinds.Count > 0 ? [.. ActivityKinds] : ActivityVocabulary.DefaultKinds()).Select(k => k.Name.Trim()).ToList();
        foreach (var (from, to) in RenamedActivityKinds)
        {
            if (!before.Contains(from, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{SectionName}:RenamedActivityKinds:{from} names no activity kind; the kinds are {string.Join(", ", before)}.");
            }
            else if (string.IsNullOrWhiteSpace(to))
            {
                errors.Add($"{SectionName}:RenamedActivityKinds:{from} gives no new name.");
            }
        }

        var after = ResolveKinds(disable: false).Select(k => k.Name).ToList();
        for (var i = 0; i < DisabledActivityKinds.Count; i++)
        {
            if (!after.Contains(DisabledActivityKinds[i].Trim(), StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{SectionName}:DisabledActivityKinds:{i} '{DisabledActivityKinds[i]}' names no activity kind; the kinds are {string.Join(", ", after)}.");
            }
        }

        for (var i = 0; i < ActivityTypeFields.Count; i++)
        {
            if (!FieldName().IsMatch(ActivityTypeFields[i].Trim()))
            {
                errors.Add($"{SectionName}:ActivityTypeFields:{i} '{ActivityTypeFields[i]}' is not a field API name (letters, digits and underscores, e.g. Activity_Type__c).");
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial System.Text.RegularExpressions.Regex FieldName();
}

/// <summary>The object an extra field lives on.</summary>
public enum ExtraFieldObject
{
    /// <summary>The Opportunity itself.</summary>
    Opportunity,

    /// <summary>The Opportunity's Account.</summary>
    Account,
}

/// <summary>How an extra field becomes features.</summary>
public enum ExtraFieldKind
{
    /// <summary>One column holding the number (empty: missing).</summary>
    Numeric,

    /// <summary>One column per value (one-hot).</summary>
    Picklist,

    /// <summary>One column holding 1 or 0.</summary>
    Checkbox,
}

/// <summary>
/// An admin-configured field of Opportunity or Account. Its value is the record's CURRENT value (the
/// record model has no field history for custom fields), so a field that is filled in at or after
/// closing leaks the outcome into training; configure only fields that are set while the deal is open.
/// </summary>
public sealed class ExtraField
{
    /// <summary>The object the field lives on.</summary>
    public ExtraFieldObject Object { get; set; } = ExtraFieldObject.Opportunity;

    /// <summary>Field API name, e.g. <c>Region__c</c>.</summary>
    [Required]
    public string Field { get; set; } = "";

    /// <summary>How the field becomes features.</summary>
    public ExtraFieldKind Kind { get; set; } = ExtraFieldKind.Numeric;

    /// <summary>
    /// For a picklist: the values that get a column. Empty: the most frequent values in the training data.
    /// </summary>
    public IList<string> Values { get; set; } = new List<string>();
}

/// <summary>
/// Validates <see cref="FeatureOptions"/> at start: the DataAnnotations attributes, then
/// <see cref="FeatureOptions.Validate"/>. Register with
/// <c>services.AddSingleton&lt;IValidateOptions&lt;FeatureOptions&gt;, ValidateFeatureOptions&gt;()</c>.
/// </summary>
public sealed class ValidateFeatureOptions : IValidateOptions<FeatureOptions>
{
    private readonly FeatureOptionsAttributeValidator _attributes = new();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FeatureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = _attributes.Validate(name, options);
        if (result.Failed)
        {
            return result;
        }

        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (OptionsValidationException e)
        {
            return ValidateOptionsResult.Fail(e.Failures);
        }
    }
}

[OptionsValidator]
internal sealed partial class FeatureOptionsAttributeValidator : IValidateOptions<FeatureOptions>;
