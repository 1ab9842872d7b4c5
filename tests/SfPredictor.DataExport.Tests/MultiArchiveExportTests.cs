using SfPredictor.Records;

namespace SfPredictor.DataExport.Tests;

/// <summary>
/// A large org's Data Export comes as several ZIP archives, each unzipped into its own subfolder,
/// with one object's rows spread over them.
/// </summary>
public sealed class MultiArchiveExportTests
{
    private const string OpportunityHeader = "\"Id\",\"StageName\",\"CloseDate\",\"IsClosed\",\"IsWon\",\"CreatedDate\"\r\n";

    private static string Opportunity(int n) =>
        $"\"006000000000{n:D3}\",\"Qualify\",\"2024-09-30\",\"0\",\"0\",\"2024-01-{n % 28 + 1:D2} 10:30:00\"\r\n";

    private static string Task(int n) =>
        $"\"00T000000000{n:D3}\",\"006000000000{n % 3:D3}\",\"Call {n}\",\"1\",\"2024-02-01 15:00:00\"\r\n";

    private static void WriteThreeArchives(TempFolder folder)
    {
        folder.Write("WE_00D_1/Opportunity.csv", OpportunityHeader + Opportunity(0) + Opportunity(1));
        folder.Write("WE_00D_1/Task.csv", "\"Id\",\"WhatId\",\"Subject\",\"IsClosed\",\"CreatedDate\"\r\n" + Task(0) + Task(1));

        // Another archive of the same export: the rest of the Tasks, columns in another order.
        folder.Write("WE_00D_2/Task.csv", "\"Subject\",\"Id\",\"CreatedDate\",\"IsClosed\",\"WhatId\"\r\n" +
            "\"Call 2\",\"00T000000000002\",\"2024-02-01 15:00:00\",\"1\",\"006000000000002\"\r\n");
        folder.Write("WE_00D_3/Opportunity.csv", OpportunityHeader + Opportunity(2));

        // Not an archive: a folder of other files, such as a generated org's truth.
        folder.Write("_truth/Opportunity.csv", OpportunityHeader + Opportunity(9));
    }

    [Fact]
    public void Read_ObjectSpreadOverArchiveSubfolders_ReadsEveryPartInOrder()
    {
        using var folder = new TempFolder();
        WriteThreeArchives(folder);

        var result = DataExportReader.Read(folder.Path);

        Assert.Equal(
            ["006000000000000", "006000000000001", "006000000000002"],
            result.Data.Opportunities.Select(o => o.Id[..15]));
        Assert.Equal(["Call 0", "Call 1", "Call 2"], result.Data.Tasks.Select(t => t.Subject));
        Assert.Equal(SalesforceId.Normalize("006000000000002"), result.Data.Tasks[2].WhatId);
        Assert.Equal(
            [Path.Combine("WE_00D_1", "Opportunity.csv"), Path.Combine("WE_00D_3", "Opportunity.csv")],
            result.Files.Where(f => f.FileName.EndsWith("Opportunity.csv", StringComparison.Ordinal)).Select(f => f.FileName));
        Assert.Equal(
            [(Path.Combine("WE_00D_1", "Task.csv"), 2L), (Path.Combine("WE_00D_2", "Task.csv"), 1L)],
            result.Files.Where(f => f.FileName.EndsWith("Task.csv", StringComparison.Ordinal)).Select(f => (f.FileName, f.RowsRead)));
    }

    [Fact]
    public void Read_MalformedValueInALaterPart_NamesThatPartsFile()
    {
        using var folder = new TempFolder();
        WriteThreeArchives(folder);
        folder.Write("WE_00D_3/Opportunity.csv", OpportunityHeader + "\"006000000000002\",\"Qualify\",\"30/09/2024\",\"0\",\"0\",\"2024-01-02 10:30:00\"\r\n");

        var error = Assert.Throws<DataExportFormatException>(() => DataExportReader.Read(folder.Path));

        Assert.Equal(Path.Combine(folder.Path, "WE_00D_3", "Opportunity.csv"), error.FilePath);
        Assert.Equal(2, error.Line);
        Assert.Equal("CloseDate", error.Field);
    }

    [Fact]
    public void FindParts_RootFileFirstThenSubfoldersByName()
    {
        using var folder = new TempFolder();
        folder.Write("b/task.CSV", "Id\r\n");
        folder.Write("a/Task.csv", "Id\r\n");
        folder.Write("Task.csv", "Id\r\n");
        folder.Write(".hidden/Task.csv", "Id\r\n");

        var parts = DataExportFiles.FindParts(folder.Path, DataExportFiles.Task);

        Assert.Equal(
            [Path.Combine(folder.Path, "Task.csv"), Path.Combine(folder.Path, "a", "Task.csv"), Path.Combine(folder.Path, "b", "task.CSV")],
            parts);
    }

    [Fact]
    public void Write_IntoAFolderHoldingParts_RefusesInsteadOfDoublingRecords()
    {
        using var folder = new TempFolder();
        WriteThreeArchives(folder);
        var data = DataExportReader.Read(folder.Path).Data;

        var error = Assert.Throws<IOException>(() => DataExportWriter.Write(data, folder.Path));

        Assert.Contains("several parts", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("WE_00D_1", "Opportunity.csv"), error.Message, StringComparison.Ordinal);
        Assert.Equal(3, DataExportReader.Read(folder.Path).Data.Opportunities.Count);
    }
}
