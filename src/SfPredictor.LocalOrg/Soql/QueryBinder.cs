using System.Globalization;
using SfPredictor.LocalOrg.Data;

namespace SfPredictor.LocalOrg.Soql;

/// <summary>
/// Checks a parsed query against the org's tables as Salesforce does: unknown objects, fields and
/// relationships, literals of the wrong type and malformed Ids are refused with Salesforce's codes.
/// </summary>
internal sealed class QueryBinder(OrgStore store, DateOnly today, FiscalYear fiscalYear)
{
    // Salesforce refuses larger offsets.
    private const int MaxOffset = 2000;

    // Lookups to a User whose relationship name is not the object name.
    private static readonly HashSet<string> UserRelationships = new(StringComparer.OrdinalIgnoreCase) { "Owner", "CreatedBy", "LastModifiedBy" };

    private static readonly HashSet<string> PolymorphicRelationships = new(StringComparer.OrdinalIgnoreCase) { "What", "Who" };

    /// <summary>Parses and binds a query text.</summary>
    /// <exception cref="SoqlException">The query is malformed or names what the org lacks.</exception>
    public static BoundQuery Bind(string text, OrgStore store, DateOnly today, FiscalYear fiscalYear, bool includeDeleted) =>
        new QueryBinder(store, today, fiscalYear).Bind(SoqlParser.Parse(text), includeDeleted);

    public BoundQuery Bind(SoqlQuery query, bool includeDeleted)
    {
        var table = store.FindTable(query.From) ?? throw new SoqlException(
            SoqlErrorCodes.InvalidType,
            $"sObject type '{query.From}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
            query.FromPosition);
        var fields = query.Fields.Select(f => Resolve(table, f)).ToList();
        foreach (var (set, position) in query.FieldSets)
        {
            if (set != "STANDARD" && query.Limit is not (> 0 and <= 200))
            {
                throw new SoqlException(SoqlErrorCodes.MalformedQuery, "The SOQL FIELDS function must have a LIMIT of at most 200", position);
            }

            var names = table.Columns.Select(c => c.Name).Concat(StandardObjects.Fields(table.Name).Select(f => f.Name).Where(n => table.Find(n) is null));
            foreach (var name in names.Where(n => set == "ALL" || n.EndsWith("__c", StringComparison.OrdinalIgnoreCase) == (set == "CUSTOM")))
            {
                if (!fields.Any(f => f.Hops.Count == 0 && f.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
                {
                    fields.Add(Resolve(table, new SoqlField([name], position)));
                }
            }
        }

        var groupBy = query.GroupBy.Select(f => Resolve(table, f)).ToList();

        // Salesforce names unaliased aggregates and date functions expr0, expr1, ... in SELECT order.
        var expressions = query.Aggregates.Select(a => (a.Position, a.Alias)).Concat(query.Fields.Where(f => f.Function is not null).Select(f => (f.Position, f.Alias)))
            .OrderBy(e => e.Position).ToList();
        var unnamed = 0;
        var exprNames = expressions.ToDictionary(e => e.Position, e => e.Alias ?? string.Create(CultureInfo.InvariantCulture, $"expr{unnamed++}"));
        var aggregates = query.Aggregates.Select(a => BindAggregate(table, a.Function, a.Field, a.Position, exprNames[a.Position])).ToList();
        var isAggregate = aggregates.Count > 0 || groupBy.Count > 0;
        if (isAggregate)
        {
            var loose = query.Fields.Zip(fields).FirstOrDefault(f => !groupBy.Any(g => g.Name.Equals(f.Second.Name, StringComparison.OrdinalIgnoreCase)));
            if (loose.First is not null)
            {
                throw new SoqlException(SoqlErrorCodes.MalformedQuery, $"Field must be grouped or aggregated: {loose.Second.Name}", loose.First.Position);
            }

            var unordered = query.OrderBy.FirstOrDefault(o => !groupBy.Any(g => g.Name.Equals(Resolve(table, o.Field).Name, StringComparison.OrdinalIgnoreCase)));
            if (unordered is not null)
            {
                throw new SoqlException(SoqlErrorCodes.MalformedQuery, "The local org orders aggregate results by GROUP BY fields only.", unordered.Field.Position);
            }
        }
        else if (query.Fields.FirstOrDefault(f => f.Function is not null) is { } function)
        {
            throw new SoqlException(SoqlErrorCodes.MalformedQuery, $"Field must be grouped or aggregated: {function.Function}({string.Join('.', function.Parts)})", function.Position);
        }

        // A grouped field is answered under its name, a grouped date function under its alias or exprN; unselected groups are not answered.
        var groupNames = groupBy.Select(g =>
        {
            var selected = query.Fields.Zip(fields).FirstOrDefault(f => f.Second.Name.Equals(g.Name, StringComparison.OrdinalIgnoreCase));
            return selected.First is null ? null : selected.First.Function is null ? g.Field : exprNames[selected.First.Position];
        }).ToList();

        RowFilter? having = null;
        var groupView = new GroupView();
        if (query.Having is not null)
        {
            if (groupBy.Count == 0)
            {
                throw new SoqlException(SoqlErrorCodes.MalformedQuery, "HAVING needs a GROUP BY clause.", query.HavingPosition);
            }

            having = BindHaving(table, query.Having, groupBy, aggregates, groupView);
        }

        var projection = new Projection();
        fields.ForEach(projection.Add);
        foreach (var child in query.Children)
        {
            projection.Add(BindChildren(table, child, includeDeleted));
        }
        if (query.Offset > MaxOffset)
        {
            throw new SoqlException(SoqlErrorCodes.NumberOutsideValidRange, $"Maximum SOQL offset allowed is {MaxOffset}", query.OffsetPosition);
        }

        return new BoundQuery
        {
            Table = table,
            IsCount = query.IsCount,
            Fields = fields,
            Projection = projection,
            Where = query.Where is null ? null : BindCondition(table, query.Where),
            OrderBy = query.OrderBy.Select(o => new BoundOrdering(Resolve(table, o.Field), o.Descending, o.NullsFirst)).ToList(),
            Limit = query.Limit,
            Offset = query.Offset,
            IncludeDeleted = includeDeleted,
            Aggregates = aggregates,
            GroupBy = groupBy,
            GroupNames = groupNames,
            Having = having,
            HavingGroup = groupView,
        };
    }

    private BoundAggregate BindAggregate(OrgTable table, string function, SoqlField soqlField, int position, string? name)
    {
        var field = Resolve(table, soqlField);
        if (function is "SUM" or "AVG" && !FieldTypes.IsNumber(field.Type))
        {
            throw new SoqlException(SoqlErrorCodes.MalformedQuery, $"field {field.Field} does not support aggregate operator {function}", position);
        }

        return new BoundAggregate(function, field, name);
    }

    /// <summary>
    /// Binds HAVING as a filter over groups: a condition on an aggregate (computed for every group,
    /// whether selected or not) or on a grouped field, with the operators of WHERE.
    /// </summary>
    private RowFilter BindHaving(OrgTable table, SoqlCondition condition, List<FieldPath> groupBy, List<BoundAggregate> aggregates, GroupView view)
    {
        switch (condition)
        {
            case SoqlAnd and:
                return new AllOfFilter(and.Items.Select(c => BindHaving(table, c, groupBy, aggregates, view)).ToList());
            case SoqlOr or:
                return new AnyOfFilter(or.Items.Select(c => BindHaving(table, c, groupBy, aggregates, view)).ToList());
            case SoqlNot not:
                return new NotFilter(BindHaving(table, not.Inner, groupBy, aggregates, view));
        }

        var (soqlField, position) = condition switch
        {
            SoqlComparison c => (c.Field, c.Field.Position),
            SoqlIn m when m.SubQuery is null => (m.Field, m.Field.Position),
            _ => throw new SoqlException(SoqlErrorCodes.MalformedQuery, "The local org does not support semi-joins in HAVING.", ((SoqlIn)condition).Field.Position),
        };

        FieldPath type;
        Func<object?> value;
        if (soqlField.Function is { } function && !DateFunctions.IsDateFunction(function))
        {
            var path = Resolve(table, soqlField with { Function = null });
            var index = aggregates.FindIndex(a => a.Function == function && a.Field.Name.Equals(path.Name, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                index = aggregates.Count;
                aggregates.Add(BindAggregate(table, function, soqlField with { Function = null }, position, name: null));
            }

            // Counts and sums compare as numbers; MIN and MAX as the field's values.
            type = function is "MIN" or "MAX" ? path : new FieldPath(store, table, [], function, FieldType.Double);
            value = () => view.Values[index];
        }
        else
        {
            type = Resolve(table, soqlField);
            var index = groupBy.FindIndex(g => g.Name.Equals(type.Name, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                throw new SoqlException(SoqlErrorCodes.MalformedQuery, $"Field must be grouped or aggregated: {type.Name}", position);
            }

            value = () => view.Keys[index];
        }

        return condition switch
        {
            SoqlComparison { Operator: SoqlOperator.Like } c => throw new SoqlException(
                SoqlErrorCodes.MalformedQuery, "The local org does not support LIKE in HAVING.", c.Value.Position),
            SoqlComparison { Value.Kind: SoqlLiteralKind.DateKeyword } c => throw new SoqlException(
                SoqlErrorCodes.MalformedQuery, "The local org does not support date literals in HAVING.", c.Value.Position),
            SoqlComparison c => ComparisonOf(c, type, value),
            SoqlIn m => MembershipOf(m, type, value),
            _ => throw new InvalidOperationException($"Unknown condition {condition.GetType().Name}."),
        };
    }

    private static GroupValueFilter ComparisonOf(SoqlComparison comparison, FieldPath type, Func<object?> value)
    {
        var literal = Convert(type, comparison.Value);
        return new GroupValueFilter(value, actual => ComparisonFilter.Test(actual, comparison.Operator, literal));
    }

    private static GroupValueFilter MembershipOf(SoqlIn membership, FieldPath type, Func<object?> value)
    {
        var values = new HashSet<object>(membership.Values.Select(v => Convert(type, v)).OfType<object>(), FieldTypes.EqualityComparer);
        return new GroupValueFilter(value, actual => (actual is not null && values.Contains(actual)) != membership.Negated);
    }

    private static SoqlException TypeMismatch(FieldPath field, SoqlLiteral literal)
    {
        var quoting = FieldTypes.IsText(field.Type) || FieldTypes.IsIdLike(field.Type)
            ? "should be enclosed in quotes"
            : "should not be enclosed in quotes";
        return new SoqlException(
            SoqlErrorCodes.InvalidField,
            $"value of filter criterion for field '{field.Field}' must be of type {FieldTypes.SoqlTypeName(field.Type)} and {quoting}",
            literal.Position);
    }

    private RowFilter BindCondition(OrgTable table, SoqlCondition condition) => condition switch
    {
        SoqlAnd and => new AllOfFilter(and.Items.Select(c => BindCondition(table, c)).ToList()),
        SoqlOr or => new AnyOfFilter(or.Items.Select(c => BindCondition(table, c)).ToList()),
        SoqlNot not => new NotFilter(BindCondition(table, not.Inner)),
        SoqlComparison comparison => BindComparison(table, comparison),
        SoqlIn membership => BindMembership(table, membership),
        _ => throw new InvalidOperationException($"Unknown condition {condition.GetType().Name}."),
    };

    private RowFilter BindComparison(OrgTable table, SoqlComparison comparison)
    {
        var field = Resolve(table, comparison.Field);
        var literal = comparison.Value;
        if (comparison.Operator == SoqlOperator.Like)
        {
            if (!(FieldTypes.IsText(field.Type) || FieldTypes.IsIdLike(field.Type)))
            {
                throw new SoqlException(
                    SoqlErrorCodes.InvalidField, $"invalid operator on {FieldTypes.ApiName(field.Type)} field: LIKE", literal.Position);
            }

            return literal.Kind == SoqlLiteralKind.String ? new LikeFilter(field, literal.Text) : throw TypeMismatch(field, literal);
        }

        if (field.Type == FieldType.Boolean && comparison.Operator is not (SoqlOperator.Equal or SoqlOperator.NotEqual))
        {
            throw new SoqlException(SoqlErrorCodes.InvalidField, "invalid operator on boolean field", literal.Position);
        }

        if (literal.Kind == SoqlLiteralKind.DateKeyword)
        {
            var (start, end) = DateKeywords.Resolve(literal.Text, literal.N, today, fiscalYear);
            return field.Type switch
            {
                FieldType.Date => new RangeFilter(field, comparison.Operator, start.DayNumber, end.DayNumber),
                FieldType.DateTime => new RangeFilter(field, comparison.Operator, Ticks(start), Ticks(end)),
                _ => throw TypeMismatch(field, literal),
            };
        }

        return new ComparisonFilter(field, comparison.Operator, Convert(field, literal));
    }

    private MembershipFilter BindMembership(OrgTable table, SoqlIn membership)
    {
        var field = Resolve(table, membership.Field);
        if (membership.SubQuery is not { } subQuery)
        {
            var values = membership.Values.Select(v => Convert(field, v)).OfType<object>().ToList();
            return new MembershipFilter(field, membership.Negated, () => new HashSet<object>(values, FieldTypes.EqualityComparer));
        }

        var inner = Bind(subQuery, includeDeleted: false);
        if (inner.IsCount || inner.Fields.Count != 1 || !FieldTypes.IsIdLike(inner.Fields[0].Type) || !FieldTypes.IsIdLike(field.Type))
        {
            throw new SoqlException(
                SoqlErrorCodes.MalformedQuery,
                "The selected field in a semi join subquery must be an Id or a reference field, compared with an Id or a reference field.",
                membership.Field.Position);
        }

        return new MembershipFilter(
            field, membership.Negated, () => new HashSet<object>(inner.Run().Select(inner.Fields[0].GetComparable).OfType<object>(), FieldTypes.EqualityComparer));
    }

    /// <summary>Turns a literal into the field type's comparable value; null for NULL.</summary>
    private static object? Convert(FieldPath field, SoqlLiteral literal)
    {
        if (literal.Kind == SoqlLiteralKind.Null)
        {
            return null;
        }

        var fits = field.Type switch
        {
            FieldType.Id or FieldType.Reference or FieldType.String or FieldType.Picklist or FieldType.TextArea => literal.Kind == SoqlLiteralKind.String,
            FieldType.Boolean => literal.Kind == SoqlLiteralKind.Boolean,
            FieldType.Date => literal.Kind == SoqlLiteralKind.Date,
            FieldType.DateTime => literal.Kind == SoqlLiteralKind.DateTime,
            _ => literal.Kind == SoqlLiteralKind.Number,
        };
        if (!fits)
        {
            throw TypeMismatch(field, literal);
        }

        if (FieldTypes.IsIdLike(field.Type))
        {
            return FieldTypes.ToComparable(field.Type, literal.Text) ?? throw new SoqlException(
                SoqlErrorCodes.InvalidFilterOperator, $"invalid ID field: {literal.Text}", literal.Position);
        }

        return FieldTypes.IsText(field.Type)
            ? literal.Text
            : FieldTypes.ToComparable(field.Type, literal.Text) ?? throw new SoqlException(
                SoqlErrorCodes.MalformedQuery, $"value '{literal.Text}' is not a valid {FieldTypes.SoqlTypeName(field.Type)}", literal.Position);
    }

    private static long Ticks(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).Ticks;

    /// <summary>Resolves <c>Account.Owner.Name</c> from a table: each part but the last is a parent relationship.</summary>
    private FieldPath Resolve(OrgTable table, SoqlField field)
    {
        if (field.Function is { } function)
        {
            if (!DateFunctions.IsDateFunction(function))
            {
                throw new SoqlException(SoqlErrorCodes.MalformedQuery, $"{function}(...): aggregate functions belong in the SELECT list and HAVING only.", field.Position);
            }

            var date = Resolve(table, field with { Function = null });
            if (date.Type is not (FieldType.Date or FieldType.DateTime))
            {
                throw new SoqlException(
                    SoqlErrorCodes.MalformedQuery, $"Date function {function}() is not supported on field {date.Field} of type {FieldTypes.ApiName(date.Type)}", field.Position);
            }

            return new FieldPath(date, function, fiscalYear);
        }

        OrgTable? current = table;
        var hops = new List<Hop>();
        foreach (var relationship in field.Parts.Take(field.Parts.Count - 1))
        {
            var columnName = relationship.EndsWith("__r", StringComparison.OrdinalIgnoreCase)
                ? relationship[..^3] + "__c"
                : relationship + "Id";
            var column = current is null
                ? store.Tables.Select(t => t.Find(columnName)).FirstOrDefault(c => c is not null)
                : current.Find(columnName);
            if (column is null)
            {
                throw new SoqlException(
                    SoqlErrorCodes.InvalidField,
                    $"Didn't understand relationship '{relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
                    field.Position);
            }

            var canonical = column.IsCustom ? column.Name[..^3] + "__r" : column.Name[..^2];
            var target = Target(canonical);
            hops.Add(new Hop(canonical, column.Name, target));
            current = target;
        }

        var name = field.Parts[^1];
        var holder = current is null ? store.Tables.Select(t => t.Find(name)).FirstOrDefault(c => c is not null) : current.Find(name);

        // A standard field the export left out is still a field of the object: its values are null.
        if (holder is null && current is not null && StandardObjects.Find(current.Name, name) is { } standard)
        {
            return new FieldPath(store, table, hops, standard.Name, standard.Type);
        }

        if (holder is null)
        {
            var entity = current?.Name ?? "Name";
            throw new SoqlException(
                SoqlErrorCodes.InvalidField,
                string.Create(CultureInfo.InvariantCulture, $"No such column '{name}' on entity '{entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."),
                field.Position);
        }

        return new FieldPath(store, table, hops, holder.Name, holder.Type);
    }

    // The child relationships of the objects SfPredictor reads: name, child object, lookup field.
    private static readonly Dictionary<string, (string Relationship, string Child, string Lookup)[]> ChildRelationships = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Opportunity"] = [("Tasks", "Task", "WhatId"), ("Events", "Event", "WhatId"), ("OpportunityHistories", "OpportunityHistory", "OpportunityId"), ("Histories", "OpportunityFieldHistory", "OpportunityId")],
        ["Account"] = [("Opportunities", "Opportunity", "AccountId"), ("Tasks", "Task", "WhatId"), ("Events", "Event", "WhatId")],
        ["User"] = [("Tasks", "Task", "OwnerId"), ("Events", "Event", "OwnerId"), ("Opportunities", "Opportunity", "OwnerId")],
    };

    private ChildRelationship BindChildren(OrgTable parent, SoqlQuery child, bool includeDeleted)
    {
        var relationship = ChildRelationships.GetValueOrDefault(parent.Name)?
            .Select(r => ((string Relationship, string Child, string Lookup)?)r)
            .FirstOrDefault(r => r!.Value.Relationship.Equals(child.From, StringComparison.OrdinalIgnoreCase));
        if (relationship is not { } found || store.FindTable(found.Child) is null)
        {
            throw new SoqlException(
                SoqlErrorCodes.InvalidType,
                $"Didn't understand relationship '{child.From}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
                child.FromPosition);
        }

        if (child.IsCount || child.Aggregates.Count > 0 || child.GroupBy.Count > 0 || child.Offset is not null)
        {
            throw new SoqlException(SoqlErrorCodes.MalformedQuery, "The local org supports fields, WHERE, ORDER BY and LIMIT in subqueries only.", child.FromPosition);
        }

        var bound = Bind(child with { From = found.Child }, includeDeleted);
        return new ChildRelationship(found.Relationship, bound, found.Lookup);
    }

    /// <summary>The parent table of a relationship, or null when the lookup is polymorphic and Ids decide.</summary>
    private OrgTable? Target(string relationship)
    {
        if (PolymorphicRelationships.Contains(relationship))
        {
            return null;
        }

        return store.FindTable(UserRelationships.Contains(relationship) ? "User" : relationship);
    }
}
