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

    /// <summary>Seed of every random draw.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>The moment the export is taken: nothing is dated after it except planned close dates, tasks and meetings.</summary>
    public DateTimeOffset AsOf { get; init; } = DefaultAsOf;
}
