using System.ComponentModel.DataAnnotations;

namespace SfPredictor.SyntheticOrg;

/// <summary>What org to generate. The same options always give the same org.</summary>
public sealed class SyntheticOrgOptions
{
    /// <summary>The default number of Opportunities.</summary>
    public const int DefaultOpportunities = 20_000;

    /// <summary>The largest org generated: all of it is held in memory before it is written.</summary>
    public const int MaxOpportunities = 1_000_000;

    /// <summary>The default as-of date, 2026-10-01T00:00:00Z: fixed, so that output never depends on the clock.</summary>
    public static DateTimeOffset DefaultAsOf { get; } = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Total Opportunities, open and closed, created over the three years before <see cref="AsOf"/> (memory grows by about 9 KB each).</summary>
    [Range(1, MaxOpportunities)]
    public int Opportunities { get; init; } = DefaultOpportunities;

    /// <summary>The causal world the org follows (see <see cref="OrgWorld"/>).</summary>
    [EnumDataType(typeof(OrgWorld))]
    public OrgWorld World { get; init; } = OrgWorld.Default;

    /// <summary>
    /// The share of done activities that are logged, in place of the world's (<see cref="OrgWorlds.LoggedShare"/>:
    /// 0.25 in sparse-logging, 1 elsewhere); null keeps the world's. The plans, outcomes and truth stay the same.
    /// </summary>
    [Range(0.01, 1.0)]
    public double? LoggedShare { get; init; }

    /// <summary>Seed of every random draw.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>The moment the export is taken: nothing is dated after it except planned close dates, tasks and meetings.</summary>
    public DateTimeOffset AsOf { get; init; } = DefaultAsOf;

    /// <summary>
    /// The language of activity subjects: <c>en</c>, <c>es</c>, <c>pt</c>, <c>fr</c>, <c>de</c> or <c>it</c>.
    /// Only the words change: the same seed gives the same deals, activities and truth in every language.
    /// </summary>
    [RegularExpression("^(?i)(en|es|pt|fr|de|it)$", ErrorMessage = "Language must be one of en, es, pt, fr, de, it.")]
    public string Language { get; init; } = "en";

    /// <summary>Leave Task.Type, Event.Type and TaskSubtype blank, as many orgs do: only subjects tell what was done.</summary>
    public bool BlankActivityTypes { get; init; }

    /// <summary>
    /// A custom activity picklist (e.g. <c>Activity_Type__c</c>) on every Task and Event, holding the org's
    /// own value for the kind done ("Phone", "Mail out", "Face to face", "Product show", "Offer sent",
    /// "Board level"; "Admin" for activities of no kind). Null: none.
    /// </summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9_]*__c$", ErrorMessage = "ActivityTypeField must be a custom field API name ending in __c.")]
    public string? ActivityTypeField { get; init; }
}
