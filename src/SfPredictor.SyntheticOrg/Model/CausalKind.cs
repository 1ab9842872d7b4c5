namespace SfPredictor.SyntheticOrg.Model;

/// <summary>
/// The activity kinds the causal model knows (the truth's kinds), by the names of the product's six
/// default activity kinds; the product itself has one activity kind type, <c>SfPredictor.Features.Activities.ActivityKind</c>.
/// </summary>
internal enum CausalKind
{
    Call,
    Email,
    Meeting,
    Demo,
    Proposal,
    ExecutiveMeeting,
}

internal static class CausalKinds
{
    public const int Count = 6;

    /// <summary>Display names, indexed by <see cref="CausalKind"/>; also the truth file's column names.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["Call", "Email", "Meeting", "Demo", "Proposal", "Executive Meeting"];

    public static IReadOnlyList<CausalKind> All { get; } =
    [
        CausalKind.Call, CausalKind.Email, CausalKind.Meeting,
        CausalKind.Demo, CausalKind.Proposal, CausalKind.ExecutiveMeeting,
    ];

    public static string Name(this CausalKind kind) => Names[(int)kind];
}
