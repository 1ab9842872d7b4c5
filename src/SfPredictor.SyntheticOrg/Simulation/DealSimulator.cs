using SfPredictor.Records;
using SfPredictor.SyntheticOrg.Model;
using SfPredictor.SyntheticOrg.Truth;

namespace SfPredictor.SyntheticOrg.Simulation;

/// <summary>One deal after simulation: its records as of the as-of date, and, while open, its truth.</summary>
internal sealed class DealResult
{
    public required Opportunity Opportunity { get; init; }
    public required List<OpportunityHistory> Histories { get; init; }
    public required ActivityLog Activities { get; init; }
    public required DealOutcome Outcome { get; init; }
    public OpportunityTruth? Truth { get; init; }

    /// <summary>The plan, kept only when asked for (tests check the truth against it).</summary>
    public DealPlan? Plan { get; init; }
}

/// <summary>
/// Simulates one deal: draws its plan (how the team behaves, independent of activity effects), lets
/// <see cref="CausalModel"/> decide its gates, and writes what an org would show at the as-of date.
/// </summary>
internal static class DealSimulator
{
    private static readonly double[] MedianStageDays = [30, 30, 30, 30, 25, 20];

    // Expected activities of a kind in a stage of median length for a typical rep, [kind, stage].
    private static readonly double[,] BaseRate =
    {
        { 1.6, 1.3, 1.0, 0.8, 0.8, 0.8 },    // Call
        { 2.0, 1.6, 1.3, 1.3, 1.6, 1.3 },    // Email
        { 0.4, 0.8, 0.8, 0.6, 0.4, 0.4 },    // Meeting
        { 0.15, 0.5, 0.7, 0.35, 0.08, 0.03 }, // Demo
        { 0.03, 0.06, 0.2, 0.5, 0.8, 0.35 }, // Proposal
        { 0.02, 0.04, 0.1, 0.2, 0.3, 0.35 }, // Executive Meeting
    };

    private const int MaxPerStageAndKind = 25;
    private const double AccountLoggedShare = 0.15;

    public static DealResult Simulate(Population population, DealSeed deal, bool existingCustomer, CausalWorld world, DateTimeOffset asOf, long seed, bool keepPlan)
    {
        var rng = new Rng(seed, 1L + deal.Index);
        var account = population.Accounts[deal.Account];
        var owner = population.People[deal.Owner];
        var plan = Plan(rng, deal, account, owner, existingCustomer, world);
        var outcome = CausalModel.Resolve(plan, plan.GateDraws);
        var closed = outcome.ClosedAt < asOf;
        var position = closed ? -1 : plan.PositionAt(asOf);

        var (opportunity, histories) = History(rng, deal, account, population, plan, outcome, closed, asOf);
        var activities = Activities(rng, population, deal, account, plan, outcome, closed, position, asOf);

        OpportunityTruth? truth = null;
        if (!closed)
        {
            var probability = CausalModel.WinProbability(plan, position);
            var uplifts = new double[CausalKinds.Count];
            foreach (var kind in CausalKinds.All)
            {
                uplifts[(int)kind] = CausalModel.WinProbability(plan, position, kind) - probability;
            }

            truth = new OpportunityTruth(deal.Id, probability, CausalKinds.Names, uplifts);
        }

        return new DealResult
        {
            Opportunity = opportunity,
            Histories = histories,
            Activities = activities,
            Outcome = outcome,
            Truth = truth,
            Plan = keepPlan ? plan : null,
        };
    }

    internal static DealPlan Plan(Rng rng, DealSeed deal, AccountProfile account, Person owner, bool existingCustomer, CausalWorld world)
    {
        var baseLogOdds = account.Industry.LogOdds + account.Size.LogOdds + Traits.AmountLogOdds(deal.AmountUsd)
            + owner.Skill + account.Fit + deal.Quality + deal.LeadSource.LogOdds + deal.Competitor.LogOdds
            + (deal.PartnerInvolved ? Traits.PartnerLogOdds : 0) + (existingCustomer ? Traits.ExistingCustomerLogOdds : 0);

        // A few deals skip a middle stage.
        var skipped = rng.NextDouble() switch
        {
            < 0.06 => SalesProcess.NeedsAnalysis,
            < 0.10 => SalesProcess.ValueProposition,
            _ => -1,
        };
        var stages = Enumerable.Range(0, SalesProcess.OpenStageCount).Where(s => s != skipped).ToArray();

        // Healthy deals move faster; big accounts slower. Pace uses only static traits, so that an
        // added activity never changes the plan.
        var pace = account.Size.CycleScale * Math.Exp(-0.15 * Math.Clamp(baseLogOdds, -2, 2));
        var propensity = Propensities(rng, deal, owner, world);
        var ends = new DateTimeOffset[stages.Length];
        var counts = new int[stages.Length, CausalKinds.Count];
        var total = 0;
        var start = deal.Created;
        for (var j = 0; j < stages.Length; j++)
        {
            var stage = stages[j];
            var days = Math.Max(1, MedianStageDays[stage] * pace * rng.LogNormal(1, 0.7));
            var rawEnd = start.AddDays(days);
            ends[j] = Clock.WorkTime(rng, rawEnd, start.AddHours(1), rawEnd.AddDays(1));
            var lengthFactor = Math.Pow((ends[j] - start).TotalDays / MedianStageDays[stage], 0.6);
            foreach (var kind in CausalKinds.All)
            {
                counts[j, (int)kind] = Math.Min(MaxPerStageAndKind, rng.Poisson(BaseRate[(int)kind, stage] * propensity[(int)kind] * lengthFactor));
                total += counts[j, (int)kind];
            }

            start = ends[j];
        }

        var activities = new PlannedActivity[total];
        var next = 0;
        for (var j = 0; j < stages.Length; j++)
        {
            var first = next;
            foreach (var kind in CausalKinds.All)
            {
                for (var n = 0; n < counts[j, (int)kind]; n++)
                {
                    activities[next++] = new PlannedActivity(Clock.WorkTimeBetween(rng, j == 0 ? deal.Created : ends[j - 1], ends[j]), kind, j);
                }
            }

            Array.Sort(activities, first, next - first, ActivityTimeOrder.Instance);
        }

        var draws = new double[stages.Length];
        for (var j = 0; j < draws.Length; j++)
        {
            draws[j] = rng.NextDouble();
        }

        var scale = world.Scales(
            SizeClassIndex(account.Size), account.Deals[0] == deal.Index, account.Industry.Name, account.Industry.DemoScale, Traits.ExecutiveScale(deal.AmountUsd));

        return new DealPlan
        {
            World = world,
            BaseLogOdds = baseLogOdds,
            EffectScale = scale,
            Stages = stages,
            Created = deal.Created,
            StageEnds = ends,
            Activities = activities,
            GateDraws = draws,
        };
    }

    // How much of each kind this deal's team does. The confounding is deliberate: skilled reps log
    // more calls and emails (which do little), engaged buyers take more meetings; demos, proposals and
    // executive meetings vary with the rep's style and the deal's needs, not with its odds. A confounded
    // world adds much more of every kind on deals of high (unobserved) quality.
    private static double[] Propensities(Rng rng, DealSeed deal, Person owner, CausalWorld world)
    {
        var propensity = new double[CausalKinds.Count];
        var silent = rng.Chance(0.04);
        foreach (var kind in CausalKinds.All)
        {
            var driver = kind switch
            {
                CausalKind.Call or CausalKind.Email => Math.Exp(1.2 * owner.Skill),
                CausalKind.Meeting => Math.Exp(0.35 * deal.Quality),
                CausalKind.ExecutiveMeeting => rng.Gamma(2, 0.5) * Math.Pow(deal.AmountUsd / 30_000, 0.2),
                _ => rng.Gamma(2, 0.5),
            };
            if (world.Confounding > 0)
            {
                driver *= Math.Exp(world.Confounding * deal.Quality);
            }

            propensity[(int)kind] = silent ? 0 : owner.Logging * owner.Style[(int)kind] * driver;
        }

        return propensity;
    }

    private static (Opportunity Opportunity, List<OpportunityHistory> Histories) History(
        Rng rng, DealSeed deal, AccountProfile account, Population population, DealPlan plan, DealOutcome outcome, bool closed, DateTimeOffset asOf)
    {
        var rate = (double)Traits.ConversionRates[account.Region.Currency];
        var limit = closed ? outcome.ClosedAt : asOf;
        var changes = new List<(DateTimeOffset Time, int Position, double AmountFactor, DateOnly? CloseDate)>(16);

        // Stage changes: every gate passed before the limit moves the deal to its next stage.
        for (var j = 0; j < outcome.FinalPosition; j++)
        {
            if (plan.StageEnds[j] < limit)
            {
                changes.Add((plan.StageEnds[j], j + 1, 1, null));
            }
        }

        // Amounts move at pricing time: re-scoped after the proposal, discounted in negotiation.
        for (var j = 0; j < plan.Stages.Length; j++)
        {
            var (chance, factor) = plan.Stages[j] switch
            {
                SalesProcess.ProposalPriceQuote => (0.5, rng.LogNormal(1, 0.2)),
                SalesProcess.NegotiationReview => (0.3, rng.Uniform(0.85, 0.98)),
                _ => (0.0, 1.0),
            };
            var at = Clock.WorkTime(rng, plan.StageStart(j).AddDays(rng.Uniform(1, 6)), plan.StageStart(j), plan.StageEnds[j]);
            if (rng.Chance(chance) && at < limit && j <= outcome.FinalPosition)
            {
                changes.Add((at, -1, factor, null));
            }
        }

        // Close dates are optimistic and get pushed once they have passed.
        var estimate = plan.Stages.Sum(s => MedianStageDays[s]) * account.Size.CycleScale * rng.Uniform(0.6, 1.3);
        var closeDate = PlannedCloseDate(rng, deal.Created.AddDays(estimate));
        var initialCloseDate = closeDate;
        for (var push = 0; push < 12; push++)
        {
            var passed = Midnight(closeDate).AddDays(1);
            var noticed = passed.AddDays(rng.Uniform(0, 9));
            if (noticed >= limit)
            {
                break;
            }

            var at = Clock.WorkTime(rng, noticed, passed, limit);

            closeDate = PlannedCloseDate(rng, at.AddDays(rng.Uniform(14, 60)));
            changes.Add((at, -1, 1, closeDate));
        }

        changes.Sort((a, b) => a.Time.CompareTo(b.Time));

        var rows = new List<OpportunityHistory>(changes.Count + 2);
        var stage = plan.Stages[0];
        var amountUsd = deal.AmountUsd;
        var amount = Money.Round(amountUsd * rate);
        closeDate = initialCloseDate;
        var rowId = (long)deal.Index << 6;
        rows.Add(Row(deal.Created));
        foreach (var change in changes)
        {
            if (change.Position >= 0)
            {
                stage = plan.Stages[change.Position];
            }

            if (change.AmountFactor != 1)
            {
                amountUsd *= change.AmountFactor;
                amount = Money.Round(amountUsd * rate);
            }

            closeDate = change.CloseDate ?? closeDate;
            rows.Add(Row(change.Time));
        }

        string stageName;
        decimal probability;
        string forecast;
        if (closed)
        {
            stageName = outcome.Won ? SalesProcess.ClosedWon : SalesProcess.ClosedLost;
            probability = outcome.Won ? 100 : 0;
            forecast = outcome.Won ? "Closed" : "Omitted";
            closeDate = Clock.Date(outcome.ClosedAt);
            rows.Add(new OpportunityHistory
            {
                Id = IdFactory.Create(IdFactory.OpportunityHistory, rowId++),
                OpportunityId = deal.Id,
                StageName = stageName,
                Amount = amount,
                Probability = probability,
                CloseDate = closeDate,
                ForecastCategory = forecast,
                CreatedDate = outcome.ClosedAt,
            });
        }
        else
        {
            stageName = SalesProcess.OpenStageNames[stage];
            probability = SalesProcess.OpenStageProbabilities[stage];
            forecast = SalesProcess.ForecastCategoryNames[stage];
        }

        var lastModified = rows[^1].CreatedDate;
        var modstamp = rng.Chance(0.2) ? Clock.Seconds(Min(lastModified.AddDays(rng.Uniform(0, 5)), asOf.AddSeconds(-1))) : lastModified;
        var opportunity = new Opportunity
        {
            Id = deal.Id,
            Name = deal.Name,
            AccountId = account.Id,
            OwnerId = population.People[deal.Owner].Id,
            StageName = stageName,
            Amount = amount,
            CurrencyIsoCode = account.Region.Currency,
            Probability = probability,
            CloseDate = closeDate,
            Type = account.Deals[0] == deal.Index ? "New Business" : "Existing Business",
            LeadSource = deal.LeadSource.Value,
            ForecastCategoryName = forecast,
            IsClosed = closed,
            IsWon = closed && outcome.Won,
            CreatedDate = deal.Created,
            LastModifiedDate = lastModified,
            SystemModstamp = modstamp < lastModified ? lastModified : modstamp,
            Custom = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                ["Competitor__c"] = deal.Competitor.Value,
                ["Partner_Involved__c"] = deal.PartnerInvolved ? "1" : "0",
            },
        };
        return (opportunity, rows);

        OpportunityHistory Row(DateTimeOffset time) => new()
        {
            Id = IdFactory.Create(IdFactory.OpportunityHistory, rowId++),
            OpportunityId = deal.Id,
            StageName = SalesProcess.OpenStageNames[stage],
            Amount = amount,
            Probability = SalesProcess.OpenStageProbabilities[stage],
            CloseDate = closeDate,
            ForecastCategory = SalesProcess.HistoryForecastCategories[stage],
            CreatedDate = time,
        };
    }

    private static ActivityLog Activities(
        Rng rng, Population population, DealSeed deal, AccountProfile account, DealPlan plan, DealOutcome outcome,
        bool closed, int position, DateTimeOffset asOf)
    {
        var log = new ActivityLog(deal.Index, asOf, plan.Activities.Length + 4);
        var owner = population.People[deal.Owner];
        var end = closed ? outcome.ClosedAt : asOf;
        var sparse = plan.World.LoggedShare < 1;
        foreach (var activity in plan.Activities)
        {
            // In a sparsely logged world most activities happen (and act) without a record.
            if (sparse && !rng.Chance(plan.World.LoggedShare))
            {
                continue;
            }

            if (activity.Time < end)
            {
                log.Done(rng, Vocabulary.PickForm(Vocabulary.Forms(activity.Kind), rng), activity.Time, What(), account.Id, Doer(activity.Kind), deal.Created);
            }
            else if (!closed && activity.Position == position && activity.Time < asOf.AddDays(21) && rng.Chance(0.4))
            {
                log.Planned(rng, Vocabulary.PickForm(Vocabulary.Forms(activity.Kind), rng), activity.Time, What(), account.Id, Doer(activity.Kind), deal.Created);
            }
        }

        // Chores of no kind, and reminders nobody acted on: noise with no effect on the outcome.
        for (var n = rng.Poisson(0.6); n > 0; n--)
        {
            log.Done(rng, Vocabulary.Chores, Clock.WorkTimeBetween(rng, deal.Created, end), What(), account.Id, owner.Id, deal.Created);
        }

        var lastDue = Min(end.AddDays(14), asOf.AddDays(-1));
        if (rng.Chance(0.15) && deal.Created.AddDays(2) < lastDue)
        {
            var due = Clock.WorkTimeBetween(rng, deal.Created.AddDays(2), lastDue);
            log.Forgotten(rng, Vocabulary.PickForm(Vocabulary.Reminders, rng), due, What(), account.Id, owner.Id, deal.Created);
        }

        // Logged on the closed deal after the fact: a trap for anyone who forgets the close date.
        if (closed && rng.Chance(outcome.Won ? 0.7 : 0.25))
        {
            var at = outcome.ClosedAt.AddDays(outcome.Won ? rng.Uniform(1, 20) : rng.Uniform(0, 7));
            if (at < asOf)
            {
                var form = Vocabulary.PickForm(outcome.Won ? Vocabulary.AfterWin : Vocabulary.AfterLoss, rng);
                log.Done(rng, form, Clock.WorkTime(rng, at, outcome.ClosedAt, asOf), deal.Id, account.Id, owner.Id, outcome.ClosedAt);
            }
        }

        return log;

        // Some activities land on the Account instead of the Opportunity.
        string What() => rng.Chance(AccountLoggedShare) ? account.Id : deal.Id;

        // Solutions engineers run many demos; managers join executive meetings.
        string Doer(CausalKind kind) => kind switch
        {
            CausalKind.Demo when population.Engineers.Length > 0 && rng.Chance(0.4) => population.People[rng.Pick(population.Engineers)].Id,
            CausalKind.ExecutiveMeeting when rng.Chance(0.4) => population.People[owner.Manager].Id,
            _ => owner.Id,
        };
    }

    private static int SizeClassIndex(SizeClass size)
    {
        for (var s = 0; s < Traits.Sizes.Count; s++)
        {
            if (ReferenceEquals(Traits.Sizes[s], size))
            {
                return s;
            }
        }

        return -1;
    }

    private static DateOnly PlannedCloseDate(Rng rng, DateTimeOffset around)
    {
        var date = Clock.Date(around);
        // Half the reps pick the end of the month.
        return rng.Chance(0.5) ? new DateOnly(date.Year, date.Month, DateTime.DaysInMonth(date.Year, date.Month)) : date;
    }

    private static DateTimeOffset Midnight(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed class ActivityTimeOrder : IComparer<PlannedActivity>
    {
        public static ActivityTimeOrder Instance { get; } = new();

        public int Compare(PlannedActivity x, PlannedActivity y) => x.Time.CompareTo(y.Time);
    }
}
