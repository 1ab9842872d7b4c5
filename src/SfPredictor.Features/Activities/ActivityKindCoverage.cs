using System.Globalization;
using System.Text;
using System.Text.Json;
using SfPredictor.Features.Indexing;
using SfPredictor.Records;

namespace SfPredictor.Features.Activities;

/// <summary>How many activities of one kind the org has.</summary>
/// <param name="Kind">The kind's name.</param>
/// <param name="Activities">Activities linked to an Opportunity that map to the kind.</param>
/// <param name="ClosedDeals">Closed Opportunities with at least one such activity: the examples a model learns the kind's effect from.</param>
public sealed record ActivityKindCount(string Kind, int Activities, int ClosedDeals);

/// <summary>A value or word and how often it occurs.</summary>
/// <param name="Value">The value ("(blank)" for none) or word.</param>
/// <param name="Count">How many unrecognised activities have it.</param>
public sealed record ValueCount(string Value, int Count);

/// <summary>
/// How well the activity kinds recognise an org's activities: per kind, the activities linked to an
/// Opportunity (WhatId or a Task/EventRelation) and the closed deals that have one; the share no kind
/// recognises; and, for those, the most frequent Type values and subject words. Only counts and single
/// words leave this class, never a whole subject (subjects hold personal data).
/// </summary>
public sealed class ActivityKindCoverage
{
    /// <summary>Above this unrecognised share, train, evaluate, recommend and the worker warn.</summary>
    public const double WarningShare = 0.2;

    /// <summary>The text that stands for a blank Type.</summary>
    public const string Blank = "(blank)";

    private ActivityKindCoverage(int linked, int unrecognised, IReadOnlyList<ActivityKindCount> kinds, IReadOnlyList<ValueCount> types, IReadOnlyList<ValueCount> words)
    {
        LinkedActivities = linked;
        Unrecognised = unrecognised;
        Kinds = kinds;
        UnrecognisedTypes = types;
        UnrecognisedWords = words;
    }

    /// <summary>Tasks and Events linked to an Opportunity.</summary>
    public int LinkedActivities { get; }

    /// <summary>Of those, the ones no kind recognises.</summary>
    public int Unrecognised { get; }

    /// <summary>Unrecognised share of the linked activities (0 when there are none).</summary>
    public double UnrecognisedShare => LinkedActivities == 0 ? 0 : (double)Unrecognised / LinkedActivities;

    /// <summary>Per kind, in the mapper's order.</summary>
    public IReadOnlyList<ActivityKindCount> Kinds { get; }

    /// <summary>The most frequent Type values (else subtype) of unrecognised activities, most frequent first.</summary>
    public IReadOnlyList<ValueCount> UnrecognisedTypes { get; }

    /// <summary>The most frequent subject words (folded, three letters or more, no digits) of unrecognised activities.</summary>
    public IReadOnlyList<ValueCount> UnrecognisedWords { get; }

    /// <summary>Whether the unrecognised share is above <see cref="WarningShare"/>.</summary>
    public bool NeedsWarning => LinkedActivities > 0 && UnrecognisedShare > WarningShare;

    /// <summary>
    /// One line for the console and logs when <see cref="NeedsWarning"/>, else <see langword="null"/>; when
    /// nothing at all is recognised it says that activities play no part in the scores.
    /// </summary>
    public string? Warning => !NeedsWarning ? null
        : Unrecognised == LinkedActivities
            ? string.Create(CultureInfo.InvariantCulture, $"WARNING: none of the {LinkedActivities:N0} activities linked to Opportunities is recognised as an activity kind: scores rest on stages, amounts and dates alone, and no activity can be recommended. Run 'sfp activity-kinds' to see the org's Type values and subject words and get a mapping to paste into settings.")
            : string.Create(CultureInfo.InvariantCulture, $"WARNING: {UnrecognisedShare:P0} of the {LinkedActivities:N0} activities linked to Opportunities are recognised as no activity kind (more than {WarningShare:P0}); run 'sfp activity-kinds' to see their Type values and subject words and get a mapping to paste into settings.");

    /// <summary>The kinds with fewer than <paramref name="minDeals"/> closed deals to learn from.</summary>
    public IReadOnlyList<ActivityKindCount> TooFewExamples(int minDeals) => [.. Kinds.Where(k => k.ClosedDeals < minDeals)];

    /// <summary>Measures an org with the kinds of its index.</summary>
    /// <param name="data">The org's records, with its Tasks and Events (the index keeps only what the features read of them).</param>
    /// <param name="index">The org's index.</param>
    /// <param name="top">How many Type values and words to keep.</param>
    public static ActivityKindCoverage Measure(OrgData data, OrgIndex index, int top = 15)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(index);
        var mapper = index.Kinds;
        var related = new Dictionary<string, List<int>>(SalesforceId.Comparer);
        foreach (var relation in data.ActivityRelations)
        {
            if (index.TryGetIndex(relation.RelationId, out var o))
            {
                if (!related.TryGetValue(relation.ActivityId, out var list))
                {
                    related[relation.ActivityId] = list = [];
                }

                list.Add(o);
            }
        }

        var activities = new int[mapper.Kinds.Count];
        var deals = new HashSet<int>[mapper.Kinds.Count];
        for (var k = 0; k < deals.Length; k++)
        {
            deals[k] = [];
        }

        var types = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        var linked = 0;
        var unrecognised = 0;
        var opportunities = new List<int>();
        void Count(string id, string? whatId, int kind, string? type, string? subject)
        {
            opportunities.Clear();
            if (whatId is not null && index.TryGetIndex(whatId, out var direct))
            {
                opportunities.Add(direct);
            }

            if (related.TryGetValue(id, out var viaRelation))
            {
                opportunities.AddRange(viaRelation);
            }

            if (opportunities.Count == 0)
            {
                return;
            }

            linked++;
            if (kind >= 0)
            {
                activities[kind]++;
                foreach (var o in opportunities.Where(o => index.GetCloseTime(o) is not null))
                {
                    deals[kind].Add(o);
                }

                return;
            }

            unrecognised++;
            var typeValue = string.IsNullOrWhiteSpace(type) ? Blank : type.Trim();
            types[typeValue] = types.GetValueOrDefault(typeValue) + 1;
            foreach (var word in SubjectWords(subject))
            {
                words[word] = words.GetValueOrDefault(word) + 1;
            }
        }

        foreach (var activity in data.Activities())
        {
            Count(activity.Id, activity.WhatId, mapper.IndexOf(activity), TypeOf(mapper, activity.Custom, activity.Type, activity.Subtype), activity.Subject);
        }

        return new ActivityKindCoverage(
            linked,
            unrecognised,
            [.. mapper.Kinds.Select((k, i) => new ActivityKindCount(k.Name, activities[i], deals[i].Count))],
            Top(types, top),
            Top(words, top));
    }

    /// <summary>
    /// A settings snippet (appsettings.json) that maps the most frequent unrecognised Type values and
    /// subject words to kinds: each is to be moved under the right kind (an existing one such as "Call",
    /// or a new one), or deleted. Empty when everything is recognised.
    /// </summary>
    public string SuggestedSettings()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("SfPredictor");
            json.WriteStartObject("Features");
            json.WriteStartArray(nameof(FeatureOptions.AdditionalActivityKinds));
            var typeValues = UnrecognisedTypes.Where(t => t.Value != Blank).Take(5).ToList();
            var keywordValues = UnrecognisedWords.Take(8).ToList();
            if (typeValues.Count > 0 || keywordValues.Count > 0)
            {
                json.WriteStartObject();
                json.WriteString("Name", Kinds.Count > 0 ? $"{Kinds[0].Kind} (or another kind, or a new one)" : "a new kind");
                json.WriteStartArray(nameof(ActivityKind.Types));
                typeValues.ForEach(t => json.WriteStringValue(t.Value));
                json.WriteEndArray();
                json.WriteStartArray(nameof(ActivityKind.SubjectKeywords));
                keywordValues.ForEach(w => json.WriteStringValue(w.Value));
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    // The value the type lookup saw first: the org's own field, else Type, else the subtype.
    private static string? TypeOf(ActivityKindMapper mapper, IReadOnlyDictionary<string, string?> custom, string? type, string? subtype)
    {
        foreach (var field in mapper.TypeFields)
        {
            if (custom.GetValueOrDefault(field) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                return value;
            }
        }

        return !string.IsNullOrWhiteSpace(type) ? type : subtype;
    }

    // Distinct words of a subject, folded; short words and anything with a digit (dates, quote numbers) are left out.
    private static IEnumerable<string> SubjectWords(string? subject)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            return [];
        }

        var folded = ActivityText.Fold(subject);
        var found = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var inWord = i < folded.Length && char.IsLetterOrDigit(folded[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = folded[start..i];
                if (word.Length >= 3 && !word.Any(char.IsDigit))
                {
                    found.Add(word);
                }

                start = -1;
            }
        }

        return found;
    }

    private static List<ValueCount> Top(Dictionary<string, int> counts, int top) =>
        [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(top).Select(c => new ValueCount(c.Key, c.Value))];
}
