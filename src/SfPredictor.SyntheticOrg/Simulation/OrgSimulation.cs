using SfPredictor.Records;
using SfPredictor.SyntheticOrg.Model;
using SfPredictor.SyntheticOrg.Truth;

namespace SfPredictor.SyntheticOrg.Simulation;

/// <summary>
/// Simulates every deal, account by account (an account's deals in creation order, because a past win
/// makes the next deal an existing customer's), accounts in parallel. Each deal draws from its own
/// random stream, so the result does not depend on scheduling.
/// </summary>
internal sealed class OrgSimulation
{
    private OrgSimulation(Population population, DealResult[] deals, ActivityLog[] accountActivities, Account[] accounts, SyntheticOrgOptions options)
    {
        Population = population;
        Deals = deals;
        AccountActivities = accountActivities;
        Accounts = accounts;
        Options = options;
    }

    public Population Population { get; }
    public DealResult[] Deals { get; }
    public ActivityLog[] AccountActivities { get; }
    public Account[] Accounts { get; }
    public SyntheticOrgOptions Options { get; }

    public static OrgSimulation Run(SyntheticOrgOptions options, bool keepPlans = false)
    {
        var population = Population.Create(options.Opportunities, options.Seed, options.AsOf);
        var deals = new DealResult[population.Deals.Length];
        var world = CausalWorld.For(options.World);
        world = world with { LoggedShare = options.LoggedShare ?? world.LoggedShare };
        var activities = new ActivityLog[population.Accounts.Length];
        var accounts = new Account[population.Accounts.Length];
        Parallel.For(0, population.Accounts.Length, a =>
        {
            var account = population.Accounts[a];
            var wins = new List<DateTimeOffset>();
            foreach (var d in account.Deals)
            {
                var deal = population.Deals[d];
                var existingCustomer = wins.Exists(w => w < deal.Created);
                deals[d] = DealSimulator.Simulate(population, deal, existingCustomer, world, options.AsOf, options.Seed, keepPlans);
                if (deals[d].Outcome.Won)
                {
                    wins.Add(deals[d].Outcome.ClosedAt);
                }
            }

            var firstWin = wins.Where(w => w < options.AsOf).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            activities[a] = AccountLife(population, account, firstWin, options);
            accounts[a] = Record(population, account, firstWin < options.AsOf, options.AsOf);
        });

        return new OrgSimulation(population, deals, activities, accounts, options);
    }

    public OrgData ToOrgData() => new()
    {
        Accounts = Accounts,
        Users = [.. Population.People.Select(p => new User
        {
            Id = p.Id,
            Name = p.Name,
            Title = p.Title,
            IsActive = p.LeftAt is null || p.LeftAt > Options.AsOf,
        })],
        Opportunities = [.. Deals.Select(d => d.Opportunity)],
        OpportunityHistories = Flatten(Deals.Select(d => d.Histories)),
        Tasks = Flatten(Deals.Select(d => d.Activities.Tasks).Concat(AccountActivities.Select(a => a.Tasks))),
        Events = Flatten(Deals.Select(d => d.Activities.Events).Concat(AccountActivities.Select(a => a.Events))),
        Stages = SalesProcess.Definitions,
        Currencies = [.. Traits.ConversionRates.Select(c => new CurrencyType { IsoCode = c.Key, ConversionRate = c.Value, IsCorporate = c.Value == 1m })],
        ExtractedAt = Options.AsOf,
    };

    public OrgTruth ToTruth() =>
        new(Options.AsOf, CausalKinds.Names, [.. Deals.Where(d => d.Truth is not null).Select(d => d.Truth!)]);

    // Customer care and marketing that belong to the account, not to any deal: they count for nothing.
    private static ActivityLog AccountLife(Population population, AccountProfile account, DateTimeOffset firstWin, SyntheticOrgOptions options)
    {
        var asOf = options.AsOf;
        var rng = new Rng(options.Seed, -1L - account.Index);
        var log = new ActivityLog(population.Deals.Length + (long)account.Index, asOf, 8);
        var integration = population.People[population.IntegrationUser].Id;
        var years = (asOf - account.Created).TotalDays / 365;
        for (var n = Math.Min(40, rng.Poisson(1.2 * years)); n > 0; n--)
        {
            var at = Clock.WorkTimeBetween(rng, account.Created, asOf);
            log.Done(rng, Vocabulary.Newsletter, at, account.Id, account.Id, integration, account.Created);
        }

        if (firstWin < asOf)
        {
            for (var n = Math.Min(20, rng.Poisson(2 * (asOf - firstWin).TotalDays / 365)); n > 0; n--)
            {
                var at = Clock.WorkTimeBetween(rng, firstWin, asOf);
                var owner = population.People[population.AccountOwnerAt(account, at)].Id;
                log.Done(rng, Vocabulary.BusinessReview, at, account.Id, account.Id, owner, firstWin);
            }
        }

        return log;
    }

    private static Account Record(Population population, AccountProfile account, bool customer, DateTimeOffset asOf) => new()
    {
        Id = account.Id,
        Name = account.Name,
        Industry = account.Industry.Name,
        Type = customer ? "Customer" : "Prospect",
        AnnualRevenue = Money.Round((double)account.AnnualRevenue * (double)Traits.ConversionRates[account.Region.Currency]),
        NumberOfEmployees = account.Employees,
        OwnerId = population.People[population.AccountOwnerAt(account, asOf)].Id,
        CreatedDate = account.Created,
        Custom = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["CurrencyIsoCode"] = account.Region.Currency,
            ["BillingCountry"] = account.Region.Country,
        },
    };

    private static T[] Flatten<T>(IEnumerable<List<T>> lists)
    {
        var all = lists.ToArray();
        var result = new T[all.Sum(l => l.Count)];
        var at = 0;
        foreach (var list in all)
        {
            list.CopyTo(result, at);
            at += list.Count;
        }

        return result;
    }
}
