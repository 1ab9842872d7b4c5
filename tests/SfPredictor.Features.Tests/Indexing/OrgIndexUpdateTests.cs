using SfPredictor.Features.Indexing;
using SfPredictor.Features.Schema;
using SfPredictor.Records;
using static SfPredictor.Features.Tests.OrgBuilder;

namespace SfPredictor.Features.Tests.Indexing;

/// <summary>An index updated with what changed is the index of the whole org read again.</summary>
public sealed class OrgIndexUpdateTests
{
    public static TheoryData<int, bool> Seeds => new() { { 1, false }, { 2, true }, { 3, false }, { 4, true }, { 5, true } };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Update_TwoRoundsOfChanges_FeaturesAsTheWholeOrgIndexedAgain(int seed, bool stageAware)
    {
        var org = RandomOrg.Create(seed, withStageDefinitions: seed % 2 == 0);
        org.Relations.Clear();
        var options = new FeatureOptions { StageActivityFeatures = stageAware, StageBands = stageAware ? 12 : 0, StageBandHalfLifeDays = stageAware ? 90 : 0 };
        var start = org.Build(Day(210));
        var accounts = start.Accounts.Select(a => a.Id).ToList();
        var random = new Random(seed);

        // Round 1: deals move, close, change Account or are corrected, or get a history row alone; activities move between deals and to an Account, are done,
        // rescheduled or new; a new Account with a deal; a Task on a deal that is read only in the next round.
        var deals = org.Opportunities.Select(o => o.Id).ToList();
        org.History(deals[3], 205, RandomOrg.OpenStages[2], amount: 77_000);
        org.Close(deals[4], 206, "Signed", won: true);
        Replace(org.Opportunities, deals[5], o => o with { AccountId = accounts.First(a => a != o.AccountId), Amount = 12_345, SystemModstamp = Day(206) });
        Replace(org.Opportunities, deals[6], o => o with { CreatedDate = o.CreatedDate.AddDays(-30), SystemModstamp = Day(206) });
        var amended = org.Opportunities.Single(o => o.Id == deals[7]);
        org.Histories.Add(new OpportunityHistory { Id = org.NewId("008"), OpportunityId = amended.Id, StageName = amended.StageName, Amount = 99_000, CreatedDate = Day(207) });
        org.Tasks[0] = org.Tasks[0] with { WhatId = deals[(deals.IndexOf(org.Tasks[0].WhatId ?? "") + 1 + deals.Count) % deals.Count], SystemModstamp = Day(206) };
        org.Tasks[1] = org.Tasks[1] with { WhatId = accounts[random.Next(accounts.Count)], SystemModstamp = Day(206) };
        org.Tasks[2] = org.Tasks[2] with { IsClosed = true, Status = "Completed", CompletedDateTime = Day(207), SystemModstamp = Day(207) };
        org.Events[0] = org.Events[0] with { StartDateTime = Day(208), EndDateTime = Day(208).AddHours(1), SystemModstamp = Day(207) };
        var newAccount = org.Account("Retail", 50);
        var newDeal = org.Opportunity(200, RandomOrg.OpenStages[0], newAccount, "005000000000001AAA", amount: 5000, closeDay: 260);
        org.Task(201, newDeal, "Demo", "Product demo", activityDate: 202);
        org.Event(202, 209, newAccount, "Meeting", "Exec sync with CFO");
        org.Task(203, deals[random.Next(deals.Count)], "Call", "Follow up", closed: false, activityDate: 215);
        var lateDeal = org.NewId("006");
        org.Task(204, lateDeal, "Email", "Send proposal", completed: 204);
        var round1 = org.Build(Day(211));

        // Round 2: the late deal is read, on an Account only deals name; the new Account changes; records read again.
        org.Opportunities.Add(org.Opportunities[1] with
        {
            Id = lateDeal, AccountId = "001000000000999AAA", IsClosed = false, IsWon = false, StageName = RandomOrg.OpenStages[1],
            CreatedDate = Day(203), SystemModstamp = Day(209),
        });
        org.Event(209, 210, "001000000000999AAA", "Meeting", "Check-in");
        Replace(org.Accounts, newAccount, a => a with { NumberOfEmployees = 4000 });
        org.Tasks[0] = org.Tasks[0] with { WhatId = null, AccountId = null, SystemModstamp = Day(210) };
        org.History(newDeal, 210, RandomOrg.OpenStages[1]);
        var round2 = org.Build(Day(212));

        // Round 3: only deals' own fields (a score written back, an Amount) change.
        Replace(org.Opportunities, deals[8], o => o with { Amount = 4_321, SystemModstamp = Day(211) });
        var round3 = org.Build(Day(213));

        var first = new OrgIndex(start, options);
        var before = Rows(first, FeatureSchema.Create(first, options));
        var second = first.Update(Changes(start, round1)).Update(Changes(round1, round2));
        var updated = second.Update(Changes(round2, round3));
        var whole = new OrgIndex(round3, options);

        Assert.Equal(whole.Count, updated.Count);
        Assert.Equal(whole.ActivityCount, updated.ActivityCount);
        Assert.Equal(whole.DataTime, updated.DataTime);
        Assert.Equal(whole.Opportunities.Select(o => o.Id), updated.Opportunities.Select(o => o.Id));
        var schema = FeatureSchema.Create(whole, options);
        Assert.Equal(Rows(whole, schema), Rows(updated, schema));
        Assert.Equal(before, Rows(first, FeatureSchema.Create(first, options)));
        Assert.Same(second.Activities, updated.Activities);
    }

    [Fact]
    public void Update_IndexBuiltWithActivityRelations_Refuses()
    {
        var org = RandomOrg.Create(1, withStageDefinitions: true);
        var index = new OrgIndex(org.Build(), new FeatureOptions());

        Assert.Throws<InvalidOperationException>(() => index.Update(new OrgData()));
    }

    [Fact]
    public void Update_AnIndexUpdatedAlready_RefusesAndItsUpdateGoesOn()
    {
        var org = RandomOrg.Create(1, withStageDefinitions: true);
        org.Relations.Clear();
        var index = new OrgIndex(org.Build(), new FeatureOptions());
        OrgData NewTask() => new() { Tasks = [org.Tasks[0] with { Id = org.NewId("00T") }] };
        var updated = index.Update(NewTask());
        var next = updated.Update(NewTask());

        Assert.Equal(index.ActivityCount + 2, next.ActivityCount);
        Assert.Throws<InvalidOperationException>(() => updated.Update(NewTask()));
        Assert.Equal(index.ActivityCount + 3, next.Update(NewTask()).ActivityCount);
    }

    private static void Replace<T>(List<T> records, string id, Func<T, T> change)
        where T : class
    {
        var i = records.FindIndex(r => r switch { Opportunity o => o.Id == id, Account a => a.Id == id, _ => false });
        records[i] = change(records[i]);
    }

    // What a source reads after `before`: every record new or changed, a few unchanged ones again (an overlap), and
    // the small objects whole.
    private static OrgData Changes(OrgData before, OrgData after) => new()
    {
        Opportunities = [.. New(before.Opportunities, after.Opportunities), after.Opportunities[0]],
        OpportunityHistories = [.. New(before.OpportunityHistories, after.OpportunityHistories), after.OpportunityHistories[0]],
        Tasks = [.. New(before.Tasks, after.Tasks), after.Tasks[^1]],
        Events = New(before.Events, after.Events),
        Accounts = New(before.Accounts, after.Accounts),
        Users = after.Users,
        Stages = after.Stages,
        Currencies = after.Currencies,
        ExtractedAt = after.ExtractedAt,
    };

    private static List<T> New<T>(IReadOnlyList<T> before, IReadOnlyList<T> after)
        where T : class
    {
        var held = before.ToHashSet<T>(ReferenceEqualityComparer.Instance);
        return [.. after.Where(r => !held.Contains(r))];
    }

    // Every Opportunity's features and activity counts by stage every few days, by Id.
    private static Dictionary<string, List<float[]>> Rows(OrgIndex index, FeatureSchema schema)
    {
        var builder = new FeatureBuilder(index, schema);
        var rows = new Dictionary<string, List<float[]>>();
        for (var i = 0; i < index.Count; i++)
        {
            var list = rows[index.Opportunities[i].Id] = [];
            for (var day = 0; day <= 260; day += 13)
            {
                var row = new float[builder.Width];
                builder.Build(i, Day(day), row);
                list.Add(row);
                var counts = new float[index.Stages.Stages.Count * schema.ActivityKinds.Count];
                builder.CountActivitiesByStage(i, Day(day), counts);
                list.Add(counts);
            }
        }

        return rows;
    }
}
