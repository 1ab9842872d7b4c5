using SfPredictor.DataExport;
using SfPredictor.SyntheticOrg.Model;
using SfPredictor.SyntheticOrg.Simulation;
using SfPredictor.SyntheticOrg.Truth;

namespace SfPredictor.SyntheticOrg.Tests;

[Collection(GeneratedOrgCollection.Name)]
public sealed class TruthTests(GeneratedOrgFixture org)
{
    private IEnumerable<DealResult> OpenDeals => org.Simulation.Deals.Where(d => d.Truth is not null);

    [Fact]
    public void Generate_Truth_CoversExactlyTheOpenOpportunities()
    {
        var open = org.Data.Opportunities.Where(o => !o.IsClosed).Select(o => o.Id).Order(StringComparer.Ordinal);

        Assert.Equal(open, org.Truth.Opportunities.Select(t => t.OpportunityId).Order(StringComparer.Ordinal));
        Assert.Equal(["Call", "Email", "Meeting", "Demo", "Proposal", "Executive Meeting"], org.Truth.Kinds);
        Assert.Equal(org.AsOf, org.Truth.AsOf);
    }

    [Fact]
    public void Generate_TruthValues_AreProbabilitiesAndChangesOfThem()
    {
        Assert.All(org.Truth.Opportunities, t =>
        {
            Assert.InRange(t.WinProbability, 1e-6, 1 - 1e-6);
            Assert.All(t.Uplifts, u => Assert.InRange(t.WinProbability + u, 0, 1));
        });
    }

    [Fact]
    public void Read_WrittenTruth_EqualsTheGeneratedTruthExactly()
    {
        var read = OrgTruth.Read(org.Folder);

        Assert.Equal(org.Truth.AsOf, read.AsOf);
        Assert.Equal(org.Truth.Kinds, read.Kinds);
        Assert.Equal(org.Truth.Opportunities.Count, read.Opportunities.Count);
        foreach (var expected in org.Truth.Opportunities)
        {
            Assert.True(read.TryGet(expected.OpportunityId, out var actual));
            Assert.Equal(expected.WinProbability, actual.WinProbability);
            Assert.Equal(expected.Uplifts, actual.Uplifts);
        }
    }

    [Fact]
    public void Uplift_EqualsTheProbabilityWithOneMoreActivityAddedToThePlanAtTheAsOfDate()
    {
        foreach (var deal in OpenDeals)
        {
            var plan = deal.Plan!;
            var position = plan.PositionAt(org.AsOf);
            Assert.Equal(deal.Opportunity.StageName, SalesProcess.OpenStageNames[plan.Stages[position]]);
            Assert.Equal(deal.Truth!.WinProbability, CausalModel.WinProbability(plan, position), 12);
            foreach (var kind in CausalKinds.All)
            {
                var activities = plan.Activities.Append(new PlannedActivity(org.AsOf, kind, position)).OrderBy(a => a.Time).ToArray();
                var withOneMore = new DealPlan
                {
                    BaseLogOdds = plan.BaseLogOdds,
                    EffectScale = plan.EffectScale,
                    Stages = plan.Stages,
                    Created = plan.Created,
                    StageEnds = plan.StageEnds,
                    Activities = activities,
                    GateDraws = plan.GateDraws,
                };

                Assert.Equal(deal.Truth.WinProbability + deal.Truth.Uplift(kind.Name()), CausalModel.WinProbability(withOneMore, position), 12);
            }
        }
    }

    [Fact]
    public void Truth_AgreesWithPlayingEachOpenDealForwardManyTimes()
    {
        // The truth is computed in closed form; outcomes are decided step by step with random gate
        // draws. Replaying each open deal with fresh draws (its passed gates kept) must reproduce it.
        const int Replays = 200;
        var rng = new Rng(2024, 0);
        var draws = new double[SalesProcess.OpenStageCount];
        double truthSum = 0, replaySum = 0, varianceSum = 0;
        var upliftTruth = new double[CausalKinds.Count];
        var upliftReplay = new double[CausalKinds.Count];
        var deals = 0;
        foreach (var deal in OpenDeals)
        {
            var plan = deal.Plan!;
            var position = plan.PositionAt(org.AsOf);
            var wins = 0;
            var winsWith = new int[CausalKinds.Count];
            for (var r = 0; r < Replays; r++)
            {
                for (var j = 0; j < plan.Stages.Length; j++)
                {
                    draws[j] = j < position ? 0 : rng.NextDouble();
                }

                wins += CausalModel.Resolve(plan, draws).Won ? 1 : 0;
                foreach (var kind in CausalKinds.All)
                {
                    winsWith[(int)kind] += CausalModel.Resolve(plan, draws, kind, position).Won ? 1 : 0;
                }
            }

            var p = deal.Truth!.WinProbability;
            var replayed = (double)wins / Replays;
            var standardError = Math.Sqrt(p * (1 - p) / Replays);
            Assert.True(Math.Abs(replayed - p) <= (5 * standardError) + 1e-9, $"{deal.Opportunity.Id}: truth {p:F4}, replayed {replayed:F4}");
            truthSum += p;
            replaySum += replayed;
            varianceSum += p * (1 - p) / Replays;
            foreach (var kind in CausalKinds.All)
            {
                upliftTruth[(int)kind] += deal.Truth.Uplifts[(int)kind];
                upliftReplay[(int)kind] += (double)(winsWith[(int)kind] - wins) / Replays;
            }

            deals++;
        }

        Assert.True(deals > 200, $"only {deals} open deals");
        Assert.InRange(replaySum - truthSum, -4 * Math.Sqrt(varianceSum), 4 * Math.Sqrt(varianceSum));
        foreach (var kind in CausalKinds.All)
        {
            // With common draws a replay differs only where the added activity flips a gate.
            var mean = upliftTruth[(int)kind] / deals;
            Assert.InRange(upliftReplay[(int)kind] / deals, mean - 0.004, mean + 0.004);
        }
    }

    [Fact]
    public void Truth_IsCalibratedAgainstHowTheOpenDealsEventuallyEnd()
    {
        var open = OpenDeals.ToList();
        var expected = open.Sum(d => d.Truth!.WinProbability);
        var standardDeviation = Math.Sqrt(open.Sum(d => d.Truth!.WinProbability * (1 - d.Truth.WinProbability)));
        var won = open.Count(d => d.Outcome.Won);

        Assert.InRange(won, expected - (4 * standardDeviation), expected + (4 * standardDeviation));

        var byProbability = open.OrderBy(d => d.Truth!.WinProbability).ToList();
        var low = byProbability.Take(open.Count / 2).Average(d => d.Outcome.Won ? 1.0 : 0);
        var high = byProbability.Skip(open.Count / 2).Average(d => d.Outcome.Won ? 1.0 : 0);
        Assert.True(high > low + 0.2, $"won: {low:P0} of the less likely half, {high:P0} of the more likely half");
    }

    [Fact]
    public void TryGet_FifteenCharacterId_FindsTheOpportunity()
    {
        var truth = org.Truth.Opportunities[0];

        Assert.True(org.Truth.TryGet(truth.OpportunityId[..15], out var found));
        Assert.Same(truth, found);
        Assert.False(org.Truth.TryGet("006000000000000AAA", out _));
    }

    [Fact]
    public void BestKinds_SomeKindsHurt_ReturnsOnlyHelpfulKindsLargestFirst()
    {
        var truth = new OpportunityTruth("0065j0000000001AAA", 0.4, ["Call", "Email", "Demo", "Proposal"], [0.01, -0.02, 0.05, 0.01]);

        Assert.Equal(["Demo", "Call", "Proposal"], truth.BestKinds(3));
        Assert.Equal(["Demo"], truth.BestKinds(1));
        Assert.Equal(-0.02, truth.Uplift("email"));
        Assert.Throws<KeyNotFoundException>(() => truth.Uplift("Webinar"));
    }

    [Fact]
    public void Read_MalformedUplift_NamesFileLineAndColumn()
    {
        using var folder = new TempFolder();
        var truth = new OrgTruth(org.AsOf, ["Call", "Demo"], [new OpportunityTruth("0065j0000000001AAA", 0.4, ["Call", "Demo"], [0.01, 0.02])]);
        truth.Write(folder.Path);
        var path = Path.Combine(folder.Path, OrgTruth.FolderName, OrgTruth.OpportunityFileName);
        File.AppendAllText(path, "\"0065j0000000002AAA\",\"0.5\",\"0.01\",\"lots\"\n");

        var error = Assert.Throws<DataExportFormatException>(() => OrgTruth.Read(folder.Path));

        Assert.Equal(3, error.Line);
        Assert.Equal("Demo", error.Field);
        Assert.Contains(OrgTruth.OpportunityFileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FolderWithoutTruth_ThrowsFileNotFoundException()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<FileNotFoundException>(() => OrgTruth.Read(folder.Path));

        Assert.Contains(OrgTruth.FolderName, error.Message, StringComparison.Ordinal);
    }
}
