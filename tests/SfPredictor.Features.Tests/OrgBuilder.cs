using System.Globalization;
using SfPredictor.Records;

namespace SfPredictor.Features.Tests;

// Small orgs written in code. Days are counted from Day0; stage names are deliberately not the
// Salesforce defaults so nothing can lean on them.
internal sealed class OrgBuilder
{
    public static readonly DateTimeOffset Day0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private int _next;

    public List<Account> Accounts { get; } = [];
    public List<Opportunity> Opportunities { get; } = [];
    public List<OpportunityHistory> Histories { get; } = [];
    public List<SfTask> Tasks { get; } = [];
    public List<SfEvent> Events { get; } = [];
    public List<ActivityRelation> Relations { get; } = [];
    public List<OpportunityStage> Stages { get; } = [];
    public List<CurrencyType> Currencies { get; } = [];

    public static DateTimeOffset Day(double day) => Day0.AddDays(day);

    public static DateOnly Date(double day) => DateOnly.FromDateTime(Day(day).UtcDateTime);

    public static OpportunityStage[] CustomStages() =>
    [
        new() { Name = "Qualify", SortOrder = 1, DefaultProbability = 10 },
        new() { Name = "Discover", SortOrder = 2, DefaultProbability = 25 },
        new() { Name = "Prove", SortOrder = 3, DefaultProbability = 50 },
        new() { Name = "Negotiate", SortOrder = 4, DefaultProbability = 80 },
        new() { Name = "Signed", SortOrder = 5, DefaultProbability = 100, IsClosed = true, IsWon = true },
        new() { Name = "Dropped", SortOrder = 6, DefaultProbability = 0, IsClosed = true },
    ];

    public OrgBuilder WithCustomStages()
    {
        Stages.AddRange(CustomStages());
        return this;
    }

    public string NewId(string prefix) =>
        SalesforceId.Normalize(prefix + (++_next).ToString("D12", CultureInfo.InvariantCulture));

    public string Account(string? industry = null, int? employees = null, decimal? revenue = null,
        IReadOnlyDictionary<string, string?>? custom = null)
    {
        var id = NewId("001");
        Accounts.Add(new Account
        {
            Id = id,
            Name = "Account " + id[^6..],
            Industry = industry,
            NumberOfEmployees = employees,
            AnnualRevenue = revenue,
            CreatedDate = Day(-400),
            Custom = custom ?? EmptyFields.Instance,
        });
        return id;
    }

    // An Opportunity created on `created` in `stage`, with its first history row.
    public string Opportunity(double created, string stage, string? account = null, string? owner = null,
        decimal? amount = 1000, double closeDay = 90, string? currency = null, string? type = null,
        string? leadSource = null, IReadOnlyDictionary<string, string?>? custom = null, bool history = true)
    {
        var id = NewId("006");
        Opportunities.Add(new Opportunity
        {
            Id = id,
            Name = "Deal " + id[^6..],
            AccountId = account,
            OwnerId = owner,
            StageName = stage,
            Amount = amount,
            CurrencyIsoCode = currency,
            CloseDate = Date(closeDay),
            Type = type,
            LeadSource = leadSource,
            CreatedDate = Day(created),
            LastModifiedDate = Day(created),
            SystemModstamp = Day(created),
            Custom = custom ?? EmptyFields.Instance,
        });
        if (history)
        {
            History(id, created, stage, amount, closeDay);
        }

        return id;
    }

    // Moves an Opportunity to `stage` on `day` (a history row) and updates the record to match.
    public void History(string opportunity, double day, string stage, decimal? amount = null, double? closeDay = null,
        decimal? probability = null)
    {
        var index = Opportunities.FindIndex(o => o.Id == opportunity);
        var current = Opportunities[index];
        amount ??= current.Amount;
        var closeDate = closeDay is { } c ? Date(c) : current.CloseDate;
        var definition = Stages.FirstOrDefault(s => s.Name == stage);
        Histories.Add(new OpportunityHistory
        {
            Id = NewId("008"),
            OpportunityId = opportunity,
            StageName = stage,
            Amount = amount,
            Probability = probability ?? definition?.DefaultProbability,
            CloseDate = closeDate,
            CreatedDate = Day(day),
        });
        Opportunities[index] = current with
        {
            StageName = stage,
            Amount = amount,
            CloseDate = closeDate,
            Probability = probability ?? definition?.DefaultProbability,
        };
    }

    // Closes an Opportunity on `day` in `stage` (a history row), won or lost.
    public void Close(string opportunity, double day, string stage, bool won, bool history = true)
    {
        if (history)
        {
            History(opportunity, day, stage, closeDay: day);
        }

        var index = Opportunities.FindIndex(o => o.Id == opportunity);
        Opportunities[index] = Opportunities[index] with
        {
            StageName = stage,
            IsClosed = true,
            IsWon = won,
            CloseDate = Date(day),
        };
    }

    public string Task(double logged, string? whatId, string? type = null, string? subject = null, bool closed = true,
        double? completed = null, double? activityDate = null, string? accountId = null, string? subtype = null)
    {
        var id = NewId("00T");
        Tasks.Add(new SfTask
        {
            Id = id,
            WhatId = whatId,
            AccountId = accountId,
            Subject = subject,
            Type = type,
            TaskSubtype = subtype,
            IsClosed = closed,
            Status = closed ? "Completed" : "Not Started",
            CompletedDateTime = completed is { } c ? Day(c) : null,
            ActivityDate = activityDate is { } a ? Date(a) : null,
            CreatedDate = Day(logged),
            SystemModstamp = Day(logged),
        });
        return id;
    }

    public string Event(double logged, double start, string? whatId, string? type = null, string? subject = null,
        string? accountId = null, string? subtype = "Event")
    {
        var id = NewId("00U");
        Events.Add(new SfEvent
        {
            Id = id,
            WhatId = whatId,
            AccountId = accountId,
            Subject = subject,
            Type = type,
            EventSubtype = subtype,
            StartDateTime = Day(start),
            EndDateTime = Day(start).AddHours(1),
            CreatedDate = Day(logged),
            SystemModstamp = Day(logged),
        });
        return id;
    }

    public OrgData Build(DateTimeOffset? extractedAt = null) => new()
    {
        Accounts = [.. Accounts],
        Opportunities = [.. Opportunities],
        OpportunityHistories = [.. Histories],
        Tasks = [.. Tasks],
        Events = [.. Events],
        ActivityRelations = [.. Relations],
        Stages = [.. Stages],
        Currencies = [.. Currencies],
        ExtractedAt = extractedAt,
    };
}
