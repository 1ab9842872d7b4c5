using SfPredictor.Features.Activities;
using SfPredictor.Records;

namespace SfPredictor.Features.Tests.Activities;

public class ActivityKindMapperTests
{
    private static readonly ActivityKindMapper Defaults = new(ActivityKind.Defaults);

    private static Activity Task(string? type = null, string? subject = null, string? subtype = null) =>
        new SfTask { Id = "00T000000000001AAA", Type = type, Subject = subject, TaskSubtype = subtype }.AsActivity();

    private static Activity Event(string? type = null, string? subject = null, string? subtype = "Event") =>
        new SfEvent { Id = "00U000000000001AAA", Type = type, Subject = subject, EventSubtype = subtype }.AsActivity();

    [Theory]
    [InlineData("Call", null, null, "Call")]
    [InlineData("call", null, null, "Call")]
    [InlineData("Email", null, null, "Email")]
    [InlineData(null, null, "Email", "Email")]
    [InlineData(null, null, "ListEmail", "Email")]
    [InlineData(null, null, "Call", "Call")]
    [InlineData("Meeting", null, null, "Meeting")]
    [InlineData("Demo", null, null, "Demo")]
    [InlineData("Quote", null, null, "Proposal")]
    [InlineData(null, null, "Task", null)]
    [InlineData(null, null, "LinkedIn", null)]
    [InlineData("Other", "Update CRM", null, null)]
    public void Map_TaskTypeAndSubtype_GivesKind(string? type, string? subject, string? subtype, string? expected) =>
        Assert.Equal(expected, Defaults.Map(Task(type, subject, subtype)));

    [Theory]
    [InlineData("Call", "Call with the CFO", "Executive Meeting")]
    [InlineData("Meeting", "Exec demo", "Executive Meeting")]
    [InlineData("Demo", "Exec demo", "Executive Meeting")]
    [InlineData("Meeting", "Meet the VP of Sales", "Executive Meeting")]
    [InlineData("Meeting", "Vice President alignment", "Executive Meeting")]
    [InlineData("Meeting", "C-level sponsor check-in", "Executive Meeting")]
    [InlineData("Meeting", "Product demo", "Demo")]
    [InlineData("Call", "Call about the demo", "Demo")]
    [InlineData("Email", "Demo follow-up", "Email")]
    [InlineData("Email", "Proposal v2 attached", "Proposal")]
    [InlineData("Email", "Updated quote", "Proposal")]
    [InlineData("Email", "Note to the CEO", "Email")]
    [InlineData("Call", "Pricing walkthrough", "Demo")]
    [InlineData("Email", "Pricing walkthrough", "Proposal")]
    [InlineData(null, "Demo for the team", "Demo")]
    [InlineData(null, "Phone call", "Call")]
    [InlineData(null, "Sent e-mail", "Email")]
    [InlineData(null, "Demolition of the old office", null)]
    [InlineData(null, "Executed the NDA", null)]
    [InlineData("Email", "Meeting notes", "Email")]
    public void Map_SubjectKeywords_RefineTheTypeKind(string? type, string subject, string? expected) =>
        Assert.Equal(expected, Defaults.Map(Task(type, subject)));

    [Theory]
    [InlineData(null, "Quarterly review", "Meeting")]
    [InlineData("Call", "Weekly sync", "Call")]
    [InlineData(null, "Demo day", "Demo")]
    [InlineData(null, "Board presentation", "Executive Meeting")]
    [InlineData(null, "Proposal review", "Proposal")]
    public void Map_Event_UsesSubtypeAsMeetingAndKeywords(string? type, string subject, string expected) =>
        Assert.Equal(expected, Defaults.Map(Event(type, subject)));

    [Fact]
    public void Map_EventWithoutSubtypeOrType_IsNoKind() =>
        Assert.Null(Defaults.Map(Event(type: null, subject: "Lunch", subtype: null)));

    [Fact]
    public void Map_ConfiguredKinds_ReplaceTheDefaults()
    {
        var mapper = new ActivityKindMapper(
        [
            new ActivityKind { Name = "Site Visit", Types = ["Visit"], SubjectKeywords = ["onsite", "site visit"] },
            new ActivityKind { Name = "Touch", Types = ["Call", "Email"] },
        ]);

        Assert.Equal("Site Visit", mapper.Map(Task("Call", "Site visit planning")));
        Assert.Equal("Site Visit", mapper.Map(Event("Visit", "Lunch")));
        Assert.Equal("Touch", mapper.Map(Task("Email", "Hello")));
        Assert.Null(mapper.Map(Task("Meeting", "Demo")));
        Assert.Equal(1, mapper.IndexOf(Task("Call", "Checking in")));
    }

    [Fact]
    public void Constructor_UnknownKeywordChannel_NamesIt()
    {
        var e = Assert.Throws<ArgumentException>(() => new ActivityKindMapper(
            [new ActivityKind { Name = "Demo", SubjectKeywords = ["demo"], KeywordChannels = ["Meating"] }]));
        Assert.Contains("Meating", e.Message, StringComparison.Ordinal);
    }
}
