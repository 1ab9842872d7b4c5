using System.Text;

namespace SfPredictor.Salesforce.Tests.Query;

public sealed class SoqlTests
{
    /// <summary>Reads a SOQL string literal the way Salesforce does; returns its value and the index of its closing quote.</summary>
    private static (string Value, int End) ReadLiteral(string soql, int start)
    {
        Assert.Equal('\'', soql[start]);
        var value = new StringBuilder();
        for (var i = start + 1; i < soql.Length; i++)
        {
            switch (soql[i])
            {
                case '\'':
                    return (value.ToString(), i);
                case '\\':
                    i++;
                    value.Append(soql[i] switch
                    {
                        'n' => "\n",
                        'r' => "\r",
                        't' => "\t",
                        'b' => "\b",
                        'f' => "\f",
                        'u' => ((char)Convert.ToInt32(soql.Substring(i + 1, 4), 16)).ToString(),
                        var c => c.ToString(),
                    });
                    if (soql[i] == 'u')
                    {
                        i += 4;
                    }

                    break;
                default:
                    value.Append(soql[i]);
                    break;
            }
        }

        throw new Xunit.Sdk.XunitException($"Unterminated literal in {soql}");
    }

    [Theory]
    [InlineData("O'Brien")]
    [InlineData("x' OR Name != '")]
    [InlineData("a\\' OR IsDeleted = true OR Name = '")]
    [InlineData("\\")]
    [InlineData("line1\nline2\r\n\ttabbed \"quoted\"")]
    [InlineData("bell\u0007 and nul\0 and form\f and back\b")]
    [InlineData("Prospecting")]
    public void Quote_HostileValue_StaysOneLiteralWithTheSameValue(string value)
    {
        var soql = new SoqlBuilder("Opportunity").Select("Id").Where("StageName", "=", value).Where("IsClosed", "=", false).Build();

        var start = soql.IndexOf('\'', StringComparison.Ordinal);
        var (parsed, end) = ReadLiteral(soql, start);

        Assert.Equal(value, parsed);
        Assert.Equal(" AND IsClosed = false", soql[(end + 1)..]);
        Assert.DoesNotContain('\n', soql);
    }

    [Fact]
    public void Quote_SpecialCharacters_UseSoqlEscapes() =>
        Assert.Equal(@"'it\'s \\ a \""test\""\n\t\u0001'", Soql.Quote("it's \\ a \"test\"\n\t\u0001"));

    [Fact]
    public void QuoteLike_Wildcards_AreEscapedAndOnlyTheChosenOnesRemain() =>
        Assert.Equal(@"'%50\% off\_now%'", Soql.QuoteLike("50% off_now", "%", "%"));

    [Theory]
    [InlineData("0065g00000AbCdE", "'0065g00000AbCdEAAV'")]
    [InlineData("0065g00000AbCdEAAV", "'0065g00000AbCdEAAV'")]
    public void Id_ValidId_Gives18CharacterLiteral(string id, string expected) => Assert.Equal(expected, Soql.Id(id));

    [Theory]
    [InlineData("006' OR Id != '")]
    [InlineData("0065g00000AbCdE'")]
    [InlineData("0065g00000AbCdE5AV")]
    [InlineData("0065g00000AbCd")]
    [InlineData("")]
    public void Id_NotAnId_IsRefused(string id)
    {
        var error = Assert.Throws<ArgumentException>(() => new SoqlBuilder("Task").Select("Id").WhereIdIn("WhatId", ["0065g00000AbCdE", id]));
        Assert.Contains("is not a 15- or 18-character Salesforce Id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhereIdIn_MaxIdsPerInList_LeavesRoomInTheUriLimitAndOneMoreIsRefused()
    {
        var ids = Enumerable.Range(0, SoqlBuilder.MaxIdsPerInList + 1)
            .Select(i => SfPredictor.Records.RecordValues.ParseId(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"0015g00000{i:D5}")))
            .ToList();

        var soql = new SoqlBuilder("Opportunity").Select("Id").WhereIdIn("AccountId", ids.Take(SoqlBuilder.MaxIdsPerInList)).Build();
        var error = Assert.Throws<ArgumentException>(() => new SoqlBuilder("Opportunity").Select("Id").WhereIdIn("AccountId", ids));

        // The 16 KB URI limit less 6 KB for the path, the field list and other conditions.
        Assert.InRange(Uri.EscapeDataString(soql).Length, 1, (16 - 6) * 1024);
        Assert.Contains("at most 300 Ids", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SfP_Win_Probability__c")]
    [InlineData("Account.Owner.Name")]
    [InlineData("ns__Field__c")]
    public void Name_ApiName_IsAccepted(string name) => Assert.Equal(name, Soql.Name(name));

    [Theory]
    [InlineData("Name FROM User --")]
    [InlineData("Name,Id")]
    [InlineData("Account..Name")]
    [InlineData("1Field")]
    [InlineData("Field_")]
    [InlineData("Nаme")]
    [InlineData("")]
    public void Name_NotAnApiName_IsRefused(string name) => Assert.Throws<ArgumentException>(() => new SoqlBuilder("Opportunity").Select(name));

    [Fact]
    public void Name_ObjectWithPath_IsRefused() => Assert.Throws<ArgumentException>(() => new SoqlBuilder("Account.Owner"));

    [Fact]
    public void Literal_EachSupportedType_IsFormattedForSoql()
    {
        Assert.Equal("2024-05-01", Soql.Literal(new DateOnly(2024, 5, 1)));
        Assert.Equal("2024-05-01T08:00:00Z", Soql.Literal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, 999, TimeSpan.FromHours(2))));
        Assert.Equal("2024-05-01T10:00:00Z", Soql.Literal(new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("1234.5", Soql.Literal(1234.5m));
        Assert.Equal("0.1", Soql.Literal(0.1));
        Assert.Equal("42", Soql.Literal(42L));
        Assert.Equal("true", Soql.Literal(true));
        Assert.Equal("null", Soql.Literal(null));
    }

    [Fact]
    public void Literal_AmbiguousOrUnsupportedValue_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => Soql.Literal(new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Local)));
        Assert.Throws<ArgumentException>(() => Soql.Literal(double.NaN));
        Assert.Throws<ArgumentException>(() => Soql.Literal(Guid.Empty));
    }

    [Fact]
    public void Build_FullQuery_ComposesClausesInOrder()
    {
        var soql = new SoqlBuilder("Opportunity")
            .Select("Id", "StageName", "Account.Industry", "id")
            .Where("IsClosed", "=", false)
            .Where("SystemModstamp", ">", new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero))
            .WhereIdIn("OwnerId", ["0055g00000AbCdE", "0055g00000AbCdF"])
            .WhereIn("StageName", ["Qualification", "Needs Analysis"])
            .OrderBy("SystemModstamp", descending: true)
            .Limit(100)
            .Build();

        Assert.Equal(
            "SELECT Id, StageName, Account.Industry FROM Opportunity WHERE IsClosed = false AND SystemModstamp > 2024-05-01T10:00:00Z " +
            "AND OwnerId IN ('0055g00000AbCdEAAV', '0055g00000AbCdFAAV') AND StageName IN ('Qualification', 'Needs Analysis') " +
            "ORDER BY SystemModstamp DESC LIMIT 100",
            soql);
    }

    [Fact]
    public void Build_Count_SelectsCountAndDropsOrdering() =>
        Assert.Equal("SELECT COUNT() FROM Task WHERE WhatId != null", new SoqlBuilder("Task").SelectCount().Where("WhatId", "!=", null).OrderBy("Id").Build());

    [Theory]
    [InlineData("OR")]
    [InlineData("= 1 OR Name =")]
    [InlineData("IN")]
    public void Where_UnknownOperator_IsRefused(string op) =>
        Assert.Throws<ArgumentException>(() => new SoqlBuilder("Opportunity").Where("Name", op, "x"));

    [Fact]
    public void Build_NoFields_IsRefused() => Assert.Throws<InvalidOperationException>(() => new SoqlBuilder("Opportunity").Build());
}
