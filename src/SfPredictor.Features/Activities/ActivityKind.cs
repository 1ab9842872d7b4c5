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
    /// Values that mean this kind (case- and accent-insensitive, whole value), looked up in the org's own
    /// activity type fields (<see cref="FeatureOptions.ActivityTypeFields"/>), then in Task.Type / Event.Type,
    /// then in TaskSubtype / EventSubtype.
    /// </summary>
    public IList<string> Types { get; set; } = new List<string>();

    /// <summary>Words or phrases in the subject that mean this kind (case- and accent-insensitive, whole words).</summary>
    public IList<string> SubjectKeywords { get; set; } = new List<string>();

    /// <summary>
    /// Regular expressions (.NET syntax) that mean this kind when they match the subject; matched
    /// case-insensitively against the subject with accents removed (write <c>reunion</c>, not <c>reunión</c>).
    /// They count like keywords. E.g. <c>^(visita|visit) (a|to) (obra|site)</c>.
    /// </summary>
    public IList<string> SubjectPatterns { get; set; } = new List<string>();

    /// <summary>
    /// Kinds (by name) whose activities a subject keyword may turn into this kind, besides activities of
    /// no kind and of this kind. Empty: any activity. E.g. "demo" in the subject of an Email is a
    /// follow-up, not a Demo, so Demo lists only Meeting and Call.
    /// </summary>
    public IList<string> KeywordChannels { get; set; } = new List<string>();

    /// <summary>
    /// The default kinds, most specific first: Executive Meeting, Demo, Proposal, Meeting, Call, Email,
    /// with the built-in words of every language of <see cref="ActivityVocabulary"/>.
    /// A new list on every call, so callers may change it.
    /// </summary>
    public static IReadOnlyList<ActivityKind> Defaults => ActivityVocabulary.DefaultKinds();

    internal ActivityKind Copy() => new()
    {
        Name = Name.Trim(),
        Types = [.. Types],
        SubjectKeywords = [.. SubjectKeywords],
        SubjectPatterns = [.. SubjectPatterns],
        KeywordChannels = [.. KeywordChannels],
    };
}
