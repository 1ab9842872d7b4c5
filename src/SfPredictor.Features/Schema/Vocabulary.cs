using SfPredictor.Features.Indexing;

namespace SfPredictor.Features.Schema;

// One-hot vocabularies: the most frequent values of each categorical field, counted per Opportunity,
// ordered by frequency then name, so the same data always gives the same columns.
internal static class Vocabulary
{
    public static IReadOnlyList<FeatureCategory> Derive(OrgIndex index, FeatureOptions options)
    {
        var categories = new List<FeatureCategory>
        {
            Top(FeatureCategory.OpportunityType, Enumerable.Range(0, index.Count).Select(i => index.Opportunities[i].Type), options),
            Top(FeatureCategory.LeadSource, Enumerable.Range(0, index.Count).Select(i => index.Opportunities[i].LeadSource), options),
            Top(FeatureCategory.Industry, Enumerable.Range(0, index.Count).Select(i =>
                index.Accounts.AccountOf[i] is var a and >= 0 ? index.Accounts.Records[a]?.Industry : null), options),
        };

        foreach (var field in options.ExtraFields.Where(f => f.Kind == ExtraFieldKind.Picklist))
        {
            var source = FeatureLayout.ExtraSource(field);
            if (field.Values.Count > 0)
            {
                categories.Add(new FeatureCategory(source, [.. field.Values.Select(v => v.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)]));
                continue;
            }

            var values = Enumerable.Range(0, index.Count)
                .Select(i => ExtraValues.Source(index, i, field.Object).Custom?.GetValueOrDefault(field.Field))
                .SelectMany(raw => (raw ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            categories.Add(Top(source, values, options));
        }

        return categories;
    }

    private static FeatureCategory Top(string source, IEnumerable<string?> values, FeatureOptions options)
    {
        var top = values
            .Select(v => v?.Trim())
            .Where(v => !string.IsNullOrEmpty(v))
            .GroupBy(v => v!, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Value: g.Key, Count: g.Count()))
            .Where(x => x.Count >= options.MinCategoryCount)
            .OrderByDescending(x => x.Count)
            .ThenBy(x => x.Value, StringComparer.Ordinal)
            .Take(options.MaxCategories)
            .Select(x => x.Value)
            .ToList();
        return new FeatureCategory(source, top);
    }
}
