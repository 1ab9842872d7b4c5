using SfPredictor.SyntheticOrg.Model;

namespace SfPredictor.SyntheticOrg;

/// <summary>
/// Which causal world a generated org follows: how activities change the odds of winning and how
/// they are logged. Every world writes the same kinds of records and its exact truth; defaults that
/// hold across all of them are less likely to be tuned to one generator.
/// </summary>
public enum OrgWorld
{
    /// <summary>
    /// The original generator: effects depend moderately on the stage (demos early, proposals in the
    /// middle, executive meetings late), returns diminish as 1/n, calls and emails do little.
    /// </summary>
    Default,

    /// <summary>
    /// Strongly stage-dependent: each kind helps in some stages and does nothing or harm in others
    /// (calls and emails early, meetings in qualification, demos in needs analysis, proposals at the
    /// quote, executive meetings in negotiation).
    /// </summary>
    StageDependent,

    /// <summary>
    /// Steep diminishing returns: the n-th activity of a kind in a stage adds 0.3^(n-1) of the first
    /// one's effect, so the third demo adds a tenth of the first and the best next kind is often one
    /// not yet done in the stage.
    /// </summary>
    DiminishingReturns,

    /// <summary>
    /// Effects differ by segment: small accounts respond to calls, emails and demos, large accounts to
    /// proposals and executive meetings; existing business hardly needs demos; technology buyers want
    /// demos, government buyers executives.
    /// </summary>
    Segmented,

    /// <summary>
    /// Heavy confounding: reps log far more of every kind on deals that are already going well (an
    /// unobserved deal quality), so counts of activities and wins go together far beyond their effect.
    /// </summary>
    Confounded,

    /// <summary>Sparse logging: only a quarter of the activities done are ever logged; all of them still act.</summary>
    SparseLogging,
}

/// <summary>The command-line names of the worlds (kebab-case: <c>default</c>, <c>stage-dependent</c>, ...).</summary>
public static class OrgWorlds
{
    /// <summary>Every world, the default first.</summary>
    public static IReadOnlyList<OrgWorld> All { get; } = Enum.GetValues<OrgWorld>();

    /// <summary>The world's name on the command line and in reports.</summary>
    public static string Name(OrgWorld world) => world switch
    {
        OrgWorld.Default => "default",
        OrgWorld.StageDependent => "stage-dependent",
        OrgWorld.DiminishingReturns => "diminishing-returns",
        OrgWorld.Segmented => "segmented",
        OrgWorld.Confounded => "confounded",
        OrgWorld.SparseLogging => "sparse-logging",
        _ => throw new ArgumentOutOfRangeException(nameof(world), world, "Unknown world."),
    };

    /// <summary>
    /// The share of done activities the world logs (1 but in <see cref="OrgWorld.SparseLogging"/>): what the
    /// admin of such an org would state as <c>SfPredictor:Training:ActivityLoggedShare</c>.
    /// </summary>
    public static double LoggedShare(OrgWorld world) => CausalWorld.For(world).LoggedShare;

    /// <summary>Reads a world's name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No world has that name; the message lists the names.</exception>
    public static OrgWorld Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var world in All)
        {
            if (string.Equals(Name(world), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return world;
            }
        }

        throw new ArgumentException($"No world is named '{name}'; the worlds are {string.Join(", ", All.Select(Name))}.", nameof(name));
    }
}
