using System.Net;
using System.Text;
using SfPredictor.DataExport;
using SfPredictor.LocalOrg.Tests.Infrastructure;
using SfPredictor.Records;

namespace SfPredictor.LocalOrg.Tests.Load;

/// <summary>
/// Generated exports of every awkward shape a real org has (long and short texts in any order, empty
/// cells first, Unicode, number-like texts, very wide rows) load and come back unchanged through the
/// write-back, apart from the one field a PATCH changed.
/// </summary>
public sealed class ExportRoundTripTests
{
    private const int Cases = 12;

    [Fact]
    public async Task LoadAndWriteBack_GeneratedExports_KeepEveryValue()
    {
        for (var seed = 1; seed <= Cases; seed++)
        {
            var random = new Random(seed);
            using var folder = new ExportFolder();
            var (header, rows) = Generate(random);
            folder.Write("Widget__c", header, rows);
            var patched = random.Next(rows.Count);

            await using (var org = await OrgHarness.StartAsync(folder.Path, configure: null, login: true))
            {
                var result = await org.SendJsonAsync(HttpMethod.Patch, OrgHarness.Api("composite/sobjects"), $$"""
                    {"records": [{"attributes": {"type": "Widget__c"}, "id": "{{rows[patched][0]}}", "Name": "patched ✓"}]}
                    """);
                Assert.True(result.Status == HttpStatusCode.OK && result.Text.Contains("\"success\":true", StringComparison.Ordinal), $"seed {seed}: {result.Text}");
                var first = Assert.Single(await org.RecordsAsync($"SELECT Id, Name FROM Widget__c WHERE Id = '{rows[0][0]}'"));
                Assert.Equal(patched == 0 ? "patched ✓" : rows[0][1], first.GetProperty("Name").GetString());
            }

            rows[patched][1] = "patched ✓";
            var written = folder.Read("Widget__c");
            Assert.Equal(rows.Count, written.Count);
            for (var r = 0; r < rows.Count; r++)
            {
                for (var c = 0; c < header.Length; c++)
                {
                    var expected = rows[r][c] ?? string.Empty;
                    Assert.True(expected == written[r][header[c]], $"seed {seed}, row {r}, field {header[c]}: the value changed");
                }
            }
        }
    }

    [Fact]
    public async Task StartAsync_LongTextAfterEmptyCells_Loads()
    {
        using var folder = new ExportFolder();
        var description = new string('x', 300);
        File.WriteAllText(folder.FileOf("Account"), $"Id,Description\n{Id(1)},\n{Id(2)},\n{Id(3)},{description}\n");

        await using var org = await OrgHarness.StartAsync(folder.Path, configure: null, login: true);

        var record = Assert.Single(await org.RecordsAsync($"SELECT Description FROM Account WHERE Id = '{Id(3)}'"));
        Assert.Equal(description, record.GetProperty("Description").GetString());
    }

    [Fact]
    public async Task StartAsync_SameIdTwice_NamesFileAndBothLines()
    {
        using var folder = new ExportFolder();
        File.WriteAllText(folder.FileOf("Account"), $"Id,Name\n{Id(1)},A\n{Id(2)},\"two\nlines\"\n{Id(3)},C\n{Id(2)[..15]},D\n");
        var options = new LocalOrgOptions { ExportDirectory = folder.Path, ClientSecret = "s" };

        var error = await Assert.ThrowsAsync<DataExportFormatException>(() => LocalOrgServer.StartAsync(options));

        Assert.EndsWith("Account.csv", error.FilePath, StringComparison.Ordinal);
        Assert.Equal(6, error.Line);
        Assert.Equal("Id", error.Field);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task StartAsync_OneLineFileOverTheRowLimit_RefusedNamingFileAndLine()
    {
        using var folder = new ExportFolder();
        using (var writer = new StreamWriter(folder.FileOf("Account")))
        {
            writer.Write("Id,Name,Description\n" + Id(1) + ",A,");
            var chunk = new string('y', 64 * 1024);
            for (var i = 0; i < 64; i++)
            {
                writer.Write(chunk);
            }
        }

        var options = new LocalOrgOptions { ExportDirectory = folder.Path, ClientSecret = "s", MaxFieldLength = 100_000, MaxRowLength = 200_000 };

        var error = await Assert.ThrowsAsync<DataExportFormatException>(() => LocalOrgServer.StartAsync(options));

        Assert.Equal(2, error.Line);
        Assert.Equal("Description", error.Field);
        Assert.Contains("100,000 characters", error.Message, StringComparison.Ordinal);
    }

    private static string Id(int n) => SalesforceId.Normalize($"a01{n:D12}");

    private static (string[] Header, List<string?[]> Rows) Generate(Random random)
    {
        var width = random.Next(4) == 0 ? random.Next(200, 400) : random.Next(2, 12);
        var header = new[] { "Id", "Name" }.Concat(Enumerable.Range(1, width).Select(i => $"Field{i}__c")).ToArray();
        var rowCount = random.Next(1, 40);

        // Some columns start with a run of empty cells, then take any kind of text.
        var emptyFirst = header.Select(_ => random.Next(3) == 0 ? random.Next(rowCount + 1) : 0).ToArray();
        var rows = new List<string?[]>();
        for (var r = 0; r < rowCount; r++)
        {
            var row = new string?[header.Length];
            row[0] = Id(r + 1);
            row[1] = $"Widget {r} {Unicode[random.Next(Unicode.Length)]}";
            for (var c = 2; c < header.Length; c++)
            {
                row[c] = r < emptyFirst[c] ? null : Text(random);
            }

            rows.Add(row);
        }

        return (header, rows);
    }

    private static readonly string[] NumberLike = ["007", "1e10", "-0", "3.14", "1,000", "0.10", "+5", "NaN", "12 345", "2025-03-01", "TRUE", "0"];
    private static readonly string[] Unicode = ["Zürich", "東京都", "😀 deal", "مرحبا", "e\u0301", "Ωmega", "𝔘𝔫𝔦", "\u00a0nbsp"];

    private static string? Text(Random random) => random.Next(8) switch
    {
        0 => null,
        1 => NumberLike[random.Next(NumberLike.Length)],
        2 => Unicode[random.Next(Unicode.Length)],
        3 => LongText(random, random.Next(65, 400)),
        4 => LongText(random, random.Next(400, random.Next(10) == 0 ? 140_000 : 3_000)),
        5 => "with, comma and \"quotes\"\r\nand lines\n",
        _ => LongText(random, random.Next(1, 64)),
    };

    private static string LongText(Random random, int length)
    {
        const string Letters = "abcdefghij ,\"\nKLMNOP0123456789äé€";
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            if (random.Next(50) == 0)
            {
                text.Append("😀");
            }
            else
            {
                text.Append(Letters[random.Next(Letters.Length)]);
            }
        }

        return text.ToString();
    }
}
