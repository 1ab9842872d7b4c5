using System.ComponentModel.DataAnnotations;

namespace SfPredictor.Features.Activities;

/// <summary>
/// A kind of sales activity (Call, Demo, ...) and the rules that recognise it in Tasks and Events.
/// See <see cref="ActivityKindMapper"/> for how the rules combine.
/// </summary>
public sealed class ActivityKind
{
    /// <summary>Display name; also the feature-name stem (lower case, non-alphanumerics as '_').</summary>
    [Required]
    public string Name { get; set; } = "";

    /// <summary>
    /// Values of Task.Type / Event.Type, and then of TaskSubtype / EventSubtype, that mean this kind
    /// (case-insensitive, whole value).
    /// </summary>
    public IList<string> Types { get; set; } = new List<string>();

    /// <summary>Words or phrases in the subject that mean this kind (case-insensitive, whole words).</summary>
    public IList<string> SubjectKeywords { get; set; } = new List<string>();

    /// <summary>
    /// Kinds (by name) whose activities a subject keyword may turn into this kind, besides activities of
    /// no kind and of this kind. Empty: any activity. E.g. "demo" in the subject of an Email is a
    /// follow-up, not a Demo, so Demo lists only Meeting and Call.
    /// </summary>
    public IList<string> KeywordChannels { get; set; } = new List<string>();

    /// <summary>
    /// The default kinds, most specific first: Executive Meeting, Demo, Proposal, Meeting, Call, Email.
    /// A new list on every call, so callers may change it.
    /// </summary>
    public static IReadOnlyList<ActivityKind> Defaults =>
    [
        new()
        {
            Name = "Executive Meeting",
            Types = ["Executive Meeting", "Executive Briefing"],
            SubjectKeywords =
            [
                "executive", "executives", "exec", "execs", "sponsor", "c-level", "c-suite", "board",
                "ceo", "cfo", "cio", "cto", "coo", "cro", "cmo", "cso", "cpo", "vp", "svp", "evp",
                "vice president", "president",
            ],
            KeywordChannels = ["Meeting", "Call", "Demo"],
        },
        new()
        {
            Name = "Demo",
            Types = ["Demo", "Demonstration"],
            SubjectKeywords = ["demo", "demos", "demonstration", "walkthrough", "walk-through"],
            KeywordChannels = ["Meeting", "Call"],
        },
        new()
        {
            Name = "Proposal",
            Types = ["Proposal", "Quote"],
            SubjectKeywords = ["proposal", "proposals", "quote", "quotes", "quotation", "pricing"],
        },
        new()
        {
            Name = "Meeting",
            Types = ["Meeting", "Event", "Visit"],
            SubjectKeywords = ["meeting", "meet", "visit", "onsite", "on-site", "workshop"],
            KeywordChannels = ["Meeting"],
        },
        new()
        {
            Name = "Call",
            Types = ["Call"],
            SubjectKeywords = ["call", "phone", "rang"],
            KeywordChannels = ["Call"],
        },
        new()
        {
            Name = "Email",
            Types = ["Email", "ListEmail"],
            SubjectKeywords = ["email", "e-mail", "mail"],
            KeywordChannels = ["Email"],
        },
    ];
}
