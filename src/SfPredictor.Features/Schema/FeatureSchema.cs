using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using SfPredictor.Features.Activities;
using SfPredictor.Features.Indexing;
using SfPredictor.Features.Stages;

namespace SfPredictor.Features.Schema;

/// <summary>The values of one categorical field that get a one-hot column each.</summary>
/// <param name="Source">The field: <c>Opportunity.Type</c>, <c>Opportunity.LeadSource</c>, <c>Account.Industry</c> or <c>Object.Field__c</c> of a picklist extra field.</param>
/// <param name="Values">The values, in column order.</param>
public sealed record FeatureCategory(string Source, IReadOnlyList<string> Values)
{
    /// <summary>Source name of the Opportunity Type field.</summary>
    public const string OpportunityType = "Opportunity.Type";

    /// <summary>Source name of the Opportunity LeadSource field.</summary>
    public const string LeadSource = "Opportunity.LeadSource";

    /// <summary>Source name of the Account Industry field.</summary>
    public const string Industry = "Account.Industry";
}

/// <summary>
/// The ordered feature columns and everything that shapes them: schema version, effective options
/// (windows, activity kinds, extra fields, currency, optional column groups), the one-hot vocabularies and the stage catalog
/// found in the training data. <see cref="Hash"/> is a SHA-256 over all of that; it travels with the model, and scoring
/// refuses a schema whose hash differs. Serialise with <see cref="ToJson"/>, restore with
/// <see cref="FromJson"/>. Missing values are <see cref="float.NaN"/>. Immutable and thread-safe.
/// </summary>
public sealed class FeatureSchema
{
    /// <summary>The version of the feature definitions this build produces; bumped whenever a feature's meaning changes.</summary>
    public const int CurrentVersion = 1;

    private readonly Dictionary<string, int> _byName;

    internal FeatureSchema(FeatureOptions effectiveOptions, IReadOnlyList<FeatureCategory> categories, IReadOnlyList<StageInfo> stages)
    {
        Options = effectiveOptions;
        Categories = categories;
        Stages = stages;
        Version = CurrentVersion;
        Layout = new FeatureLayout(effectiveOptions, categories, stages);
        Features = Layout.Features;
        ActivityKinds = [.. effectiveOptions.ActivityKinds.Select(k => k.Name)];
        _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Features.Count; i++)
        {
            if (!_byName.TryAdd(Features[i].Name, i))
            {
                throw new InvalidOperationException(
                    $"Two features are named '{Features[i].Name}'; rename the activity kind or extra field that produces it.");
            }
        }

        Hash = ComputeHash(SchemaJson.Document(this, includeHash: false));
    }

    /// <summary>Schema version (<see cref="CurrentVersion"/> for schemas this build creates).</summary>
    public int Version { get; }

    /// <summary>Lower-case hex SHA-256 of version, feature names, options and vocabularies.</summary>
    public string Hash { get; }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<FeatureInfo> Features { get; }

    /// <summary>Number of columns.</summary>
    public int Width => Features.Count;

    /// <summary>Activity kind names; a kind's index is its position here.</summary>
    public IReadOnlyList<string> ActivityKinds { get; }

    /// <summary>The effective options (defaults resolved into explicit lists).</summary>
    public FeatureOptions Options { get; }

    /// <summary>The one-hot vocabularies.</summary>
    public IReadOnlyList<FeatureCategory> Categories { get; }

    /// <summary>
    /// The stage catalog at training time. Stage position and default probability come from here, so an
    /// admin adding or reordering stages after training does not shift what the model saw; a stage
    /// unknown to it has no position and takes its probability from the org's current catalog.
    /// </summary>
    public IReadOnlyList<StageInfo> Stages { get; }

    internal FeatureLayout Layout { get; }

    /// <summary>Feature names, in column order.</summary>
    public IReadOnlyList<string> Names => [.. Features.Select(f => f.Name)];

    /// <summary>Per-column monotone constraints (see <see cref="FeatureInfo.MonotoneConstraint"/>).</summary>
    public IReadOnlyList<int> MonotoneConstraints => [.. Features.Select(f => f.MonotoneConstraint)];

    /// <summary>The constraints in XGBoost's <c>monotone_constraints</c> parameter syntax, e.g. <c>(0,1,-1)</c>.</summary>
    public string XgboostMonotoneConstraints =>
        "(" + string.Join(',', Features.Select(f => f.MonotoneConstraint.ToString(CultureInfo.InvariantCulture))) + ")";

    /// <summary>The column of a feature, or -1.</summary>
    public int IndexOf(string name) => _byName.GetValueOrDefault(name, -1);

    /// <summary>The index of an activity kind by name (case-insensitive), or -1.</summary>
    public int ActivityKindIndex(string kindName)
    {
        for (var k = 0; k < ActivityKinds.Count; k++)
        {
            if (string.Equals(ActivityKinds[k], kindName, StringComparison.OrdinalIgnoreCase))
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>The column holding days since the last activity of a kind (for cooldowns).</summary>
    public int DaysSinceColumn(int activityKindIndex) => Layout.KindColumn(activityKindIndex, Layout.DaysSinceOffset);

    /// <summary>The columns that <see cref="ApplyActivity"/> changes for a kind.</summary>
    public IReadOnlyList<int> ActivityColumns(int activityKindIndex) => Layout.ActivityColumns(activityKindIndex);

    /// <summary>
    /// Turns a row into the row as if one more activity of the kind had been done at the row's point in
    /// time, at the current stage: the kind's and the any-kind counts in every window, in total and in
    /// the current stage (when the schema has <see cref="FeatureOptions.StageActivityFeatures"/>) go up
    /// by one, and the days since the last activity of the kind and of any kind become 0. Nothing else
    /// changes.
    /// </summary>
    public void ApplyActivity(Span<float> row, int activityKindIndex)
    {
        if (row.Length != Width)
        {
            throw new ArgumentException($"The row has {row.Length} values; the schema has {Width} columns.", nameof(row));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(activityKindIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(activityKindIndex, ActivityKinds.Count);
        Layout.ApplyActivity(row, activityKindIndex);
    }

    /// <summary>The value of a feature in a row, in plain words ("No activity in 24 days", "Demo held 3 days ago").</summary>
    public string Describe(int column, ReadOnlySpan<float> row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Width);
        return FeatureText.Describe(this, column, row);
    }

    /// <summary>Builds the schema of an org: effective options plus vocabularies taken from the indexed data.</summary>
    public static FeatureSchema Create(OrgIndex index, FeatureOptions options)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        return new FeatureSchema(Effective(options), Vocabulary.Derive(index, options), index.Stages.Stages);
    }

    /// <summary>The schema as JSON (with its hash).</summary>
    public string ToJson() => JsonSerializer.Serialize(SchemaJson.Document(this, includeHash: true), SchemaJsonContext.Default.SchemaDocument);

    /// <summary>Restores a schema from <see cref="ToJson"/> output.</summary>
    /// <exception cref="InvalidDataException">
    /// The JSON is malformed, its version is not <see cref="CurrentVersion"/>, or the rebuilt schema does
    /// not reproduce its feature names and hash (the model was built by a different feature definition).
    /// </exception>
    public static FeatureSchema FromJson(string json) => SchemaJson.Parse(json);

    internal static FeatureOptions Effective(FeatureOptions options)
    {
        options.Validate();
        return new FeatureOptions
        {
            ActivityWindowsDays = [.. options.EffectiveActivityWindowsDays().Order()],
            // Renames, additions, removals and languages are resolved into the explicit list the schema keeps.
            ActivityKinds = [.. options.EffectiveActivityKinds().Select(k => k.Copy())],
            ActivityTypeFields = [.. options.ActivityTypeFields.Select(f => f.Trim())],
            ExtraFields = [.. options.ExtraFields.Select(f => new ExtraField
            {
                Object = f.Object,
                Field = f.Field.Trim(),
                Kind = f.Kind,
                Values = [.. f.Values],
            })],
            CorporateCurrency = options.CorporateCurrency?.Trim().ToUpperInvariant(),
            MaxCategories = options.MaxCategories,
            MinCategoryCount = options.MinCategoryCount,
            StageActivityFeatures = options.StageActivityFeatures,
            OwnerFeatures = options.OwnerFeatures,
            StageBands = options.StageBands,
            StageBandHalfLifeDays = options.StageBandHalfLifeDays,
            StageBandMonotone = options.StageBandMonotone,
        };
    }

    internal static string ComputeHash(SchemaDocument document)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, SchemaJsonContext.Default.SchemaDocument);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"FeatureSchema v{Version} ({Width} features, {Hash[..12]})");
}
