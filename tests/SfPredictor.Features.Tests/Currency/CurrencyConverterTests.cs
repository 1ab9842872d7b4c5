using SfPredictor.Features.Currency;
using SfPredictor.Features.Indexing;
using SfPredictor.Records;

namespace SfPredictor.Features.Tests.Currency;

public class CurrencyConverterTests
{
    private static readonly CurrencyType[] Rates =
    [
        new() { IsoCode = "USD", ConversionRate = 1m, IsCorporate = true },
        new() { IsoCode = "EUR", ConversionRate = 0.8m },
        new() { IsoCode = "JPY", ConversionRate = 150m },
    ];

    [Fact]
    public void ToCorporate_ForeignCurrency_DividesByItsRate()
    {
        var converter = new CurrencyConverter(Rates);

        Assert.Equal("USD", converter.TargetCurrency);
        Assert.True(converter.IsMultiCurrency);
        Assert.Equal(1000m, converter.ToCorporate(800m, "EUR"));
        Assert.Equal(100m, converter.ToCorporate(15000m, "jpy"));
        Assert.Equal(42m, converter.ToCorporate(42m, "USD"));
        Assert.Equal(42m, converter.ToCorporate(42m, null));
    }

    [Fact]
    public void ToCorporate_WithOverride_ConvertsToTheOverride()
    {
        var converter = new CurrencyConverter(Rates, "EUR");

        Assert.Equal("EUR", converter.TargetCurrency);
        Assert.Equal(800m, converter.ToCorporate(1000m, "USD"));
        Assert.Equal(0.8m, converter.ToCorporate(150m, "JPY"));
    }

    [Fact]
    public void ToCorporate_UnknownCurrency_NamesIt()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => new CurrencyConverter(Rates).ToCorporate(1m, "GBP"));
        Assert.Contains("GBP", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NonPositiveRateOrUnknownOverride_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CurrencyConverter([new CurrencyType { IsoCode = "EUR", ConversionRate = 0 }]));
        var e = Assert.Throws<ArgumentException>(() => new CurrencyConverter(Rates, "CHF"));
        Assert.Contains("CHF", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCorporate_SingleCurrencyOrg_LeavesAmountsAlone()
    {
        var converter = new CurrencyConverter([]);

        Assert.False(converter.IsMultiCurrency);
        Assert.Null(converter.TargetCurrency);
        Assert.Equal(5m, converter.ToCorporate(5m, "EUR"));
    }

    [Fact]
    public void Build_MultiCurrencyOrg_AmountFeatureIsInCorporateCurrency()
    {
        var org = new OrgBuilder().WithCustomStages();
        org.Currencies.AddRange(Rates);
        var eur = org.Opportunity(0, "Qualify", amount: 800, currency: "EUR");
        org.History(eur, 10, "Discover", amount: 1600);
        var usd = org.Opportunity(0, "Qualify", amount: 800, currency: "USD");
        var rows = new Rows(org.Build());

        Assert.Equal(1000f, rows.At(eur, 5, "amount"));
        Assert.Equal(2000f, rows.At(eur, 11, "amount"));
        Assert.Equal((float)Math.Log(2001), rows.At(eur, 11, "log_amount"), 4);
        Assert.Equal(800f, rows.At(usd, 5, "amount"));
    }

    [Fact]
    public void OrgIndex_AmountInCurrencyWithoutRate_NamesTheRecord()
    {
        var org = new OrgBuilder().WithCustomStages();
        org.Currencies.AddRange(Rates);
        var id = org.Opportunity(0, "Qualify", amount: 10, currency: "GBP", history: false);

        var e = Assert.Throws<ArgumentException>(() => new OrgIndex(org.Build(), new FeatureOptions()));
        Assert.Contains(id, e.Message, StringComparison.Ordinal);
        Assert.Contains("GBP", e.Message, StringComparison.Ordinal);
    }
}
