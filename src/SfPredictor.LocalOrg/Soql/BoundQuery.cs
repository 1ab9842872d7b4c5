using SfPredictor.LocalOrg.Data;
using SfPredictor.Records;

namespace SfPredictor.LocalOrg.Soql;

/// <summary>A query checked against the org's tables, ready to run.</summary>
internal sealed class BoundQuery
{
    public required OrgTable Table { get; init; }

    public required bool IsCount { get; init; }

    /// <summary>The selected fields in SELECT order.</summary>
    public required IReadOnlyList<FieldPath> Fields { get; init; }

    /// <summary>The selected fields as the nested record shape the REST API answers with.</summary>
    public required Projection Projection { get; init; }

    public RowFilter? Where { get; init; }

    public required IReadOnlyList<BoundOrdering> OrderBy { get; init; }

    public int? Limit { get; init; }

    public int? Offset { get; init; }

    /// <summary>Whether deleted records (<c>IsDeleted</c> true) are included, as queryAll does.</summary>
    public bool IncludeDeleted { get; init; }

    /// <summary>The aggregates of the SELECT list; with <see cref="GroupBy"/>, what makes an aggregate query.</summary>
    public IReadOnlyList<BoundAggregate> Aggregates { get; init; } = [];

    public IReadOnlyList<FieldPath> GroupBy { get; init; } = [];

    /// <summary>The name each group is answered under (field name, alias or exprN); null when it is not selected.</summary>
    public IReadOnlyList<string?> GroupNames { get; init; } = [];

    /// <summary>The HAVING condition, tested once per group with <see cref="HavingGroup"/> set to it.</summary>
    public RowFilter? Having { get; init; }

    public GroupView HavingGroup { get; init; } = new();

    /// <summary>Whether the query answers AggregateResult records (LIMIT and OFFSET then count groups).</summary>
    public bool IsAggregate => Aggregates.Count > 0 || GroupBy.Count > 0;

    /// <summary>The matching rows in result order, after OFFSET and LIMIT.</summary>
    public int[] Run()
    {
        var deleted = IncludeDeleted ? null : Table.Find("IsDeleted");
        var rows = new List<int>();
        for (var row = 0; row < Table.RowCount; row++)
        {
            if (Matches(deleted, row))
            {
                rows.Add(row);
            }
        }

        var result = rows.ToArray();
        if (OrderBy.Count > 0 && !IsAggregate)
        {
            Sort(result);
        }

        if (IsAggregate)
        {
            return result;
        }

        var skip = Math.Min(Offset ?? 0, result.Length);
        var take = Math.Min(Limit ?? int.MaxValue, result.Length - skip);
        return skip == 0 && take == result.Length ? result : result.AsSpan(skip, take).ToArray();
    }

    /// <summary>What <c>SELECT COUNT()</c> answers: the matching rows after OFFSET and LIMIT, counted without listing them.</summary>
    public int Count()
    {
        var deleted = IncludeDeleted ? null : Table.Find("IsDeleted");
        var count = 0;
        for (var row = 0; row < Table.RowCount; row++)
        {
            if (Matches(deleted, row))
            {
                count++;
            }
        }

        var skip = Math.Min(Offset ?? 0, count);
        return Math.Min(Limit ?? int.MaxValue, count - skip);
    }

    // Parsed from the text rather than through ToComparable, which would box a bool for every row of a large table.
    private bool Matches(OrgColumn? deleted, int row) =>
        (deleted is null || !(RecordValues.TryParseBoolean(deleted.GetSpan(row), out var isDeleted) && isDeleted))
        && (Where is null || Where.Matches(row));

    private void Sort(int[] rows)
    {
        var keys = OrderBy.Select(o => rows.Select(o.Field.GetComparable).ToArray()).ToArray();
        var positions = Enumerable.Range(0, rows.Length).ToArray();
        Array.Sort(positions, (a, b) =>
        {
            for (var k = 0; k < keys.Length; k++)
            {
                var order = CompareKeys(keys[k][a], keys[k][b], OrderBy[k]);
                if (order != 0)
                {
                    return order;
                }
            }

            // Ties keep the export's order, so paging through a sorted result is stable.
            return a.CompareTo(b);
        });
        var sorted = positions.Select(p => rows[p]).ToArray();
        sorted.CopyTo(rows, 0);
    }

    private static int CompareKeys(object? left, object? right, BoundOrdering ordering)
    {
        if (left is null || right is null)
        {
            if (left is null && right is null)
            {
                return 0;
            }

            return (left is null) == ordering.NullsFirst ? -1 : 1;
        }

        var order = FieldTypes.Compare(left, right);
        return ordering.Descending ? -order : order;
    }
}

internal sealed record BoundOrdering(FieldPath Field, bool Descending, bool NullsFirst);

/// <summary>
/// The record shape of a result: fields of the record itself and, per parent relationship, a nested
/// shape (<c>Account: { attributes, Industry }</c>), in SELECT order.
/// </summary>
internal sealed class Projection
{
    private readonly List<ProjectionItem> _items = [];

    public IReadOnlyList<ProjectionItem> Items => _items;

    public void Add(FieldPath path) => Add(path, 0);

    public void Add(ChildRelationship children) => _items.Add(new ProjectedChildren(children));

    private void Add(FieldPath path, int depth)
    {
        if (depth == path.Hops.Count)
        {
            if (!_items.OfType<ProjectedField>().Any(f => f.Name.Equals(path.Field, StringComparison.OrdinalIgnoreCase)))
            {
                _items.Add(new ProjectedField(path.Field));
            }

            return;
        }

        var hop = path.Hops[depth];
        var parent = _items.OfType<ProjectedParent>().FirstOrDefault(p => p.Hop.RelationshipName.Equals(hop.RelationshipName, StringComparison.OrdinalIgnoreCase));
        if (parent is null)
        {
            parent = new ProjectedParent(hop, new Projection());
            _items.Add(parent);
        }

        parent.Shape.Add(path, depth + 1);
    }
}

internal abstract record ProjectionItem;

internal sealed record ProjectedField(string Name) : ProjectionItem;

internal sealed record ProjectedParent(Hop Hop, Projection Shape) : ProjectionItem;

/// <summary>A parent-to-child subquery: the child records of each row, written as a nested query result.</summary>
internal sealed record ProjectedChildren(ChildRelationship Children) : ProjectionItem;

/// <summary>
/// A bound parent-to-child subquery: <c>Tasks</c> of an Opportunity are the Tasks whose WhatId is its
/// Id. The children of every parent are found once per query (on first use) and kept with it, so
/// every page of a paged result reads them without scanning the child table again.
/// </summary>
internal sealed class ChildRelationship(string name, BoundQuery query, string lookupField)
{
    private Dictionary<string, List<int>>? _byParent;

    public string Name => name;

    public BoundQuery Query => query;

    /// <summary>The child rows of a parent Id, in the subquery's order and within its LIMIT. Call under the store's read lock.</summary>
    public IReadOnlyList<int> Of(string? parentId)
    {
        if (parentId is null)
        {
            return [];
        }

        var byParent = _byParent ??= Index();
        return byParent.TryGetValue(parentId, out var rows) ? rows : [];
    }

    private Dictionary<string, List<int>> Index()
    {
        var lookup = query.Table.Find(lookupField);
        var index = new Dictionary<string, List<int>>(Records.SalesforceId.Comparer);
        if (lookup is null)
        {
            return index;
        }

        foreach (var row in query.Run())
        {
            if (Ids.Normalize(lookup[row]) is not { } parent)
            {
                continue;
            }

            if (!index.TryGetValue(parent, out var rows))
            {
                rows = [];
                index.Add(parent, rows);
            }

            if (rows.Count < (query.Limit ?? int.MaxValue))
            {
                rows.Add(row);
            }
        }

        return index;
    }
}
