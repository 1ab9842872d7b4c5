namespace SfPredictor.DataExport.Tests;

public sealed class ExportValuesTests
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
        Assert.True(ExportValues.TryParseDateTime(text, out var value));
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
        Assert.False(ExportValues.TryParseDateTime(text, out _));
    }

    [Theory]
    [InlineData("2024-03-01", true)]
    [InlineData("2024-03-01T00:00:00.000Z", true)]
    [InlineData("2024-03-01T10:00:00Z", false)]
    [InlineData("2024-13-01", false)]
    [InlineData("3/1/2024", false)]
    public void TryParseDate_Forms_AcceptsOnlyDatesAndMidnight(string text, bool accepted)
    {
        Assert.Equal(accepted, ExportValues.TryParseDate(text, out var value));
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
        Assert.True(ExportValues.TryParseBoolean(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("2")]
    [InlineData("")]
    public void TryParseBoolean_OtherText_ReturnsFalse(string text)
    {
        Assert.False(ExportValues.TryParseBoolean(text, out _));
    }

    [Fact]
    public void TryParseDecimal_InvariantForms_ParsesAndRejectsGrouping()
    {
        Assert.True(ExportValues.TryParseDecimal("-1234.50", out var plain));
        Assert.Equal(-1234.50m, plain);
        Assert.True(ExportValues.TryParseDecimal("1.5E6", out var exponent));
        Assert.Equal(1_500_000m, exponent);
        Assert.False(ExportValues.TryParseDecimal("1,234.50", out _));
        Assert.False(ExportValues.TryParseDecimal("12,5", out _));
    }

    [Fact]
    public void TryParseInt32_WholeDecimal_Accepted()
    {
        Assert.True(ExportValues.TryParseInt32("250.0", out var value));
        Assert.Equal(250, value);
        Assert.False(ExportValues.TryParseInt32("250.5", out _));
    }

    [Fact]
    public void Parse_MalformedText_ThrowsFormatExceptionNamingValue()
    {
        var error = Assert.Throws<FormatException>(() => ExportValues.ParseDateTime("yesterday"));

        Assert.Contains("'yesterday'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_Values_WritesDataExportForms()
    {
        var time = new DateTimeOffset(2024, 3, 1, 16, 5, 9, 500, TimeSpan.FromHours(2));

        Assert.Equal("2024-03-01 14:05:09", ExportValues.FormatDateTime(time));
        Assert.Equal("2024-03-01", ExportValues.FormatDate(new DateOnly(2024, 3, 1)));
        Assert.Equal("1", ExportValues.FormatBoolean(true));
        Assert.Equal("0", ExportValues.FormatBoolean(false));
        Assert.Equal("1234.50", ExportValues.FormatDecimal(1234.50m));
    }
}
