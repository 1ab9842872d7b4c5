using System.Text.RegularExpressions;
using SfPredictor.Records;

namespace SfPredictor.Features.Activities;

/// <summary>
/// Maps Tasks and Events to activity kinds.
/// <para>
/// 1. The type kind: the first kind (in list order) naming the value of the org's own activity type
///    fields (in the order given), failing that its Type, failing that its TaskSubtype / EventSubtype.
/// 2. Subject keywords and patterns refine it: the first kind in list order with a keyword in the
///    subject (whole words) or a pattern matching it wins, provided the type kind is none, is that kind,
///    or is one of its <see cref="ActivityKind.KeywordChannels"/>. 3. Otherwise the type kind.
/// Every comparison ignores case and accents ("REUNIÓN" is "reunion").
/// </para>
/// <para>
/// So the list order is the precedence, and the defaults put the most specific kinds first: an
/// "Exec demo" meeting is an Executive Meeting (executive engagement is the rarer, stronger signal and a
/// demo to an executive is first of all an executive engagement), "Proposal walkthrough" is a Demo when
/// it is a meeting and a Proposal when it is an email, "Call about the demo" logged as a Call is a Demo.
/// </para>
/// Thread-safe after construction.
/// </summary>
public sealed class ActivityKindMapper
{
    private readonly Dictionary<string, int> _typeKinds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<(string[] Following, int Kind)>> _keywords = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<(string[] Following, int Kind)>>.AlternateLookup<ReadOnlySpan<char>> _keywordLookup;
    private readonly List<(Regex Pattern, int Kind)> _patterns = [];
    private readonly uint[] _channels;
    private readonly string[] _typeFields;

    // A pathological pattern must not stall scoring; past this a subject simply does not match it.
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>Builds the mapper for the given kinds (at most 32), in precedence order.</summary>
    /// <param name="kinds">The kinds, most specific first.</param>
    /// <param name="typeFields">The org's own activity type fields (custom fields of Task and Event), looked up before Type.</param>
    /// <exception cref="ArgumentException">Too many kinds, an unknown keyword channel, or a subject pattern that does not compile.</exception>
    public ActivityKindMapper(IReadOnlyList<ActivityKind> kinds, IReadOnlyList<string>? typeFields = null)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        _typeFields = [.. (typeFields ?? []).Select(f => f.Trim())];
        if (kinds.Count > 32)
        {
            throw new ArgumentException($"At most 32 activity kinds are supported (got {kinds.Count}).", nameof(kinds));
        }

        Kinds = kinds;
        _channels = new uint[kinds.Count];
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var k = 0; k < kinds.Count; k++)
        {
            byName.TryAdd(kinds[k].Name, k);
        }

        for (var k = 0; k < kinds.Count; k++)
        {
            var kind = kinds[k];
            foreach (var type in kind.Types)
            {
                _typeKinds.TryAdd(ActivityText.Fold(type.Trim()), k);
            }

            foreach (var pattern in kind.SubjectPatterns)
            {
                _patterns.Add((CompilePattern(pattern, kind.Name), k));
            }

            foreach (var keyword in kind.SubjectKeywords)
            {
                var words = Words(ActivityText.Fold(keyword));
                if (words.Length == 0)
                {
                    continue;
                }

                if (!_keywords.TryGetValue(words[0], out var list))
                {
                    _keywords[words[0]] = list = [];
                }

                list.Add((words[1..], k));
            }

            if (kind.KeywordChannels.Count == 0)
            {
                _channels[k] = uint.MaxValue;
                continue;
            }

            _channels[k] = 1u << k;
            foreach (var channel in kind.KeywordChannels)
            {
                _channels[k] |= byName.TryGetValue(channel, out var c)
                    ? 1u << c
                    : throw new ArgumentException($"Activity kind '{kind.Name}' names an unknown keyword channel '{channel}'.", nameof(kinds));
            }
        }

        _keywordLookup = _keywords.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The kinds, in precedence order; a kind's index is its position here.</summary>
    public IReadOnlyList<ActivityKind> Kinds { get; }

    /// <summary>The org's own activity type fields, looked up before Type.</summary>
    public IReadOnlyList<string> TypeFields => _typeFields;

    /// <summary>Compiles a subject pattern as the mapper uses it.</summary>
    /// <exception cref="ArgumentException">The pattern does not compile; the message names the kind and the pattern.</exception>
    public static Regex CompilePattern(string pattern, string kindName)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        try
        {
            return new Regex(
                ActivityText.Fold(pattern, lowerCase: false),
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
                PatternTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Activity kind '{kindName}': the subject pattern '{pattern}' is not a valid regular expression: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks that every configured activity type field is on the org's Tasks or Events (the source read
    /// it), so a misspelt field stops with its setting named instead of silently recognising nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A field is on no Task and no Event although there are some.</exception>
    public static void VerifyTypeFields(OrgData data, IReadOnlyList<string> typeFields)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(typeFields);
        if (typeFields.Count == 0 || (data.Tasks.Count == 0 && data.Events.Count == 0))
        {
            return;
        }

        for (var i = 0; i < typeFields.Count; i++)
        {
            var field = typeFields[i];
            if (!data.Activities().Any(a => a.Custom.ContainsKey(field)))
            {
                throw new ArgumentException(
                    $"{FeatureOptions.SectionName}:ActivityTypeFields:{i} '{field}' is on no Task or Event of the data; check the field's API name " +
                    "(a custom Activity field, e.g. Activity_Type__c) and that the export or the integration user can read it.");
            }
        }
    }

    /// <summary>The kind name of a Task or Event, or null when no kind matches.</summary>
    public string? Map(Activity activity) => NameOf(IndexOf(activity));

    /// <summary>The kind index of a Task or Event, or -1.</summary>
    public int IndexOf(Activity activity) => Resolve(activity.Custom, activity.Type, activity.Subtype, activity.Subject);

    private string? NameOf(int kind) => kind < 0 ? null : Kinds[kind].Name;

    private int Resolve(IReadOnlyDictionary<string, string?> custom, string? type, string? subtype, string? subject)
    {
        var typeKind = -1;
        foreach (var field in _typeFields)
        {
            if (typeKind < 0 && custom.TryGetValue(field, out var value))
            {
                typeKind = FieldKind(value);
            }
        }

        if (typeKind < 0)
        {
            typeKind = TypeKind(type);
        }

        if (typeKind < 0)
        {
            typeKind = TypeKind(subtype);
        }

        var matched = KeywordKinds(subject);
        for (var k = 0; matched != 0; k++, matched >>= 1)
        {
            if ((matched & 1) != 0 && (typeKind < 0 || (_channels[k] & (1u << typeKind)) != 0))
            {
                return k;
            }
        }

        return typeKind;
    }

    private int TypeKind(string? value) =>
        !string.IsNullOrWhiteSpace(value) && _typeKinds.TryGetValue(ActivityText.Fold(value.Trim(), lowerCase: false), out var kind) ? kind : -1;

    // A multi-select picklist holds "A;B": the first value that names a kind.
    private int FieldKind(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return -1;
        }

        var kind = TypeKind(value);
        if (kind >= 0 || !value.Contains(';', StringComparison.Ordinal))
        {
            return kind;
        }

        foreach (var part in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (TypeKind(part) is var k and >= 0)
            {
                return k;
            }
        }

        return -1;
    }

    // Bit k set: a keyword of kind k occurs in the subject.
    private uint KeywordKinds(string? subject)
    {
        if (string.IsNullOrEmpty(subject) || (_keywords.Count == 0 && _patterns.Count == 0))
        {
            return 0;
        }

        // Accents go; case is left to the case-insensitive lookups, so a plain ASCII subject is not copied.
        var folded = ActivityText.Fold(subject, lowerCase: false);
        uint matched = 0;
        foreach (var (pattern, kind) in _patterns)
        {
            try
            {
                if (pattern.IsMatch(folded))
                {
                    matched |= 1u << kind;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // Treated as no match: the subject is not this kind by this pattern.
            }
        }

        var text = folded.AsSpan();
        Span<Range> words = stackalloc Range[64];
        var count = Tokenize(text, words);
        for (var w = 0; w < count; w++)
        {
            if (!_keywordLookup.TryGetValue(text[words[w]], out var candidates))
            {
                continue;
            }

            foreach (var (following, kind) in candidates)
            {
                if (PhraseFollows(text, words[(w + 1)..count], following))
                {
                    matched |= 1u << kind;
                }
            }
        }

        return matched;
    }

    private static bool PhraseFollows(ReadOnlySpan<char> text, ReadOnlySpan<Range> following, string[] rest)
    {
        if (following.Length < rest.Length)
        {
            return false;
        }

        for (var i = 0; i < rest.Length; i++)
        {
            if (!text[following[i]].Equals(rest[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static string[] Words(string phrase)
    {
        Span<Range> words = stackalloc Range[16];
        var count = Tokenize(phrase, words);
        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = phrase[words[i]];
        }

        return result;
    }

    // Words are runs of letters and digits; everything else separates them ("C-level" is "C", "level").
    private static int Tokenize(ReadOnlySpan<char> text, Span<Range> words)
    {
        var count = 0;
        var start = -1;
        for (var i = 0; i <= text.Length && count < words.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words[count++] = start..i;
                start = -1;
            }
        }

        return count;
    }
}
