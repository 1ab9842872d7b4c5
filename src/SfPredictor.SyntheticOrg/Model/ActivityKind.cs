namespace SfPredictor.SyntheticOrg.Model;

/// <summary>The activity kinds the causal model knows; the product's default kinds by the same names.</summary>
internal enum ActivityKind
{
    Call,
    Email,
    Meeting,
    Demo,
    Proposal,
    ExecutiveMeeting,
}

internal static class ActivityKinds
{
    public const int Count = 6;

    /// <summary>Display names, indexed by <see cref="ActivityKind"/>; also the truth file's column names.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["Call", "Email", "Meeting", "Demo", "Proposal", "Executive Meeting"];

    public static IReadOnlyList<ActivityKind> All { get; } =
    [
        ActivityKind.Call, ActivityKind.Email, ActivityKind.Meeting,
        ActivityKind.Demo, ActivityKind.Proposal, ActivityKind.ExecutiveMeeting,
    ];

    public static string Name(this ActivityKind kind) => Names[(int)kind];
}
