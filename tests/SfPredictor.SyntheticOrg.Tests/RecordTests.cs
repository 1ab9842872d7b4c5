using SfPredictor.DataExport;
using SfPredictor.Records;

namespace SfPredictor.SyntheticOrg.Tests;

[Collection(GeneratedOrgCollection.Name)]
public sealed class RecordTests(GeneratedOrgFixture org)
{
    private OrgData Data => org.Data;

    [Fact]
    public void Generate_EveryId_IsAUnique18CharacterIdWithItsObjectsKeyPrefix()
    {
        AssertIds(Data.Accounts.Select(a => a.Id), "001");
        AssertIds(Data.Users.Select(u => u.Id), "005");
        AssertIds(Data.Opportunities.Select(o => o.Id), "006");
        AssertIds(Data.OpportunityHistories.Select(h => h.Id), "008");
        AssertIds(Data.Tasks.Select(t => t.Id), "00T");
        AssertIds(Data.Events.Select(e => e.Id), "00U");

        static void AssertIds(IEnumerable<string> ids, string prefix)
        {
            var list = ids.ToList();
            Assert.NotEmpty(list);
            Assert.All(list, id =>
            {
                Assert.StartsWith(prefix, id, StringComparison.Ordinal);
                Assert.Equal(id, SalesforceId.Normalize(id));
                Assert.Equal(18, id.Length);
            });
            Assert.Equal(list.Count, list.Distinct(SalesforceId.Comparer).Count());
        }
    }

    [Fact]
    public void Generate_EveryReference_Resolves()
    {
        var accounts = Data.Accounts.Select(a => a.Id).ToHashSet();
        var users = Data.Users.Select(u => u.Id).ToHashSet();
        var opportunities = Data.Opportunities.ToDictionary(o => o.Id);

        Assert.All(Data.Accounts, a => Assert.Contains(a.OwnerId!, users));
        Assert.All(Data.Opportunities, o =>
        {
            Assert.Contains(o.AccountId!, accounts);
            Assert.Contains(o.OwnerId!, users);
        });
        Assert.All(Data.OpportunityHistories, h => Assert.True(opportunities.ContainsKey(h.OpportunityId), h.Id));
        Assert.All(
            Data.Tasks.Select(t => (t.Id, t.WhatId, t.AccountId, t.OwnerId)).Concat(Data.Events.Select(e => (e.Id, e.WhatId, e.AccountId, e.OwnerId))),
            a =>
            {
                Assert.Contains(a.OwnerId!, users);
                Assert.Contains(a.AccountId!, accounts);
                if (opportunities.TryGetValue(a.WhatId!, out var opportunity))
                {
                    Assert.Equal(opportunity.AccountId, a.AccountId);
                }
                else
                {
                    Assert.Equal(a.AccountId, a.WhatId);
                }
            });
    }

    [Fact]
    public void Generate_Histories_AreTimeOrderedAndEndInTheOpportunitysCurrentState()
    {
        var stages = Data.Stages.ToDictionary(s => s.Name);
        Assert.Equal(Data.Opportunities.Count, org.Histories.Count);
        foreach (var opportunity in Data.Opportunities)
        {
            var rows = org.Histories[opportunity.Id];
            Assert.Equal(opportunity.CreatedDate, rows[0].CreatedDate);
            Assert.Equal("Prospecting", rows[0].StageName);
            for (var i = 1; i < rows.Count; i++)
            {
                Assert.True(rows[i].CreatedDate > rows[i - 1].CreatedDate, $"{opportunity.Id}: history rows share a time or go back");
                Assert.True(stages[rows[i].StageName].SortOrder >= stages[rows[i - 1].StageName].SortOrder, $"{opportunity.Id}: stage goes back");
            }

            Assert.All(rows, r => Assert.Equal(stages[r.StageName].DefaultProbability, r.Probability));
            var last = rows[^1];
            Assert.Equal(opportunity.StageName, last.StageName);
            Assert.Equal(opportunity.Amount, last.Amount);
            Assert.Equal(opportunity.CloseDate, last.CloseDate);
            Assert.Equal(opportunity.LastModifiedDate, last.CreatedDate);
            Assert.True(opportunity.SystemModstamp >= opportunity.LastModifiedDate);
            Assert.Equal(stages[opportunity.StageName].DefaultProbability, opportunity.Probability);
            Assert.Equal(stages[opportunity.StageName].IsClosed, opportunity.IsClosed);
            Assert.Equal(stages[opportunity.StageName].IsWon, opportunity.IsWon);
            Assert.All(rows.SkipLast(1), r => Assert.False(stages[r.StageName].IsClosed));
            if (opportunity.IsClosed)
            {
                Assert.Equal(DateOnly.FromDateTime(last.CreatedDate.UtcDateTime), opportunity.CloseDate);
            }
        }

        // Rows of one Opportunity are written oldest first.
        Assert.All(
            Data.OpportunityHistories.GroupBy(h => h.OpportunityId),
            g => Assert.Equal(g.OrderBy(h => h.CreatedDate).Select(h => h.Id), g.Select(h => h.Id)));
    }

    [Fact]
    public void Generate_NothingIsDatedAfterTheAsOfDate_ExceptPlannedCloseDatesTasksAndMeetings()
    {
        var asOf = org.AsOf;
        var asOfDate = DateOnly.FromDateTime(asOf.UtcDateTime);
        var open = Data.Opportunities.Where(o => !o.IsClosed).Select(o => o.Id).ToHashSet();
        var openAccounts = Data.Opportunities.Where(o => !o.IsClosed).Select(o => o.AccountId!).ToHashSet();

        Assert.All(Data.Accounts, a => Assert.True(a.CreatedDate < asOf));
        Assert.All(Data.Opportunities, o =>
        {
            Assert.True(o.CreatedDate < asOf && o.LastModifiedDate < asOf && o.SystemModstamp < asOf, o.Id);
            Assert.True(!o.IsClosed || o.CloseDate <= asOfDate, o.Id);
        });
        Assert.All(Data.OpportunityHistories, h => Assert.True(h.CreatedDate < asOf, h.Id));
        Assert.All(Data.Tasks, t =>
        {
            Assert.True(t.CreatedDate < asOf && t.SystemModstamp < asOf && t.CreatedDate <= t.SystemModstamp, t.Id);
            if (t.IsClosed)
            {
                Assert.True(t.CompletedDateTime < asOf && t.ActivityDate <= asOfDate, t.Id);
            }
            else if (t.ActivityDate >= asOfDate)
            {
                Assert.True(open.Contains(t.WhatId!) || openAccounts.Contains(t.WhatId!), $"{t.Id} is planned for a closed deal");
            }
        });
        Assert.All(Data.Events, e =>
        {
            Assert.True(e.CreatedDate < asOf && e.SystemModstamp < asOf && e.CreatedDate <= e.SystemModstamp, e.Id);
            Assert.True(e.EndDateTime >= e.StartDateTime, e.Id);
            if (e.StartDateTime >= asOf)
            {
                Assert.True(open.Contains(e.WhatId!) || openAccounts.Contains(e.WhatId!), $"{e.Id} is planned for a closed deal");
            }
            else
            {
                Assert.True(e.CreatedDate <= e.StartDateTime, e.Id);
            }
        });
    }

    [Fact]
    public void Write_ThenReadWithTheDataExportReader_GivesBackTheSameRecords()
    {
        var read = DataExportReader.Read(org.Folder);

        Assert.Empty(read.Errors);
        Assert.Equal(Data.Users, read.Data.Users);
        Assert.Equal(Data.OpportunityHistories, read.Data.OpportunityHistories);
        Assert.Equal(Data.Tasks, read.Data.Tasks);
        Assert.Equal(Data.Events, read.Data.Events);
        Assert.Equal(Data.Stages, read.Data.Stages);
        Assert.Equal(Data.Currencies, read.Data.Currencies);
        Assert.Equal(Data.Opportunities.Select(o => o with { Custom = EmptyFields.Instance }), read.Data.Opportunities.Select(o => o with { Custom = EmptyFields.Instance }));
        Assert.Equal(Data.Opportunities.Select(o => o.Custom["Competitor__c"] ?? ""), read.Data.Opportunities.Select(o => o.Custom["Competitor__c"] ?? ""));
        Assert.Equal(Data.Accounts.Select(a => a with { Custom = EmptyFields.Instance }), read.Data.Accounts.Select(a => a with { Custom = EmptyFields.Instance }));
        Assert.Equal(Data.Accounts.Select(a => a.Custom["BillingCountry"]), read.Data.Accounts.Select(a => a.Custom["BillingCountry"]));
        Assert.True(read.Data.ExtractedAt < org.AsOf && read.Data.ExtractedAt > org.AsOf.AddDays(-1));
    }
}
