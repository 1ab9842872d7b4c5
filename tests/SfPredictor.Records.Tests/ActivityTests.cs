namespace SfPredictor.Records.Tests;

public sealed class ActivityTests
{
    private static readonly DateTimeOffset Logged = new(2024, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static SfTask Task(bool closed, DateOnly? activityDate = null, DateTimeOffset? completed = null) => new()
    {
        Id = "00T5g00000AbCdEAAA", WhatId = "0065g00000AbCdEAAV", Subject = "Call", Type = "Call", TaskSubtype = "Call",
        IsClosed = closed, ActivityDate = activityDate, CompletedDateTime = completed, CreatedDate = Logged, SystemModstamp = Logged.AddHours(1),
    };

    [Fact]
    public void TaskAsActivity_Completed_HappenedAtItsCompletionElseTheEndOfItsDateElseWhenLogged()
    {
        var completed = new DateTimeOffset(2024, 3, 4, 15, 30, 0, TimeSpan.Zero);
        var endOfMarch5 = new DateTimeOffset(2024, 3, 5, 23, 59, 59, TimeSpan.Zero).AddTicks(TimeSpan.TicksPerSecond - 1);

        Assert.Equal(completed, Task(closed: true, new DateOnly(2024, 3, 5), completed).AsActivity().HappenedAt);
        Assert.Equal(endOfMarch5, Task(closed: true, new DateOnly(2024, 3, 5)).AsActivity().HappenedAt);
        Assert.Equal(Logged, Task(closed: true).AsActivity().HappenedAt);
    }

    [Fact]
    public void TaskAsActivity_StillOpen_NeverHappenedButIsDueAtTheEndOfItsDate()
    {
        var activity = Task(closed: false, new DateOnly(2024, 3, 5), new DateTimeOffset(2024, 3, 4, 0, 0, 0, TimeSpan.Zero)).AsActivity();

        Assert.Null(activity.HappenedAt);
        Assert.Equal(Activity.EndOfDay(new DateOnly(2024, 3, 5)), activity.DueAt);
        Assert.Equal((ActivitySource.Task, "Call", "0065g00000AbCdEAAV"), (activity.Source, activity.Subtype, activity.WhatId));
    }

    [Fact]
    public void EventAsActivity_HappenedAtItsStartWithNoDueDate()
    {
        var start = new DateTimeOffset(2024, 3, 6, 14, 0, 0, TimeSpan.Zero);
        var activity = new SfEvent { Id = "00U5g00000AbCdEAAA", Type = "Meeting", EventSubtype = "Event", StartDateTime = start, CreatedDate = Logged }.AsActivity();

        Assert.Equal((ActivitySource.Event, start, null, "Event"), (activity.Source, activity.HappenedAt, activity.DueAt, activity.Subtype));
    }

    [Fact]
    public void OrgDataActivities_EveryTaskThenEveryEvent()
    {
        var data = new OrgData
        {
            Tasks = [Task(closed: true), Task(closed: false) with { Id = "00T5g00000AbCdFAAA" }],
            Events = [new SfEvent { Id = "00U5g00000AbCdEAAA" }],
        };

        Assert.Equal(["00T5g00000AbCdEAAA", "00T5g00000AbCdFAAA", "00U5g00000AbCdEAAA"], data.Activities().Select(a => a.Id));
    }

    [Theory]
    [InlineData("0065g00000AbCdEAAA", "0015g00000AbCdEAAA", "0065g00000AbCdEAAA", null)]
    [InlineData("0015g00000AbCdEAAA", null, null, "0015g00000AbCdEAAA")]
    [InlineData(null, "0015g00000AbCdFAAA", null, "0015g00000AbCdFAAA")]
    [InlineData("8005g00000AbCdEAAA", "0015g00000AbCdEAAA", null, null)]
    [InlineData(null, null, null, null)]
    public void LinkOf_TheOpportunityItIsOnElseTheAccountItIsOnOrRollsUpTo(string? whatId, string? accountId, string? opportunity, string? account)
    {
        Assert.Equal((opportunity, account), Activity.LinkOf(whatId, accountId));
    }
}
