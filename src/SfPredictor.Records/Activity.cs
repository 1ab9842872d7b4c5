namespace SfPredictor.Records;

/// <summary>The object an <see cref="Activity"/> was read from.</summary>
public enum ActivitySource
{
    /// <summary>A Task (call, email, to-do).</summary>
    Task,

    /// <summary>An Event (meeting, demo, visit).</summary>
    Event,
}

/// <summary>
/// A Task or an Event in the one shape everything after reading uses: what it relates to, what it says, and when it
/// was logged, due and done. Tasks and Events stay their own records where they are read and written (their columns
/// differ); <see cref="SfTask.AsActivity"/>, <see cref="SfEvent.AsActivity"/> and <see cref="OrgData.Activities"/>
/// give this view.
/// </summary>
/// <remarks>
/// When it happened: a completed Task at its CompletedDateTime, else at the end (UTC) of its ActivityDate, else at its
/// CreatedDate; a Task still open never (null); an Event at its StartDateTime.
/// </remarks>
/// <param name="Id">18-character Id.</param>
/// <param name="Source">Task or Event.</param>
/// <param name="WhatId">The related record (Opportunity, Account, ...), if any.</param>
/// <param name="AccountId">The Account the activity rolls up to, if any.</param>
/// <param name="Subject">Free-text subject.</param>
/// <param name="Type">Type picklist value.</param>
/// <param name="Subtype">TaskSubtype or EventSubtype.</param>
/// <param name="Custom">Custom fields, raw, by field API name.</param>
/// <param name="CreatedDate">When it was logged (UTC).</param>
/// <param name="SystemModstamp">Last modification by anyone (UTC).</param>
/// <param name="HappenedAt">When it happened (UTC); null for a Task still open.</param>
/// <param name="DueAt">The end (UTC) of a Task's due date; null for an Event or a Task without one.</param>
public readonly record struct Activity(
    string Id,
    ActivitySource Source,
    string? WhatId,
    string? AccountId,
    string? Subject,
    string? Type,
    string? Subtype,
    IReadOnlyDictionary<string, string?> Custom,
    DateTimeOffset CreatedDate,
    DateTimeOffset SystemModstamp,
    DateTimeOffset? HappenedAt,
    DateTimeOffset? DueAt)
{
    private const string OpportunityPrefix = "006";
    private const string AccountPrefix = "001";

    /// <summary>What a change to this activity counts for (see <see cref="LinkOf"/>).</summary>
    public (string? Opportunity, string? Account) Link => LinkOf(WhatId, AccountId);

    /// <summary>The last moment (UTC) of a date.</summary>
    public static DateTimeOffset EndOfDay(DateOnly date) => new(date.ToDateTime(TimeOnly.MaxValue, DateTimeKind.Utc));

    /// <summary>
    /// What a change to an activity counts for: the Opportunity it is on; else the Account it is on or rolls up to
    /// (standing for that Account's open Opportunities, as in the features); else nothing.
    /// </summary>
    /// <param name="whatId">The activity's WhatId.</param>
    /// <param name="accountId">The activity's AccountId.</param>
    public static (string? Opportunity, string? Account) LinkOf(string? whatId, string? accountId) =>
        whatId?.StartsWith(OpportunityPrefix, StringComparison.Ordinal) == true ? (whatId, null)
        : (whatId ?? accountId) is { } account && account.StartsWith(AccountPrefix, StringComparison.Ordinal) ? (null, account)
        : (null, null);
}
