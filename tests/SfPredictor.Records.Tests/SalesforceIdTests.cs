using SfPredictor.Records;

namespace SfPredictor.Records.Tests;

public class SalesforceIdTests
{
    [Theory]
    [InlineData("0016g00000AbCdE", "0016g00000AbCdEAAV")]
    [InlineData("001000000000001", "001000000000001AAA")]
    [InlineData("006AAAAAAAAAAAA", "006AAAAAAAAAAAAY55")]
    public void Normalize_FifteenCharacterId_AppendsCaseChecksum(string id15, string expected)
    {
        Assert.Equal(expected, SalesforceId.Normalize(id15));
    }

    [Fact]
    public void Comparer_EighteenCharacterIdsInOtherCase_AreEqual()
    {
        var id = SalesforceId.Normalize("0016g00000AbCdE");

        Assert.Equal("0016G00000ABCDEAAV", id, SalesforceId.Comparer);
    }

    [Fact]
    public void Normalize_EighteenCharacterIdInAnotherCase_RestoresTheCanonicalCase()
    {
        // A spreadsheet that upper-cases Ids keeps them usable: the suffix says which letters were upper case.
        Assert.Equal("0016g00000AbCdEAAV", SalesforceId.Normalize("0016G00000ABCDEAAV"));
        Assert.Equal("0016g00000AbCdEAAV", SalesforceId.Normalize("0016g00000abcdeaav"));
    }

    [Fact]
    public void IsValid_SuffixMarkingADigitUpperCase_IsFalse()
    {
        Assert.False(SalesforceId.IsValid("001000000000001AAB"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("001")]
    [InlineData("0016g00000AbCd'")]
    [InlineData("0016g00000AbCdE' OR Name != '")]
    public void Normalize_NotAnId_ThrowsFormatException(string value)
    {
        Assert.Throws<FormatException>(() => SalesforceId.Normalize(value));
    }
}
