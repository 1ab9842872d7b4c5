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
/// An activity's effect depends on the stage it is done in (<see cref="FirstEffect"/>): demos help
/// most while needs are being shaped, proposals in the middle and late stages, executive meetings
/// late; calls and emails do little; a proposal or executive meeting before the deal is qualified
/// hurts. Returns diminish: the n-th activity of a kind within one stage adds effect/n; some kinds
/// hurt when overdone (email spam, endless demos, one quote revision too many). The same functions decide closed outcomes
/// (<see cref="Resolve"/>, step by step) and compute the true probabilities written for open deals
/// (<see cref="WinProbability"/>, in closed form), so the two always agree.
/// </para>
/// </summary>
internal static class CausalModel
{
    // Log-odds of the first activity of a kind in a stage, [kind, stage].
    private static readonly double[,] FirstEffect =
    {
        // Prospect Qualif  Needs   Value   Propos  Negot
        { 0.06,    0.06,   0.05,   0.04,   0.03,   0.03 }, // Call
        { 0.03,    0.03,   0.03,   0.02,   0.02,   0.02 }, // Email
        { 0.25,    0.20,   0.15,   0.10,   0.08,   0.06 }, // Meeting
        { 0.12,    0.35,   0.40,   0.30,   0.10,   0.00 }, // Demo
        { -0.15,   -0.05,  0.10,   0.35,   0.40,   0.20 }, // Proposal
        { -0.10,   0.00,   0.10,   0.20,   0.35,   0.45 }, // Executive Meeting
    };

    // Beyond this many activities of a kind in one stage, each further one costs OverdonePenalty.
    private static readonly int[] OverdoneAfter = [8, 5, int.MaxValue, 3, 3, int.MaxValue];
    private static readonly double[] OverdonePenalty = [0.03, 0.05, 0, 0.08, 0.06, 0];

    // Stage gate intercepts. Later ones are lower because deals reach them with more activity
    // effects in L; together most losses come early and about 30 % of closed deals are won.
    private static readonly double[] GateOffset = [0.8, 0.7, 0.7, 0.6, 0.0, -1.0];

    /// <summary>What the <paramref name="n"/>-th activity of a kind in a stage adds to L.</summary>
    public static double Increment(ActivityKind kind, int stage, int n, double scale)
    {
        var k = (int)kind;
        return (scale * FirstEffect[k, stage] / n) - (n > OverdoneAfter[k] ? OverdonePenalty[k] : 0);
    }

    /// <summary>What <paramref name="count"/> activities of a kind in a stage add to L together.</summary>
    public static double Contribution(ActivityKind kind, int stage, int count, double scale)
    {
        var k = (int)kind;
        var harmonic = 0.0;
        for (var n = 1; n <= count; n++)
        {
            harmonic += 1.0 / n;
        }

        return (scale * FirstEffect[k, stage] * harmonic) - (OverdonePenalty[k] * Math.Max(0, count - OverdoneAfter[k]));
    }

    /// <summary>The probability of passing a stage's gate with log-odds <paramref name="logOdds"/>.</summary>
    public static double GatePass(int stage, double logOdds) => 1 / (1 + Math.Exp(-(GateOffset[stage] + logOdds)));

    /// <summary>
    /// Plays the deal forward: activities in time order, each gate decided by its draw. With
    /// <paramref name="extra"/>, one more activity of that kind is done in <paramref name="extraPosition"/>.
    /// </summary>
    public static DealOutcome Resolve(DealPlan plan, ReadOnlySpan<double> gateDraws, ActivityKind? extra = null, int extraPosition = -1)
    {
        Span<int> counts = stackalloc int[SalesProcess.OpenStageCount * ActivityKinds.Count];
        var logOdds = plan.BaseLogOdds;
        var next = 0;
        for (var j = 0; j < plan.Stages.Length; j++)
        {
            var stage = plan.Stages[j];
            var stageCounts = counts.Slice(stage * ActivityKinds.Count, ActivityKinds.Count);
            for (; next < plan.Activities.Length && plan.Activities[next].Position == j; next++)
            {
                var kind = (int)plan.Activities[next].Kind;
                logOdds += Increment(plan.Activities[next].Kind, stage, ++stageCounts[kind], plan.EffectScale[kind]);
            }

            if (extra is { } extraKind && j == extraPosition)
            {
                logOdds += Increment(extraKind, stage, ++stageCounts[(int)extraKind], plan.EffectScale[(int)extraKind]);
            }

            if (gateDraws[j] >= GatePass(stage, logOdds))
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
    public static double WinProbability(DealPlan plan, int fromPosition, ActivityKind? extra = null)
    {
        Span<int> counts = stackalloc int[SalesProcess.OpenStageCount * ActivityKinds.Count];
        foreach (var activity in plan.Activities)
        {
            counts[(activity.Position * ActivityKinds.Count) + (int)activity.Kind]++;
        }

        if (extra is { } extraKind)
        {
            counts[(fromPosition * ActivityKinds.Count) + (int)extraKind]++;
        }

        var logOdds = plan.BaseLogOdds;
        var probability = 1.0;
        for (var j = 0; j < plan.Stages.Length; j++)
        {
            var stage = plan.Stages[j];
            foreach (var kind in ActivityKinds.All)
            {
                logOdds += Contribution(kind, stage, counts[(j * ActivityKinds.Count) + (int)kind], plan.EffectScale[(int)kind]);
            }

            if (j >= fromPosition)
            {
                probability *= GatePass(stage, logOdds);
            }
        }

        return probability;
    }
}
