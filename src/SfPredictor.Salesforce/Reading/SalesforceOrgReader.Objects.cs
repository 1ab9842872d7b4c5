using SfPredictor.Records;
using SfPredictor.Salesforce.Telemetry;

namespace SfPredictor.Salesforce;

/// <summary>How much of one object <see cref="SalesforceOrgReader"/> reads whole.</summary>
public sealed record ObjectRead
{
    /// <summary>Fields to select besides the standard ones (custom fields); they arrive in the records' <c>Custom</c>.</summary>
    public IReadOnlyList<string> ExtraFields { get; init; } = [];

    /// <summary>
    /// Only the records stamped at or after this time: by SystemModstamp, or for history rows, which never change, by
    /// CreatedDate. Null reads every record.
    /// </summary>
    public DateTimeOffset? StampedFrom { get; init; }

    /// <summary>Whether the org has currencies, and so Opportunity and Account have a CurrencyIsoCode field to read.</summary>
    public bool MultiCurrency { get; init; }
}

// Whole objects, or what changed in them since a stamp: REST pages, or one Bulk API 2.0 job when the first page says the
// object holds more than Salesforce:BulkThreshold records, so a handful of calls per object however large the org.
public sealed partial class SalesforceOrgReader
{
    private const string Modstamp = "SystemModstamp";

    /// <summary>Opportunities: every one, or those in <paramref name="scope"/> closing on or after <paramref name="closeDateFrom"/>.</summary>
    public Task<List<Opportunity>> ReadOpportunitiesAsync(
        ObjectRead read, OpportunityScope scope = OpportunityScope.All, DateOnly? closeDateFrom = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        var soql = Stamped(new SoqlBuilder("Opportunity"), Modstamp, read);
        if (scope != OpportunityScope.All)
        {
            soql.Where("IsClosed", "=", scope == OpportunityScope.Closed);
        }

        if (closeDateFrom is { } from)
        {
            soql.Where("CloseDate", ">=", from);
        }

        string[] fields = [.. SalesforceFields.Opportunity, .. CurrencyField(read), .. Names(read.ExtraFields)];
        return ReadWholeAsync(soql.Select(fields), read, SalesforceRecordMapper.ToOpportunity, cancellationToken);
    }

    /// <summary>OpportunityHistory rows (stamped by their CreatedDate).</summary>
    public Task<List<OpportunityHistory>> ReadHistoriesAsync(ObjectRead read, CancellationToken cancellationToken = default) =>
        ReadWholeAsync(Stamped(new SoqlBuilder("OpportunityHistory"), "CreatedDate", read).Select(SalesforceFields.OpportunityHistory), read,
            SalesforceRecordMapper.ToOpportunityHistory, cancellationToken);

    /// <summary>Tasks, with the extra (activity type) fields.</summary>
    public Task<List<SfTask>> ReadTasksAsync(ObjectRead read, CancellationToken cancellationToken = default) =>
        ReadWholeAsync(Stamped(new SoqlBuilder("Task"), Modstamp, read).Select([.. SalesforceFields.Task, .. Names(read.ExtraFields)]), read,
            SalesforceRecordMapper.ToTask, cancellationToken);

    /// <summary>Events, with the extra (activity type) fields.</summary>
    public Task<List<SfEvent>> ReadEventsAsync(ObjectRead read, CancellationToken cancellationToken = default) =>
        ReadWholeAsync(Stamped(new SoqlBuilder("Event"), Modstamp, read).Select([.. SalesforceFields.Event, .. Names(read.ExtraFields)]), read,
            SalesforceRecordMapper.ToEvent, cancellationToken);

    /// <summary>
    /// Accounts, with their stamp and, in a multi-currency org, their currency: the features convert an Account's
    /// AnnualRevenue from it (<c>Account.Custom["CurrencyIsoCode"]</c>).
    /// </summary>
    public Task<List<Account>> ReadAccountsAsync(ObjectRead read, CancellationToken cancellationToken = default) =>
        ReadWholeAsync(Stamped(new SoqlBuilder("Account"), Modstamp, read).Select([.. SalesforceFields.Account, Modstamp, .. CurrencyField(read)]), read,
            SalesforceRecordMapper.ToAccount, cancellationToken);

    /// <summary>Every User: small in any org, so REST pages.</summary>
    public Task<List<User>> ReadUsersAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(() => new SoqlBuilder("User"), SalesforceFields.User, TransferMode.Rest, SalesforceRecordMapper.ToUser, cancellationToken);

    /// <summary>The org's stages in their order.</summary>
    public Task<List<OpportunityStage>> ReadStagesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(() => new SoqlBuilder("OpportunityStage").OrderBy("SortOrder"), SalesforceFields.OpportunityStage, TransferMode.Rest,
            SalesforceRecordMapper.ToOpportunityStage, cancellationToken);

    /// <summary>The org's currencies; empty for a single-currency org, which has no CurrencyType (nor CurrencyIsoCode fields).</summary>
    public async Task<List<CurrencyType>> ReadCurrenciesAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadAsync(() => new SoqlBuilder("CurrencyType"), SalesforceFields.CurrencyType, TransferMode.Rest,
                SalesforceRecordMapper.ToCurrencyType, cancellationToken);
        }
        catch (SalesforceApiException e) when (e.ErrorCode == "INVALID_TYPE")
        {
            return [];
        }
    }

    // Salesforce stamps to the second and a transaction can commit after a later stamp was read: the caller's StampedFrom
    // includes the second it gives (>=), so that a record is read again rather than missed.
    private static SoqlBuilder Stamped(SoqlBuilder soql, string stampField, ObjectRead read) =>
        read.StampedFrom is { } from ? soql.Where(stampField, ">=", from) : soql;

    private static string[] CurrencyField(ObjectRead read) => read.MultiCurrency ? [SalesforceFields.CurrencyIsoCode] : [];

    private static IEnumerable<string> Names(IReadOnlyList<string> fields) => fields.Select(f => Soql.Name(f));

    private async Task<List<T>> ReadWholeAsync<T>(
        SoqlBuilder soql, ObjectRead read, Func<IReadOnlyDictionary<string, string?>, StringPool?, T> map, CancellationToken cancellationToken)
    {
        var what = read.StampedFrom is null ? soql.ObjectName : soql.ObjectName + " changes";
        var texts = SalesforceRecordMapper.NewPool();
        var result = new List<T>();
        await foreach (var row in client.QueryAutoAsync(soql.Build(), (mode, count) => Log.ObjectRead(logger, what, count, mode), cancellationToken))
        {
            result.Add(map(row, texts));
        }

        return result;
    }
}
