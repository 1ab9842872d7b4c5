using SfPredictor.Records;

namespace SfPredictor.SyntheticOrg.Tests;

[Collection(GeneratedOrgCollection.Name)]
public sealed class MessTests(GeneratedOrgFixture org)
{
    private OrgData Data => org.Data;
    private DateOnly AsOfDate => DateOnly.FromDateTime(org.AsOf.UtcDateTime);

    [Fact]
    public void Generate_SomeDealActivities_AreLoggedOnTheAccountInsteadOfTheOpportunity()
    {
        var accounts = Data.Accounts.Select(a => a.Id).ToHashSet();
        var onAccounts = Data.Tasks.Count(t => accounts.Contains(t.WhatId!) && t.TaskSubtype != "ListEmail")
            + Data.Events.Count(e => accounts.Contains(e.WhatId!));
        var all = Data.Tasks.Count + Data.Events.Count;

        Assert.InRange((double)onAccounts / all, 0.05, 0.4);
    }

    [Fact]
    public void Generate_SomeTasks_AreOpenAndOverdue()
    {
        var overdue = Data.Tasks.Where(t => !t.IsClosed && t.ActivityDate < AsOfDate).ToList();

        Assert.True(overdue.Count >= 50, $"{overdue.Count} overdue tasks");
        Assert.All(overdue, t => Assert.Contains(t.Status, new[] { "Not Started", "In Progress" }));
    }

    [Fact]
    public void Generate_SomeTasksAndMeetings_ArePlannedAfterTheAsOfDate()
    {
        Assert.True(Data.Tasks.Count(t => !t.IsClosed && t.ActivityDate >= AsOfDate) >= 20);
        Assert.True(Data.Events.Count(e => e.StartDateTime >= org.AsOf) >= 20);
    }

    [Fact]
    public void Generate_Subjects_AreVariedFreeText()
    {
        var subjects = Data.Tasks.Select(t => t.Subject).Concat(Data.Events.Select(e => e.Subject)).ToHashSet();

        Assert.True(subjects.Count > 100, $"{subjects.Count} distinct subjects");
        Assert.Contains("Product demo w/ IT team", subjects);
        Assert.Contains("Sent quote v2", subjects);
        Assert.Contains("Exec sponsor meeting with CFO", subjects);
        Assert.Contains("Re: pricing", subjects);
        Assert.Contains("Follow up", subjects);
        Assert.Contains(Data.Tasks, t => t.Type is null);
    }

    [Fact]
    public void Generate_SomeOpportunities_HaveNoActivityAtAll()
    {
        var touched = Data.Tasks.Select(t => t.WhatId).Concat(Data.Events.Select(e => e.WhatId)).ToHashSet();

        Assert.InRange(Data.Opportunities.Count(o => !touched.Contains(o.Id)), 10, Data.Opportunities.Count / 5);
    }

    [Fact]
    public void Generate_CloseDatesArePushedAndAmountsChange()
    {
        var pushes = 0;
        var amountChanges = 0;
        foreach (var rows in org.Histories.Values)
        {
            for (var i = 1; i < rows.Count; i++)
            {
                pushes += rows[i].StageName == rows[i - 1].StageName && rows[i].CloseDate > rows[i - 1].CloseDate ? 1 : 0;
                amountChanges += rows[i].Amount != rows[i - 1].Amount ? 1 : 0;
            }
        }

        Assert.True(pushes > Data.Opportunities.Count / 4, $"{pushes} close date pushes");
        Assert.True(amountChanges > Data.Opportunities.Count / 20, $"{amountChanges} amount changes");
        Assert.Contains(Data.Opportunities, o => !o.IsClosed && o.CloseDate < AsOfDate);
    }

    [Fact]
    public void Generate_Amounts_SpanOrdersOfMagnitudeInSeveralCurrencies()
    {
        var amounts = Data.Opportunities.Select(o => o.Amount!.Value).Order().ToList();

        Assert.True(amounts[^(amounts.Count / 100)] > 100 * amounts[amounts.Count / 100]);
        Assert.Equal(["EUR", "GBP", "USD"], Data.Currencies.Select(c => c.IsoCode).Order());
        Assert.Equal("USD", Data.Currencies.Single(c => c.IsCorporate).IsoCode);
        Assert.Equal(3, Data.Opportunities.Select(o => o.CurrencyIsoCode).Distinct().Count());
    }

    [Fact]
    public void Generate_SomeActivities_AreLoggedOnDealsAfterTheyClosed()
    {
        var closedAt = Data.Opportunities.Where(o => o.IsClosed).ToDictionary(o => o.Id, o => o.CloseDate);

        var after = Data.Tasks.Count(t => t.IsClosed && closedAt.TryGetValue(t.WhatId!, out var d) && t.ActivityDate > d)
            + Data.Events.Count(e => closedAt.TryGetValue(e.WhatId!, out var d) && DateOnly.FromDateTime(e.StartDateTime.UtcDateTime) > d);

        Assert.True(after > closedAt.Count / 10, $"{after} activities after the close");
    }

    [Fact]
    public void Generate_Users_IncludeManagersEngineersAndPeopleWhoLeft()
    {
        Assert.Contains(Data.Users, u => u.Title == "VP Sales");
        Assert.Contains(Data.Users, u => u.Title == "Solutions Engineer");
        Assert.Contains(Data.Users, u => !u.IsActive);
        Assert.Contains(Data.Opportunities, o => Data.Users.Single(u => u.Id == o.OwnerId).Title is "Sales Manager" or "Regional Sales Director" or "VP Sales");
    }

    [Fact]
    public void Generate_Sizes_LookLikeARealOrg()
    {
        var open = Data.Opportunities.Count(o => !o.IsClosed);
        var won = Data.Opportunities.Count(o => o.IsWon);
        var closed = Data.Opportunities.Count - open;

        Assert.InRange((double)open / Data.Opportunities.Count, 0.15, 0.35);
        Assert.InRange((double)won / closed, 0.2, 0.45);
        Assert.InRange((double)(Data.Tasks.Count + Data.Events.Count) / Data.Opportunities.Count, 5, 30);
        Assert.Contains(Data.Opportunities.GroupBy(o => o.AccountId), g => g.Count() >= 5);
        Assert.Contains(Data.Opportunities, o => o.Type == "Existing Business");
        Assert.Equal(
            [("Prospecting", 10m), ("Qualification", 20m), ("Needs Analysis", 30m), ("Value Proposition", 50m),
             ("Proposal/Price Quote", 70m), ("Negotiation/Review", 90m), ("Closed Won", 100m), ("Closed Lost", 0m)],
            Data.Stages.OrderBy(s => s.SortOrder).Select(s => (s.Name, s.DefaultProbability!.Value)));
        var created = Data.Opportunities.Select(o => o.CreatedDate).ToList();
        Assert.True((created.Max() - created.Min()).TotalDays > 2.5 * 365);
    }
}
