namespace SfPredictor.DataExport;

/// <summary>
/// File names of a Data Export folder, one CSV per object, named after the object's API name.
/// Names are matched case-insensitively when reading.
/// <para>
/// A large org's export comes as several ZIP archives, and one object's rows can be spread over
/// them. Unzipped each into its own subfolder (what unzip tools do by default), the folder holds
/// parts: <c>Task.csv</c> in the folder itself and in any of its subfolders, read in that order
/// (subfolders by name). Subfolders whose names start with <c>_</c> or <c>.</c> are not parts.
/// </para>
/// </summary>
public static class DataExportFiles
{
    /// <summary>Accounts.</summary>
    public const string Account = "Account.csv";

    /// <summary>Users.</summary>
    public const string User = "User.csv";

    /// <summary>Opportunities; the only file a Data Export folder must have.</summary>
    public const string Opportunity = "Opportunity.csv";

    /// <summary>Opportunity stage, amount and close date history.</summary>
    public const string OpportunityHistory = "OpportunityHistory.csv";

    /// <summary>Tasks.</summary>
    public const string Task = "Task.csv";

    /// <summary>Events.</summary>
    public const string Event = "Event.csv";

    /// <summary>Extra records a Task is related to.</summary>
    public const string TaskRelation = "TaskRelation.csv";

    /// <summary>Extra records an Event is related to.</summary>
    public const string EventRelation = "EventRelation.csv";

    /// <summary>The org's stage definitions.</summary>
    public const string OpportunityStage = "OpportunityStage.csv";

    /// <summary>Currencies of a multi-currency org.</summary>
    public const string CurrencyType = "CurrencyType.csv";

    /// <summary>Every file name above.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Account, User, Opportunity, OpportunityHistory, Task, Event,
        TaskRelation, EventRelation, OpportunityStage, CurrencyType,
    ];

    /// <summary>
    /// The path of a file of <paramref name="folder"/> whose name equals <paramref name="fileName"/>
    /// ignoring case, or null when there is none.
    /// </summary>
    /// <exception cref="IOException">Several files match, differing only in case.</exception>
    public static string? Find(string folder, string fileName)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(fileName);
        string? found = null;
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            if (!string.Equals(Path.GetFileName(path), fileName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (found is not null)
            {
                throw new IOException(
                    $"{folder} holds both '{Path.GetFileName(found)}' and '{Path.GetFileName(path)}'; keep one {fileName}.");
            }

            found = path;
        }

        return found;
    }

    /// <summary>
    /// The parts of one object's file: the match of <paramref name="fileName"/> in <paramref name="folder"/>,
    /// then the match in each archive subfolder (ordinal by subfolder name). Empty when there is none.
    /// </summary>
    /// <exception cref="IOException">A folder holds several files differing only in case.</exception>
    public static IReadOnlyList<string> FindParts(string folder, string fileName)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(fileName);
        var parts = new List<string>();
        foreach (var directory in PartFolders(folder))
        {
            if (Find(directory, fileName) is { } path)
            {
                parts.Add(path);
            }
        }

        return parts;
    }

    /// <summary>
    /// The folders that may hold parts of an export: <paramref name="folder"/> itself, then its subfolders
    /// in ordinal name order, except those whose names start with <c>_</c> or <c>.</c> (kept for files
    /// that are not records, such as a generated org's truth).
    /// </summary>
    public static IReadOnlyList<string> PartFolders(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var subfolders = Directory.EnumerateDirectories(folder)
            .Where(d => Path.GetFileName(d) is { Length: > 0 } name && name[0] is not ('_' or '.'))
            .Order(StringComparer.Ordinal);
        return [folder, .. subfolders];
    }
}
