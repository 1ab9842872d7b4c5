using System.Text;

namespace SfPredictor.DataExport.Tests;

public sealed class ExportCsvWriterTests
{
    [Fact]
    public void Write_Fields_QuotesEveryFieldAndDoublesQuotes()
    {
        using var stream = new MemoryStream();

        ExportCsvWriter.Write(stream, ["Id", "Subject"], [["1", "He said \"hi\", then left"], ["2", null], ["3", "two\nlines"]]);

        Assert.Equal(
            "\"Id\",\"Subject\"\n\"1\",\"He said \"\"hi\"\", then left\"\n\"2\",\"\"\n\"3\",\"two\nlines\"\n",
            Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Write_ThenRead_GivesTheSameFields()
    {
        string?[][] rows = [["1", "Café, \"Société\"", "a\r\nb"], ["2", "", "€"]];
        using var stream = new MemoryStream();
        ExportCsvWriter.Write(stream, ["Id", "Name", "Notes"], rows);
        stream.Position = 0;

        using var reader = ExportCsvReader.Open(stream, "Round.csv");
        var read = new List<string?[]>();
        while (reader.Read())
        {
            read.Add([reader[0], reader[1], reader[2]]);
        }

        Assert.Equal(rows, read);
    }

    [Fact]
    public void Write_RaggedRow_ThrowsNamingRow()
    {
        using var stream = new MemoryStream();

        var error = Assert.Throws<ArgumentException>(() => ExportCsvWriter.Write(stream, ["Id", "Name"], [["1", "a"], ["2"]]));

        Assert.Contains("Row 2 has 1 fields", error.Message, StringComparison.Ordinal);
    }
}
