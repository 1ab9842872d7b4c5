using System.Globalization;

namespace SfPredictor.LocalOrg.Soql;

/// <summary>
/// Parses the SOQL subset: SELECT fields (parent paths, toLabel(field), FIELDS(STANDARD|CUSTOM|ALL),
/// COUNT(), COUNT/COUNT_DISTINCT/SUM/MIN/MAX/AVG(field) [alias], date functions such as
/// FISCAL_YEAR(field) [alias]) FROM object [WHERE ...] [GROUP BY fields or date functions] [HAVING
/// ...] [ORDER BY ...] [LIMIT n] [OFFSET n], with parent-to-child subqueries in the SELECT list.
/// What the local org does not support (GROUP BY ROLLUP, other functions, nested subqueries) is a
/// MALFORMED_QUERY naming it. As in Salesforce, AND and OR cannot be mixed without
/// parentheses, and NOT applies to one parenthesised or single expression at the start of a condition.
/// </summary>
internal sealed class SoqlParser
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "ORDER", "BY", "LIMIT", "OFFSET", "NULL",
        "TRUE", "FALSE", "GROUP", "HAVING", "WITH", "FOR", "USING", "INCLUDES", "EXCLUDES", "ASC", "DESC", "NULLS",
    };

    private readonly List<Token> _tokens;
    private int _next;
    private bool _inHaving;

    private SoqlParser(string text) => _tokens = SoqlLexer.Tokenize(text);

    private Token Current => _tokens[_next];

    /// <exception cref="SoqlException">The text is not a query of the supported subset.</exception>
    public static SoqlQuery Parse(string text)
    {
        var parser = new SoqlParser(text);
        var query = parser.ParseSelect(allowChildren: true);
        parser.Expect(TokenKind.End);
        return query;
    }

    private static SoqlException Unexpected(Token token) =>
        new(SoqlErrorCodes.MalformedQuery, $"unexpected token: {token.Display}", token.Position);

    private SoqlQuery ParseSelect(bool allowChildren = false)
    {
        ExpectKeyword("SELECT");
        var fields = new List<SoqlField>();
        var aggregates = new List<SoqlAggregate>();
        var fieldSets = new List<(string, int)>();
        var children = new List<SoqlQuery>();
        var isCount = false;
        do
        {
            if (Current.Kind == TokenKind.OpenParen)
            {
                if (!allowChildren)
                {
                    throw new SoqlException(SoqlErrorCodes.MalformedQuery, "Nested subqueries are not supported.", Current.Position);
                }

                _next++;
                children.Add(ParseSelect());
                Expect(TokenKind.CloseParen);
                continue;
            }

            if (Current.Kind == TokenKind.Identifier && _tokens[_next + 1].Kind == TokenKind.OpenParen)
            {
                var function = Advance();
                _next++;
                var name = function.Value.ToUpperInvariant();
                if (name == "COUNT" && TryConsume(TokenKind.CloseParen))
                {
                    isCount = true;
                }
                else if (name == "TOLABEL")
                {
                    // Labels are the values themselves in a local org: no translation workbench, no picklist labels apart.
                    fields.Add(ParseField());
                    Expect(TokenKind.CloseParen);
                }
                else if (name == "FIELDS")
                {
                    var set = ExpectName();
                    if (!(set.IsKeyword("STANDARD") || set.IsKeyword("CUSTOM") || set.IsKeyword("ALL")))
                    {
                        throw Unexpected(set);
                    }

                    Expect(TokenKind.CloseParen);
                    fieldSets.Add((set.Value.ToUpperInvariant(), function.Position));
                }
                else if (DateFunctions.IsDateFunction(name))
                {
                    var field = ParseField();
                    Expect(TokenKind.CloseParen);
                    fields.Add(field with { Function = name, Position = function.Position, Alias = TryAlias() });
                }
                else if (IsAggregate(name))
                {
                    var field = ParseField();
                    Expect(TokenKind.CloseParen);
                    aggregates.Add(new SoqlAggregate(name, field, TryAlias(), function.Position));
                }
                else
                {
                    throw new SoqlException(
                        SoqlErrorCodes.MalformedQuery,
                        $"The local org does not support the function {function.Value}(...); it supports toLabel, FIELDS, COUNT, COUNT_DISTINCT, SUM, MIN, MAX, AVG and the date functions {DateFunctions.Names}.", function.Position);
                }
            }
            else
            {
                fields.Add(ParseField());
            }
        }
        while (TryConsume(TokenKind.Comma));

        if (isCount && (fields.Count > 0 || aggregates.Count > 0 || fieldSets.Count > 0))
        {
            throw new SoqlException(SoqlErrorCodes.MalformedQuery, "COUNT() must be the only element in the SELECT list.", fields[0].Position);
        }

        ExpectKeyword("FROM");
        var from = ExpectName();
        var where = TryConsumeKeyword("WHERE") ? ParseCondition() : null;
        var groupBy = new List<SoqlField>();
        if (TryConsumeKeyword("GROUP"))
        {
            ExpectKeyword("BY");
            if (IsFunctionCall() && !DateFunctions.IsDateFunction(Current.Value))
            {
                throw new SoqlException(SoqlErrorCodes.MalformedQuery, $"GROUP BY {Current.Value}(...) is not supported by the local org.", Current.Position);
            }

            do
            {
                groupBy.Add(ParseValue(allowAggregates: false));
            }
            while (TryConsume(TokenKind.Comma));
        }

        var havingPosition = Current.Position;
        SoqlCondition? having = null;
        if (TryConsumeKeyword("HAVING"))
        {
            _inHaving = true;
            having = ParseCondition();
            _inHaving = false;
        }

        var orderBy = new List<SoqlOrdering>();
        if (TryConsumeKeyword("ORDER"))
        {
            ExpectKeyword("BY");
            do
            {
                orderBy.Add(ParseOrdering());
            }
            while (TryConsume(TokenKind.Comma));
        }

        int? limit = TryConsumeKeyword("LIMIT") ? ExpectCount() : null;
        var offsetPosition = Current.Position;
        int? offset = TryConsumeKeyword("OFFSET") ? ExpectCount() : null;
        return new SoqlQuery(fields, isCount, from.Value, from.Position, where, orderBy, limit, offset, offsetPosition)
        {
            Aggregates = aggregates,
            GroupBy = groupBy,
            FieldSets = fieldSets,
            Children = children,
            Having = having,
            HavingPosition = havingPosition,
        };
    }

    private static bool IsAggregate(string name) => name is "COUNT" or "COUNT_DISTINCT" or "SUM" or "MIN" or "MAX" or "AVG";

    private bool IsFunctionCall() => Current.Kind == TokenKind.Identifier && !Reserved.Contains(Current.Value) && _tokens[_next + 1].Kind == TokenKind.OpenParen;

    private string? TryAlias() =>
        Current.Kind == TokenKind.Identifier && !Reserved.Contains(Current.Value) ? Advance().Value : null;

    /// <summary>A field, a date function of a field or, where allowed (HAVING), an aggregate of a field.</summary>
    private SoqlField ParseValue(bool allowAggregates)
    {
        if (!IsFunctionCall())
        {
            return ParseField();
        }

        var function = Advance();
        var name = function.Value.ToUpperInvariant();
        if (!DateFunctions.IsDateFunction(name) && !(allowAggregates && IsAggregate(name)))
        {
            var where = IsAggregate(name)
                ? "aggregate functions belong in the SELECT list and HAVING only"
                : $"the local org does not support the function {function.Value}(...) here";
            throw new SoqlException(SoqlErrorCodes.MalformedQuery, $"{function.Value}(...): {where}.", function.Position);
        }

        _next++;
        var field = ParseField();
        Expect(TokenKind.CloseParen);
        return field with { Function = name, Position = function.Position };
    }

    private SoqlOrdering ParseOrdering()
    {
        var field = ParseValue(allowAggregates: false);
        var descending = false;
        if (TryConsumeKeyword("DESC"))
        {
            descending = true;
        }
        else
        {
            TryConsumeKeyword("ASC");
        }

        // Salesforce puts nulls first when ascending and last when descending unless told otherwise.
        var nullsFirst = !descending;
        if (TryConsumeKeyword("NULLS"))
        {
            if (TryConsumeKeyword("FIRST"))
            {
                nullsFirst = true;
            }
            else
            {
                ExpectKeyword("LAST");
                nullsFirst = false;
            }
        }

        return new SoqlOrdering(field, descending, nullsFirst);
    }

    private SoqlCondition ParseCondition()
    {
        if (TryConsumeKeyword("NOT"))
        {
            return new SoqlNot(ParsePrimary());
        }

        var first = ParsePrimary();
        if (Current.IsKeyword("AND") || Current.IsKeyword("OR"))
        {
            var connective = Current.Value.ToUpperInvariant();
            var other = connective == "AND" ? "OR" : "AND";
            var items = new List<SoqlCondition> { first };
            while (TryConsumeKeyword(connective))
            {
                items.Add(ParsePrimary());
            }

            if (Current.IsKeyword(other))
            {
                throw Unexpected(Current);
            }

            return connective == "AND" ? new SoqlAnd(items) : new SoqlOr(items);
        }

        return first;
    }

    private SoqlCondition ParsePrimary()
    {
        if (TryConsume(TokenKind.OpenParen))
        {
            var inner = ParseCondition();
            Expect(TokenKind.CloseParen);
            return inner;
        }

        var field = ParseValue(allowAggregates: _inHaving);
        if (Current.IsKeyword("NOT") || Current.IsKeyword("IN"))
        {
            var negated = TryConsumeKeyword("NOT");
            ExpectKeyword("IN");
            Expect(TokenKind.OpenParen);
            if (Current.IsKeyword("SELECT"))
            {
                var subQuery = ParseSelect();
                Expect(TokenKind.CloseParen);
                return new SoqlIn(field, negated, [], subQuery);
            }

            var values = new List<SoqlLiteral>();
            do
            {
                values.Add(ParseLiteral());
            }
            while (TryConsume(TokenKind.Comma));

            Expect(TokenKind.CloseParen);
            return new SoqlIn(field, negated, values, null);
        }

        if (TryConsumeKeyword("LIKE"))
        {
            return new SoqlComparison(field, SoqlOperator.Like, ParseLiteral());
        }

        var op = Current;
        if (op.Kind != TokenKind.Operator)
        {
            throw Unexpected(op);
        }

        _next++;
        var comparison = op.Value switch
        {
            "=" => SoqlOperator.Equal,
            "!=" or "<>" => SoqlOperator.NotEqual,
            "<" => SoqlOperator.Less,
            ">" => SoqlOperator.Greater,
            "<=" => SoqlOperator.LessOrEqual,
            ">=" => SoqlOperator.GreaterOrEqual,
            _ => throw Unexpected(op),
        };
        return new SoqlComparison(field, comparison, ParseLiteral());
    }

    private SoqlLiteral ParseLiteral()
    {
        var token = Advance();
        switch (token.Kind)
        {
            case TokenKind.String:
                return new SoqlLiteral(SoqlLiteralKind.String, token.Value, token.Position);
            case TokenKind.Number:
                return new SoqlLiteral(SoqlLiteralKind.Number, token.Value, token.Position);
            case TokenKind.Date:
                return new SoqlLiteral(SoqlLiteralKind.Date, token.Value, token.Position);
            case TokenKind.DateTime:
                return new SoqlLiteral(SoqlLiteralKind.DateTime, token.Value, token.Position);
            case TokenKind.Identifier when token.IsKeyword("NULL"):
                return new SoqlLiteral(SoqlLiteralKind.Null, token.Value, token.Position);
            case TokenKind.Identifier when token.IsKeyword("TRUE") || token.IsKeyword("FALSE"):
                return new SoqlLiteral(SoqlLiteralKind.Boolean, token.Value.ToLowerInvariant(), token.Position);
            case TokenKind.Identifier when DateKeywords.IsRange(token.Value):
                return new SoqlLiteral(SoqlLiteralKind.DateKeyword, token.Value.ToUpperInvariant(), token.Position);
            case TokenKind.Identifier when DateKeywords.IsRangeOfN(token.Value):
                Expect(TokenKind.Colon);
                var n = Expect(TokenKind.Number);
                if (!int.TryParse(n.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    throw Unexpected(n);
                }

                return new SoqlLiteral(SoqlLiteralKind.DateKeyword, token.Value.ToUpperInvariant(), token.Position, count);
            default:
                throw Unexpected(token);
        }
    }

    private SoqlField ParseField()
    {
        var first = ExpectName();
        var parts = new List<string> { first.Value };
        while (TryConsume(TokenKind.Dot))
        {
            parts.Add(ExpectName().Value);
        }

        return new SoqlField(parts, first.Position);
    }

    private int ExpectCount()
    {
        var token = Expect(TokenKind.Number);
        return int.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw Unexpected(token);
    }

    private Token ExpectName()
    {
        var token = Current;
        if (token.Kind != TokenKind.Identifier || Reserved.Contains(token.Value))
        {
            throw Unexpected(token);
        }

        _next++;
        return token;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!TryConsumeKeyword(keyword))
        {
            throw Unexpected(Current);
        }
    }

    private Token Expect(TokenKind kind) => Current.Kind == kind ? Advance() : throw Unexpected(Current);

    private bool TryConsumeKeyword(string keyword)
    {
        if (!Current.IsKeyword(keyword))
        {
            return false;
        }

        _next++;
        return true;
    }

    private bool TryConsume(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        _next++;
        return true;
    }

    private Token Advance()
    {
        var token = Current;
        if (token.Kind != TokenKind.End)
        {
            _next++;
        }

        return token;
    }
}
