using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SfPredictor.LocalOrg;

/// <summary>Settings of a local, Salesforce-compatible org served from a Data Export folder.</summary>
public sealed class LocalOrgOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "LocalOrg";

    /// <summary>The Data Export folder: one <c>Object.csv</c> per object. Updates are written back here.</summary>
    [Required]
    public string ExportDirectory { get; set; } = string.Empty;

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one (see <see cref="LocalOrgServer.BaseUri"/>).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>The connected app's consumer key: the JWT <c>iss</c> claim and the client credentials id.</summary>
    [Required]
    public string ClientId { get; set; } = "sfp-local";

    /// <summary>The consumer secret for the client credentials flow; null disables that flow.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// PEM file with the RSA public key (or X.509 certificate) that verifies JWT bearer assertions;
    /// null disables that flow.
    /// </summary>
    public string? PublicKeyPath { get; set; }

    /// <summary>How long an access token stays valid.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The daily API request budget (<c>DailyApiRequests.Max</c>); every API call uses one.</summary>
    [Range(1, int.MaxValue)]
    public int DailyApiRequests { get; set; } = 100_000;

    /// <summary>Records per query page when the client sends no <c>Sforce-Query-Options: batchSize</c>.</summary>
    [Range(1, 2000)]
    public int QueryBatchSize { get; set; } = 2000;

    /// <summary>Records per Bulk API 2.0 result set when the client sends no <c>maxRecords</c>.</summary>
    [Range(1, 1_000_000)]
    public int BulkResultPageSize { get; set; } = 50_000;

    /// <summary>Delay added before every API answer, to imitate a remote org.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Latency { get; set; }

    /// <summary>Share of API calls answered with 503 SERVER_UNAVAILABLE (0 to 1).</summary>
    [Range(0.0, 1.0)]
    public double FailureRate { get; set; }

    /// <summary>Seed of the failure draw, so that a test sees the same failures every run.</summary>
    public int FailureSeed { get; set; } = 1;

    /// <summary>
    /// Custom fields to add (empty) or to type explicitly, as <c>Object.Field__c:type</c> with type one
    /// of string, textarea, picklist, boolean, int, double, currency, percent, date, datetime, reference.
    /// Lets an export without the product's fields stand for an org they were deployed to.
    /// </summary>
    public IList<string> CustomFields { get; } = [];

    /// <summary>
    /// Whether writes are persisted: each is appended to a write log in the folder
    /// (<c>.sfp-local-org.journal</c>) and flushed to disk before it is acknowledged, replayed at the next
    /// start if the process died, and written back to the CSV files after <see cref="FlushDelay"/> and on stop.
    /// </summary>
    public bool PersistUpdates { get; set; } = true;

    /// <summary>
    /// Port of the Pub/Sub API (gRPC over HTTP/2 without TLS) that streams change events; 0 picks a free one.
    /// With <see cref="PersistUpdates"/> the events are kept in the export's <c>_pubsub</c> folder across restarts.
    /// </summary>
    [Range(0, 65535)]
    public int PubSubPort { get; set; }

    /// <summary>How long after an update the changed CSV files are written, so that a burst of updates is written once (the write log already holds them).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FlushDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most characters a field of the export may hold; a longer one stops the load with an error
    /// naming file, line and field, before it fills memory. Salesforce's longest text field holds 131,072.
    /// </summary>
    [Range(1, 2_000_000)]
    public int MaxFieldLength { get; set; } = DataExport.ExportCsvLimits.DefaultMaxFieldLength;

    /// <summary>The most characters a row of the export may hold, all fields together (one line unless a quoted field spans lines).</summary>
    [Range(1, int.MaxValue)]
    public int MaxRowLength { get; set; } = DataExport.ExportCsvLimits.DefaultMaxRowLength;

    /// <summary>
    /// The month the org's fiscal year starts in (1 to 12), as Salesforce's fiscal year setting: fiscal
    /// date literals (<c>THIS_FISCAL_QUARTER</c>, <c>LAST_N_FISCAL_YEARS:n</c>, ...) and the FISCAL_YEAR(),
    /// FISCAL_QUARTER() and FISCAL_MONTH() functions follow it. 1, the default, is the calendar year.
    /// </summary>
    [Range(1, 12)]
    public int FiscalYearStartMonth { get; set; } = 1;

    /// <summary>Whether a fiscal year is named by the calendar year in which it ends (the default) or starts.</summary>
    [EnumDataType(typeof(FiscalYearBasis))]
    public FiscalYearBasis FiscalYearBasedOn { get; set; } = FiscalYearBasis.EndingMonth;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        const string Prefix = SectionName + ":";
        if (!string.IsNullOrEmpty(ExportDirectory) && !Directory.Exists(ExportDirectory))
        {
            yield return new ValidationResult(
                $"{Prefix}{nameof(ExportDirectory)} '{ExportDirectory}' does not exist.", [nameof(ExportDirectory)]);
        }

        if (string.IsNullOrEmpty(ClientSecret) && string.IsNullOrEmpty(PublicKeyPath))
        {
            yield return new ValidationResult(
                $"Set {Prefix}{nameof(ClientSecret)} or {Prefix}{nameof(PublicKeyPath)}: without either no client can log in.",
                [nameof(ClientSecret), nameof(PublicKeyPath)]);
        }

        if (!string.IsNullOrEmpty(PublicKeyPath) && !File.Exists(PublicKeyPath))
        {
            yield return new ValidationResult(
                $"{Prefix}{nameof(PublicKeyPath)} '{PublicKeyPath}' does not exist.", [nameof(PublicKeyPath)]);
        }

        foreach (var entry in CustomFields)
        {
            if (!Data.CustomFieldSpec.TryParse(entry, out _, out var problem))
            {
                yield return new ValidationResult($"{Prefix}{nameof(CustomFields)} entry '{entry}': {problem}", [nameof(CustomFields)]);
            }
        }
    }
}

/// <summary>Validates <see cref="LocalOrgOptions"/> (generated from the annotations).</summary>
[OptionsValidator]
internal sealed partial class ValidateLocalOrgOptions : IValidateOptions<LocalOrgOptions>;
