namespace SfPredictor.Records.Tests;

public sealed class RecordValuesTests
{
    [Theory]
    [InlineData("2024-03-01 14:05:09", "2024-03-01T14:05:09.0000000+00:00")]
    [InlineData("2024-03-01T14:05:09Z", "2024-03-01T14:05:09.0000000+00:00")]
    [InlineData("2024-03-01T14:05:09.000+0000", "2024-03-01T14:05:09.0000000+00:00")]
    [InlineData("2024-03-01T14:05:09.123Z", "2024-03-01T14:05:09.1230000+00:00")]
    [InlineData("2024-03-01T16:05:09+02:00", "2024-03-01T14:05:09.0000000+00:00")]
    [InlineData("2024-03-01T00:30:00-0100", "2024-03-01T01:30:00.0000000+00:00")]
    [InlineData("2024-03-01T14:05:09", "2024-03-01T14:05:09.0000000+00:00")]
    public void TryParseDateTime_SalesforceAndIsoForms_ReturnsUtc(string text, string expected)
    {
        Assert.True(RecordValues.TryParseDateTime(text, out var value));
        Assert.Equal(TimeSpan.Zero, value.Offset);
        Assert.Equal(expected, value.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2024-03-01")]
    [InlineData("2024-02-30 10:00:00")]
    [InlineData("2024-03-01 24:00:00")]
    [InlineData("01/03/2024 10:00")]
    [InlineData("2024-03-01 10:00:00 PM")]
    [InlineData("2024-03-01T10:00:00+25:00")]
    [InlineData("0001-01-01 00:00:00")]
    [InlineData("")]
    public void TryParseDateTime_MalformedText_ReturnsFalse(string text)
    {
        Assert.False(RecordValues.TryParseDateTime(text, out _));
    }

    [Theory]
    [InlineData("2024-03-01", true)]
    [InlineData("2024-03-01T00:00:00.000Z", true)]
    [InlineData("2024-03-01T10:00:00Z", false)]
    [InlineData("2024-13-01", false)]
    [InlineData("3/1/2024", false)]
    public void TryParseDate_Forms_AcceptsOnlyDatesAndMidnight(string text, bool accepted)
    {
        Assert.Equal(accepted, RecordValues.TryParseDate(text, out var value));
        if (accepted)
        {
            Assert.Equal(new DateOnly(2024, 3, 1), value);
        }
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    public void TryParseBoolean_DataExportAndDataLoaderForms_Parses(string text, bool expected)
    {
        Assert.True(RecordValues.TryParseBoolean(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("2")]
    [InlineData("")]
    public void TryParseBoolean_OtherText_ReturnsFalse(string text)
    {
        Assert.False(RecordValues.TryParseBoolean(text, out _));
    }

    [Fact]
    public void TryParseDecimal_InvariantForms_ParsesAndRejectsGrouping()
    {
        Assert.True(RecordValues.TryParseDecimal("-1234.50", out var plain));
        Assert.Equal(-1234.50m, plain);
        Assert.True(RecordValues.TryParseDecimal("1.5E6", out var exponent));
        Assert.Equal(1_500_000m, exponent);
        Assert.False(RecordValues.TryParseDecimal("1,234.50", out _));
        Assert.False(RecordValues.TryParseDecimal("12,5", out _));
    }

    [Fact]
    public void TryParseInt32_WholeDecimal_Accepted()
    {
        Assert.True(RecordValues.TryParseInt32("250.0", out var value));
        Assert.Equal(250, value);
        Assert.False(RecordValues.TryParseInt32("250.5", out _));
    }

    [Fact]
    public void Parse_MalformedText_ThrowsFormatExceptionNamingValue()
    {
        var error = Assert.Throws<FormatException>(() => RecordValues.ParseDateTime("yesterday"));

        Assert.Contains("'yesterday'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_Values_WritesDataExportForms()
    {
        var time = new DateTimeOffset(2024, 3, 1, 16, 5, 9, 500, TimeSpan.FromHours(2));

        Assert.Equal("2024-03-01 14:05:09", RecordValues.FormatDateTime(time));
        Assert.Equal("2024-03-01", RecordValues.FormatDate(new DateOnly(2024, 3, 1)));
        Assert.Equal("1", RecordValues.FormatBoolean(true));
        Assert.Equal("0", RecordValues.FormatBoolean(false));
        Assert.Equal("1234.50", RecordValues.FormatDecimal(1234.50m));
    }

    [Theory]
    [InlineData("EUR", "EUR")]
    [InlineData("usd", "USD")]
    [InlineData("Chf", "CHF")]
    public void TryParseCurrencyCode_ThreeLetters_ReturnsUpperCase(string text, string expected)
    {
        Assert.True(RecordValues.TryParseCurrencyCode(text, out var code));
        Assert.Equal(expected, code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    [InlineData(" EU")]
    [InlineData("€UR")]
    public void TryParseCurrencyCode_NotThreeAsciiLetters_ReturnsFalse(string text)
    {
        Assert.False(RecordValues.TryParseCurrencyCode(text, out _));
        Assert.Throws<FormatException>(() => RecordValues.ParseCurrencyCode(text));
    }

    [Fact]
    public void TryParseId_FifteenCharacters_ReturnsEighteenCharacterForm()
    {
        Assert.True(RecordValues.TryParseId("0065g00000AbCdE", out var id));
        Assert.Equal(18, id.Length);
        Assert.StartsWith("0065g00000AbCdE", id, StringComparison.Ordinal);
        Assert.Equal(id, RecordValues.ParseId(id));
        Assert.False(RecordValues.TryParseId("0065g00000AbCd", out _));
        Assert.Throws<FormatException>(() => RecordValues.ParseId("not-an-id-0000"));
    }

    [Theory]
    [InlineData("2024-05-01T10:00:00.000+0000")]
    [InlineData("2024-05-01T10:00:00.000Z")]
    [InlineData("2024-05-01 10:00:00")]
    [InlineData("2024-05-01T12:00:00+02:00")]
    public void TryParseDateTime_RestBulkAndExportForms_AgreeOnTheInstant(string text)
    {
        // REST answers with +0000, Bulk CSV with Z, Data Export with a space: one instant, one parser.
        Assert.True(RecordValues.TryParseDateTime(text, out var value));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero), value);
    }

    [Theory]
    [InlineData("1.5E+6", 1_500_000)]
    [InlineData("-12.25", -12.25)]
    [InlineData("100", 100)]
    public void TryParseDecimal_JsonNumberText_Parses(string text, double expected)
    {
        Assert.True(RecordValues.TryParseDecimal(text, out var value));
        Assert.Equal((decimal)expected, value);
    }
}
