namespace SfPredictor.LocalOrg.Soql;

/// <summary>A parsed SELECT statement of the supported subset.</summary>
internal sealed record SoqlQuery(
    IReadOnlyList<SoqlField> Fields,
    bool IsCount,
    string From,
    int FromPosition,
    SoqlCondition? Where,
    IReadOnlyList<SoqlOrdering> OrderBy,
    int? Limit,
    int? Offset,
    int OffsetPosition)
{
    /// <summary>Aggregate functions of the SELECT list (COUNT(field), SUM, MIN, MAX, AVG), in order.</summary>
    public IReadOnlyList<SoqlAggregate> Aggregates { get; init; } = [];

    /// <summary>The GROUP BY fields.</summary>
    public IReadOnlyList<SoqlField> GroupBy { get; init; } = [];

    /// <summary>FIELDS(STANDARD), FIELDS(CUSTOM) or FIELDS(ALL) in the SELECT list, as STANDARD, CUSTOM or ALL.</summary>
    public IReadOnlyList<(string Set, int Position)> FieldSets { get; init; } = [];

    /// <summary>Parent-to-child subqueries of the SELECT list: <c>(SELECT Id FROM Tasks)</c>, whose FROM names a child relationship.</summary>
    public IReadOnlyList<SoqlQuery> Children { get; init; } = [];

    /// <summary>The HAVING condition over aggregates and grouped fields, or null.</summary>
    public SoqlCondition? Having { get; init; }

    public int HavingPosition { get; init; }
}

/// <summary>An aggregate of the SELECT list: <c>SUM(Amount) total</c>; the alias is null when not given.</summary>
internal sealed record SoqlAggregate(string Function, SoqlField Field, string? Alias, int Position);

/// <summary>
/// A field path as written: <c>Account.Owner.Name</c> has the parts Account, Owner, Name. With
/// <see cref="Function"/> it is a function of the field: a date function (<c>FISCAL_YEAR(CloseDate)</c>)
/// or, in HAVING, an aggregate (<c>SUM(Amount)</c>).
/// </summary>
internal sealed record SoqlField(IReadOnlyList<string> Parts, int Position)
{
    /// <summary>The function applied to the field, upper case, or null.</summary>
    public string? Function { get; init; }

    /// <summary>The alias of a date function in the SELECT list, or null.</summary>
    public string? Alias { get; init; }
}

internal sealed record SoqlOrdering(SoqlField Field, bool Descending, bool NullsFirst);

internal abstract record SoqlCondition;

internal sealed record SoqlAnd(IReadOnlyList<SoqlCondition> Items) : SoqlCondition;

internal sealed record SoqlOr(IReadOnlyList<SoqlCondition> Items) : SoqlCondition;

internal sealed record SoqlNot(SoqlCondition Inner) : SoqlCondition;

internal enum SoqlOperator
{
    Equal,
    NotEqual,
    Less,
    Greater,
    LessOrEqual,
    GreaterOrEqual,
    Like,
}

internal sealed record SoqlComparison(SoqlField Field, SoqlOperator Operator, SoqlLiteral Value) : SoqlCondition;

/// <summary><c>field [NOT] IN (values)</c> or, with <see cref="SubQuery"/>, <c>field [NOT] IN (SELECT ...)</c>.</summary>
internal sealed record SoqlIn(SoqlField Field, bool Negated, IReadOnlyList<SoqlLiteral> Values, SoqlQuery? SubQuery) : SoqlCondition;

internal enum SoqlLiteralKind
{
    String,
    Number,
    Boolean,
    Null,
    Date,
    DateTime,

    /// <summary>A relative date range such as TODAY or LAST_N_DAYS:30.</summary>
    DateKeyword,
}

/// <summary>A literal: <see cref="Text"/> is the unescaped string or the source text; <see cref="N"/> the n of LAST_N_DAYS:n.</summary>
internal sealed record SoqlLiteral(SoqlLiteralKind Kind, string Text, int Position, int N = 0);
