using System.Globalization;
using Microsoft.Extensions.Options;
using SfPredictor.LocalOrg.Soql;
using SfPredictor.LocalOrg.Tests.Infrastructure;

namespace SfPredictor.LocalOrg.Tests.Soql;

/// <summary>
/// The fiscal year setting (start month, named by the year it ends or starts in) as Salesforce's SOQL
/// documentation describes it: fiscal date literals, the date functions, and both through the API.
/// </summary>
public sealed class FiscalYearTests
{
    [Theory]
    [InlineData("2025-03-01", 4, "THIS_FISCAL_YEAR", 0, "2024-04-01", "2025-04-01")]
    [InlineData("2025-04-01", 4, "THIS_FISCAL_YEAR", 0, "2025-04-01", "2026-04-01")]
    [InlineData("2025-03-01", 4, "LAST_FISCAL_YEAR", 0, "2023-04-01", "2024-04-01")]
    [InlineData("2025-03-01", 4, "NEXT_FISCAL_YEAR", 0, "2025-04-01", "2026-04-01")]
    [InlineData("2025-03-01", 4, "THIS_FISCAL_QUARTER", 0, "2025-01-01", "2025-04-01")]
    [InlineData("2025-03-01", 4, "NEXT_FISCAL_QUARTER", 0, "2025-04-01", "2025-07-01")]
    [InlineData("2025-03-01", 4, "LAST_N_FISCAL_YEARS", 2, "2022-04-01", "2024-04-01")]
    [InlineData("2025-03-01", 4, "NEXT_N_FISCAL_QUARTERS", 2, "2025-04-01", "2025-10-01")]
    [InlineData("2025-03-01", 4, "N_FISCAL_QUARTERS_AGO", 1, "2024-10-01", "2025-01-01")]
    [InlineData("2025-03-01", 4, "N_FISCAL_YEARS_AGO", 2, "2022-04-01", "2023-04-01")]
    [InlineData("2025-03-01", 10, "THIS_FISCAL_QUARTER", 0, "2025-01-01", "2025-04-01")]
    [InlineData("2025-03-01", 10, "THIS_FISCAL_YEAR", 0, "2024-10-01", "2025-10-01")]
    [InlineData("2025-01-15", 2, "THIS_FISCAL_QUARTER", 0, "2024-11-01", "2025-02-01")]
    [InlineData("2025-03-01", 1, "THIS_FISCAL_YEAR", 0, "2025-01-01", "2026-01-01")]
    [InlineData("2025-03-01", 4, "THIS_QUARTER", 0, "2025-01-01", "2025-04-01")]
    [InlineData("2025-03-01", 4, "THIS_YEAR", 0, "2025-01-01", "2026-01-01")]
    public void Resolve_FiscalLiteral_CoversTheFiscalPeriod(string today, int startMonth, string keyword, int n, string start, string end)
    {
        var range = DateKeywords.Resolve(keyword, n, Day(today), new FiscalYear(startMonth, FiscalYearBasis.EndingMonth));

        Assert.Equal((Day(start), Day(end)), range);
    }

    [Theory]
    [InlineData("2025-03-20", 4, FiscalYearBasis.EndingMonth, "FISCAL_YEAR", 2025)]
    [InlineData("2025-03-20", 4, FiscalYearBasis.StartingMonth, "FISCAL_YEAR", 2024)]
    [InlineData("2025-04-15", 4, FiscalYearBasis.EndingMonth, "FISCAL_YEAR", 2026)]
    [InlineData("2025-04-15", 4, FiscalYearBasis.StartingMonth, "FISCAL_YEAR", 2025)]
    [InlineData("2025-12-31", 1, FiscalYearBasis.EndingMonth, "FISCAL_YEAR", 2025)]
    [InlineData("2025-12-31", 1, FiscalYearBasis.StartingMonth, "FISCAL_YEAR", 2025)]
    [InlineData("2025-03-15", 3, FiscalYearBasis.EndingMonth, "FISCAL_MONTH", 1)]
    [InlineData("2025-02-10", 3, FiscalYearBasis.EndingMonth, "FISCAL_MONTH", 12)]
    [InlineData("2025-07-15", 7, FiscalYearBasis.EndingMonth, "FISCAL_QUARTER", 1)]
    [InlineData("2025-06-06", 7, FiscalYearBasis.EndingMonth, "FISCAL_QUARTER", 4)]
    [InlineData("2025-01-10", 10, FiscalYearBasis.EndingMonth, "FISCAL_QUARTER", 2)]
    [InlineData("2025-04-15", 4, FiscalYearBasis.EndingMonth, "CALENDAR_YEAR", 2025)]
    [InlineData("2025-04-15", 4, FiscalYearBasis.EndingMonth, "CALENDAR_QUARTER", 2)]
    [InlineData("2025-04-15", 4, FiscalYearBasis.EndingMonth, "CALENDAR_MONTH", 4)]
    public void Apply_DateFunction_AnswersAsSalesforceDocuments(string day, int startMonth, FiscalYearBasis basis, string function, int expected)
    {
        Assert.Equal(expected, DateFunctions.Apply(function, Day(day), new FiscalYear(startMonth, basis)));
    }

    [Theory]
    [InlineData(FiscalYearBasis.EndingMonth, "2025:250900", "2026:1550")]
    [InlineData(FiscalYearBasis.StartingMonth, "2024:250900", "2025:1550")]
    public async Task Query_GroupByFiscalYear_FollowsTheSetting(FiscalYearBasis basis, string first, string second)
    {
        await using var org = await OrgHarness.StartAsync(configure: o => (o.FiscalYearStartMonth, o.FiscalYearBasedOn) = (4, basis));

        var records = await org.RecordsAsync(
            "SELECT FISCAL_YEAR(CloseDate) fy, SUM(Amount) total FROM Opportunity GROUP BY FISCAL_YEAR(CloseDate) ORDER BY FISCAL_YEAR(CloseDate)");

        Assert.Equal([first, second], records.Select(r => $"{r.GetProperty("fy").GetInt32()}:{r.GetProperty("total").GetDecimal()}"));
    }

    [Fact]
    public async Task Query_FiscalLiteralAndFunctionInWhere_FollowTheStartMonth()
    {
        await using var org = await OrgHarness.StartAsync(configure: o => o.FiscalYearStartMonth = 4);

        var thisYear = await org.RecordsAsync("SELECT Name FROM Opportunity WHERE CloseDate = THIS_FISCAL_YEAR ORDER BY Name");
        var firstQuarter = await org.RecordsAsync("SELECT Name FROM Opportunity WHERE FISCAL_QUARTER(CloseDate) = 1 AND FISCAL_MONTH(CloseDate) <= 3 ORDER BY Name");

        Assert.Equal(["Acme Renewal", "Globex Pilot", "Initech Deal"], thisYear.Select(r => r.GetProperty("Name").GetString()));
        Assert.Equal(["Acme Expansion", "Orphan Opportunity"], firstQuarter.Select(r => r.GetProperty("Name").GetString()));
    }

    [Fact]
    public async Task Query_WithoutTheSetting_FiscalYearIsTheCalendarYear()
    {
        await using var org = await OrgHarness.StartAsync();

        var thisYear = await org.RecordsAsync("SELECT Name FROM Opportunity WHERE CloseDate = THIS_FISCAL_YEAR ORDER BY Name");
        var years = await org.RecordsAsync(
            "SELECT FISCAL_YEAR(CreatedDate), CALENDAR_QUARTER(CreatedDate) q, COUNT(Id) FROM Opportunity GROUP BY FISCAL_YEAR(CreatedDate), CALENDAR_QUARTER(CreatedDate) ORDER BY FISCAL_YEAR(CreatedDate), CALENDAR_QUARTER(CreatedDate)");

        Assert.Equal(["Acme Expansion", "Acme Renewal", "Orphan Opportunity"], thisYear.Select(r => r.GetProperty("Name").GetString()));
        Assert.Equal(
            ["2024 Q3 1", "2024 Q4 1", "2025 Q1 3"],
            years.Select(r => $"{r.GetProperty("expr0").GetInt32()} Q{r.GetProperty("q").GetInt32()} {r.GetProperty("expr1").GetInt32()}"));
    }

    [Theory]
    [InlineData(0, FiscalYearBasis.EndingMonth, "FiscalYearStartMonth")]
    [InlineData(13, FiscalYearBasis.EndingMonth, "FiscalYearStartMonth")]
    [InlineData(4, (FiscalYearBasis)7, "FiscalYearBasedOn")]
    public async Task StartAsync_FiscalSettingOutOfRange_NamesTheSetting(int startMonth, FiscalYearBasis basis, string setting)
    {
        using var folder = new ExportFolder();
        SampleExport.Write(folder);
        var options = new LocalOrgOptions { ExportDirectory = folder.Path, ClientSecret = "s", FiscalYearStartMonth = startMonth, FiscalYearBasedOn = basis };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => LocalOrgServer.StartAsync(options));

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
