using System.Net;
using SfPredictor.LocalOrg.Tests.Infrastructure;

namespace SfPredictor.LocalOrg.Tests.Soql;

/// <summary>Queries Salesforce refuses get Salesforce's status, error code and message, in the recorded shape.</summary>
public sealed class SoqlErrorTests(SharedOrg shared) : IClassFixture<SharedOrg>
{
    [Theory]
    [InlineData("SELECT Id FROM Opportunity WHERE IsClosed = false AND Amount > 5 OR Amount < 2", "MALFORMED_QUERY", "unexpected token: 'OR'")]
    [InlineData("SELECT Id FROM Opportunity WHERE Amount > 5 AND NOT (Amount < 2)", "MALFORMED_QUERY", "unexpected token: 'NOT'")]
    [InlineData("SELECT Id FORM Opportunity", "MALFORMED_QUERY", "unexpected token: 'FORM'")]
    [InlineData("SELECT Id FROM", "MALFORMED_QUERY", "unexpected token: <EOF>")]
    [InlineData("SELECT Id FROM Opportunity WHERE Name = 'open", "MALFORMED_QUERY", "mismatched character")]
    [InlineData("SELECT Id, Foo FROM Opportunity", "INVALID_FIELD", "No such column 'Foo' on entity 'Opportunity'")]
    [InlineData("SELECT Id FROM Opportunity WHERE Account.Foo = 'x'", "INVALID_FIELD", "No such column 'Foo' on entity 'Account'")]
    [InlineData("SELECT Id FROM Opportunity WHERE Foo__r.Name = 'x'", "INVALID_FIELD", "Didn't understand relationship 'Foo__r' in field path")]
    [InlineData("SELECT Id FROM Foo", "INVALID_TYPE", "sObject type 'Foo' is not supported")]
    [InlineData("SELECT Id FROM Opportunity WHERE Id = 'abc'", "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: abc")]
    [InlineData("SELECT Id FROM Opportunity WHERE AccountId IN ('001000000000001', 'nope')", "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: nope")]
    [InlineData("SELECT Id FROM Opportunity WHERE Amount > '1000'", "INVALID_FIELD", "value of filter criterion for field 'Amount' must be of type double and should not be enclosed in quotes")]
    [InlineData("SELECT Id FROM Opportunity WHERE Name = 5", "INVALID_FIELD", "must be of type string and should be enclosed in quotes")]
    [InlineData("SELECT Id FROM Opportunity WHERE IsClosed = 'false'", "INVALID_FIELD", "must be of type boolean")]
    [InlineData("SELECT Id FROM Opportunity WHERE SystemModstamp > 2024-01-01", "INVALID_FIELD", "field 'SystemModstamp' must be of type dateTime")]
    [InlineData("SELECT Id FROM Opportunity WHERE CloseDate > 2024-01-01T00:00:00Z", "INVALID_FIELD", "field 'CloseDate' must be of type date")]
    [InlineData("SELECT Id FROM Opportunity WHERE SystemModstamp > 2024-01-01T00:00:00", "MALFORMED_QUERY", "no viable alternative")]
    [InlineData("SELECT Id FROM Opportunity OFFSET 2001", "NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000")]
    [InlineData("SELECT StageName FROM Opportunity GROUP BY ROLLUP(StageName)", "MALFORMED_QUERY", "ROLLUP")]
    public async Task Query_RefusedQuery_AnswersSalesforceError(string soql, string errorCode, string messagePart)
    {
        var result = await shared.Org.QueryAsync(soql);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        JsonAssert.SameShape(Responses.Load("query_error_response.json"), result.Body);
        var error = Assert.Single(result.Body.EnumerateArray());
        Assert.Equal(errorCode, error.GetProperty("errorCode").GetString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_UnknownField_MessagePointsAtTheToken()
    {
        var result = await shared.Org.QueryAsync("SELECT Id, Foo FROM Opportunity");

        var message = result.Body[0].GetProperty("message").GetString();
        Assert.StartsWith("\nSELECT Id, Foo FROM Opportunity\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Opportunity'.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_WithoutQueryText_AnswersMalformedQuery()
    {
        var result = await shared.Org.GetAsync(OrgHarness.Api("query"));

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("MALFORMED_QUERY", result.Body[0].GetProperty("errorCode").GetString());
    }
}
