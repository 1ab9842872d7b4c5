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
public readonly record struct Activity
{
    /// <summary>18-character Id.</summary>
    public required string Id { get; init; }

    /// <summary>Task or Event.</summary>
    public ActivitySource Source { get; init; }

    /// <summary>The related record (Opportunity, Account, ...), if any.</summary>
    public string? WhatId { get; init; }

    /// <summary>The Account the activity rolls up to, if any.</summary>
    public string? AccountId { get; init; }

    /// <summary>Free-text subject.</summary>
    public string? Subject { get; init; }

    /// <summary>Type picklist value.</summary>
    public string? Type { get; init; }

    /// <summary>TaskSubtype or EventSubtype.</summary>
    public string? Subtype { get; init; }

    /// <summary>Custom fields, raw, by field API name.</summary>
    public IReadOnlyDictionary<string, string?> Custom { get; init; }

    /// <summary>When it was logged (UTC).</summary>
    public DateTimeOffset CreatedDate { get; init; }

    /// <summary>Last modification by anyone (UTC).</summary>
    public DateTimeOffset SystemModstamp { get; init; }

    /// <summary>When it happened (UTC); null for a Task still open.</summary>
    public DateTimeOffset? HappenedAt { get; init; }

    /// <summary>The end (UTC) of a Task's due date; null for an Event or a Task without one.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>The last moment (UTC) of a date.</summary>
    public static DateTimeOffset EndOfDay(DateOnly date) => new(date.ToDateTime(TimeOnly.MaxValue, DateTimeKind.Utc));
}
