using SfPredictor.Records;

namespace SfPredictor.DataExport.Tests;

public sealed class DataExportWriterTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private static string Id(string prefix, int n) => SalesforceId.Normalize($"{prefix}5g{n:D10}");

    private static OrgData SampleOrg()
    {
        var user = Id("005", 1);
        var account = Id("001", 1);
        var opportunity = Id("006", 1);
        var task = Id("00T", 1);
        var evt = Id("00U", 1);
        return new OrgData
        {
            Users = [new User { Id = user, Name = "Zoé \"Z\" Müller", Title = "AE", IsActive = false }],
            Accounts =
            [
                new Account
                {
                    Id = account, Name = "Café Société, Inc.", Industry = "Retail", Type = "Customer", AnnualRevenue = 2_500_000.75m,
                    NumberOfEmployees = 120, OwnerId = user, CreatedDate = T0.AddDays(-400),
                    Custom = new Dictionary<string, string?> { ["Tier__c"] = "Gold", ["Notes__c"] = "line 1\nline 2" },
                },
                new Account { Id = Id("001", 2), Custom = new Dictionary<string, string?> { ["Region__c"] = "EMEA" } },
            ],
            Opportunities =
            [
                new Opportunity
                {
                    Id = opportunity, Name = "Big deal", AccountId = account, OwnerId = user, StageName = "Negotiation",
                    Amount = 15000.50m, CurrencyIsoCode = "EUR", Probability = 75m, CloseDate = new DateOnly(2024, 9, 30),
                    Type = "New Business", LeadSource = "Web", ForecastCategoryName = "Commit", CreatedDate = T0,
                    LastModifiedDate = T0.AddDays(30), SystemModstamp = T0.AddDays(31),
                    Custom = new Dictionary<string, string?> { ["Region__c"] = "EMEA", ["Empty__c"] = null },
                },
                new Opportunity
                {
                    Id = Id("006", 2), StageName = "Closed Won", IsClosed = true, IsWon = true, CloseDate = new DateOnly(2023, 12, 1),
                    CreatedDate = T0.AddDays(-90), LastModifiedDate = T0.AddDays(-40), SystemModstamp = T0.AddDays(-40),
                },
            ],
            OpportunityHistories =
            [
                new OpportunityHistory { Id = Id("008", 1), OpportunityId = opportunity, StageName = "Prospecting", Amount = 10000m, Probability = 10m, CloseDate = new DateOnly(2024, 8, 31), ForecastCategory = "Pipeline", CreatedDate = T0 },
                new OpportunityHistory { Id = Id("008", 2), OpportunityId = opportunity, StageName = "Negotiation", CreatedDate = T0.AddDays(30) },
            ],
            Tasks =
            [
                new SfTask { Id = task, WhatId = opportunity, AccountId = account, OwnerId = user, Subject = "Call, about \"pricing\"", Type = "Call", TaskSubtype = "Call", Status = "Completed", IsClosed = true, ActivityDate = new DateOnly(2024, 2, 1), CompletedDateTime = T0.AddDays(17), CreatedDate = T0.AddDays(17), SystemModstamp = T0.AddDays(17) },
                new SfTask { Id = Id("00T", 2), WhoId = Id("003", 1), Subject = "Open to-do", CreatedDate = T0.AddDays(50), SystemModstamp = T0.AddDays(50) },
            ],
            Events =
            [
                new SfEvent { Id = evt, WhatId = account, OwnerId = user, Subject = "Demo", Type = "Meeting", EventSubtype = "Event", StartDateTime = T0.AddDays(20), EndDateTime = T0.AddDays(20).AddHours(1), CreatedDate = T0.AddDays(10), SystemModstamp = T0.AddDays(10) },
            ],
            ActivityRelations = [new ActivityRelation(task, account), new ActivityRelation(evt, opportunity)],
            Stages =
            [
                new OpportunityStage { Name = "Negotiation", SortOrder = 4, DefaultProbability = 75m },
                new OpportunityStage { Name = "Closed Won", SortOrder = 9, DefaultProbability = 100m, IsClosed = true, IsWon = true, IsActive = false },
            ],
            Currencies = [new CurrencyType { IsoCode = "USD", IsCorporate = true }, new CurrencyType { IsoCode = "EUR", ConversionRate = 0.92m }],
        };
    }

    private static void AssertSameRecords<T>(IReadOnlyList<T> expected, IReadOnlyList<T> actual) => Assert.Equal(expected, actual);

    [Fact]
    public void Write_ThenRead_GivesEqualRecords()
    {
        using var folder = new TempFolder();
        var org = SampleOrg();

        DataExportWriter.Write(org, folder.Path);
        var read = DataExportReader.Read(folder.Path).Data;

        // Custom is compared on its own: records compare dictionaries by reference.
        Assert.Equal(org.Accounts.Select(a => a with { Custom = EmptyFields.Instance }), read.Accounts.Select(a => a with { Custom = EmptyFields.Instance }));
        Assert.Equal(org.Opportunities.Select(o => o with { Custom = EmptyFields.Instance }), read.Opportunities.Select(o => o with { Custom = EmptyFields.Instance }));
        Assert.Equal(
            new Dictionary<string, string?> { ["Tier__c"] = "Gold", ["Notes__c"] = "line 1\nline 2", ["Region__c"] = null },
            read.Accounts[0].Custom);
        Assert.Equal(new Dictionary<string, string?> { ["Tier__c"] = null, ["Notes__c"] = null, ["Region__c"] = "EMEA" }, read.Accounts[1].Custom);
        Assert.Equal(new Dictionary<string, string?> { ["Region__c"] = "EMEA", ["Empty__c"] = null }, read.Opportunities[0].Custom);
        AssertSameRecords(org.Users, read.Users);
        AssertSameRecords(org.OpportunityHistories, read.OpportunityHistories);
        AssertSameRecords(org.Tasks, read.Tasks);
        AssertSameRecords(org.Events, read.Events);
        AssertSameRecords(org.ActivityRelations, read.ActivityRelations);
        AssertSameRecords(org.Stages, read.Stages);
        AssertSameRecords(org.Currencies, read.Currencies);
        Assert.Equal(T0.AddDays(50), read.ExtractedAt);
    }

    [Fact]
    public void Write_Opportunities_UsesDataExportForms()
    {
        using var folder = new TempFolder();

        DataExportWriter.Write(SampleOrg(), folder.Path);

        var lines = File.ReadAllLines(Path.Combine(folder.Path, "Opportunity.csv"));
        Assert.Equal(
            "\"Id\",\"Name\",\"AccountId\",\"OwnerId\",\"StageName\",\"Amount\",\"CurrencyIsoCode\",\"Probability\",\"CloseDate\",\"Type\",\"LeadSource\",\"ForecastCategoryName\",\"IsClosed\",\"IsWon\",\"CreatedDate\",\"LastModifiedDate\",\"SystemModstamp\",\"Region__c\",\"Empty__c\"",
            lines[0]);
        Assert.EndsWith("\"Closed Won\",\"\",\"\",\"\",\"2023-12-01\",\"\",\"\",\"\",\"1\",\"1\",\"2023-10-17 10:30:00\",\"2023-12-06 10:30:00\",\"2023-12-06 10:30:00\",\"\",\"\"", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_OptionalFilesEmpty_DeletesStaleOnesAndKeepsExistingNames()
    {
        using var folder = new TempFolder();
        folder.Write("taskrelation.csv", "TaskId,RelationId\n");
        folder.Write("currencytype.csv", "IsoCode,ConversionRate\nUSD,1\n");
        folder.Write("opportunity.csv", "stale");

        DataExportWriter.Write(new OrgData { Opportunities = SampleOrg().Opportunities }, folder.Path);

        var names = Directory.GetFiles(folder.Path).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Account.csv", "Event.csv", "OpportunityHistory.csv", "Task.csv", "User.csv", "opportunity.csv"], names);
        Assert.Equal(2, DataExportReader.Read(folder.Path).Data.Opportunities.Count);
    }

    [Fact]
    public void Write_RelationOfUnknownActivity_ThrowsNamingIt()
    {
        using var folder = new TempFolder();
        var orphan = Id("001", 9);
        var org = new OrgData { ActivityRelations = [new ActivityRelation(orphan, Id("006", 1))] };

        var error = Assert.Throws<ArgumentException>(() => DataExportWriter.Write(org, folder.Path));

        Assert.Contains(orphan, error.Message, StringComparison.Ordinal);
    }
}
