using SfPredictor.SyntheticOrg.Model;

namespace SfPredictor.SyntheticOrg.Simulation;

internal enum Role
{
    Rep,
    Manager,
    SolutionsEngineer,
    Integration,
}

/// <summary>A user and the hidden traits that drive how they sell and what they log.</summary>
internal sealed class Person
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string? Title { get; init; }
    public required Role Role { get; init; }

    /// <summary>Hidden: added to the log-odds of every deal the person owns.</summary>
    public double Skill { get; init; }

    /// <summary>Hidden: how much of what they do they log at all.</summary>
    public double Logging { get; init; } = 1;

    /// <summary>Hidden: per activity kind, how much the person favours it.</summary>
    public double[] Style { get; init; } = [1, 1, 1, 1, 1, 1];

    public DateTimeOffset ActiveFrom { get; init; }
    public DateTimeOffset? LeftAt { get; init; }

    /// <summary>Index of the person's manager; the person's own index for managers and helpers.</summary>
    public int Manager { get; init; }

    public bool IsActiveAt(DateTimeOffset time) => time >= ActiveFrom && (LeftAt is null || time < LeftAt);
}

/// <summary>An account and its traits, fixed for its life.</summary>
internal sealed class AccountProfile
{
    public required int Index { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required Industry Industry { get; init; }
    public required SizeClass Size { get; init; }
    public required int Employees { get; init; }
    public required decimal AnnualRevenue { get; init; }
    public required Region Region { get; init; }

    /// <summary>Hidden: how well the product fits this account, in log-odds, shared by all its deals.</summary>
    public required double Fit { get; init; }

    public required int PrimaryRep { get; init; }
    public DateTimeOffset Created { get; set; }

    /// <summary>Indexes of the account's deals, in creation order.</summary>
    public List<int> Deals { get; } = [];
}

/// <summary>What is decided about a deal when it is created.</summary>
internal sealed class DealSeed
{
    public required int Index { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required int Account { get; init; }
    public required int Owner { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required double AmountUsd { get; init; }
    public required Choice LeadSource { get; init; }
    public required Choice Competitor { get; init; }
    public required bool PartnerInvolved { get; init; }

    /// <summary>Hidden: how good the deal is beyond anything recorded.</summary>
    public required double Quality { get; init; }
}

/// <summary>
/// The org before anything is simulated: users, accounts, and every deal's creation. Drawn from one
/// random stream in a fixed order, so it depends only on the options.
/// </summary>
internal sealed class Population
{
    // Deals are created over three years of a growing business: eight times as many in the last months as in the first.
    public const int HistoryDays = 3 * 365;
    private const double Growth = 8.0;

    private Population(Person[] people, AccountProfile[] accounts, DealSeed[] deals, int integrationUser)
    {
        People = people;
        Accounts = accounts;
        Deals = deals;
        IntegrationUser = integrationUser;
        Reps = [.. Enumerable.Range(0, people.Length).Where(i => people[i].Role == Role.Rep)];
        Engineers = [.. Enumerable.Range(0, people.Length).Where(i => people[i].Role == Role.SolutionsEngineer)];
    }

    public Person[] People { get; }
    public int[] Reps { get; }
    public int[] Engineers { get; }
    public int IntegrationUser { get; }
    public AccountProfile[] Accounts { get; }
    public DealSeed[] Deals { get; }

    public static Population Create(int opportunities, long seed, DateTimeOffset asOf)
    {
        var rng = new Rng(seed, 0);
        var start = asOf.AddDays(-HistoryDays);
        var people = CreatePeople(rng, opportunities, start, asOf, out var integrationUser);
        var reps = Enumerable.Range(0, people.Count).Where(i => people[i].Role == Role.Rep).ToArray();
        var accounts = CreateAccounts(rng, opportunities, reps);
        var deals = CreateDeals(rng, opportunities, start, asOf, people, reps, accounts);
        return new Population([.. people], accounts, deals, integrationUser);
    }

    /// <summary>The person who owns the account at <paramref name="time"/>: its rep while active, else a rep who never leaves.</summary>
    public int AccountOwnerAt(AccountProfile account, DateTimeOffset time) =>
        People[account.PrimaryRep].IsActiveAt(time) ? account.PrimaryRep : Reps[account.Index % AlwaysActiveReps(Reps.Length)];

    // The first third of the reps stay for the whole history, so someone can always own a deal.
    private static int AlwaysActiveReps(int reps) => Math.Max(1, reps / 3);

    private static List<Person> CreatePeople(Rng rng, int opportunities, DateTimeOffset start, DateTimeOffset asOf, out int integrationUser)
    {
        var repCount = Math.Clamp((int)Math.Round(opportunities / 150.0), 10, 400);
        var managerCount = Math.Max(1, repCount / 8);
        var engineerCount = Math.Max(1, repCount / 6);
        var people = new List<Person>();
        var longAgo = start.AddDays(-3 * 365);

        for (var m = 0; m < managerCount; m++)
        {
            people.Add(new Person
            {
                Id = IdFactory.Create(IdFactory.User, people.Count + 1),
                Name = PersonName(rng),
                Title = m == 0 ? "VP Sales" : rng.Chance(0.5) ? "Sales Manager" : "Regional Sales Director",
                Role = Role.Manager,
                Skill = rng.Normal(0.3, 0.3),
                Logging = rng.LogNormal(0.7, 0.3),
                Style = Styles(rng),
                ActiveFrom = Between(rng, longAgo, start),
                Manager = people.Count,
            });
        }

        for (var r = 0; r < repCount; r++)
        {
            var alwaysActive = r < AlwaysActiveReps(repCount);
            var from = alwaysActive || rng.Chance(0.6) ? Between(rng, longAgo, start) : Between(rng, start, asOf.AddDays(-120));
            DateTimeOffset? left = null;
            var earliestLeave = from.AddDays(300);
            if (!alwaysActive && rng.Chance(0.25) && earliestLeave < asOf.AddDays(-30))
            {
                left = Between(rng, earliestLeave, asOf.AddDays(-30));
            }

            var skill = rng.Normal(0, Traits.RepSkillSd);
            people.Add(new Person
            {
                Id = IdFactory.Create(IdFactory.User, people.Count + 1),
                Name = PersonName(rng),
                Title = skill > 0.3 && rng.Chance(0.7) ? "Senior Account Executive" : rng.Chance(0.15) ? null : "Account Executive",
                Role = Role.Rep,
                Skill = skill,
                Logging = rng.LogNormal(1, 0.3),
                Style = Styles(rng),
                ActiveFrom = from,
                LeftAt = left,
                Manager = rng.NextInt(managerCount),
            });
        }

        for (var e = 0; e < engineerCount; e++)
        {
            people.Add(new Person
            {
                Id = IdFactory.Create(IdFactory.User, people.Count + 1),
                Name = PersonName(rng),
                Title = "Solutions Engineer",
                Role = Role.SolutionsEngineer,
                ActiveFrom = Between(rng, longAgo, start),
                Manager = people.Count,
            });
        }

        integrationUser = people.Count;
        people.Add(new Person
        {
            Id = IdFactory.Create(IdFactory.User, people.Count + 1),
            Name = "Marketing Integration",
            Title = null,
            Role = Role.Integration,
            ActiveFrom = longAgo,
            Manager = people.Count,
        });
        return people;
    }

    private static AccountProfile[] CreateAccounts(Rng rng, int opportunities, int[] reps)
    {
        var count = Math.Max(10, (int)(opportunities * 0.4));
        var industryWeights = Traits.Industries.Select(i => i.Weight).ToArray();
        var sizeWeights = Traits.Sizes.Select(s => s.Weight).ToArray();
        var regionWeights = Traits.Regions.Select(r => r.Weight).ToArray();
        var accounts = new AccountProfile[count];
        for (var a = 0; a < count; a++)
        {
            var size = Traits.Sizes[rng.PickWeighted(sizeWeights)];
            var employees = (int)Math.Round(Math.Exp(rng.Uniform(Math.Log(size.MinEmployees), Math.Log(size.MaxEmployees))));
            var revenuePerEmployee = rng.LogNormal(150_000, 0.5);
            accounts[a] = new AccountProfile
            {
                Index = a,
                Id = IdFactory.Create(IdFactory.Account, a + 1),
                Name = $"{rng.Pick(Vocabulary.AccountNameStems)} {rng.Pick(Vocabulary.AccountNameSuffixes)}",
                Industry = Traits.Industries[rng.PickWeighted(industryWeights)],
                Size = size,
                Employees = employees,
                AnnualRevenue = Money.Round(employees * revenuePerEmployee),
                Region = Traits.Regions[rng.PickWeighted(regionWeights)],
                Fit = rng.Normal(0, Traits.AccountFitSd),
                PrimaryRep = rng.Pick(reps),
            };
        }

        return accounts;
    }

    private static DealSeed[] CreateDeals(
        Rng rng, int count, DateTimeOffset start, DateTimeOffset asOf, List<Person> people, int[] reps, AccountProfile[] accounts)
    {
        // Exponential growth of the business: the creation time's inverse CDF.
        var span = (asOf - start).TotalSeconds;
        var created = new DateTimeOffset[count];
        for (var i = 0; i < count; i++)
        {
            var u = rng.NextDouble();
            var offset = span * Math.Log(1 + (u * (Growth - 1))) / Math.Log(Growth);
            created[i] = Clock.WorkTime(rng, start.AddSeconds(offset), start, asOf);
        }

        Array.Sort(created);

        // Popular accounts buy again and again: a heavy-tailed share of all deals.
        var cumulative = new double[accounts.Length];
        var total = 0.0;
        for (var a = 0; a < accounts.Length; a++)
        {
            total += rng.LogNormal(1, 1.1);
            cumulative[a] = total;
        }

        var leadWeights = Traits.LeadSources.Select(c => c.Weight).ToArray();
        var competitorWeights = Traits.Competitors.Select(c => c.Weight).ToArray();
        var deals = new DealSeed[count];
        for (var i = 0; i < count; i++)
        {
            var at = Array.BinarySearch(cumulative, rng.NextDouble() * total);
            var account = accounts[at < 0 ? Math.Min(~at, accounts.Length - 1) : at];
            var owner = ChooseOwner(rng, people, reps, account, created[i]);
            deals[i] = new DealSeed
            {
                Index = i,
                Id = IdFactory.Create(IdFactory.Opportunity, i + 1),
                Name = $"{account.Name} - {rng.Pick(Vocabulary.Products)}",
                Account = account.Index,
                Owner = owner,
                Created = created[i],
                AmountUsd = Math.Clamp(rng.LogNormal(account.Size.MedianAmountUsd, 0.8), 500, 20_000_000),
                LeadSource = Traits.LeadSources[rng.PickWeighted(leadWeights)],
                Competitor = Traits.Competitors[rng.PickWeighted(competitorWeights)],
                PartnerInvolved = rng.Chance(0.2),
                Quality = rng.Normal(0, Traits.DealQualitySd),
            };
            account.Deals.Add(i);
        }

        foreach (var account in accounts)
        {
            account.Created = account.Deals.Count > 0
                ? Clock.WorkTime(rng, created[account.Deals[0]].AddDays(-rng.Uniform(1, 200)), start.AddDays(-365), created[account.Deals[0]])
                : Clock.WorkTime(rng, Between(rng, start, asOf.AddDays(-1)), start, asOf);
        }

        return deals;
    }

    private static int ChooseOwner(Rng rng, List<Person> people, int[] reps, AccountProfile account, DateTimeOffset created)
    {
        var owner = account.PrimaryRep;
        if (!people[owner].IsActiveAt(created) || !rng.Chance(0.8))
        {
            owner = reps[rng.NextInt(AlwaysActiveReps(reps.Length))];
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var candidate = rng.Pick(reps);
                if (people[candidate].IsActiveAt(created))
                {
                    owner = candidate;
                    break;
                }
            }
        }

        // Managers keep a few deals for themselves.
        return rng.Chance(0.04) ? people[owner].Manager : owner;
    }

    private static double[] Styles(Rng rng)
    {
        var style = new double[CausalKinds.Count];
        for (var k = 0; k < style.Length; k++)
        {
            style[k] = rng.LogNormal(1, 0.35);
        }

        return style;
    }

    private static string PersonName(Rng rng) => $"{rng.Pick(Vocabulary.FirstNames)} {rng.Pick(Vocabulary.LastNames)}";

    private static DateTimeOffset Between(Rng rng, DateTimeOffset from, DateTimeOffset to) =>
        Clock.Seconds(from.AddSeconds(rng.NextDouble() * (to - from).TotalSeconds));
}
