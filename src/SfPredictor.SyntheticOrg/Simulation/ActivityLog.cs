using SfPredictor.Records;

namespace SfPredictor.SyntheticOrg.Simulation;

/// <summary>
/// Turns activities into Task and Event records the way people log them: completed ones (some logged
/// after the fact, some scheduled in advance), planned ones due after the as-of date, and open
/// reminders nobody did. Every timestamp except a planned due date or start stays before the as-of date.
/// </summary>
internal sealed class ActivityLog(long owner, DateTimeOffset asOf, int expected)
{
    // Ids are (owner << IdBits) + a running number, so one log's Ids never collide with another's.
    private const int IdBits = 10;

    private int _nextTask;
    private int _nextEvent;

    // Most activities are tasks; sizing the lists up front spares a few copies per deal.
    public List<SfTask> Tasks { get; } = new(expected);
    public List<SfEvent> Events { get; } = new(expected / 3);

    /// <summary>Logs an activity that was done at <paramref name="time"/> (before the as-of date).</summary>
    public void Done(Rng rng, ActivityForm form, DateTimeOffset time, string whatId, string accountId, string ownerId, DateTimeOffset earliest)
    {
        var subject = form.PickSubject(rng);
        if (form.IsEvent)
        {
            var end = time.AddMinutes(rng.Pick(DurationsInMinutes));
            end = end <= asOf ? end : asOf;
            var created = Latest(earliest, time.AddHours(-rng.Uniform(12, 240)));
            Events.Add(Event(form, subject, whatId, accountId, ownerId, time, end, Clock.Seconds(created), BeforeAsOf(end.AddHours(rng.Uniform(0, 24)))));
            return;
        }

        // Emails are logged as they are sent; other tasks are often put in the calendar first.
        var completed = BeforeAsOf(time.AddMinutes(rng.Uniform(0, 180)));
        var scheduled = form.Subtype != "Email" && rng.Chance(0.3);
        var createdAt = scheduled ? Clock.Seconds(Latest(earliest, time.AddDays(-rng.Uniform(1, 7)))) : completed;
        Tasks.Add(new SfTask
        {
            Id = IdFactory.Create(IdFactory.Task, NextId(ref _nextTask)),
            WhatId = whatId,
            AccountId = accountId,
            OwnerId = ownerId,
            Subject = subject,
            Type = form.Type,
            TaskSubtype = form.Subtype,
            Status = "Completed",
            IsClosed = true,
            ActivityDate = Clock.Date(time),
            CompletedDateTime = completed,
            CreatedDate = createdAt,
            SystemModstamp = completed,
        });
    }

    /// <summary>Logs an activity planned for <paramref name="time"/> (on or after the as-of date), created shortly before the as-of date.</summary>
    public void Planned(Rng rng, ActivityForm form, DateTimeOffset time, string whatId, string accountId, string ownerId, DateTimeOffset earliest)
    {
        var subject = form.PickSubject(rng);
        var created = Clock.WorkTimeBetween(rng, Latest(earliest, asOf.AddDays(-10)), asOf);
        if (form.IsEvent)
        {
            Events.Add(Event(form, subject, whatId, accountId, ownerId, time, time.AddMinutes(rng.Pick(DurationsInMinutes)), created, created));
            return;
        }

        Tasks.Add(OpenTask(form, subject, whatId, accountId, ownerId, Clock.Date(time), "Not Started", created));
    }

    /// <summary>Logs a task that was due at <paramref name="due"/> (before the as-of date) and never done.</summary>
    public void Forgotten(Rng rng, ActivityForm form, DateTimeOffset due, string whatId, string accountId, string ownerId, DateTimeOffset earliest)
    {
        var created = Clock.Seconds(Latest(earliest, due.AddDays(-rng.Uniform(1, 10))));
        var status = rng.Chance(0.7) ? "Not Started" : "In Progress";
        Tasks.Add(OpenTask(form, form.PickSubject(rng), whatId, accountId, ownerId, Clock.Date(due), status, created));
    }

    private static readonly int[] DurationsInMinutes = [30, 45, 60, 60, 90];

    private SfEvent Event(
        ActivityForm form, string subject, string whatId, string accountId, string ownerId,
        DateTimeOffset start, DateTimeOffset end, DateTimeOffset created, DateTimeOffset modstamp) => new()
        {
            Id = IdFactory.Create(IdFactory.Event, NextId(ref _nextEvent)),
            WhatId = whatId,
            AccountId = accountId,
            OwnerId = ownerId,
            Subject = subject,
            Type = form.Type,
            EventSubtype = form.Subtype,
            StartDateTime = start,
            EndDateTime = end,
            CreatedDate = created,
            SystemModstamp = modstamp < created ? created : modstamp,
        };

    private SfTask OpenTask(
        ActivityForm form, string subject, string whatId, string accountId, string ownerId, DateOnly due, string status, DateTimeOffset created) => new()
        {
            Id = IdFactory.Create(IdFactory.Task, NextId(ref _nextTask)),
            WhatId = whatId,
            AccountId = accountId,
            OwnerId = ownerId,
            Subject = subject,
            Type = form.Type,
            TaskSubtype = form.Subtype,
            Status = status,
            IsClosed = false,
            ActivityDate = due,
            CreatedDate = created,
            SystemModstamp = created,
        };

    private long NextId(ref int counter)
    {
        if (counter >= 1 << IdBits)
        {
            throw new InvalidOperationException($"More than {1 << IdBits} activities of one kind of record for one owner; the generator caps plans below that.");
        }

        return (owner << IdBits) + counter++;
    }

    private DateTimeOffset BeforeAsOf(DateTimeOffset time) => Clock.Seconds(time < asOf ? time : asOf.AddSeconds(-1));

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
