using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SfPredictor.DataExport;
using SfPredictor.LocalOrg.Tests.Infrastructure;
using SfPredictor.SyntheticOrg;

namespace SfPredictor.LocalOrg.Tests.EndToEnd;

/// <summary>A generated org (the generate-org verb's library), written as a Data Export folder once for the class.</summary>
public sealed class GeneratedExport : IDisposable
{
    public GeneratedExport()
    {
        var org = SyntheticOrgGenerator.Generate(new SyntheticOrgOptions { Opportunities = 600, Seed = 7 });
        SyntheticOrgGenerator.Write(org, Folder.Path);
        OpenIds = [.. org.Data.Opportunities.Where(o => !o.IsClosed).Select(o => o.Id).Order(StringComparer.Ordinal)];
    }

    internal ExportFolder Folder { get; } = new();

    internal IReadOnlyList<string> OpenIds { get; }

    public void Dispose() => Folder.Dispose();
}

/// <summary>The acceptance path: generate-org, then local-org on the result.</summary>
public sealed class GeneratedOrgTests(GeneratedExport generated) : IClassFixture<GeneratedExport>
{
    private const string OpenWithAccounts =
        "SELECT Id, Name, StageName, Amount, CloseDate, Account.Name, Account.Industry FROM Opportunity WHERE IsClosed = false ORDER BY Id";

    [Fact]
    public async Task Query_OpenOpportunitiesWithAccountFields_PagesThroughEveryOne()
    {
        await using var org = await StartAsync(generated.Folder.Path, login: true);

        var records = new List<JsonElement>();
        var result = await org.QueryAsync(OpenWithAccounts);
        var pages = 1;
        while (true)
        {
            Assert.Equal(HttpStatusCode.OK, result.Status);
            records.AddRange(result.Body.GetProperty("records").EnumerateArray());
            if (result.Body.GetProperty("done").GetBoolean())
            {
                break;
            }

            result = await org.GetAsync(result.Body.GetProperty("nextRecordsUrl").GetString()!);
            pages++;
        }

        Assert.True(generated.OpenIds.Count > 100, $"only {generated.OpenIds.Count} open Opportunities");
        Assert.Equal((generated.OpenIds.Count + 99) / 100, pages);
        Assert.Equal(generated.OpenIds, records.Select(r => r.GetProperty("Id").GetString()));
        Assert.All(records, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("Account").GetProperty("Name").GetString())));
        Assert.All(records, r => Assert.Equal(JsonValueKind.Number, r.GetProperty("Amount").ValueKind));
    }

    [Fact]
    public async Task Update_WinProbabilities_PersistToTheGeneratedExport()
    {
        using var copy = new ExportFolder();
        foreach (var file in Directory.EnumerateFiles(generated.Folder.Path, "*.csv"))
        {
            File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        }

        await using var org = await StartAsync(copy.Path, login: true);
        var ids = generated.OpenIds.Take(200).ToList();
        var records = string.Join(",", ids.Select((id, i) => string.Create(
            CultureInfo.InvariantCulture, $$"""{"attributes": {"type": "Opportunity"}, "id": "{{id}}", "SfP_Win_Probability__c": {{i / 200m}}}""")));

        var result = await org.SendJsonAsync(HttpMethod.Patch, OrgHarness.Api("composite/sobjects"), $$"""{"allOrNone": true, "records": [{{records}}]}""");
        await org.Server.DisposeAsync();

        Assert.All(result.Body.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean()));
        var reread = DataExportReader.Read(copy.Path).Data.Opportunities.ToDictionary(o => o.Id);
        Assert.Equal(600, reread.Count);
        Assert.Equal(
            ids.Select((_, i) => (i / 200m).ToString(CultureInfo.InvariantCulture)),
            ids.Select(id => reread[id].Custom["SfP_Win_Probability__c"]));
        Assert.All(ids, id => Assert.Equal(OrgHarness.Start, reread[id].SystemModstamp));
    }

    private static Task<OrgHarness> StartAsync(string folder, bool login) =>
        OrgHarness.StartAsync(folder, o =>
        {
            o.QueryBatchSize = 100;
            o.CustomFields.Add("Opportunity.SfP_Win_Probability__c:percent");
        }, login);
}
