namespace SfPredictor.Salesforce;

/// <summary>A field of an object as describe reports it.</summary>
/// <param name="Name">API name.</param>
/// <param name="Type">Describe type: string, textarea, double, percent, currency, datetime, date, boolean, picklist, reference, ...</param>
/// <param name="Label">Label.</param>
/// <param name="Updateable">Whether the running user can update it.</param>
/// <param name="Custom">Whether it is a custom field.</param>
/// <param name="Length">Text length (0 for non-text fields).</param>
public sealed record SObjectField(string Name, string Type, string? Label, bool Updateable, bool Custom, int Length);

/// <summary>A field the client needs, with its describe type.</summary>
/// <param name="Name">API name.</param>
/// <param name="Type">Expected describe type (e.g. <c>percent</c>, <c>double</c>, <c>string</c>, <c>textarea</c>, <c>datetime</c>).</param>
/// <param name="MustBeUpdateable">Whether the running user must be able to update it.</param>
public sealed record ExpectedField(string Name, string Type, bool MustBeUpdateable = true);

/// <summary>An object's describe (<c>GET /sobjects/{name}/describe</c>), the part the client uses.</summary>
/// <param name="Name">Object API name.</param>
/// <param name="Fields">Its fields.</param>
public sealed record SObjectDescription(string Name, IReadOnlyList<SObjectField> Fields)
{
    /// <summary>Finds a field by API name (case-insensitive, as Salesforce compares them).</summary>
    public SObjectField? Field(string name) =>
        Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every way the object falls short of <paramref name="expected"/>, one sentence each; empty when it fits.</summary>
    public IReadOnlyList<string> FindProblems(IEnumerable<ExpectedField> expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var problems = new List<string>();
        foreach (var want in expected)
        {
            if (Field(want.Name) is not { } field)
            {
                problems.Add($"{Name}.{want.Name} does not exist (or the integration user cannot see it)");
                continue;
            }

            if (!string.Equals(field.Type, want.Type, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{Name}.{field.Name} is of type {field.Type}, expected {want.Type}");
            }

            if (want.MustBeUpdateable && !field.Updateable)
            {
                problems.Add($"{Name}.{field.Name} is not updateable by the integration user");
            }
        }

        return problems;
    }
}
