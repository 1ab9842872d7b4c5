using Microsoft.Extensions.Options;
using SfPredictor.DataExport;
using SfPredictor.LocalOrg.Tests.Infrastructure;

namespace SfPredictor.LocalOrg.Tests.Hosting;

public sealed class LocalOrgServerTests
{
    [Fact]
    public async Task StartAsync_SampleExport_ReportsWhatItLoaded()
    {
        await using var org = await OrgHarness.StartAsync(login: false);

        Assert.Equal(6, org.Server.Load.RowCounts["Opportunity"]);
        Assert.Equal(14, org.Server.Load.TotalRows);
        Assert.Equal("127.0.0.1", org.Server.BaseUri.Host);
        Assert.NotEqual(0, org.Server.BaseUri.Port);
    }

    [Fact]
    public async Task StartAsync_MissingFolderAndNoCredentials_NamesTheSettings()
    {
        var options = new LocalOrgOptions { ExportDirectory = "/nonexistent/export", ClientSecret = null };
        options.CustomFields.Add("Opportunity.Broken");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => LocalOrgServer.StartAsync(options));

        Assert.Contains("LocalOrg:ExportDirectory '/nonexistent/export' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("LocalOrg:ClientSecret or LocalOrg:PublicKeyPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("LocalOrg:CustomFields entry 'Opportunity.Broken'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_CustomFieldOnMissingObject_NamesTheObject()
    {
        using var folder = new ExportFolder();
        SampleExport.Write(folder);
        var options = new LocalOrgOptions { ExportDirectory = folder.Path, ClientSecret = "s" };
        options.CustomFields.Add("Lead.Score__c:double");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalOrgServer.StartAsync(options));

        Assert.Contains("names object 'Lead', but the export has no Lead.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_RaggedCsvRow_NamesFileAndLine()
    {
        using var folder = new ExportFolder();
        File.WriteAllText(folder.FileOf("Account"), "\"Id\",\"Name\"\n\"001000000000001AAA\",\"Acme\"\n\"001000000000002AAA\"\n");
        var options = new LocalOrgOptions { ExportDirectory = folder.Path, ClientSecret = "s" };

        var error = await Assert.ThrowsAsync<DataExportFormatException>(() => LocalOrgServer.StartAsync(options));

        Assert.Equal(3, error.Line);
        Assert.EndsWith("Account.csv", error.FilePath, StringComparison.Ordinal);
    }
}
