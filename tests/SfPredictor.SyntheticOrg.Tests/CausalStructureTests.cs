using SfPredictor.Features.Activities;
using SfPredictor.Records;
using SfPredictor.SyntheticOrg.Model;
using SfPredictor.SyntheticOrg.Simulation;

namespace SfPredictor.SyntheticOrg.Tests;

[Collection(GeneratedOrgCollection.Name)]
public sealed class CausalStructureTests(GeneratedOrgFixture org)
{
    private static readonly ActivityKindMapper Mapper = new(ActivityKind.Defaults);

    [Fact]
    public void Vocabulary_EveryFormOfAKind_MapsToThatKindUnderTheProductDefaults()
    {
        foreach (var kind in CausalKinds.All)
        {
            foreach (var form in Vocabulary.Forms(kind))
            {
                Assert.All(form.Subjects.SelectMany(s => s), subject => Assert.Equal(kind.Name(), Map(form, subject)));
            }
        }
    }

    [Fact]
    public void Vocabulary_NoiseForms_MapToNoKindOrToTheirChannel()
    {
        Assert.All(Vocabulary.Chores.Subjects.SelectMany(s => s), s => Assert.Null(Map(Vocabulary.Chores, s)));
        Assert.All(Vocabulary.Newsletter.Subjects.SelectMany(s => s), s => Assert.Equal("Email", Map(Vocabulary.Newsletter, s)));
        Assert.All(Vocabulary.BusinessReview.Subjects.SelectMany(s => s), s => Assert.Equal("Meeting", Map(Vocabulary.BusinessReview, s)));
        foreach (var form in Vocabulary.Reminders.Concat(Vocabulary.AfterWin).Concat(Vocabulary.AfterLoss))
        {
            Assert.All(form.Subjects.SelectMany(s => s), s => Assert.Contains(Map(form, s), new[] { "Call", "Email", "Meeting" }));
        }
    }

    [Fact]
    public void Generate_WonDeals_HadMoreOfTheHelpfulKindsInTheRightStagesThanLostOnes()
    {
        // Only deals that got through the stages compared, so survival alone cannot explain a difference.
        var (wonDemos, lostDemos) = MeanPerDeal("Demo", ["Qualification", "Needs Analysis"], reached: "Value Proposition");
        var (wonProposals, lostProposals) = MeanPerDeal("Proposal", ["Value Proposition", "Proposal/Price Quote"], reached: "Proposal/Price Quote");
        var (wonExecutives, lostExecutives) = MeanPerDeal("Executive Meeting", ["Value Proposition", "Proposal/Price Quote"], reached: "Proposal/Price Quote");

        Assert.True(wonDemos > 1.2 * lostDemos, $"demos: won {wonDemos:F2}, lost {lostDemos:F2}");
        Assert.True(wonProposals > 1.2 * lostProposals, $"proposals: won {wonProposals:F2}, lost {lostProposals:F2}");
        Assert.True(wonExecutives > 1.2 * lostExecutives, $"executive meetings: won {wonExecutives:F2}, lost {lostExecutives:F2}");
    }

    [Fact]
    public void Generate_CallsAndEmails_LookUsefulInTheDataButTrulyDoLittle()
    {
        // The confounder: skilled reps both win more and log more calls and emails.
        var (wonCalls, lostCalls) = MeanPerDeal("Call", ["Prospecting", "Qualification"], reached: "Needs Analysis");
        var (wonEmails, lostEmails) = MeanPerDeal("Email", ["Prospecting", "Qualification"], reached: "Needs Analysis");
        Assert.True(wonCalls + wonEmails > 1.1 * (lostCalls + lostEmails), $"calls: won {wonCalls:F2}, lost {lostCalls:F2}; emails: won {wonEmails:F2}, lost {lostEmails:F2}");

        var truth = org.Truth.Opportunities;
        var call = truth.Average(t => t.Uplift("Call"));
        var email = truth.Average(t => t.Uplift("Email"));
        Assert.True(truth.Average(t => t.Uplift("Demo")) > 4 * call);
        Assert.True(truth.Average(t => t.Uplift("Meeting")) > 4 * call);
        Assert.True(email < call);
        Assert.True(truth.Count(t => t.BestKinds(1) is ["Call" or "Email"]) < truth.Count / 20);
    }

    [Fact]
    public void Generate_SkilledReps_LogMoreCallsAndWinMore()
    {
        var people = org.Simulation.Population.People;
        var reps = org.Data.Opportunities
            .Where(o => o.IsClosed)
            .GroupBy(o => o.OwnerId!)
            .Where(g => g.Count() >= 30)
            .Select(g =>
            {
                var ids = g.Select(o => o.Id).ToHashSet();
                var calls = org.Data.Tasks.Count(t => ids.Contains(t.WhatId!) && Mapper.Map(t.AsActivity()) == "Call");
                return (Skill: people.Single(p => p.Id == g.Key).Skill, CallsPerDeal: (double)calls / g.Count(), WinRate: g.Average(o => o.IsWon ? 1.0 : 0));
            })
            .ToList();

        Assert.True(reps.Count >= 5);
        Assert.True(Correlation(reps.Select(r => (r.Skill, r.CallsPerDeal))) > 0.3);
        Assert.True(Correlation(reps.Select(r => (r.Skill, r.WinRate))) > 0.3);
    }

    [Fact]
    public void Generate_DealsWithBetterOdds_WinMoreAndMoveFaster()
    {
        var closed = org.Simulation.Deals.Where(d => d.Opportunity.IsClosed).ToList();
        var won = closed.Where(d => d.Outcome.Won).Average(d => d.Plan!.BaseLogOdds);
        var lost = closed.Where(d => !d.Outcome.Won).Average(d => d.Plan!.BaseLogOdds);
        Assert.True(won > lost + 0.3, $"base log-odds: won {won:F2}, lost {lost:F2}");

        var firstStageDays = closed.Select(d => (d.Plan!.BaseLogOdds, (d.Plan.StageEnds[0] - d.Plan.Created).TotalDays));
        Assert.True(Correlation(firstStageDays) < -0.05);
    }

    // Mean number of activities of a kind logged on the Opportunity while it was in the given stages,
    // over closed deals that reached a later stage, for won and for lost deals.
    private (double Won, double Lost) MeanPerDeal(string kind, string[] stages, string reached)
    {
        var counts = new Dictionary<string, int>();
        foreach (var (whatId, time, mapped) in Activities())
        {
            if (mapped == kind && org.Histories.ContainsKey(whatId) && stages.Contains(org.StageAt(whatId, time)))
            {
                counts[whatId] = counts.GetValueOrDefault(whatId) + 1;
            }
        }

        var deals = org.Data.Opportunities
            .Where(o => o.IsClosed && org.Histories[o.Id].Any(h => h.StageName == reached))
            .ToList();
        Assert.True(deals.Count(o => o.IsWon) >= 40 && deals.Count(o => !o.IsWon) >= 40, $"{deals.Count} deals reached {reached}");
        return (
            deals.Where(o => o.IsWon).Average(o => counts.GetValueOrDefault(o.Id)),
            deals.Where(o => !o.IsWon).Average(o => counts.GetValueOrDefault(o.Id)));
    }

    private IEnumerable<(string WhatId, DateTimeOffset Time, string? Kind)> Activities() =>
        org.Data.Tasks.Where(t => t.IsClosed).Select(t => (t.WhatId!, t.CompletedDateTime!.Value, Mapper.Map(t.AsActivity())))
            .Concat(org.Data.Events.Where(e => e.StartDateTime < org.AsOf).Select(e => (e.WhatId!, e.StartDateTime, Mapper.Map(e.AsActivity()))));

    private static string? Map(ActivityForm form, string subject) => form.IsEvent
        ? Mapper.Map(new SfEvent { Id = "00U5j0000000001AAA", Subject = subject, Type = form.Type, EventSubtype = form.Subtype }.AsActivity())
        : Mapper.Map(new SfTask { Id = "00T5j0000000001AAA", Subject = subject, Type = form.Type, TaskSubtype = form.Subtype }.AsActivity());

    private static double Correlation(IEnumerable<(double X, double Y)> points)
    {
        var list = points.ToList();
        var meanX = list.Average(p => p.X);
        var meanY = list.Average(p => p.Y);
        var covariance = list.Sum(p => (p.X - meanX) * (p.Y - meanY));
        var varianceX = list.Sum(p => (p.X - meanX) * (p.X - meanX));
        var varianceY = list.Sum(p => (p.Y - meanY) * (p.Y - meanY));
        return covariance / Math.Sqrt(varianceX * varianceY);
    }
}
