namespace SfPredictor.SyntheticOrg.Model;

/// <summary>
/// The parameters of one <see cref="OrgWorld"/>: the effect of the first activity of each kind in each
/// stage, how returns diminish, stage gate intercepts, who responds to what, and how behaviour and
/// logging depend on the deal. <see cref="CausalModel"/> plays deals by these.
/// </summary>
internal sealed record CausalWorld
{
    /// <summary>Log-odds of the first activity of a kind in a stage, [kind, stage].</summary>
    public required double[,] FirstEffect { get; init; }

    /// <summary>Beyond this many activities of a kind in one stage, each further one costs <see cref="OverdonePenalty"/>.</summary>
    public required int[] OverdoneAfter { get; init; }

    public required double[] OverdonePenalty { get; init; }

    /// <summary>Stage gate intercepts, per stage.</summary>
    public required double[] GateOffset { get; init; }

    /// <summary>0: the n-th activity adds effect/n; otherwise it adds effect·Decay^(n-1).</summary>
    public double Decay { get; init; }

    /// <summary>Whether effect scales follow the deal's segment (size, business type, industry).</summary>
    public bool Segmented { get; init; }

    /// <summary>How strongly activity propensity follows unobserved deal quality: exp(strength·quality) for every kind; 0 keeps the default behaviour.</summary>
    public double Confounding { get; init; }

    /// <summary>Share of done activities that are logged.</summary>
    public double LoggedShare { get; init; } = 1;

    public static CausalWorld Default { get; } = new()
    {
        FirstEffect = new double[,]
        {
            // Prospect Qualif  Needs   Value   Propos  Negot
            { 0.06,    0.06,   0.05,   0.04,   0.03,   0.03 }, // Call
            { 0.03,    0.03,   0.03,   0.02,   0.02,   0.02 }, // Email
            { 0.25,    0.20,   0.15,   0.10,   0.08,   0.06 }, // Meeting
            { 0.12,    0.35,   0.40,   0.30,   0.10,   0.00 }, // Demo
            { -0.15,   -0.05,  0.10,   0.35,   0.40,   0.20 }, // Proposal
            { -0.10,   0.00,   0.10,   0.20,   0.35,   0.45 }, // Executive Meeting
        },
        OverdoneAfter = [8, 5, int.MaxValue, 3, 3, int.MaxValue],
        OverdonePenalty = [0.03, 0.05, 0, 0.08, 0.06, 0],
        // Later gates are lower because deals reach them with more activity effects in L; together most
        // losses come early and about 30 % of closed deals are won.
        GateOffset = [0.8, 0.7, 0.7, 0.6, 0.0, -1.0],
    };

    public static CausalWorld For(OrgWorld world) => world switch
    {
        OrgWorld.Default => Default,
        OrgWorld.StageDependent => new()
        {
            FirstEffect = new double[,]
            {
                // Prospect Qualif  Needs   Value   Propos  Negot
                { 0.30,    0.15,   0.00,  -0.05,  -0.05,  -0.05 }, // Call
                { 0.20,    0.25,   0.05,   0.00,   0.00,   0.00 }, // Email
                { 0.05,    0.35,   0.30,   0.05,   0.00,   0.00 }, // Meeting
                { -0.05,   0.10,   0.50,   0.40,  -0.05,  -0.10 }, // Demo
                { -0.25,  -0.20,   0.00,   0.25,   0.55,   0.15 }, // Proposal
                { -0.15,  -0.10,   0.00,   0.10,   0.30,   0.60 }, // Executive Meeting
            },
            OverdoneAfter = Default.OverdoneAfter,
            OverdonePenalty = Default.OverdonePenalty,
            GateOffset = [0.35, 0.25, 0.35, 0.35, -0.25, -1.25],
        },
        OrgWorld.DiminishingReturns => new()
        {
            FirstEffect = Scaled(Default.FirstEffect, 1.5),
            OverdoneAfter = [4, 3, 3, 2, 2, 3],
            OverdonePenalty = [0.03, 0.05, 0.03, 0.08, 0.08, 0.05],
            GateOffset = Default.GateOffset,
            Decay = 0.3,
        },
        OrgWorld.Segmented => new()
        {
            FirstEffect = Default.FirstEffect,
            OverdoneAfter = Default.OverdoneAfter,
            OverdonePenalty = Default.OverdonePenalty,
            GateOffset = Default.GateOffset,
            Segmented = true,
        },
        OrgWorld.Confounded => new()
        {
            FirstEffect = Default.FirstEffect,
            OverdoneAfter = Default.OverdoneAfter,
            OverdonePenalty = Default.OverdonePenalty,
            GateOffset = Default.GateOffset,
            Confounding = 1.2,
        },
        OrgWorld.SparseLogging => new()
        {
            FirstEffect = Default.FirstEffect,
            OverdoneAfter = Default.OverdoneAfter,
            OverdonePenalty = Default.OverdonePenalty,
            GateOffset = Default.GateOffset,
            LoggedShare = 0.25,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(world), world, "Unknown world."),
    };

    /// <summary>
    /// Per kind, how strongly a deal responds to it (1 = the table value). In the segmented world: small
    /// accounts respond to calls, emails and demos and not to executives, large ones the other way;
    /// existing business hardly needs a demo; industries differ too.
    /// </summary>
    public double[] Scales(int sizeClass, bool newBusiness, string industry, double industryDemoScale, double executiveScale)
    {
        var scale = new double[CausalKinds.Count];
        Array.Fill(scale, 1.0);
        if (!Segmented)
        {
            scale[(int)CausalKind.Demo] = industryDemoScale;
            scale[(int)CausalKind.ExecutiveMeeting] = executiveScale;
            return scale;
        }

        double[] bySize = sizeClass switch
        {
            0 => [3.0, 4.0, 1.0, 1.4, 0.6, 0.0],
            2 => [0.3, 0.3, 1.2, 0.7, 1.4, 2.0],
            _ => [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        };
        for (var k = 0; k < scale.Length; k++)
        {
            scale[k] = bySize[k];
        }

        if (!newBusiness)
        {
            scale[(int)CausalKind.Demo] *= 0.3;
            scale[(int)CausalKind.Meeting] *= 1.6;
            scale[(int)CausalKind.Proposal] *= 1.3;
        }

        switch (industry)
        {
            case "Technology":
                scale[(int)CausalKind.Demo] *= 1.6;
                break;
            case "Government":
                scale[(int)CausalKind.Demo] *= 0.5;
                scale[(int)CausalKind.ExecutiveMeeting] *= 1.6;
                break;
            case "Healthcare":
                scale[(int)CausalKind.Meeting] *= 1.5;
                break;
        }

        return scale;
    }

    private static double[,] Scaled(double[,] table, double factor)
    {
        var result = (double[,])table.Clone();
        for (var i = 0; i < result.GetLength(0); i++)
        {
            for (var j = 0; j < result.GetLength(1); j++)
            {
                result[i, j] *= factor;
            }
        }

        return result;
    }
}
