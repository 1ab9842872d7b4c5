namespace SfPredictor.SyntheticOrg.Model;

/// <summary>
/// The generated org's causal model of winning.
/// <para>
/// A deal walks its stage path. When it has spent its time in a stage, the stage's gate decides: it
/// passes with probability sigmoid(GateOffset[stage] + L), else the deal is Closed Lost there; passing
/// the last gate is Closed Won. L, the deal's log-odds, is its static part (industry, size, amount,
/// lead source, competitor, partner, existing customer, account fit, rep skill, unobserved deal
/// quality) plus the effects of every activity done so far, which persist to every later gate.
/// </para>
/// <para>
/// An activity's effect depends on the stage it is done in (<see cref="CausalWorld.FirstEffect"/> of the
/// deal's world): in the default world demos help most while needs are being shaped, proposals in the
/// middle and late stages, executive meetings late; calls and emails do little; a proposal or executive
/// meeting before the deal is qualified hurts. Returns diminish: the n-th activity of a kind within one
/// stage adds effect/n (or effect·decay^(n-1)); some kinds hurt when overdone (email spam, endless
/// demos, one quote revision too many). The same functions decide closed outcomes
/// (<see cref="Resolve"/>, step by step) and compute the true probabilities written for open deals
/// (<see cref="WinProbability"/>, in closed form), so the two always agree.
/// </para>
/// </summary>
internal static class CausalModel
{
    /// <summary>What the <paramref name="n"/>-th activity of a kind in a stage adds to L.</summary>
    public static double Increment(CausalWorld world, CausalKind kind, int stage, int n, double scale)
    {
        var k = (int)kind;
        var first = scale * world.FirstEffect[k, stage];
        var effect = world.Decay > 0 ? first * Math.Pow(world.Decay, n - 1) : first / n;
        return effect - (n > world.OverdoneAfter[k] ? world.OverdonePenalty[k] : 0);
    }

    /// <summary>What <paramref name="count"/> activities of a kind in a stage add to L together.</summary>
    public static double Contribution(CausalWorld world, CausalKind kind, int stage, int count, double scale)
    {
        var k = (int)kind;
        var shares = 0.0;
        for (var n = 1; n <= count; n++)
        {
            shares += world.Decay > 0 ? Math.Pow(world.Decay, n - 1) : 1.0 / n;
        }

        return (scale * world.FirstEffect[k, stage] * shares) - (world.OverdonePenalty[k] * Math.Max(0, count - world.OverdoneAfter[k]));
    }

    /// <summary>The probability of passing a stage's gate with log-odds <paramref name="logOdds"/>.</summary>
    public static double GatePass(CausalWorld world, int stage, double logOdds) => 1 / (1 + Math.Exp(-(world.GateOffset[stage] + logOdds)));

    /// <summary>
    /// Plays the deal forward: activities in time order, each gate decided by its draw. With
    /// <paramref name="extra"/>, one more activity of that kind is done in <paramref name="extraPosition"/>.
    /// </summary>
    public static DealOutcome Resolve(DealPlan plan, ReadOnlySpan<double> gateDraws, CausalKind? extra = null, int extraPosition = -1)
    {
        Span<int> counts = stackalloc int[SalesProcess.OpenStageCount * CausalKinds.Count];
        var logOdds = plan.BaseLogOdds;
        var next = 0;
        for (var j = 0; j < plan.Stages.Length; j++)
        {
            var stage = plan.Stages[j];
            var stageCounts = counts.Slice(stage * CausalKinds.Count, CausalKinds.Count);
            for (; next < plan.Activities.Length && plan.Activities[next].Position == j; next++)
            {
                var kind = (int)plan.Activities[next].Kind;
                logOdds += Increment(plan.World, plan.Activities[next].Kind, stage, ++stageCounts[kind], plan.EffectScale[kind]);
            }

            if (extra is { } extraKind && j == extraPosition)
            {
                logOdds += Increment(plan.World, extraKind, stage, ++stageCounts[(int)extraKind], plan.EffectScale[(int)extraKind]);
            }

            if (gateDraws[j] >= GatePass(plan.World, stage, logOdds))
            {
                return new DealOutcome(false, j, plan.StageEnds[j]);
            }
        }

        var last = plan.Stages.Length - 1;
        return new DealOutcome(true, last, plan.StageEnds[last]);
    }

    /// <summary>
    /// The probability that a deal which has passed every gate before <paramref name="fromPosition"/>
    /// is won, given its plan: the product of its remaining gates. With <paramref name="extra"/>, one
    /// more activity of that kind is done in <paramref name="fromPosition"/>.
    /// </summary>
    public static double WinProbability(DealPlan plan, int fromPosition, CausalKind? extra = null)
    {
        Span<int> counts = stackalloc int[SalesProcess.OpenStageCount * CausalKinds.Count];
        foreach (var activity in plan.Activities)
        {
            counts[(activity.Position * CausalKinds.Count) + (int)activity.Kind]++;
        }

        if (extra is { } extraKind)
        {
            counts[(fromPosition * CausalKinds.Count) + (int)extraKind]++;
        }

        var logOdds = plan.BaseLogOdds;
        var probability = 1.0;
        for (var j = 0; j < plan.Stages.Length; j++)
        {
            var stage = plan.Stages[j];
            foreach (var kind in CausalKinds.All)
            {
                logOdds += Contribution(plan.World, kind, stage, counts[(j * CausalKinds.Count) + (int)kind], plan.EffectScale[(int)kind]);
            }

            if (j >= fromPosition)
            {
                probability *= GatePass(plan.World, stage, logOdds);
            }
        }

        return probability;
    }
}
