using SfPredictor.LocalOrg.Data;

namespace SfPredictor.LocalOrg.Soql;

/// <summary>
/// A bound aggregate: the function, its field and the name its value has in a result (alias or
/// <c>exprN</c>); null for an aggregate only HAVING uses, which is not answered.
/// </summary>
internal sealed record BoundAggregate(string Function, FieldPath Field, string? Name);

/// <summary>One row of an aggregate result: the grouped fields' texts, then each aggregate's value (long, decimal, text or null).</summary>
internal sealed record AggregateRow(string?[] Groups, object?[] Values);

/// <summary>Groups the matching rows of a query and computes its aggregates, as an AggregateResult list.</summary>
internal static class Aggregates
{
    public static List<AggregateRow> Compute(BoundQuery query, int[] rows)
    {
        var groups = new Dictionary<GroupKey, (string?[] Texts, Accumulator[] Accumulators)>();
        var order = new List<GroupKey>();
        foreach (var row in rows)
        {
            var key = new GroupKey([.. query.GroupBy.Select(g => g.GetComparable(row))]);
            if (!groups.TryGetValue(key, out var group))
            {
                group = ([.. query.GroupBy.Select(g => g.Function is null ? NullIfEmpty(g.GetSpan(row)) : g.GetComparable(row)?.ToString())], [.. query.Aggregates.Select(a => new Accumulator(a))]);
                groups.Add(key, group);
                order.Add(key);
            }

            foreach (var accumulator in group.Accumulators)
            {
                accumulator.Add(row);
            }
        }

        // COUNT(field) of no rows without GROUP BY is one row of zero, as in Salesforce.
        if (groups.Count == 0 && query.GroupBy.Count == 0)
        {
            return [new AggregateRow([], [.. query.Aggregates.Select(a => new Accumulator(a).Result)])];
        }

        if (query.Having is { } having)
        {
            order.RemoveAll(k =>
            {
                query.HavingGroup.Keys = k.Values;
                query.HavingGroup.Values = [.. groups[k].Accumulators.Select(a => a.Comparable)];
                return !having.Matches(0);
            });
        }

        var result = order.Select(k => (Key: k, Row: new AggregateRow(groups[k].Texts, [.. groups[k].Accumulators.Select(a => a.Result)]))).ToList();
        if (query.OrderBy.Count > 0)
        {
            var positions = query.OrderBy.Select(o => query.GroupBy.ToList().FindIndex(g => g.Name.Equals(o.Field.Name, StringComparison.OrdinalIgnoreCase))).ToArray();
            result.Sort((a, b) =>
            {
                for (var i = 0; i < positions.Length; i++)
                {
                    var (left, right) = (a.Key.Values[positions[i]], b.Key.Values[positions[i]]);
                    var ordering = query.OrderBy[i];
                    var compared = left is null || right is null
                        ? (left is null && right is null ? 0 : (left is null) == ordering.NullsFirst ? -1 : 1)
                        : FieldTypes.Compare(left, right) * (ordering.Descending ? -1 : 1);
                    if (compared != 0)
                    {
                        return compared;
                    }
                }

                return 0;
            });
        }

        return [.. result.Skip(query.Offset ?? 0).Take(query.Limit ?? int.MaxValue).Select(r => r.Row)];
    }

    private static string? NullIfEmpty(ReadOnlySpan<char> text) => text.IsEmpty ? null : text.ToString();

    private sealed class Accumulator(BoundAggregate aggregate)
    {
        private readonly HashSet<object>? _distinct = aggregate.Function == "COUNT_DISTINCT" ? new HashSet<object>(FieldTypes.EqualityComparer) : null;
        private long _count;
        private decimal _sum;
        private object? _best;
        private string? _bestText;

        public object? Result => aggregate.Function switch
        {
            "COUNT" => _count,
            "COUNT_DISTINCT" => (long)_distinct!.Count,
            "SUM" => _count == 0 ? null : _sum,
            "AVG" => _count == 0 ? null : _sum / _count,
            _ => _bestText,
        };

        /// <summary>The value as HAVING compares it: counts, sums and averages as numbers, MIN and MAX as field values.</summary>
        public object? Comparable => aggregate.Function switch
        {
            "COUNT" => (decimal)_count,
            "COUNT_DISTINCT" => (decimal)_distinct!.Count,
            "SUM" => _count == 0 ? null : _sum,
            "AVG" => _count == 0 ? null : _sum / _count,
            _ => _best,
        };

        public void Add(int row)
        {
            var value = aggregate.Field.GetComparable(row);
            if (value is null)
            {
                return;
            }

            _count++;
            _distinct?.Add(value);
            if (value is decimal number)
            {
                _sum += number;
            }

            if (aggregate.Function is "MIN" or "MAX"
                && (_best is null || FieldTypes.Compare(value, _best) * (aggregate.Function == "MIN" ? -1 : 1) > 0))
            {
                _best = value;
                _bestText = aggregate.Field.GetSpan(row).ToString();
            }
        }
    }

    private sealed class GroupKey(object?[] values) : IEquatable<GroupKey>
    {
        public object?[] Values => values;

        public bool Equals(GroupKey? other) =>
            other is not null && values.Length == other.Values.Length
            && values.Zip(other.Values).All(p => FieldTypes.EqualityComparer.Equals(p.First, p.Second));

        public override bool Equals(object? obj) => Equals(obj as GroupKey);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var value in values)
            {
                hash.Add(value is null ? 0 : FieldTypes.EqualityComparer.GetHashCode(value));
            }

            return hash.ToHashCode();
        }
    }
}
