namespace SfPredictor.SyntheticOrg.Model;

/// <summary>An activity the deal's team does (or will do) at a time, in one position of the deal's stage path.</summary>
internal readonly record struct PlannedActivity(DateTimeOffset Time, CausalKind Kind, int Position);

/// <summary>How a deal ends: won after its last stage, or lost at the gate of <see cref="FinalPosition"/>.</summary>
internal readonly record struct DealOutcome(bool Won, int FinalPosition, DateTimeOffset ClosedAt);

/// <summary>
/// Everything about one deal that does not depend on its outcome: its static log-odds, the stages it
/// would pass through, when each would end, every activity the team would do in each, and the uniform
/// draws its stage gates are decided by. Behaviour never depends on activity effects, so adding one
/// activity changes only the gate probabilities, never the rest of the plan; that is what makes the
/// true probabilities in <see cref="CausalModel"/> exact.
/// </summary>
internal sealed class DealPlan
{
    /// <summary>The causal world the deal is played in.</summary>
    public CausalWorld World { get; init; } = CausalWorld.Default;

    /// <summary>Log-odds from the deal's static traits (account, rep, amount, quality, ...).</summary>
    public required double BaseLogOdds { get; init; }

    /// <summary>Per <see cref="CausalKind"/>, how strongly this deal responds to the kind (1 = the table value).</summary>
    public required double[] EffectScale { get; init; }

    /// <summary>The open stages (<see cref="SalesProcess"/> indexes) in the order the deal would visit them.</summary>
    public required int[] Stages { get; init; }

    /// <summary>When the deal was created, which is when it entered its first stage.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Per path position, when that stage ends and its gate is decided.</summary>
    public required DateTimeOffset[] StageEnds { get; init; }

    /// <summary>Every planned activity, in time order (so also in position order).</summary>
    public required PlannedActivity[] Activities { get; init; }

    /// <summary>Per path position, the uniform draw the gate compares with its pass probability.</summary>
    public required double[] GateDraws { get; init; }

    public DateTimeOffset StageStart(int position) => position == 0 ? Created : StageEnds[position - 1];

    /// <summary>The path position whose stage holds <paramref name="time"/>, or -1 outside the plan.</summary>
    public int PositionAt(DateTimeOffset time)
    {
        if (time < Created)
        {
            return -1;
        }

        for (var j = 0; j < StageEnds.Length; j++)
        {
            if (time < StageEnds[j])
            {
                return j;
            }
        }

        return -1;
    }
}
