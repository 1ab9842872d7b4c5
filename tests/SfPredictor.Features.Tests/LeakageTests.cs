using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;
using SfPredictor.Records;

namespace SfPredictor.Features.Tests;

// Property: the features of an Opportunity at T are a function of what existed at T. Adding any record
// dated after T (or changing a record only by a change dated after T) must leave every row at T as it was.
public class LeakageTests
{
    public static TheoryData<int, bool> Cases()
    {
        var cases = new TheoryData<int, bool>();
        for (var seed = 1; seed <= 12; seed++)
        {
            cases.Add(seed, seed % 3 != 0);
        }

        return cases;
    }

    private delegate void Mutation(OrgBuilder org, Random random, double t, string target);

    private static readonly (string Name, Mutation Apply)[] Mutations =
    [
        ("history row of the target", (org, random, t, target) =>
            AddHistory(org, random, t, target)),
        ("history row of another deal", (org, random, t, target) =>
            AddHistory(org, random, t, Pick(org, random, o => o.Id != target && !o.IsClosed, target))),
        ("task done after T", (org, random, t, target) =>
            org.Task(After(random, t), target, "Call", "Demo call", completed: After(random, t))),
        ("task logged after T but dated before", (org, random, t, target) =>
            org.Task(After(random, t), target, "Email", "Proposal", completed: t - 3, activityDate: t - 3)),
        ("open task logged after T and overdue", (org, random, t, target) =>
            org.Task(After(random, t), target, "Call", closed: false, activityDate: t - 5)),
        ("event logged after T", (org, random, t, target) =>
            org.Event(After(random, t), t - 1, target, "Meeting", "Exec demo")),
        ("account activity logged after T", (org, random, t, target) =>
            org.Task(After(random, t), AccountOf(org, target), "Meeting", completed: t - 1)),
        ("activity related after T", (org, random, t, target) =>
            org.Relations.Add(new ActivityRelation(org.Task(After(random, t), null, "Call", completed: t - 2), target))),
        ("another deal of the account closes after T", (org, random, t, target) =>
            CloseAfter(org, random, t, Pick(org, random, o => o.Id != target && !o.IsClosed && o.AccountId == AccountOf(org, target), target))),
        ("another deal of the owner closes after T", (org, random, t, target) =>
            CloseAfter(org, random, t, Pick(org, random, o => o.Id != target && !o.IsClosed && o.OwnerId == OwnerOf(org, target), target))),
        ("a new deal of the account is created and closed after T", (org, random, t, target) =>
        {
            var id = org.Opportunity(After(random, t), "Qualify", AccountOf(org, target), OwnerOf(org, target));
            org.Close(id, After(random, t) + 5, "Signed", won: true);
        }),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_RecordDatedAfterT_NeverChangesFeaturesAtT(int seed, bool withStageDefinitions)
    {
        var random = new Random(seed * 7919);
        for (var trial = 0; trial < 6; trial++)
        {
            var org = RandomOrg.Create(seed, withStageDefinitions);
            var baseData = org.Build();
            var baseIndex = new OrgIndex(baseData, new FeatureOptions());
            var schema = FeatureSchema.Create(baseIndex, new FeatureOptions { MinCategoryCount = 1 });
            var baseBuilder = new FeatureBuilder(baseIndex, schema);
            var target = baseData.Opportunities[random.Next(baseData.Opportunities.Count)].Id;
            var created = (org.Opportunities.First(o => o.Id == target).CreatedDate - OrgBuilder.Day0).TotalDays;
            var t = created + (random.NextDouble() * 80) - 5;
            var expected = Row(baseBuilder, target, t);

            foreach (var (name, apply) in Mutations)
            {
                var mutated = RandomOrg.Create(seed, withStageDefinitions);
                apply(mutated, random, t, target);
                var builder = new FeatureBuilder(new OrgIndex(mutated.Build(), schema.Options), schema);

                var actual = Row(builder, target, t);

                for (var c = 0; c < schema.Width; c++)
                {
                    Assert.True(
                        expected[c].Equals(actual[c]),
                        $"Seed {seed}, trial {trial}, T = day {t:F2}: adding a {name} changed {schema.Features[c].Name} from {expected[c]} to {actual[c]}.");
                }
            }
        }
    }

    [Fact]
    public void Build_RecordDatedAfterT_ChangesFeaturesOnceTPasses()
    {
        // The same mutations do show up once T reaches them: the property above is not vacuous.
        var org = new OrgBuilder().WithCustomStages();
        var account = org.Account("Banking");
        var target = org.Opportunity(0, "Qualify", account, "005000000000001AAA");
        var other = org.Opportunity(0, "Qualify", account, "005000000000001AAA");
        var before = new Rows(org.Build());
        org.History(target, 12, "Prove");
        org.Task(11, target, "Email", completed: 9);
        org.Close(other, 13, "Signed", won: true);
        var after = new Rows(org.Build());

        Assert.Equal(before.At(target, OrgBuilder.Day(10)), after.At(target, OrgBuilder.Day(10)));
        Assert.Equal(2f, after.At(target, 14, "stage_position"));
        Assert.Equal(1f, after.At(target, 14, "activity_email_count_7d"));
        Assert.Equal(1f, after.At(target, 14, "account_past_wins"));
        Assert.Equal(0f, before.At(target, 14, "account_past_wins"));
    }

    private static float[] Row(FeatureBuilder builder, string opportunity, double day)
    {
        var row = new float[builder.Width];
        builder.Build(opportunity, OrgBuilder.Day(day), row);
        return row;
    }

    private static double After(Random random, double t) => t + 0.001 + (random.NextDouble() * 30);

    private static string? AccountOf(OrgBuilder org, string id) => org.Opportunities.First(o => o.Id == id).AccountId;

    private static string? OwnerOf(OrgBuilder org, string id) => org.Opportunities.First(o => o.Id == id).OwnerId;

    private static string Pick(OrgBuilder org, Random random, Func<Opportunity, bool> where, string fallback)
    {
        var candidates = org.Opportunities.Where(where).ToList();
        return candidates.Count == 0 ? fallback : candidates[random.Next(candidates.Count)].Id;
    }

    private static void AddHistory(OrgBuilder org, Random random, double t, string id)
    {
        // Only deals with history: a history row is how a change reaches the data.
        if (!org.Histories.Any(h => h.OpportunityId == id) || org.Opportunities.First(o => o.Id == id).IsClosed)
        {
            return;
        }

        var stage = random.Next(RandomOrg.OpenStages.Length);
        org.History(id, Append(org, random, t, id), RandomOrg.OpenStages[stage], amount: random.Next(1, 50) * 1000,
            closeDay: t + random.Next(-10, 40), probability: new[] { 10m, 25m, 50m, 80m }[stage]);
    }

    private static void CloseAfter(OrgBuilder org, Random random, double t, string id)
    {
        var opportunity = org.Opportunities.First(o => o.Id == id);
        if (opportunity.IsClosed)
        {
            return;
        }

        var won = random.Next(2) == 0;
        org.Close(id, Append(org, random, t, id), won ? "Signed" : "Dropped", won);
    }

    // After T, and after the deal's latest history row: history is written in time order.
    private static double Append(OrgBuilder org, Random random, double t, string id)
    {
        var latest = org.Histories.Where(h => h.OpportunityId == id).Select(h => (h.CreatedDate - OrgBuilder.Day0).TotalDays)
            .Append((org.Opportunities.First(o => o.Id == id).CreatedDate - OrgBuilder.Day0).TotalDays)
            .Max();
        return Math.Max(After(random, t), latest + 0.01);
    }
}
