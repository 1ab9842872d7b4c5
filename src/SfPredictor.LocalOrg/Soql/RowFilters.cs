using System.Text;
using System.Text.RegularExpressions;
using SfPredictor.LocalOrg.Data;

namespace SfPredictor.LocalOrg.Soql;

/// <summary>A bound WHERE condition, evaluated row by row.</summary>
internal abstract class RowFilter
{
    public abstract bool Matches(int row);
}

internal sealed class AllOfFilter(IReadOnlyList<RowFilter> items) : RowFilter
{
    public override bool Matches(int row) => items.All(f => f.Matches(row));
}

internal sealed class AnyOfFilter(IReadOnlyList<RowFilter> items) : RowFilter
{
    public override bool Matches(int row) => items.Any(f => f.Matches(row));
}

internal sealed class NotFilter(RowFilter inner) : RowFilter
{
    public override bool Matches(int row) => !inner.Matches(row);
}

/// <summary>
/// <c>field op value</c>. As in SOQL, <c>!=</c> also matches records whose field is null, and the
/// other comparisons never do.
/// </summary>
internal sealed class ComparisonFilter(FieldPath field, SoqlOperator op, object? value) : RowFilter
{
    public override bool Matches(int row) => Test(field.GetComparable(row), op, value);

    public static bool Test(object? actual, SoqlOperator op, object? value)
    {
        if (value is null || actual is null)
        {
            return op switch
            {
                SoqlOperator.Equal => value is null && actual is null,
                SoqlOperator.NotEqual => (value is null) != (actual is null),
                _ => false,
            };
        }

        var order = FieldTypes.Compare(actual, value);
        return op switch
        {
            SoqlOperator.Equal => order == 0,
            SoqlOperator.NotEqual => order != 0,
            SoqlOperator.Less => order < 0,
            SoqlOperator.Greater => order > 0,
            SoqlOperator.LessOrEqual => order <= 0,
            _ => order >= 0,
        };
    }
}

/// <summary>A date or datetime field against a relative date literal, which covers a range.</summary>
internal sealed class RangeFilter(FieldPath field, SoqlOperator op, object start, object end) : RowFilter
{
    public override bool Matches(int row)
    {
        var actual = field.GetComparable(row);
        if (actual is null)
        {
            return op == SoqlOperator.NotEqual;
        }

        var inside = FieldTypes.Compare(actual, start) >= 0 && FieldTypes.Compare(actual, end) < 0;
        return op switch
        {
            SoqlOperator.Equal => inside,
            SoqlOperator.NotEqual => !inside,
            SoqlOperator.Less => FieldTypes.Compare(actual, start) < 0,
            SoqlOperator.LessOrEqual => FieldTypes.Compare(actual, end) < 0,
            SoqlOperator.Greater => FieldTypes.Compare(actual, end) >= 0,
            _ => FieldTypes.Compare(actual, start) >= 0,
        };
    }
}

/// <summary><c>field [NOT] IN (...)</c>; the set is a list of literals or a semi-join's Ids, made on first use.</summary>
internal sealed class MembershipFilter(FieldPath field, bool negated, Func<HashSet<object>> values) : RowFilter
{
    private HashSet<object>? _values;

    public override bool Matches(int row)
    {
        _values ??= values();
        var actual = field.GetComparable(row);
        var contained = actual is not null && _values.Contains(actual);
        return negated ? !contained : contained;
    }
}

/// <summary><c>field LIKE 'pattern'</c>: <c>%</c> any run, <c>_</c> one character, case-insensitive.</summary>
internal sealed class LikeFilter(FieldPath field, string pattern) : RowFilter
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);
    private readonly Regex _regex = new(ToRegex(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, MatchTimeout);

    public override bool Matches(int row)
    {
        var text = field.GetSpan(row);
        return !text.IsEmpty && _regex.IsMatch(text);
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                regex.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                regex.Append(c switch
                {
                    '%' => ".*",
                    '_' => ".",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return regex.Append('$').ToString();
    }
}

/// <summary>
/// The values of the group a HAVING condition is looking at: the grouped values, then every
/// aggregate's comparable value. Set before each group is tested.
/// </summary>
internal sealed class GroupView
{
    public object?[] Keys { get; set; } = [];

    public object?[] Values { get; set; } = [];
}

/// <summary>A HAVING test of one grouped value or aggregate of the current group (<see cref="GroupView"/>); the row number is not used.</summary>
internal sealed class GroupValueFilter(Func<object?> value, Func<object?, bool> test) : RowFilter
{
    public override bool Matches(int row) => test(value());
}
