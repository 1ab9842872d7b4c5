using SfPredictor.Records;

namespace SfPredictor.DataExport;

/// <summary>
/// Reads the records of a Data Export folder (one CSV per object, as Salesforce's Data Export, Data
/// Loader or <c>sf data export</c> write them). <see cref="Read"/> loads everything; the
/// <c>ReadX</c> methods stream one file row by row, so a caller that filters never holds a huge
/// Task.csv. Ids come out in the 18-character form; fields without a record property land in
/// <c>Custom</c> on Accounts and Opportunities (and custom <c>__c</c> fields on Tasks and Events); rows with <c>IsDeleted</c> = 1 are left out.
/// </summary>
/// <remarks>
/// Opportunity.csv must exist; any other missing file reads as empty. Within a file a missing
/// optional column reads as null (or the property's default); a missing required column is a
/// <see cref="DataExportFormatException"/> naming the file. An instance is not thread-safe: its
/// report and timestamp accumulate over the reads done through it.
/// </remarks>
public sealed class DataExportReader
{
    private readonly DataExportReadOptions _options;
    private readonly StringPool _pool = new();
    private readonly IdPool _ids = new();
    private readonly List<DataExportFileReport> _files = [];
    private readonly List<DataExportFormatException> _errors = [];

    /// <summary>Reads from a folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public DataExportReader(string folder, DataExportReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Data Export folder '{folder}' does not exist.");
        }

        _options = options ?? new DataExportReadOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MaxErrorsReported, nameof(options));
        Folder = folder;
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>One report per file read to its end through this instance, in order.</summary>
    public IReadOnlyList<DataExportFileReport> Files => _files;

    /// <summary>Errors of skipped rows so far (at most <see cref="DataExportReadOptions.MaxErrorsReported"/>).</summary>
    public IReadOnlyList<DataExportFormatException> Errors => _errors;

    /// <summary>
    /// The latest CreatedDate, LastModifiedDate or SystemModstamp among the rows read so far: the best
    /// available stand-in for when the export was taken, which a Data Export does not record.
    /// </summary>
    public DateTimeOffset? LatestTimestamp { get; private set; }

    /// <summary>Reads every file of a folder into memory.</summary>
    /// <exception cref="DataExportFormatException">A file is malformed (and skipping is off, or it is a header problem).</exception>
    /// <exception cref="FileNotFoundException">The folder has no Opportunity.csv.</exception>
    public static DataExportReadResult Read(string folder, DataExportReadOptions? options = null) =>
        new DataExportReader(folder, options).ReadAll();

    /// <summary>Reads every file into memory (see <see cref="Read"/>).</summary>
    public DataExportReadResult ReadAll()
    {
        var data = new OrgData
        {
            Opportunities = [.. ReadOpportunities()],
            Accounts = [.. ReadAccounts()],
            Users = [.. ReadUsers()],
            OpportunityHistories = [.. ReadOpportunityHistories()],
            Tasks = [.. ReadTasks()],
            Events = [.. ReadEvents()],
            ActivityRelations = [.. ReadTaskRelations(), .. ReadEventRelations()],
            Stages = [.. ReadStages()],
            Currencies = [.. ReadCurrencies()],
            ExtractedAt = LatestTimestamp,
        };
        return new DataExportReadResult { Data = data, Files = [.. _files], Errors = [.. _errors] };
    }

    /// <summary>Streams Opportunity.csv (required: Id, StageName, CloseDate, IsClosed, IsWon, CreatedDate).</summary>
    /// <exception cref="FileNotFoundException">The folder has no Opportunity.csv.</exception>
    public IEnumerable<Opportunity> ReadOpportunities() => ReadFile<Opportunity>(DataExportFiles.Opportunity, required: true, row =>
    {
        var id = row.RequiredColumn("Id");
        var name = row.Column("Name");
        var accountId = row.Column("AccountId");
        var ownerId = row.Column("OwnerId");
        var stageName = row.RequiredColumn("StageName");
        var amount = row.Column("Amount");
        var currency = row.Column("CurrencyIsoCode");
        var probability = row.Column("Probability");
        var closeDate = row.RequiredColumn("CloseDate");
        var type = row.Column("Type");
        var leadSource = row.Column("LeadSource");
        var forecast = row.Column("ForecastCategoryName");
        var isClosed = row.RequiredColumn("IsClosed");
        var isWon = row.RequiredColumn("IsWon");
        var created = row.RequiredColumn("CreatedDate");
        var modified = row.Column("LastModifiedDate");
        var modstamp = row.Column("SystemModstamp");
        return () =>
        {
            var createdDate = row.RequiredDateTime(created);
            var lastModified = row.DateTime(modified) ?? createdDate;
            return new Opportunity
            {
                Id = row.RecordId(id),
                Name = row.Text(name),
                AccountId = row.Id(accountId),
                OwnerId = row.Id(ownerId),
                StageName = row.RequiredText(stageName),
                Amount = row.Decimal(amount),
                CurrencyIsoCode = row.CurrencyCode(currency),
                Probability = row.Decimal(probability),
                CloseDate = row.RequiredDate(closeDate),
                Type = row.PooledText(type),
                LeadSource = row.PooledText(leadSource),
                ForecastCategoryName = row.PooledText(forecast),
                IsClosed = row.RequiredBoolean(isClosed),
                IsWon = row.RequiredBoolean(isWon),
                CreatedDate = createdDate,
                LastModifiedDate = lastModified,
                SystemModstamp = row.DateTime(modstamp) ?? lastModified,
                Custom = row.Custom(),
            };
        };
    });

    /// <summary>Streams Account.csv (required: Id); empty when the file is absent.</summary>
    public IEnumerable<Account> ReadAccounts() => ReadFile<Account>(DataExportFiles.Account, required: false, row =>
    {
        var id = row.RequiredColumn("Id");
        var name = row.Column("Name");
        var industry = row.Column("Industry");
        var type = row.Column("Type");
        var revenue = row.Column("AnnualRevenue");
        var employees = row.Column("NumberOfEmployees");
        var ownerId = row.Column("OwnerId");
        var created = row.Column("CreatedDate");
        return () => new Account
        {
            Id = row.RecordId(id),
            Name = row.Text(name),
            Industry = row.PooledText(industry),
            Type = row.PooledText(type),
            AnnualRevenue = row.Decimal(revenue),
            NumberOfEmployees = row.Int32(employees),
            OwnerId = row.Id(ownerId),
            CreatedDate = row.DateTime(created) ?? default,
            Custom = row.Custom(),
        };
    });

    /// <summary>
    /// Streams User.csv (required: Id); empty when the file is absent. Name falls back to
    /// "FirstName LastName" when the export has no Name column.
    /// </summary>
    public IEnumerable<User> ReadUsers() => ReadFile<User>(DataExportFiles.User, required: false, row =>
    {
        var id = row.RequiredColumn("Id");
        var name = row.Column("Name");
        var firstName = row.Column("FirstName");
        var lastName = row.Column("LastName");
        var title = row.Column("Title");
        var isActive = row.Column("IsActive");
        return () => new User
        {
            Id = row.RecordId(id),
            Name = row.Text(name) ?? JoinName(row.Text(firstName), row.Text(lastName)),
            Title = row.PooledText(title),
            IsActive = row.Boolean(isActive, defaultValue: true),
        };
    });

    /// <summary>
    /// Streams OpportunityHistory.csv (required: Id, OpportunityId, StageName, CreatedDate); empty
    /// when the file is absent.
    /// </summary>
    public IEnumerable<OpportunityHistory> ReadOpportunityHistories() =>
        ReadFile<OpportunityHistory>(DataExportFiles.OpportunityHistory, required: false, row =>
        {
            var id = row.RequiredColumn("Id");
            var opportunityId = row.RequiredColumn("OpportunityId");
            var stageName = row.RequiredColumn("StageName");
            var amount = row.Column("Amount");
            var probability = row.Column("Probability");
            var closeDate = row.Column("CloseDate");
            var forecast = row.Column("ForecastCategory");
            var created = row.RequiredColumn("CreatedDate");
            return () => new OpportunityHistory
            {
                Id = row.RecordId(id),
                OpportunityId = row.RequiredId(opportunityId),
                StageName = row.RequiredText(stageName),
                Amount = row.Decimal(amount),
                Probability = row.Decimal(probability),
                CloseDate = row.Date(closeDate),
                ForecastCategory = row.PooledText(forecast),
                CreatedDate = row.RequiredDateTime(created),
            };
        });

    /// <summary>Streams Task.csv (required: Id, IsClosed, CreatedDate); empty when the file is absent.</summary>
    public IEnumerable<SfTask> ReadTasks() => ReadFile<SfTask>(DataExportFiles.Task, required: false, row =>
    {
        var id = row.RequiredColumn("Id");
        var whatId = row.Column("WhatId");
        var whoId = row.Column("WhoId");
        var accountId = row.Column("AccountId");
        var ownerId = row.Column("OwnerId");
        var subject = row.Column("Subject");
        var type = row.Column("Type");
        var subtype = row.Column("TaskSubtype");
        var status = row.Column("Status");
        var isClosed = row.RequiredColumn("IsClosed");
        var activityDate = row.Column("ActivityDate");
        var completed = row.Column("CompletedDateTime");
        var created = row.RequiredColumn("CreatedDate");
        var modified = row.Column("LastModifiedDate");
        var modstamp = row.Column("SystemModstamp");
        return () =>
        {
            var createdDate = row.RequiredDateTime(created);
            return new SfTask
            {
                Id = row.RecordId(id),
                WhatId = row.Id(whatId),
                WhoId = row.Id(whoId),
                AccountId = row.Id(accountId),
                OwnerId = row.Id(ownerId),
                Subject = row.PooledText(subject),
                Type = row.PooledText(type),
                TaskSubtype = row.PooledText(subtype),
                Status = row.PooledText(status),
                IsClosed = row.RequiredBoolean(isClosed),
                ActivityDate = row.Date(activityDate),
                CompletedDateTime = row.DateTime(completed),
                CreatedDate = createdDate,
                SystemModstamp = row.DateTime(modstamp) ?? row.DateTime(modified) ?? createdDate,
                Custom = row.CustomFieldsOnly(),
            };
        };
    });

    /// <summary>
    /// Streams Event.csv (required: Id, StartDateTime or ActivityDateTime, CreatedDate); empty when
    /// the file is absent. An all-day event without a start time starts at 00:00 UTC of its ActivityDate.
    /// </summary>
    public IEnumerable<SfEvent> ReadEvents() => ReadFile<SfEvent>(DataExportFiles.Event, required: false, row =>
    {
        var id = row.RequiredColumn("Id");
        var whatId = row.Column("WhatId");
        var whoId = row.Column("WhoId");
        var accountId = row.Column("AccountId");
        var ownerId = row.Column("OwnerId");
        var subject = row.Column("Subject");
        var type = row.Column("Type");
        var subtype = row.Column("EventSubtype");
        var start = row.FirstColumn("StartDateTime", "ActivityDateTime");
        if (start < 0)
        {
            start = row.RequiredColumn("StartDateTime");
        }

        var activityDate = row.Column("ActivityDate");
        var end = row.Column("EndDateTime");
        var created = row.RequiredColumn("CreatedDate");
        var modified = row.Column("LastModifiedDate");
        var modstamp = row.Column("SystemModstamp");
        return () =>
        {
            var createdDate = row.RequiredDateTime(created);
            var startDateTime = row.DateTime(start)
                ?? (row.Date(activityDate) is { } day ? new DateTimeOffset(day, TimeOnly.MinValue, TimeSpan.Zero) : row.RequiredDateTime(start));
            return new SfEvent
            {
                Id = row.RecordId(id),
                WhatId = row.Id(whatId),
                WhoId = row.Id(whoId),
                AccountId = row.Id(accountId),
                OwnerId = row.Id(ownerId),
                Subject = row.PooledText(subject),
                Type = row.PooledText(type),
                EventSubtype = row.PooledText(subtype),
                StartDateTime = startDateTime,
                EndDateTime = row.DateTime(end),
                CreatedDate = createdDate,
                SystemModstamp = row.DateTime(modstamp) ?? row.DateTime(modified) ?? createdDate,
                Custom = row.CustomFieldsOnly(),
            };
        };
    });

    /// <summary>Streams TaskRelation.csv (required: TaskId, RelationId); empty when the file is absent.</summary>
    public IEnumerable<ActivityRelation> ReadTaskRelations() => ReadRelations(DataExportFiles.TaskRelation, "TaskId");

    /// <summary>Streams EventRelation.csv (required: EventId, RelationId); empty when the file is absent.</summary>
    public IEnumerable<ActivityRelation> ReadEventRelations() => ReadRelations(DataExportFiles.EventRelation, "EventId");

    /// <summary>
    /// Streams OpportunityStage.csv (required: ApiName or MasterLabel); empty when the file is absent.
    /// Without a SortOrder column, the row order is the sort order.
    /// </summary>
    public IEnumerable<OpportunityStage> ReadStages() => ReadFile<OpportunityStage>(DataExportFiles.OpportunityStage, required: false, row =>
    {
        var name = row.FirstColumn("ApiName", "MasterLabel");
        if (name < 0)
        {
            name = row.RequiredColumn("ApiName");
        }

        var sortOrder = row.Column("SortOrder");
        var probability = row.Column("DefaultProbability");
        var isClosed = row.Column("IsClosed");
        var isWon = row.Column("IsWon");
        var isActive = row.Column("IsActive");
        var ordinal = 0;
        return () =>
        {
            ordinal++;
            return new OpportunityStage
            {
                Name = row.RequiredText(name),
                SortOrder = row.Int32(sortOrder) ?? ordinal,
                DefaultProbability = row.Decimal(probability),
                IsClosed = row.Boolean(isClosed, defaultValue: false),
                IsWon = row.Boolean(isWon, defaultValue: false),
                IsActive = row.Boolean(isActive, defaultValue: true),
            };
        };
    });

    /// <summary>Streams CurrencyType.csv (required: IsoCode, ConversionRate); empty when the file is absent.</summary>
    public IEnumerable<CurrencyType> ReadCurrencies() => ReadFile<CurrencyType>(DataExportFiles.CurrencyType, required: false, row =>
    {
        var isoCode = row.RequiredColumn("IsoCode");
        var rate = row.RequiredColumn("ConversionRate");
        var isCorporate = row.Column("IsCorporate");
        var isActive = row.Column("IsActive");
        return () => new CurrencyType
        {
            IsoCode = row.RequiredCurrencyCode(isoCode),
            ConversionRate = row.RequiredDecimal(rate),
            IsCorporate = row.Boolean(isCorporate, defaultValue: false),
            IsActive = row.Boolean(isActive, defaultValue: true),
        };
    });

    private IEnumerable<ActivityRelation> ReadRelations(string fileName, string activityField) =>
        ReadFile<ActivityRelation>(fileName, required: false, row =>
        {
            var activityId = row.RequiredColumn(activityField);
            var relationId = row.RequiredColumn("RelationId");
            return () => new ActivityRelation(row.RequiredId(activityId), row.RequiredId(relationId));
        });

    private static string? JoinName(string? first, string? last) =>
        first is null ? last : last is null ? first : $"{first} {last}";

    // bind runs once on the header (binding columns, failing on missing required ones) and returns
    // the function that turns the current row into a record.
    private IEnumerable<T> ReadFile<T>(string fileName, bool required, Func<ExportRow, Func<T>> bind)
    {
        var parts = DataExportFiles.FindParts(Folder, fileName);
        if (parts.Count == 0)
        {
            if (required)
            {
                throw new FileNotFoundException($"The Data Export folder '{Folder}' has no {fileName}.", Path.Combine(Folder, fileName));
            }

            _files.Add(new DataExportFileReport(fileName, Present: false, 0, 0, 0));
            yield break;
        }

        // Where each record Id was first seen, across the parts of the object: an Id twice is an error
        // naming both lines, as two records cannot share one.
        var seen = new Dictionary<string, (string Path, long Line)>(SalesforceId.Comparer);
        foreach (var path in parts)
        {
            // Each part has its own header (archives of one export agree, but need not in column order).
            foreach (var record in ReadPart(path, parts.Count == 1 ? fileName : Path.GetRelativePath(Folder, path), bind, seen))
            {
                yield return record;
            }
        }
    }

    private IEnumerable<T> ReadPart<T>(string path, string reportName, Func<ExportRow, Func<T>> bind, Dictionary<string, (string Path, long Line)> seen)
    {
        using var csv = ExportCsvReader.Open(path, _options.Limits);
        var row = new ExportRow(csv, _pool, _ids);
        var map = bind(row);
        long read = 0, skipped = 0, deleted = 0;
        while (true)
        {
            T record;
            DateTimeOffset? latest;
            try
            {
                if (!csv.Read())
                {
                    break;
                }

                if (row.IsDeleted)
                {
                    deleted++;
                    continue;
                }

                row.CurrentRecordId = null;
                record = map();
                if (row.CurrentRecordId is { } id && !seen.TryAdd(id, (path, csv.LineNumber)))
                {
                    var first = seen[id];
                    var where = first.Path == path ? $"line {first.Line}" : $"line {first.Line} of {first.Path}";
                    throw row.IdProblem($"The same Id is on {where} already; each record needs its own Id.");
                }

                latest = row.LatestTimestamp;
            }
            catch (DataExportFormatException error) when (_options.SkipMalformedRows && !csv.IsBroken)
            {
                skipped++;
                if (_errors.Count < _options.MaxErrorsReported)
                {
                    _errors.Add(error);
                }

                continue;
            }

            read++;
            if (latest > LatestTimestamp || LatestTimestamp is null)
            {
                LatestTimestamp = latest;
            }

            yield return record;
        }

        _files.Add(new DataExportFileReport(reportName, Present: true, read, skipped, deleted));
    }
}
