using SfPredictor.Salesforce.Tests.Infrastructure;

namespace SfPredictor.Salesforce.Tests.Describe;

public sealed class DescribeTests
{
    private static SalesforceMock Start()
    {
        var salesforce = SalesforceMock.Start();
        // Served with a UTF-8 byte order mark, as some recorded describe bodies have one.
        salesforce.Get(SalesforceMock.DataPath + "/sobjects/Whizbang/describe", SalesforceMock.Json(200, "\uFEFF" + TestData.Read("sobject_describe_success_response.json")));
        return salesforce;
    }

    [Fact]
    public async Task DescribeAsync_RecordedDescribe_ReadsEveryField()
    {
        using var salesforce = Start();
        await using var test = TestClient.Create(salesforce);

        var description = await test.Client.DescribeAsync("Whizbang");

        Assert.Equal("Whizbang", description.Name);
        Assert.Equal(30, description.Fields.Count);
        Assert.Equal(new SObjectField("Percent_Field", "percent", "Percent Label", true, true, 0), description.Field("percent_field"));
    }

    [Fact]
    public async Task VerifyFieldsAsync_SeveralMismatches_ListsEveryProblemInOneException()
    {
        using var salesforce = Start();
        await using var test = TestClient.Create(salesforce);
        ExpectedField[] expected =
        [
            new("Percent_Field", "percent"),
            new("Number_Field", "percent"),
            new("CreateableButNotUpdateableField", "datetime"),
            new("SfP_Win_Probability__c", "percent"),
            new("Text_Field", "string"),
            new("CreatedDate", "datetime", MustBeUpdateable: false),
        ];

        var error = await Assert.ThrowsAsync<SalesforceSchemaException>(() => test.Client.VerifyFieldsAsync("Whizbang", expected));

        Assert.Equal("Whizbang", error.ObjectName);
        Assert.Equal(
        [
            "Whizbang.Number_Field is of type double, expected percent",
            "Whizbang.CreateableButNotUpdateableField is not updateable by the integration user",
            "Whizbang.SfP_Win_Probability__c does not exist (or the integration user cannot see it)",
        ], error.Problems);
        Assert.All(error.Problems, p => Assert.Contains(p, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyFieldsAsync_EveryFieldFits_Passes()
    {
        using var salesforce = Start();
        await using var test = TestClient.Create(salesforce);

        await test.Client.VerifyFieldsAsync("Whizbang", [new("Percent_Field", "percent"), new("TextArea_Field", "textarea"), new("DateTime_Field", "datetime")]);

        Assert.Equal(1, salesforce.Count("GET", SalesforceMock.DataPath + "/sobjects/Whizbang/describe"));
    }

    [Fact]
    public async Task DescribeAsync_NameWithPathCharacters_IsRefusedBeforeAnyCall()
    {
        using var salesforce = Start();
        await using var test = TestClient.Create(salesforce);

        await Assert.ThrowsAsync<ArgumentException>(() => test.Client.DescribeAsync("../limits"));

        Assert.Empty(salesforce.Calls);
    }
}
