using SfPredictor.Records;

namespace SfPredictor.Features.Tests;

// A small random org with everything the features read: histories with stage moves, amount and close
// date changes, closed and open deals, activities on Opportunities, on Accounts and through relations,
// back-dated and future-dated tasks, scheduled events, custom stage names with or without
// OpportunityStage rows.
internal static class RandomOrg
{
    public static readonly string[] OpenStages = ["Qualify", "Discover", "Prove", "Negotiate"];
    private static readonly decimal[] Probabilities = [10, 25, 50, 80];
    private static readonly string[] TaskTypes = ["Call", "Email", "Meeting", "Other", "Demo"];
    private static readonly string?[] Subjects = ["Follow up", "Exec sync with CFO", "Send proposal", "Product demo", "Check-in", null];

    public static OrgBuilder Create(int seed, bool withStageDefinitions)
    {
        var random = new Random(seed);
        var org = new OrgBuilder();
        if (withStageDefinitions)
        {
            org.WithCustomStages();
        }

        string[] accounts = [.. Enumerable.Range(0, 3).Select(_ => org.Account(random.Next(2) == 0 ? "Banking" : "Retail", random.Next(10, 5000)))];
        string[] owners = ["005000000000001AAA", "005000000000002AAA", "005000000000003AAA"];
        for (var n = 0; n < 14; n++)
        {
            var created = random.Next(0, 120);
            var id = org.Opportunity(created, OpenStages[0], accounts[random.Next(3)], owners[random.Next(3)],
                amount: random.Next(1, 100) * 1000, closeDay: created + random.Next(20, 90),
                type: random.Next(2) == 0 ? "New Business" : "Renewal", leadSource: random.Next(2) == 0 ? "Web" : "Partner",
                history: n != 0);
            if (n == 0)
            {
                continue;
            }

            var day = (double)created;
            var stage = 0;
            var steps = random.Next(0, 6);
            for (var s = 0; s < steps; s++)
            {
                day += random.Next(1, 15) + random.NextDouble();
                stage = Math.Clamp(stage + (random.Next(4) == 0 ? -1 : 1), 0, OpenStages.Length - 1);
                org.History(id, day, OpenStages[stage], amount: random.Next(3) == 0 ? random.Next(1, 100) * 1000 : null,
                    closeDay: random.Next(3) == 0 ? day + random.Next(-5, 60) : null, probability: Probabilities[stage]);
            }

            if (random.Next(3) > 0)
            {
                day += random.Next(1, 20) + random.NextDouble();
                var won = random.Next(2) == 0;
                org.Close(id, day, won ? "Signed" : "Dropped", won);
            }
        }

        // One closed deal without any history row: its close comes from CloseDate.
        var bare = org.Opportunities[0].Id;
        org.Close(bare, 60, "Dropped", won: false, history: false);

        for (var a = 0; a < 60; a++)
        {
            AddActivity(org, random, accounts, logged: random.Next(0, 200) + random.NextDouble(), happenedOffset: random.Next(-10, 10));
        }

        return org;
    }

    // One Task or Event logged at `logged`, happening `happenedOffset` days from it, linked to an
    // Opportunity, an Account, or an Opportunity through a relation.
    public static void AddActivity(OrgBuilder org, Random random, IReadOnlyList<string> accounts, double logged, double happenedOffset)
    {
        var opportunity = org.Opportunities[random.Next(org.Opportunities.Count)].Id;
        var link = random.Next(4);
        var whatId = link switch
        {
            0 or 1 => opportunity,
            2 => accounts[random.Next(accounts.Count)],
            _ => null,
        };
        var accountId = link == 3 && random.Next(2) == 0 ? accounts[random.Next(accounts.Count)] : null;
        var subject = Subjects[random.Next(Subjects.Length)];
        var happened = logged + happenedOffset;
        string id;
        if (random.Next(3) == 0)
        {
            id = org.Event(logged, happened, whatId, random.Next(2) == 0 ? "Meeting" : null, subject, accountId);
        }
        else
        {
            var closed = random.Next(5) > 0;
            var how = random.Next(3);
            id = org.Task(logged, whatId, TaskTypes[random.Next(TaskTypes.Length)], subject, closed,
                completed: closed && how == 0 ? happened : null,
                activityDate: how <= 1 ? happened : null,
                accountId: accountId);
        }

        if (link == 3 && accountId is null)
        {
            org.Relations.Add(new ActivityRelation(id, opportunity));
        }
    }
}
