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
        AllIds = [.. org.Data.Opportunities.Select(o => o.Id).Order(StringComparer.Ordinal)];
    }

    internal ExportFolder Folder { get; } = new();

    internal IReadOnlyList<string> OpenIds { get; }

    internal IReadOnlyList<string> AllIds { get; }

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

    [Fact]
    public async Task Query_InListOf400Ids_IsAcceptedAsSalesforceAcceptsUrisUpTo16KB()
    {
        await using var org = await StartAsync(generated.Folder.Path, login: true);
        var ids = generated.AllIds.Take(400).ToList();
        Assert.Equal(400, ids.Count);

        var soql = $"SELECT Id FROM Opportunity WHERE Id IN ('{string.Join("','", ids)}') ORDER BY Id";
        Assert.True(Uri.EscapeDataString(soql).Length > 8_192, "the query should exceed Kestrel's default request line");

        var result = await org.QueryAsync(soql);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(400, result.Body.GetProperty("totalSize").GetInt32());
        Assert.Equal(ids.Take(100), result.Body.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Id").GetString()));
    }

    [Fact]
    public async Task Update_ExportSplitOverTwoArchives_ServesBothPartsAndWritesEachRowBackToItsPart()
    {
        // Archive 1 holds every object and the first 300 Opportunities; archive 2 the other 300.
        using var copy = new ExportFolder();
        var first = Directory.CreateDirectory(Path.Combine(copy.Path, "WE_00D_1")).FullName;
        var second = Directory.CreateDirectory(Path.Combine(copy.Path, "WE_00D_2")).FullName;
        foreach (var file in Directory.EnumerateFiles(generated.Folder.Path, "*.csv"))
        {
            File.Copy(file, Path.Combine(first, Path.GetFileName(file)));
        }

        var (header, rows) = ReadRows(Path.Combine(first, "Opportunity.csv"));
        ExportCsvWriter.Write(Path.Combine(first, "Opportunity.csv"), header, rows.Take(300));
        ExportCsvWriter.Write(Path.Combine(second, "Opportunity.csv"), header, rows.Skip(300));
        var secondPartIds = rows.Skip(300).Select(r => r[0]!).ToHashSet(StringComparer.Ordinal);

        await using var org = await StartAsync(copy.Path, login: true);
        var count = await org.QueryAsync("SELECT COUNT() FROM Opportunity WHERE IsClosed = false");
        Assert.Equal(generated.OpenIds.Count, count.Body.GetProperty("totalSize").GetInt32());

        var ids = generated.OpenIds;
        Assert.Contains(ids, id => secondPartIds.Contains(id[..15]) || secondPartIds.Contains(id));
        Assert.Contains(ids, id => !(secondPartIds.Contains(id[..15]) || secondPartIds.Contains(id)));
        var records = string.Join(",", ids.Select(id => $$"""{"attributes": {"type": "Opportunity"}, "id": "{{id}}", "SfP_Win_Probability__c": 42}"""));
        var result = await org.SendJsonAsync(HttpMethod.Patch, OrgHarness.Api("composite/sobjects"), $$"""{"allOrNone": true, "records": [{{records}}]}""");
        await org.Server.DisposeAsync();

        Assert.All(result.Body.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean()));
        Assert.Equal(300, ReadRows(Path.Combine(first, "Opportunity.csv")).Rows.Count);
        Assert.Equal(300, ReadRows(Path.Combine(second, "Opportunity.csv")).Rows.Count);
        var reread = DataExportReader.Read(copy.Path).Data.Opportunities.ToDictionary(o => o.Id);
        Assert.Equal(600, reread.Count);
        Assert.All(ids, id => Assert.Equal("42", reread[id].Custom["SfP_Win_Probability__c"]));
        Assert.Equal(ids.Count, reread.Values.Count(o => o.Custom.GetValueOrDefault("SfP_Win_Probability__c") is not null));
    }

    private static (string[] Header, List<string?[]> Rows) ReadRows(string path)
    {
        using var reader = ExportCsvReader.Open(path);
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader[i])]);
        }

        return ([.. reader.Header], rows);
    }

    private static Task<OrgHarness> StartAsync(string folder, bool login) =>
        OrgHarness.StartAsync(folder, o =>
        {
            o.QueryBatchSize = 100;
            o.CustomFields.Add("Opportunity.SfP_Win_Probability__c:percent");
        }, login);
}
