using SfPredictor.Records;

namespace SfPredictor.Features.Activities;

/// <summary>
/// Maps Tasks and Events to activity kinds.
/// <para>
/// 1. The type kind: the first kind (in list order) naming the record's Type; failing that, its
///    TaskSubtype / EventSubtype. 2. Subject keywords refine it: the first kind in list order with a
///    keyword in the subject (whole words, case-insensitive) wins, provided the type kind is none, is
///    that kind, or is one of its <see cref="ActivityKind.KeywordChannels"/>. 3. Otherwise the type kind.
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
    private readonly uint[] _channels;

    /// <summary>Builds the mapper for the given kinds (at most 32), in precedence order.</summary>
    public ActivityKindMapper(IReadOnlyList<ActivityKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
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
                _typeKinds.TryAdd(type.Trim(), k);
            }

            foreach (var keyword in kind.SubjectKeywords)
            {
                var words = Words(keyword);
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

    /// <summary>The kind name of a Task, or null when no kind matches.</summary>
    public string? Map(SfTask task) => NameOf(IndexOf(task));

    /// <summary>The kind name of an Event, or null when no kind matches.</summary>
    public string? Map(SfEvent activity) => NameOf(IndexOf(activity));

    /// <summary>The kind index of a Task, or -1.</summary>
    public int IndexOf(SfTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Resolve(task.Type, task.TaskSubtype, task.Subject);
    }

    /// <summary>The kind index of an Event, or -1.</summary>
    public int IndexOf(SfEvent activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return Resolve(activity.Type, activity.EventSubtype, activity.Subject);
    }

    private string? NameOf(int kind) => kind < 0 ? null : Kinds[kind].Name;

    private int Resolve(string? type, string? subtype, string? subject)
    {
        var typeKind = TypeKind(type);
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
        value is not null && _typeKinds.TryGetValue(value.Trim(), out var kind) ? kind : -1;

    // Bit k set: a keyword of kind k occurs in the subject.
    private uint KeywordKinds(string? subject)
    {
        if (string.IsNullOrEmpty(subject) || _keywords.Count == 0)
        {
            return 0;
        }

        var text = subject.AsSpan();
        Span<Range> words = stackalloc Range[64];
        var count = Tokenize(text, words);

        uint matched = 0;
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
