using System.Globalization;
using SfPredictor.SyntheticOrg.Model;

namespace SfPredictor.SyntheticOrg.Simulation;

/// <summary>
/// One way an org logs an activity: Task or Event, its Type and subtype, and the subjects people type.
/// Each subject template has its variants (one per contact name or quote version).
/// </summary>
internal sealed record ActivityForm(bool IsEvent, string? Type, string? Subtype, IReadOnlyList<string[]> Subjects, double Weight)
{
    /// <summary>The subject templates, before "{n}" and "{v}" were expanded (one per entry of <see cref="Subjects"/>).</summary>
    public IReadOnlyList<string> Templates { get; init; } = [];

    public string PickSubject(Rng rng)
    {
        var variants = rng.Pick(Subjects);
        return variants[rng.NextInt(variants.Length)];
    }
}

/// <summary>
/// The words of the generated org. Each kind is logged the way real orgs log it (Task Type and
/// TaskSubtype Call/Email, Events, free-text subjects); the subjects stay clear of other kinds'
/// keywords, so the product's default activity mapping recovers the kind that was done.
/// Subjects are expanded once, so records share their strings.
/// </summary>
internal static class Vocabulary
{
    public static IReadOnlyList<string> FirstNames { get; } =
    [
        "Maria", "James", "Priya", "Wei", "Fatima", "Lukas", "Sofia", "Daniel", "Aisha", "Tom",
        "Elena", "Marco", "Hannah", "Kenji", "Olivia", "Raj", "Chloe", "Ahmed", "Grace", "Noah",
    ];

    public static IReadOnlyList<string> LastNames { get; } =
    [
        "Garcia", "Smith", "Patel", "Chen", "Khan", "Muller", "Rossi", "Kim", "Okafor", "Brown",
        "Novak", "Silva", "Johnson", "Tanaka", "Dubois", "Nguyen", "Larsen", "Cohen", "Walsh", "Lopez",
    ];

    public static IReadOnlyList<string> AccountNameStems { get; } =
    [
        "Acme", "Blue Harbor", "Northwind", "Summit", "Vertex", "Redwood", "Ironclad", "Bright Path",
        "Silverline", "Oak & Ash", "Pioneer", "Helix", "Crescent", "Granite", "Lumen", "Evergreen",
        "Cobalt", "Harbor Point", "Nimbus", "Sterling", "Orchid", "Atlas", "Meridian", "Quantum",
    ];

    public static IReadOnlyList<string> AccountNameSuffixes { get; } =
    [
        "Inc", "Corp", "LLC", "Group", "Ltd", "GmbH", "Holdings", "Systems", "Labs", "Partners", "Logistics", "Health",
    ];

    public static IReadOnlyList<string> Products { get; } =
    [
        "Analytics Platform", "Data Connectors", "Security Add-on", "Enterprise License", "Pilot",
        "Expansion", "Premium Support", "Integration Services", "Seats Upgrade", "Reporting Module",
    ];

    private static readonly ActivityForm[][] ByKind =
    [
        // Call
        [
            Task("Call", "Call", 0.9,
                "Call", "Discovery call", "Follow up", "Left voicemail", "Check-in", "Call with {n}", "Intro call with {n}",
                "Quick call re: timeline", "Follow-up call", "Touch base", "Phone screen"),
            Task(null, "Task", 0.1, "Call {n} back", "Call re: next steps"),
        ],

        // Email
        [
            Task("Email", "Email", 1,
                "Email: Follow up", "Re: next steps", "Sent intro deck", "Email: Intro", "Fwd: security questionnaire",
                "Re: contract redlines", "Follow up", "Re: timeline", "Email: Checking in", "Re: demo recording", "Re: intro"),
        ],

        // Meeting
        [
            Event("Meeting", 0.8,
                "Meeting", "Intro meeting", "Weekly sync", "Onsite visit", "Lunch with {n}", "Discovery session",
                "Requirements workshop", "Stakeholder sync", "Meeting with {n}"),
            Task("Meeting", "Task", 0.2, "Meeting notes", "Met with {n}"),
        ],

        // Demo
        [
            Event("Demo", 0.5, "Product demo", "Demo", "Technical demo for ops", "Demo - reporting module", "Product walkthrough"),
            Event("Meeting", 0.5, "Product demo w/ IT team", "Live demo", "Demo: integrations", "Follow-up demo with {n}"),
        ],

        // Proposal
        [
            Task(null, "Task", 0.5, "Sent quote v{v}", "Proposal sent", "Send proposal", "Pricing proposal v{v}", "Revised quote"),
            Task("Email", "Email", 0.35, "Re: pricing", "Email: Proposal attached", "Re: quote v{v}"),
            Task("Other", "Task", 0.15, "Quote sent to procurement"),
        ],

        // Executive Meeting
        [
            Event("Meeting", 0.85,
                "Exec sponsor meeting with CFO", "Executive briefing", "Exec alignment", "Meeting with CIO",
                "CFO sign-off review", "Sponsor check-in with COO", "Executive business review"),
            Event("Executive Briefing", 0.15, "Briefing with leadership"),
        ],
    ];

    /// <summary>Completed to-dos of no activity kind.</summary>
    public static ActivityForm Chores { get; } = Task(null, "Task", 1,
        "Update opportunity", "Internal forecast review", "Send contract to legal", "Prep notes",
        "Add stakeholders to CRM", "Research account", "Update close plan");

    /// <summary>Open tasks that were planned and never done.</summary>
    public static IReadOnlyList<ActivityForm> Reminders { get; } =
    [
        Task("Call", "Call", 0.5, "Follow up", "Call {n}"),
        Task("Email", "Email", 0.3, "Send follow-up", "Email: Follow up"),
        Task(null, "Task", 0.2, "Call {n} back"),
    ];

    /// <summary>What happens after a deal is won: onboarding, logged on the closed Opportunity.</summary>
    public static IReadOnlyList<ActivityForm> AfterWin { get; } =
    [
        Event("Meeting", 0.6, "Kickoff meeting", "Onboarding kickoff"),
        Task("Email", "Email", 0.4, "Welcome aboard", "Email: Onboarding next steps"),
    ];

    /// <summary>What happens after a deal is lost.</summary>
    public static IReadOnlyList<ActivityForm> AfterLoss { get; } =
    [
        Task("Email", "Email", 0.7, "Closed lost follow up", "Re: decision"),
        Task("Call", "Call", 0.3, "Loss review"),
    ];

    /// <summary>Account-level customer care, tied to no deal.</summary>
    public static ActivityForm BusinessReview { get; } = Event("Meeting", 1, "Quarterly business review", "Account check-in");

    /// <summary>Account-level marketing email, tied to no deal.</summary>
    public static ActivityForm Newsletter { get; } =
        Task(null, "ListEmail", 1, "Newsletter: product updates", "Webinar invitation", "Customer newsletter");

    public static IReadOnlyList<ActivityForm> Forms(CausalKind kind) => ByKind[(int)kind];

    /// <summary>
    /// Every form with the kind it logs (null: none) and a stable name ("Call/0", "Chores", ...), which
    /// the other languages' subjects are keyed by (<see cref="OrgLanguage"/>).
    /// </summary>
    public static IReadOnlyList<(string Name, ActivityForm Form, CausalKind? Kind)> AllForms { get; } =
    [
        .. CausalKinds.All.SelectMany(k => ByKind[(int)k].Select((f, i) => ($"{k}/{i}", f, (CausalKind?)k))),
        ("Chores", Chores, null),
        ("Reminders/0", Reminders[0], CausalKind.Call),
        ("Reminders/1", Reminders[1], CausalKind.Email),
        ("Reminders/2", Reminders[2], CausalKind.Call),
        ("AfterWin/0", AfterWin[0], CausalKind.Meeting),
        ("AfterWin/1", AfterWin[1], CausalKind.Email),
        ("AfterLoss/0", AfterLoss[0], CausalKind.Email),
        ("AfterLoss/1", AfterLoss[1], CausalKind.Call),
        ("BusinessReview", BusinessReview, CausalKind.Meeting),
        ("Newsletter", Newsletter, CausalKind.Email),
    ];

    private static ActivityForm Task(string? type, string subtype, double weight, params string[] subjects) =>
        new(false, type, subtype, Expand(subjects), weight) { Templates = subjects };

    private static ActivityForm Event(string type, double weight, params string[] subjects) =>
        new(true, type, "Event", Expand(subjects), weight) { Templates = subjects };

    /// <summary>Picks a form by weight.</summary>
    public static ActivityForm PickForm(IReadOnlyList<ActivityForm> forms, Rng rng)
    {
        Span<double> weights = stackalloc double[forms.Count];
        for (var i = 0; i < forms.Count; i++)
        {
            weights[i] = forms[i].Weight;
        }

        return forms[rng.PickWeighted(weights)];
    }

    // "{n}" becomes each first name and "{v}" each quote version, once, so picking a subject allocates nothing.
    public static string[][] Expand(IReadOnlyList<string> templates) =>
    [
        .. templates.Select(template =>
            template.Contains("{n}", StringComparison.Ordinal)
                ? FirstNames.Select(n => template.Replace("{n}", n, StringComparison.Ordinal)).ToArray()
                : template.Contains("{v}", StringComparison.Ordinal)
                    ? Enumerable.Range(2, 4).Select(v => template.Replace("{v}", v.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToArray()
                    : [template]),
    ];
}
