using System.Text;
using SfPredictor.Records;

namespace SfPredictor.DataExport.Tests;

public sealed class DataExportReaderTests
{
    private const string Opp15 = "0065g00000AbCdE";
    private const string Account15 = "0015g00000XyZaB";
    private const string User15 = "0055g00000QrStU";

    private static readonly string Opp18 = SalesforceId.Normalize(Opp15);
    private static readonly string Account18 = SalesforceId.Normalize(Account15);
    private static readonly string User18 = SalesforceId.Normalize(User15);

    // What Setup → Data Export writes: every field quoted, 1/0, "YYYY-MM-DD HH:MM:SS", 15-character Ids, Windows-1252.
    private static void WriteDataExportStyle(TempFolder folder)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var cp1252 = Encoding.GetEncoding(1252);
        folder.Write("Account.csv",
            "\"Id\",\"IsDeleted\",\"Name\",\"Type\",\"Industry\",\"AnnualRevenue\",\"NumberOfEmployees\",\"OwnerId\",\"CreatedDate\",\"SystemModstamp\",\"Tier__c\"\r\n" +
            $"\"{Account15}\",\"0\",\"Café Société\",\"Customer\",\"Retail\",\"2500000\",\"120\",\"{User15}\",\"2021-05-04 09:00:00\",\"2024-06-01 08:00:00\",\"Gold\"\r\n",
            cp1252);
        folder.Write("User.csv",
            "\"Id\",\"Username\",\"FirstName\",\"LastName\",\"Title\",\"IsActive\"\r\n" +
            $"\"{User15}\",\"zoe@example.com\",\"Zoé\",\"Müller\",\"AE\",\"1\"\r\n",
            cp1252);
        folder.Write("Opportunity.csv",
            "\"Id\",\"IsDeleted\",\"AccountId\",\"Name\",\"Description\",\"StageName\",\"Amount\",\"Probability\",\"CloseDate\",\"Type\",\"NextStep\",\"LeadSource\",\"IsClosed\",\"IsWon\",\"ForecastCategoryName\",\"OwnerId\",\"CreatedDate\",\"LastModifiedDate\",\"SystemModstamp\",\"Region__c\"\r\n" +
            $"\"{Opp15}\",\"0\",\"{Account15}\",\"Café deal\",\"Line one,\r\nline \"\"two\"\"\",\"Prospecting\",\"15000.50\",\"10\",\"2024-09-30\",\"New Business\",\"\",\"Web\",\"0\",\"0\",\"Pipeline\",\"{User15}\",\"2024-01-15 10:30:00\",\"2024-06-02 11:00:00\",\"2024-06-03 12:00:00\",\"EMEA\"\r\n" +
            "\"0065g00000Zzzzz\",\"1\",\"\",\"Deleted deal\",\"\",\"Prospecting\",\"\",\"\",\"2024-09-30\",\"\",\"\",\"\",\"0\",\"0\",\"\",\"\",\"2024-01-15 10:30:00\",\"2024-01-15 10:30:00\",\"2030-01-01 00:00:00\",\"\"\r\n",
            cp1252);
        folder.Write("OpportunityHistory.csv",
            "\"Id\",\"OpportunityId\",\"CreatedById\",\"CreatedDate\",\"StageName\",\"Amount\",\"ExpectedRevenue\",\"CloseDate\",\"Probability\",\"ForecastCategory\",\"SystemModstamp\",\"IsDeleted\"\r\n" +
            $"\"0085g00000AAAAA\",\"{Opp15}\",\"{User15}\",\"2024-01-15 10:30:00\",\"Prospecting\",\"15000.50\",\"1500.05\",\"2024-09-30\",\"10\",\"Pipeline\",\"2024-01-15 10:30:00\",\"0\"\r\n");
        folder.Write("Task.csv",
            "\"Id\",\"WhoId\",\"WhatId\",\"Subject\",\"ActivityDate\",\"Status\",\"Priority\",\"OwnerId\",\"Description\",\"Type\",\"IsDeleted\",\"AccountId\",\"IsClosed\",\"CreatedDate\",\"SystemModstamp\",\"TaskSubtype\",\"CompletedDateTime\"\r\n" +
            $"\"00T5g00000TTTT1\",\"\",\"{Opp18}\",\"Call about pricing\",\"2024-02-01\",\"Completed\",\"Normal\",\"{User15}\",\"Left a voicemail\",\"Call\",\"0\",\"{Account15}\",\"1\",\"2024-02-01 15:00:00\",\"2024-02-01 15:05:00\",\"Call\",\"2024-02-01 15:04:00\"\r\n" +
            $"\"00T5g00000TTTT2\",\"\",\"{Account15}\",\"Send deck\",\"2024-07-01\",\"Not Started\",\"High\",\"{User15}\",\"\",\"Email\",\"0\",\"{Account15}\",\"0\",\"2024-06-20 09:00:00\",\"2024-06-20 09:00:00\",\"Task\",\"\"\r\n");
        folder.Write("Event.csv",
            "\"Id\",\"WhoId\",\"WhatId\",\"Subject\",\"ActivityDateTime\",\"ActivityDate\",\"StartDateTime\",\"EndDateTime\",\"DurationInMinutes\",\"OwnerId\",\"Type\",\"IsAllDayEvent\",\"AccountId\",\"CreatedDate\",\"SystemModstamp\",\"EventSubtype\"\r\n" +
            $"\"00U5g00000EEEE1\",\"\",\"{Opp15}\",\"Demo\",\"2024-03-05 14:00:00\",\"2024-03-05\",\"2024-03-05 14:00:00\",\"2024-03-05 15:00:00\",\"60\",\"{User15}\",\"Meeting\",\"0\",\"{Account15}\",\"2024-02-28 10:00:00\",\"2024-02-28 10:00:00\",\"Event\"\r\n" +
            $"\"00U5g00000EEEE2\",\"\",\"\",\"Offsite\",\"\",\"2024-04-10\",\"\",\"\",\"1440\",\"{User15}\",\"Other\",\"1\",\"\",\"2024-03-01 10:00:00\",\"2024-03-01 10:00:00\",\"Event\"\r\n");
        folder.Write("OpportunityStage.csv",
            "\"Id\",\"MasterLabel\",\"ApiName\",\"IsActive\",\"SortOrder\",\"IsClosed\",\"IsWon\",\"ForecastCategory\",\"ForecastCategoryName\",\"DefaultProbability\",\"Description\"\r\n" +
            "\"01J5g000000001A\",\"Prospecting\",\"Prospecting\",\"1\",\"1\",\"0\",\"0\",\"Pipeline\",\"Pipeline\",\"10\",\"\"\r\n" +
            "\"01J5g000000002A\",\"Closed Won\",\"Closed Won\",\"1\",\"9\",\"1\",\"1\",\"Closed\",\"Closed\",\"100\",\"\"\r\n");
        folder.Write("CurrencyType.csv",
            "\"Id\",\"IsoCode\",\"ConversionRate\",\"DecimalPlaces\",\"IsActive\",\"IsCorporate\"\r\n" +
            "\"01L5g000000001A\",\"USD\",\"1.000000\",\"2\",\"1\",\"1\"\r\n" +
            "\"01L5g000000002A\",\"EUR\",\"0.920000\",\"2\",\"1\",\"0\"\r\n");
    }

    [Fact]
    public void Read_DataExportStyleFolder_ReadsEveryObject()
    {
        using var folder = new TempFolder();
        WriteDataExportStyle(folder);

        var result = DataExportReader.Read(folder.Path);
        var data = result.Data;

        var opportunity = Assert.Single(data.Opportunities);
        Assert.Equal(Opp18, opportunity.Id);
        Assert.Equal(Account18, opportunity.AccountId);
        Assert.Equal(User18, opportunity.OwnerId);
        Assert.Equal("Café deal", opportunity.Name);
        Assert.Equal("Prospecting", opportunity.StageName);
        Assert.Equal(15000.50m, opportunity.Amount);
        Assert.Equal(10m, opportunity.Probability);
        Assert.Equal(new DateOnly(2024, 9, 30), opportunity.CloseDate);
        Assert.False(opportunity.IsClosed);
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero), opportunity.CreatedDate);
        Assert.Equal(new DateTimeOffset(2024, 6, 3, 12, 0, 0, TimeSpan.Zero), opportunity.SystemModstamp);
        Assert.Equal("EMEA", opportunity.Custom["Region__c"]);
        Assert.Equal("Line one,\r\nline \"two\"", opportunity.Custom["Description"]);
        Assert.Null(opportunity.Custom["NextStep"]);
        Assert.False(opportunity.Custom.ContainsKey("IsDeleted"));

        var account = Assert.Single(data.Accounts);
        Assert.Equal("Café Société", account.Name);
        Assert.Equal(2_500_000m, account.AnnualRevenue);
        Assert.Equal(120, account.NumberOfEmployees);
        Assert.Equal("Gold", account.Custom["tier__c"]);

        var user = Assert.Single(data.Users);
        Assert.Equal("Zoé Müller", user.Name);
        Assert.True(user.IsActive);

        var history = Assert.Single(data.OpportunityHistories);
        Assert.Equal(Opp18, history.OpportunityId);
        Assert.Equal("Pipeline", history.ForecastCategory);

        Assert.Equal(2, data.Tasks.Count);
        var call = data.Tasks[0];
        Assert.Equal(Opp18, call.WhatId);
        Assert.True(call.IsClosed);
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 15, 4, 0, TimeSpan.Zero), call.CompletedDateTime);
        Assert.Null(data.Tasks[1].CompletedDateTime);
        Assert.Equal(new DateOnly(2024, 7, 1), data.Tasks[1].ActivityDate);

        Assert.Equal(2, data.Events.Count);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 14, 0, 0, TimeSpan.Zero), data.Events[0].StartDateTime);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 15, 0, 0, TimeSpan.Zero), data.Events[0].EndDateTime);
        Assert.Equal(new DateTimeOffset(2024, 4, 10, 0, 0, 0, TimeSpan.Zero), data.Events[1].StartDateTime);

        Assert.Equal(["Prospecting", "Closed Won"], data.Stages.Select(s => s.Name));
        Assert.True(data.Stages[1].IsWon);
        Assert.Equal(9, data.Stages[1].SortOrder);
        Assert.Equal(0.92m, data.Currencies.Single(c => c.IsoCode == "EUR").ConversionRate);
        Assert.True(data.Currencies.Single(c => c.IsoCode == "USD").IsCorporate);
        Assert.Empty(data.ActivityRelations);

        // The deleted Opportunity's later SystemModstamp does not count: it is not part of the data.
        Assert.Equal(new DateTimeOffset(2024, 6, 20, 9, 0, 0, TimeSpan.Zero), data.ExtractedAt);
        Assert.Equal(1, result.Files.Single(f => f.FileName == "Opportunity.csv").DeletedRowsSkipped);
        Assert.Equal(0, result.RowsSkipped);
        Assert.False(result.Files.Single(f => f.FileName == "TaskRelation.csv").Present);
    }

    [Fact]
    public void Read_DataLoaderStyleFolder_AcceptsIsoTimesTrueFalseBomAndUnquoted()
    {
        using var folder = new TempFolder();
        var withBom = new UTF8Encoding(true);
        folder.Write("opportunity.CSV",
            "Id,Name,StageName,CloseDate,IsClosed,IsWon,CreatedDate,LastModifiedDate\n" +
            $"{Opp18},Zoë's deal,Closed Won,2024-05-31,true,true,2024-01-15T10:30:00.000Z,2024-05-31T17:45:10.000+0000\n",
            withBom);
        folder.Write("TASK.csv",
            "Id,WhatId,Subject,IsClosed,CreatedDate\n" +
            $"{SalesforceId.Normalize("00T5g00000TTTT1")},{Opp15},\"Call, then email\",false,2024-02-01T16:00:00+01:00\n",
            withBom);

        var data = DataExportReader.Read(folder.Path).Data;

        var opportunity = Assert.Single(data.Opportunities);
        Assert.Equal("Zoë's deal", opportunity.Name);
        Assert.True(opportunity.IsWon);
        Assert.Equal(new DateTimeOffset(2024, 5, 31, 17, 45, 10, TimeSpan.Zero), opportunity.LastModifiedDate);
        Assert.Equal(opportunity.LastModifiedDate, opportunity.SystemModstamp);
        Assert.Null(opportunity.Amount);
        Assert.Empty(opportunity.Custom);
        var task = Assert.Single(data.Tasks);
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 15, 0, 0, TimeSpan.Zero), task.CreatedDate);
        Assert.Equal(task.CreatedDate, task.SystemModstamp);
        Assert.Null(task.ActivityDate);
        Assert.Empty(data.Accounts);
        Assert.Empty(data.Events);
        Assert.Equal(opportunity.LastModifiedDate, data.ExtractedAt);
    }

    [Fact]
    public void Read_Ids15And18Characters_MatchAfterNormalising()
    {
        using var folder = new TempFolder();
        WriteDataExportStyle(folder);

        var data = DataExportReader.Read(folder.Path).Data;

        // The task names its Opportunity by the 18-character Id, the Opportunity file by the 15.
        var opportunityIds = data.Opportunities.Select(o => o.Id).ToHashSet(SalesforceId.Comparer);
        Assert.Contains(data.Tasks[0].WhatId!, opportunityIds);
        Assert.DoesNotContain(data.Tasks[1].WhatId!, opportunityIds);
        Assert.All(data.Tasks, t => Assert.Equal(18, t.Id.Length));
    }

    [Fact]
    public void Read_RelationFiles_LinkActivitiesToMoreRecords()
    {
        using var folder = new TempFolder();
        WriteDataExportStyle(folder);
        folder.Write("TaskRelation.csv",
            "\"Id\",\"TaskId\",\"RelationId\",\"IsWhat\",\"IsDeleted\"\r\n" +
            $"\"0RT5g00000RRRR1\",\"00T5g00000TTTT2\",\"{Opp15}\",\"1\",\"0\"\r\n");
        folder.Write("EventRelation.csv",
            "\"Id\",\"EventId\",\"RelationId\",\"IsInvitee\",\"IsWhat\"\r\n" +
            $"\"0RE5g00000RRRR1\",\"00U5g00000EEEE2\",\"{Opp15}\",\"0\",\"1\"\r\n");

        var data = DataExportReader.Read(folder.Path).Data;

        Assert.Equal(
            [new ActivityRelation(SalesforceId.Normalize("00T5g00000TTTT2"), Opp18), new ActivityRelation(SalesforceId.Normalize("00U5g00000EEEE2"), Opp18)],
            data.ActivityRelations);
    }

    [Fact]
    public void Read_MalformedValue_ThrowsNamingFileLineFieldAndValue()
    {
        using var folder = new TempFolder();
        WriteDataExportStyle(folder);
        folder.Write("Task.csv",
            "\"Id\",\"WhatId\",\"Subject\",\"IsClosed\",\"ActivityDate\",\"CreatedDate\"\r\n" +
            "\"00T5g00000TTTT1\",\"\",\"multi\r\nline\",\"1\",\"2024-02-01\",\"2024-02-01 15:00:00\"\r\n" +
            "\"00T5g00000TTTT2\",\"\",\"Send deck\",\"0\",\"07/01/2024\",\"2024-06-20 09:00:00\"\r\n");

        var error = Assert.Throws<DataExportFormatException>(() => DataExportReader.Read(folder.Path));

        Assert.EndsWith("Task.csv", error.FilePath, StringComparison.Ordinal);
        Assert.Equal(4, error.Line);
        Assert.Equal("ActivityDate", error.Field);
        Assert.Contains("Task.csv, line 4, field ActivityDate", error.Message, StringComparison.Ordinal);
        Assert.Contains("'07/01/2024'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidId_ThrowsNamingField()
    {
        using var folder = new TempFolder();
        WriteDataExportStyle(folder);
        folder.Write("Event.csv",
            "\"Id\",\"WhatId\",\"StartDateTime\",\"CreatedDate\"\r\n" +
            "\"00U5g00000EEEE1\",\"not-an-id\",\"2024-03-05 14:00:00\",\"2024-02-28 10:00:00\"\r\n");

        var error = Assert.Throws<DataExportFormatException>(() => DataExportReader.Read(folder.Path));

        Assert.Equal("WhatId", error.Field);
        Assert.Equal("not-an-id", error.Value);
    }

    [Fact]
    public void Read_CurrencyCodeNotThreeLetters_ThrowsNamingField()
    {
        using var folder = new TempFolder();
        folder.Write("Opportunity.csv",
            $"Id,StageName,CurrencyIsoCode,CloseDate,IsClosed,IsWon,CreatedDate\n{Opp15},Prospecting,EURO,2024-09-30,0,0,2024-01-15 10:30:00\n");

        var error = Assert.Throws<DataExportFormatException>(() => DataExportReader.Read(folder.Path));

        Assert.Equal("CurrencyIsoCode", error.Field);
        Assert.Equal("EURO", error.Value);
    }

    [Fact]
    public void Read_ApiFormsOfValues_ReadAsDataExportForms()
    {
        // A CSV saved from the API (Data Loader, Bulk) writes T, a zone and true/false; the one value parser reads both.
        using var folder = new TempFolder();
        folder.Write("Opportunity.csv",
            $"Id,StageName,CurrencyIsoCode,CloseDate,IsClosed,IsWon,CreatedDate\n{Opp15},Prospecting,eur,2024-09-30,false,false,2024-01-15T10:30:00.000+0000\n");

        var opportunity = DataExportReader.Read(folder.Path).Data.Opportunities.Single();

        Assert.Equal(new DateTimeOffset(2024, 1, 15, 10, 30, 0, TimeSpan.Zero), opportunity.CreatedDate);
        Assert.Equal("EUR", opportunity.CurrencyIsoCode);
        Assert.False(opportunity.IsClosed);
    }

    [Fact]
    public void Read_SkipMalformedRows_SkipsCountsAndReportsErrors()
    {
        using var folder = new TempFolder();
        WriteDataExportStyle(folder);
        folder.Write("Task.csv",
            "Id,WhatId,IsClosed,CreatedDate\n" +
            "00T5g00000TTTT1,,1,2024-02-01 15:00:00\n" +
            "00T5g00000TTTT2,,maybe,2024-02-01 15:00:00\n" +
            "00T5g00000TTTT3,,0\n" +
            "00T5g00000TTTT4,,0,2024-02-01 15:00:00\n");

        var result = DataExportReader.Read(folder.Path, new DataExportReadOptions { SkipMalformedRows = true, MaxErrorsReported = 1 });

        Assert.Equal([SalesforceId.Normalize("00T5g00000TTTT1"), SalesforceId.Normalize("00T5g00000TTTT4")], result.Data.Tasks.Select(t => t.Id));
        var tasks = result.Files.Single(f => f.FileName == "Task.csv");
        Assert.Equal(2, tasks.RowsRead);
        Assert.Equal(2, tasks.RowsSkipped);
        Assert.Equal(2, result.RowsSkipped);
        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal("IsClosed", error.Field);
    }

    [Fact]
    public void Read_MissingOptionalColumnsAndFiles_ReadsDefaults()
    {
        using var folder = new TempFolder();
        folder.Write("Opportunity.csv", $"Id,StageName,CloseDate,IsClosed,IsWon,CreatedDate\n{Opp15},Qualify,2024-09-30,0,0,2024-01-15 10:30:00\n");
        folder.Write("User.csv", $"Id\n{User15}\n");

        var result = DataExportReader.Read(folder.Path);

        var opportunity = Assert.Single(result.Data.Opportunities);
        Assert.Null(opportunity.Name);
        Assert.Null(opportunity.AccountId);
        Assert.Equal(opportunity.CreatedDate, opportunity.SystemModstamp);
        var user = Assert.Single(result.Data.Users);
        Assert.Null(user.Name);
        Assert.True(user.IsActive);
        Assert.Empty(result.Data.Tasks);
        Assert.Empty(result.Data.Stages);
        Assert.Empty(result.Data.Currencies);
        Assert.Equal(8, result.Files.Count(f => !f.Present));
    }

    [Fact]
    public void Read_MissingRequiredColumn_ThrowsNamingFileAndColumn()
    {
        using var folder = new TempFolder();
        folder.Write("Opportunity.csv", $"Id,Name,CloseDate,IsClosed,IsWon,CreatedDate\n{Opp15},x,2024-09-30,0,0,2024-01-15 10:30:00\n");

        var error = Assert.Throws<DataExportFormatException>(() => DataExportReader.Read(folder.Path));

        Assert.Equal("StageName", error.Field);
        Assert.Contains("Opportunity.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("required column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingOpportunityFile_ThrowsNamingFolderAndFile()
    {
        using var folder = new TempFolder();
        folder.Write("Task.csv", "Id,IsClosed,CreatedDate\n");

        var error = Assert.Throws<FileNotFoundException>(() => DataExportReader.Read(folder.Path));

        Assert.Contains("Opportunity.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains(folder.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFolder_ThrowsDirectoryNotFound()
    {
        var missing = Path.Combine(Path.GetTempPath(), "sfp-no-such-export-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<DirectoryNotFoundException>(() => DataExportReader.Read(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTasks_LargeFile_StreamsRowsAsTheyAreRead()
    {
        const int rows = 200_000;
        using var folder = new TempFolder();
        var header = new[] { "Id", "WhatId", "Subject", "IsClosed", "ActivityDate", "CreatedDate", "SystemModstamp" };
        ExportCsvWriter.Write(Path.Combine(folder.Path, "Task.csv"), header, Enumerable.Range(0, rows).Select(i => (IReadOnlyList<string?>)
        [
            $"00T5g{i:D10}", i % 4 == 0 ? Opp15 : Account15, i % 2 == 0 ? "Call" : "Email", (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "2024-03-01", "2024-02-01 10:00:00", i == rows / 2 ? "2024-12-31 23:59:59" : "2024-02-01 10:00:00",
        ]));
        var reader = new DataExportReader(folder.Path);

        long onOpportunity = 0;
        foreach (var task in reader.ReadTasks())
        {
            if (task.WhatId == Opp18)
            {
                onOpportunity++;
            }
        }

        Assert.Equal(rows / 4, onOpportunity);
        Assert.Equal(rows, reader.Files.Single().RowsRead);
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.Zero), reader.LatestTimestamp);
    }

    [Fact]
    public void ReadOpportunities_StoppedEarly_ReleasesTheFile()
    {
        using var folder = new TempFolder();
        WriteDataExportStyle(folder);
        var path = Path.Combine(folder.Path, "Opportunity.csv");
        var reader = new DataExportReader(folder.Path);

        using (var open = reader.ReadOpportunities().GetEnumerator())
        {
            Assert.True(open.MoveNext());
            Assert.Throws<IOException>(() => new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose());
        }

        var first = reader.ReadOpportunities().First();
        using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        Assert.Equal(Opp18, first.Id);
        Assert.Empty(reader.Files);
    }

    [Fact]
    public void Read_SkipMalformedRowsWithUndecodableBytes_StopsWithError()
    {
        using var folder = new TempFolder();
        WriteDataExportStyle(folder);
        File.WriteAllBytes(Path.Combine(folder.Path, "Task.csv"),
            [.. "Id,Subject,IsClosed,CreatedDate\n00T5g00000TTTT1,Société,1,2024-02-01 15:00:00\n00T5g00000TTTT2,Soci"u8, 0xE9, .. "t\u00e9,1,2024-02-01 15:00:00\n"u8]);

        var error = Assert.Throws<DataExportFormatException>(
            () => DataExportReader.Read(folder.Path, new DataExportReadOptions { SkipMalformedRows = true }));

        Assert.Equal(3, error.Line);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAll_SameIdTwice_NamesFileAndBothLines()
    {
        using var folder = new TempFolder();
        WriteDataExportStyle(folder);
        folder.Write("User.csv",
            "Id,Username,FirstName,LastName,IsActive\n" +
            $"{User15},a@example.com,A,B,1\n" +
            "0055g00000QrStV,c@example.com,C,D,1\n" +
            $"{User18},e@example.com,E,F,1\n");

        var error = Assert.Throws<DataExportFormatException>(() => DataExportReader.Read(folder.Path));

        Assert.EndsWith("User.csv", error.FilePath, StringComparison.Ordinal);
        Assert.Equal(4, error.Line);
        Assert.Equal("Id", error.Field);
        Assert.Contains("The same Id is on line 2 already", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", error.Message, StringComparison.Ordinal);
    }
}
