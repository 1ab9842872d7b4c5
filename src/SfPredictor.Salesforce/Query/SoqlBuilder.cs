using System.Text;

namespace SfPredictor.Salesforce;

/// <summary>
/// Builds a SOQL SELECT from checked names and typed values; conditions are joined with AND.
/// <code>new SoqlBuilder("Opportunity").Select("Id", "StageName").Where("IsClosed", "=", false).Build()</code>
/// </summary>
public sealed class SoqlBuilder
{
    /// <summary>
    /// The most Ids one <c>IN</c> list carries; every caller that batches Ids into queries batches by it. A REST
    /// query travels in the URI, which Salesforce (and the local org) cap at 16 KB. An Id in a list is 18 characters
    /// plus two quotes, a comma and a space, 30 once URL-encoded (<c>%27</c> twice, <c>%2C%20</c>), so 300 Ids take
    /// about 9 KB and leave some 7 KB for the field list and the other conditions.
    /// </summary>
    public const int MaxIdsPerInList = 300;

    private static readonly HashSet<string> Operators = new(StringComparer.OrdinalIgnoreCase) { "=", "!=", "<", "<=", ">", ">=", "LIKE" };

    private readonly string _objectName;
    private readonly List<string> _fields = [];
    private readonly List<string> _conditions = [];
    private bool _count;
    private string? _orderBy;
    private int? _limit;

    /// <summary>Starts a query on an object.</summary>
    /// <exception cref="ArgumentException">Not an object API name.</exception>
    public SoqlBuilder(string objectName) => _objectName = Soql.Name(objectName, allowRelationshipPath: false);

    internal string ObjectName => _objectName;

    /// <summary>Adds fields (API names, relationship paths such as <c>Account.Industry</c> allowed).</summary>
    public SoqlBuilder Select(params IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            var name = Soql.Name(field);
            if (!_fields.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                _fields.Add(name);
            }
        }

        return this;
    }

    /// <summary>Makes the query <c>SELECT COUNT()</c>.</summary>
    public SoqlBuilder SelectCount()
    {
        _count = true;
        return this;
    }

    /// <summary>Adds <c>field op value</c>; <paramref name="value"/> becomes a literal by its type (see <see cref="Soql.Literal"/>).</summary>
    /// <exception cref="ArgumentException">Unknown operator, bad field name or a value without a literal.</exception>
    public SoqlBuilder Where(string field, string op, object? value)
    {
        ArgumentNullException.ThrowIfNull(op);
        if (!Operators.Contains(op))
        {
            throw new ArgumentException($"'{op}' is not a SOQL comparison operator ({string.Join(' ', Operators)}).", nameof(op));
        }

        _conditions.Add($"{Soql.Name(field)} {op.ToUpperInvariant()} {Soql.Literal(value)}");
        return this;
    }

    /// <summary>Adds <c>field = 'Id'</c> for a checked Salesforce Id.</summary>
    public SoqlBuilder WhereId(string field, string id)
    {
        _conditions.Add($"{Soql.Name(field)} = {Soql.Id(id)}");
        return this;
    }

    /// <summary>Adds <c>field IN ('Id', ...)</c> for checked Salesforce Ids (at most <see cref="MaxIdsPerInList"/>).</summary>
    /// <exception cref="ArgumentException">The list is empty, longer than <see cref="MaxIdsPerInList"/>, or holds a value that is not an Id.</exception>
    public SoqlBuilder WhereIdIn(string field, IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var list = ids.Select(Soql.Id).ToList();
        if (list.Count > MaxIdsPerInList)
        {
            throw new ArgumentException($"An IN list takes at most {MaxIdsPerInList} Ids (the query must fit a 16 KB URI); got {list.Count}. Batch them with SoqlBuilder.MaxIdsPerInList.", nameof(ids));
        }

        return AddIn(field, list);
    }

    /// <summary>Adds <c>field IN (value, ...)</c>; values become literals by their type.</summary>
    /// <exception cref="ArgumentException">The list is empty or holds a value without a literal.</exception>
    public SoqlBuilder WhereIn(string field, IEnumerable<object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return AddIn(field, values.Select(Soql.Literal));
    }

    /// <summary>Sets the ORDER BY field.</summary>
    public SoqlBuilder OrderBy(string field, bool descending = false)
    {
        _orderBy = Soql.Name(field) + (descending ? " DESC" : " ASC");
        return this;
    }

    /// <summary>Sets LIMIT.</summary>
    public SoqlBuilder Limit(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _limit = count;
        return this;
    }

    /// <summary>The SOQL text.</summary>
    /// <exception cref="InvalidOperationException">No fields were selected and it is not a count.</exception>
    public string Build()
    {
        if (!_count && _fields.Count == 0)
        {
            throw new InvalidOperationException($"The query on {_objectName} selects no fields.");
        }

        var soql = new StringBuilder("SELECT ")
            .Append(_count ? "COUNT()" : string.Join(", ", _fields))
            .Append(" FROM ").Append(_objectName);
        if (_conditions.Count > 0)
        {
            soql.Append(" WHERE ").AppendJoin(" AND ", _conditions);
        }

        if (_orderBy is not null && !_count)
        {
            soql.Append(" ORDER BY ").Append(_orderBy);
        }

        if (_limit is { } limit)
        {
            soql.Append(" LIMIT ").Append(limit);
        }

        return soql.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Build();

    private SoqlBuilder AddIn(string field, IEnumerable<string> literals)
    {
        var list = literals.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException($"IN on {field} needs at least one value.", nameof(literals));
        }

        _conditions.Add($"{Soql.Name(field)} IN ({string.Join(", ", list)})");
        return this;
    }
}
