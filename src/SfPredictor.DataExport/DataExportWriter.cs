using SfPredictor.Records;

namespace SfPredictor.DataExport;

/// <summary>
/// Writes records as a Data Export folder that <see cref="DataExportReader"/> reads back to equal
/// records: every field quoted, datetimes <c>YYYY-MM-DD HH:MM:SS</c> UTC (whole seconds), booleans
/// <c>1</c>/<c>0</c>, UTF-8. Custom fields of Accounts, Opportunities, Tasks and Events become columns after the
/// standard ones (the union of every record's keys). Each file is written to a temporary file
/// first and then moved over the old one, so a reader never sees half a file.
/// </summary>
public static class DataExportWriter
{
    private static readonly string[] AccountFields =
        ["Id", "Name", "Industry", "Type", "AnnualRevenue", "NumberOfEmployees", "OwnerId", "CreatedDate"];

    private static readonly string[] UserFields = ["Id", "Name", "Title", "IsActive"];

    private static readonly string[] OpportunityFields =
    [
        "Id", "Name", "AccountId", "OwnerId", "StageName", "Amount", "CurrencyIsoCode", "Probability", "CloseDate",
        "Type", "LeadSource", "ForecastCategoryName", "IsClosed", "IsWon", "CreatedDate", "LastModifiedDate", "SystemModstamp",
    ];

    private static readonly string[] HistoryFields =
        ["Id", "OpportunityId", "StageName", "Amount", "Probability", "CloseDate", "ForecastCategory", "CreatedDate"];

    private static readonly string[] TaskFields =
    [
        "Id", "WhatId", "WhoId", "AccountId", "OwnerId", "Subject", "Type", "TaskSubtype", "Status", "IsClosed",
        "ActivityDate", "CompletedDateTime", "CreatedDate", "SystemModstamp",
    ];

    private static readonly string[] EventFields =
    [
        "Id", "WhatId", "WhoId", "AccountId", "OwnerId", "Subject", "Type", "EventSubtype", "StartDateTime",
        "EndDateTime", "CreatedDate", "SystemModstamp",
    ];

    private static readonly string[] StageFields =
        ["ApiName", "MasterLabel", "SortOrder", "DefaultProbability", "IsClosed", "IsWon", "IsActive"];

    private static readonly string[] CurrencyFields = ["IsoCode", "ConversionRate", "IsCorporate", "IsActive"];

    // Key prefixes of Task (00T) and Event (00U) Ids, for relations whose activity is not in the data.
    private const string TaskKeyPrefix = "00T";
    private const string EventKeyPrefix = "00U";

    /// <summary>
    /// Writes every file of <paramref name="data"/> into <paramref name="folder"/> (created if needed).
    /// The six object files are always written; TaskRelation.csv, EventRelation.csv,
    /// OpportunityStage.csv and CurrencyType.csv only when there are rows, and an old one is deleted
    /// otherwise so that the folder holds exactly <paramref name="data"/>. An existing file is
    /// replaced under its existing name, whatever its case.
    /// </summary>
    /// <exception cref="ArgumentException">A relation's activity is neither a known Task nor Event, nor has a Task or Event Id.</exception>
    /// <exception cref="IOException">The folder holds an object in several parts (a multi-archive export; see <see cref="DataExportFiles"/>).</exception>
    public static void Write(OrgData data, string folder)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(folder);
        Directory.CreateDirectory(folder);

        WriteAccounts(folder, data.Accounts);
        WriteFile(folder, DataExportFiles.User, UserFields, data.Users, static (u, row) =>
        {
            row[0] = u.Id;
            row[1] = u.Name;
            row[2] = u.Title;
            row[3] = RecordValues.FormatBoolean(u.IsActive);
        });
        WriteOpportunities(folder, data.Opportunities);
        WriteFile(folder, DataExportFiles.OpportunityHistory, HistoryFields, data.OpportunityHistories, static (h, row) =>
        {
            row[0] = h.Id;
            row[1] = h.OpportunityId;
            row[2] = h.StageName;
            row[3] = Format(h.Amount);
            row[4] = Format(h.Probability);
            row[5] = Format(h.CloseDate);
            row[6] = h.ForecastCategory;
            row[7] = RecordValues.FormatDateTime(h.CreatedDate);
        });
        var taskCustom = CustomFields(data.Tasks.Select(t => t.Custom), TaskFields);
        WriteFile(folder, DataExportFiles.Task, [.. TaskFields, .. taskCustom], data.Tasks, (t, row) =>
        {
            row[0] = t.Id;
            row[1] = t.WhatId;
            row[2] = t.WhoId;
            row[3] = t.AccountId;
            row[4] = t.OwnerId;
            row[5] = t.Subject;
            row[6] = t.Type;
            row[7] = t.TaskSubtype;
            row[8] = t.Status;
            row[9] = RecordValues.FormatBoolean(t.IsClosed);
            row[10] = Format(t.ActivityDate);
            row[11] = Format(t.CompletedDateTime);
            row[12] = RecordValues.FormatDateTime(t.CreatedDate);
            row[13] = RecordValues.FormatDateTime(t.SystemModstamp);
            FillCustom(row, TaskFields.Length, taskCustom, t.Custom);
        });
        var eventCustom = CustomFields(data.Events.Select(e => e.Custom), EventFields);
        WriteFile(folder, DataExportFiles.Event, [.. EventFields, .. eventCustom], data.Events, (e, row) =>
        {
            row[0] = e.Id;
            row[1] = e.WhatId;
            row[2] = e.WhoId;
            row[3] = e.AccountId;
            row[4] = e.OwnerId;
            row[5] = e.Subject;
            row[6] = e.Type;
            row[7] = e.EventSubtype;
            row[8] = RecordValues.FormatDateTime(e.StartDateTime);
            row[9] = Format(e.EndDateTime);
            row[10] = RecordValues.FormatDateTime(e.CreatedDate);
            row[11] = RecordValues.FormatDateTime(e.SystemModstamp);
            FillCustom(row, EventFields.Length, eventCustom, e.Custom);
        });
        WriteRelations(folder, data);
        WriteOptionalFile(folder, DataExportFiles.OpportunityStage, StageFields, data.Stages, static (s, row) =>
        {
            row[0] = s.Name;
            row[1] = s.Name;
            row[2] = RecordValues.FormatInt32(s.SortOrder);
            row[3] = Format(s.DefaultProbability);
            row[4] = RecordValues.FormatBoolean(s.IsClosed);
            row[5] = RecordValues.FormatBoolean(s.IsWon);
            row[6] = RecordValues.FormatBoolean(s.IsActive);
        });
        WriteOptionalFile(folder, DataExportFiles.CurrencyType, CurrencyFields, data.Currencies, static (c, row) =>
        {
            row[0] = c.IsoCode;
            row[1] = RecordValues.FormatDecimal(c.ConversionRate);
            row[2] = RecordValues.FormatBoolean(c.IsCorporate);
            row[3] = RecordValues.FormatBoolean(c.IsActive);
        });
    }

    private static void WriteAccounts(string folder, IReadOnlyList<Account> accounts)
    {
        var custom = CustomFields(accounts.Select(a => a.Custom), AccountFields);
        WriteFile(folder, DataExportFiles.Account, [.. AccountFields, .. custom], accounts, (a, row) =>
        {
            row[0] = a.Id;
            row[1] = a.Name;
            row[2] = a.Industry;
            row[3] = a.Type;
            row[4] = Format(a.AnnualRevenue);
            row[5] = a.NumberOfEmployees is { } employees ? RecordValues.FormatInt32(employees) : null;
            row[6] = a.OwnerId;
            // An Account read from an export without CreatedDate has the default; write it back as absent.
            row[7] = a.CreatedDate == default ? null : RecordValues.FormatDateTime(a.CreatedDate);
            FillCustom(row, AccountFields.Length, custom, a.Custom);
        });
    }

    private static void WriteOpportunities(string folder, IReadOnlyList<Opportunity> opportunities)
    {
        var custom = CustomFields(opportunities.Select(o => o.Custom), OpportunityFields);
        WriteFile(folder, DataExportFiles.Opportunity, [.. OpportunityFields, .. custom], opportunities, (o, row) =>
        {
            row[0] = o.Id;
            row[1] = o.Name;
            row[2] = o.AccountId;
            row[3] = o.OwnerId;
            row[4] = o.StageName;
            row[5] = Format(o.Amount);
            row[6] = o.CurrencyIsoCode;
            row[7] = Format(o.Probability);
            row[8] = RecordValues.FormatDate(o.CloseDate);
            row[9] = o.Type;
            row[10] = o.LeadSource;
            row[11] = o.ForecastCategoryName;
            row[12] = RecordValues.FormatBoolean(o.IsClosed);
            row[13] = RecordValues.FormatBoolean(o.IsWon);
            row[14] = RecordValues.FormatDateTime(o.CreatedDate);
            row[15] = RecordValues.FormatDateTime(o.LastModifiedDate);
            row[16] = RecordValues.FormatDateTime(o.SystemModstamp);
            FillCustom(row, OpportunityFields.Length, custom, o.Custom);
        });
    }

    private static void WriteRelations(string folder, OrgData data)
    {
        var taskIds = data.Tasks.Select(t => t.Id).ToHashSet(SalesforceId.Comparer);
        var eventIds = data.Events.Select(e => e.Id).ToHashSet(SalesforceId.Comparer);
        var taskRelations = new List<ActivityRelation>();
        var eventRelations = new List<ActivityRelation>();
        foreach (var relation in data.ActivityRelations)
        {
            var id = relation.ActivityId;
            if (taskIds.Contains(id) || (!eventIds.Contains(id) && id.StartsWith(TaskKeyPrefix, StringComparison.Ordinal)))
            {
                taskRelations.Add(relation);
            }
            else if (eventIds.Contains(id) || id.StartsWith(EventKeyPrefix, StringComparison.Ordinal))
            {
                eventRelations.Add(relation);
            }
            else
            {
                throw new ArgumentException(
                    $"Activity relation {id} → {relation.RelationId}: {id} is neither a Task nor an Event of the data.", nameof(data));
            }
        }

        WriteOptionalFile(folder, DataExportFiles.TaskRelation, ["TaskId", "RelationId"], taskRelations, static (r, row) =>
        {
            row[0] = r.ActivityId;
            row[1] = r.RelationId;
        });
        WriteOptionalFile(folder, DataExportFiles.EventRelation, ["EventId", "RelationId"], eventRelations, static (r, row) =>
        {
            row[0] = r.ActivityId;
            row[1] = r.RelationId;
        });
    }

    // Keys in first-seen order; a key naming a standard column would write that column twice.
    private static string[] CustomFields(IEnumerable<IReadOnlyDictionary<string, string?>> bags, string[] standard)
    {
        var seen = new HashSet<string>(standard, StringComparer.OrdinalIgnoreCase);
        var fields = new List<string>();
        foreach (var bag in bags)
        {
            foreach (var key in bag.Keys)
            {
                if (seen.Add(key))
                {
                    fields.Add(key);
                }
            }
        }

        return [.. fields];
    }

    private static void FillCustom(string?[] row, int offset, string[] fields, IReadOnlyDictionary<string, string?> values)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            row[offset + i] = values.TryGetValue(fields[i], out var value) ? value : null;
        }
    }

    private static void WriteOptionalFile<T>(
        string folder, string fileName, string[] header, IReadOnlyList<T> records, Action<T, string?[]> fill)
    {
        if (records.Count > 0)
        {
            WriteFile(folder, fileName, header, records, fill);
        }
        else if (DataExportFiles.Find(folder, fileName) is { } stale)
        {
            File.Delete(stale);
        }
    }

    private static void WriteFile<T>(
        string folder, string fileName, string[] header, IReadOnlyList<T> records, Action<T, string?[]> fill)
    {
        var parts = DataExportFiles.FindParts(folder, fileName);
        if (parts.Count > 1)
        {
            // One new file would be read together with the old parts, doubling their records.
            throw new IOException(
                $"{folder} holds {fileName} in several parts ({string.Join(", ", parts.Select(p => Path.GetRelativePath(folder, p)))}); write the records to an empty folder instead.");
        }

        var path = DataExportFiles.Find(folder, fileName) ?? Path.Combine(folder, fileName);
        var temporary = path + ".tmp";
        try
        {
            ExportCsvWriter.Write(temporary, header, Rows(records, header.Length, fill));
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    // One array reused for every row: the CSV writer consumes a row before asking for the next.
    private static IEnumerable<string?[]> Rows<T>(IReadOnlyList<T> records, int width, Action<T, string?[]> fill)
    {
        var row = new string?[width];
        foreach (var record in records)
        {
            fill(record, row);
            yield return row;
        }
    }

    private static string? Format(decimal? value) => value is { } v ? RecordValues.FormatDecimal(v) : null;

    private static string? Format(DateOnly? value) => value is { } v ? RecordValues.FormatDate(v) : null;

    private static string? Format(DateTimeOffset? value) => value is { } v ? RecordValues.FormatDateTime(v) : null;
}
