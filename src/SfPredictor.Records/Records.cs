namespace SfPredictor.Records;

// One record model for every source (REST, Bulk, Data Export CSV). Ids are 18-character
// (see SalesforceId); times are UTC; dates without time are DateOnly, as Salesforce has them.
// Custom holds every other column (custom __c fields and anything the model does not name) as the
// raw text the source gave, so admin-mapped extra fields reach the features untouched.

/// <summary>An Account.</summary>
public sealed record Account
{
    /// <summary>18-character Id.</summary>
    public required string Id { get; init; }
    /// <summary>Account name.</summary>
    public string? Name { get; init; }
    /// <summary>Industry picklist value.</summary>
    public string? Industry { get; init; }
    /// <summary>Account type picklist value (Customer, Prospect, ...).</summary>
    public string? Type { get; init; }
    /// <summary>Annual revenue in the account's currency.</summary>
    public decimal? AnnualRevenue { get; init; }
    /// <summary>Number of employees.</summary>
    public int? NumberOfEmployees { get; init; }
    /// <summary>Owner User Id.</summary>
    public string? OwnerId { get; init; }
    /// <summary>When the record was created (UTC).</summary>
    public DateTimeOffset CreatedDate { get; init; }
    /// <summary>Last modification by anyone (UTC); <see langword="default"/> when the source did not give it.</summary>
    public DateTimeOffset SystemModstamp { get; init; }
    /// <summary>Other columns, raw, by field API name.</summary>
    public IReadOnlyDictionary<string, string?> Custom { get; init; } = EmptyFields.Instance;
}

/// <summary>A User (an Opportunity or activity owner).</summary>
public sealed record User
{
    /// <summary>18-character Id.</summary>
    public required string Id { get; init; }
    /// <summary>Full name.</summary>
    public string? Name { get; init; }
    /// <summary>Job title.</summary>
    public string? Title { get; init; }
    /// <summary>Whether the user is active.</summary>
    public bool IsActive { get; init; } = true;
}

/// <summary>An Opportunity as it is now (its past is in <see cref="OpportunityHistory"/>).</summary>
public sealed record Opportunity
{
    /// <summary>18-character Id.</summary>
    public required string Id { get; init; }
    /// <summary>Opportunity name.</summary>
    public string? Name { get; init; }
    /// <summary>Account Id, if any.</summary>
    public string? AccountId { get; init; }
    /// <summary>Owner User Id.</summary>
    public string? OwnerId { get; init; }
    /// <summary>Current stage (StageName).</summary>
    public required string StageName { get; init; }
    /// <summary>Amount in <see cref="CurrencyIsoCode"/> (or the org currency).</summary>
    public decimal? Amount { get; init; }
    /// <summary>Currency of the amount in multi-currency orgs; null in single-currency orgs.</summary>
    public string? CurrencyIsoCode { get; init; }
    /// <summary>Stage probability in percent as stored on the record.</summary>
    public decimal? Probability { get; init; }
    /// <summary>Planned close date.</summary>
    public DateOnly CloseDate { get; init; }
    /// <summary>Opportunity type picklist value.</summary>
    public string? Type { get; init; }
    /// <summary>Lead source picklist value.</summary>
    public string? LeadSource { get; init; }
    /// <summary>Forecast category.</summary>
    public string? ForecastCategoryName { get; init; }
    /// <summary>Whether the Opportunity is closed.</summary>
    public bool IsClosed { get; init; }
    /// <summary>Whether the Opportunity is closed won.</summary>
    public bool IsWon { get; init; }
    /// <summary>When the record was created (UTC).</summary>
    public DateTimeOffset CreatedDate { get; init; }
    /// <summary>Last modification by a user (UTC).</summary>
    public DateTimeOffset LastModifiedDate { get; init; }
    /// <summary>Last modification by anyone, including the system (UTC); the incremental watermark.</summary>
    public DateTimeOffset SystemModstamp { get; init; }
    /// <summary>Other columns, raw, by field API name.</summary>
    public IReadOnlyDictionary<string, string?> Custom { get; init; } = EmptyFields.Instance;
}

/// <summary>One row of an Opportunity's history: its stage, amount and close date from <see cref="CreatedDate"/> on.</summary>
public sealed record OpportunityHistory
{
    /// <summary>18-character Id.</summary>
    public required string Id { get; init; }
    /// <summary>The Opportunity this row belongs to.</summary>
    public required string OpportunityId { get; init; }
    /// <summary>Stage from this moment on.</summary>
    public required string StageName { get; init; }
    /// <summary>Amount from this moment on.</summary>
    public decimal? Amount { get; init; }
    /// <summary>Stage probability in percent.</summary>
    public decimal? Probability { get; init; }
    /// <summary>Planned close date from this moment on.</summary>
    public DateOnly? CloseDate { get; init; }
    /// <summary>Forecast category.</summary>
    public string? ForecastCategory { get; init; }
    /// <summary>When the change happened (UTC).</summary>
    public DateTimeOffset CreatedDate { get; init; }
}

/// <summary>A Task (call, email, to-do).</summary>
public sealed record SfTask
{
    /// <summary>18-character Id.</summary>
    public required string Id { get; init; }
    /// <summary>The related record (Opportunity, Account, ...), if any.</summary>
    public string? WhatId { get; init; }
    /// <summary>The related person (Contact, Lead), if any.</summary>
    public string? WhoId { get; init; }
    /// <summary>The Account the task rolls up to, if any.</summary>
    public string? AccountId { get; init; }
    /// <summary>Owner User Id.</summary>
    public string? OwnerId { get; init; }
    /// <summary>Free-text subject.</summary>
    public string? Subject { get; init; }
    /// <summary>Type picklist value (Call, Email, Meeting, ...).</summary>
    public string? Type { get; init; }
    /// <summary>TaskSubtype (Task, Email, Call, ListEmail, Cadence, LinkedIn).</summary>
    public string? TaskSubtype { get; init; }
    /// <summary>Status picklist value.</summary>
    public string? Status { get; init; }
    /// <summary>Whether the task is done.</summary>
    public bool IsClosed { get; init; }
    /// <summary>Due date.</summary>
    public DateOnly? ActivityDate { get; init; }
    /// <summary>When it was completed (UTC), if known.</summary>
    public DateTimeOffset? CompletedDateTime { get; init; }
    /// <summary>When it was logged (UTC).</summary>
    public DateTimeOffset CreatedDate { get; init; }
    /// <summary>Last modification by anyone (UTC).</summary>
    public DateTimeOffset SystemModstamp { get; init; }
    /// <summary>Custom fields (<c>__c</c>, e.g. an org's own activity type picklist), raw, by field API name.</summary>
    public IReadOnlyDictionary<string, string?> Custom { get; init; } = EmptyFields.Instance;

    /// <summary>The Task as an <see cref="Activity"/>.</summary>
    public Activity AsActivity() => new(
        Id, ActivitySource.Task, WhatId, AccountId, Subject, Type, TaskSubtype, Custom, CreatedDate, SystemModstamp,
        HappenedAt: !IsClosed ? null : CompletedDateTime ?? (ActivityDate is { } day ? Activity.EndOfDay(day) : CreatedDate),
        DueAt: ActivityDate is { } due ? Activity.EndOfDay(due) : null);
}

/// <summary>An Event (meeting, demo, visit).</summary>
public sealed record SfEvent
{
    /// <summary>18-character Id.</summary>
    public required string Id { get; init; }
    /// <summary>The related record (Opportunity, Account, ...), if any.</summary>
    public string? WhatId { get; init; }
    /// <summary>The related person, if any.</summary>
    public string? WhoId { get; init; }
    /// <summary>The Account the event rolls up to, if any.</summary>
    public string? AccountId { get; init; }
    /// <summary>Owner User Id.</summary>
    public string? OwnerId { get; init; }
    /// <summary>Free-text subject.</summary>
    public string? Subject { get; init; }
    /// <summary>Type picklist value.</summary>
    public string? Type { get; init; }
    /// <summary>EventSubtype.</summary>
    public string? EventSubtype { get; init; }
    /// <summary>Start (UTC).</summary>
    public DateTimeOffset StartDateTime { get; init; }
    /// <summary>End (UTC).</summary>
    public DateTimeOffset? EndDateTime { get; init; }
    /// <summary>When it was logged (UTC).</summary>
    public DateTimeOffset CreatedDate { get; init; }
    /// <summary>Last modification by anyone (UTC).</summary>
    public DateTimeOffset SystemModstamp { get; init; }
    /// <summary>Custom fields (<c>__c</c>, e.g. an org's own activity type picklist), raw, by field API name.</summary>
    public IReadOnlyDictionary<string, string?> Custom { get; init; } = EmptyFields.Instance;

    /// <summary>The Event as an <see cref="Activity"/>.</summary>
    public Activity AsActivity() => new(
        Id, ActivitySource.Event, WhatId, AccountId, Subject, Type, EventSubtype, Custom, CreatedDate, SystemModstamp, HappenedAt: StartDateTime, DueAt: null);
}

/// <summary>A TaskRelation or EventRelation row: links one activity to one more related record.</summary>
/// <param name="ActivityId">The Task or Event Id.</param>
/// <param name="RelationId">The related record Id (an Opportunity, Account, Contact, ...).</param>
public sealed record ActivityRelation(string ActivityId, string RelationId);

/// <summary>An OpportunityStage picklist entry as the org defines it.</summary>
public sealed record OpportunityStage
{
    /// <summary>Stage value as it appears in StageName (ApiName, else MasterLabel).</summary>
    public required string Name { get; init; }
    /// <summary>Position in the sales process.</summary>
    public int SortOrder { get; init; }
    /// <summary>Default probability in percent.</summary>
    public decimal? DefaultProbability { get; init; }
    /// <summary>Whether the stage closes the Opportunity.</summary>
    public bool IsClosed { get; init; }
    /// <summary>Whether the stage closes the Opportunity as won.</summary>
    public bool IsWon { get; init; }
    /// <summary>Whether the stage is in use.</summary>
    public bool IsActive { get; init; } = true;
}

/// <summary>A CurrencyType row of a multi-currency org.</summary>
public sealed record CurrencyType
{
    /// <summary>ISO code.</summary>
    public required string IsoCode { get; init; }
    /// <summary>Units of this currency per one unit of the corporate currency.</summary>
    public decimal ConversionRate { get; init; } = 1m;
    /// <summary>Whether this is the corporate currency.</summary>
    public bool IsCorporate { get; init; }
    /// <summary>Whether the currency is active.</summary>
    public bool IsActive { get; init; } = true;
}

/// <summary>Every record of one org (or one Data Export), as every stage downstream sees it.</summary>
public sealed class OrgData
{
    /// <summary>Accounts.</summary>
    public IReadOnlyList<Account> Accounts { get; init; } = [];
    /// <summary>Users.</summary>
    public IReadOnlyList<User> Users { get; init; } = [];
    /// <summary>Opportunities, open and closed.</summary>
    public IReadOnlyList<Opportunity> Opportunities { get; init; } = [];
    /// <summary>OpportunityHistory rows.</summary>
    public IReadOnlyList<OpportunityHistory> OpportunityHistories { get; init; } = [];
    /// <summary>Tasks.</summary>
    public IReadOnlyList<SfTask> Tasks { get; init; } = [];
    /// <summary>Events.</summary>
    public IReadOnlyList<SfEvent> Events { get; init; } = [];
    /// <summary>Every Task, then every Event, as <see cref="Activity"/> records.</summary>
    public IEnumerable<Activity> Activities() => Tasks.Select(t => t.AsActivity()).Concat(Events.Select(e => e.AsActivity()));

    /// <summary>TaskRelation and EventRelation rows, when the source has them.</summary>
    public IReadOnlyList<ActivityRelation> ActivityRelations { get; init; } = [];
    /// <summary>The org's stage definitions; empty when the source has none (derive from history).</summary>
    public IReadOnlyList<OpportunityStage> Stages { get; init; } = [];
    /// <summary>Currencies of a multi-currency org; empty for a single-currency org.</summary>
    public IReadOnlyList<CurrencyType> Currencies { get; init; } = [];
    /// <summary>
    /// When the data was taken (the export's date, or the time of the API read); the default
    /// point in time for offline scoring.
    /// </summary>
    public DateTimeOffset? ExtractedAt { get; init; }
}

/// <summary>The shared empty field bag.</summary>
public static class EmptyFields
{
    /// <summary>An empty, read-only field dictionary.</summary>
    public static IReadOnlyDictionary<string, string?> Instance { get; } =
        new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
}
