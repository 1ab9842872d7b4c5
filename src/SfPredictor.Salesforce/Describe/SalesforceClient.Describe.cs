using SfPredictor.Salesforce.Http;

namespace SfPredictor.Salesforce;

public sealed partial class SalesforceClient
{
    /// <summary>Describes an object (<c>GET /services/data/vXX.X/sobjects/{name}/describe</c>).</summary>
    public async Task<SObjectDescription> DescribeAsync(string objectName, CancellationToken cancellationToken = default)
    {
        Soql.Name(objectName, allowRelationshipPath: false);
        var result = await SendForJsonAsync(
            HttpMethod.Get, $"{DataPath}/sobjects/{objectName}/describe", null, SalesforceJsonContext.Default.DescribeResult, cancellationToken);
        var fields = (result.Fields ?? [])
            .Select(f => new SObjectField(f.Name, f.Type ?? string.Empty, f.Label, f.Updateable, f.Custom, f.Length))
            .ToArray();
        return new SObjectDescription(result.Name ?? objectName, fields);
    }

    /// <summary>
    /// Checks that the object has every expected field, of the expected type and updateable where
    /// required; one <see cref="SalesforceSchemaException"/> lists every problem.
    /// </summary>
    public async Task VerifyFieldsAsync(string objectName, IEnumerable<ExpectedField> expected, CancellationToken cancellationToken = default)
    {
        var description = await DescribeAsync(objectName, cancellationToken);
        var problems = description.FindProblems(expected);
        if (problems.Count > 0)
        {
            throw new SalesforceSchemaException(description.Name, problems);
        }
    }
}
