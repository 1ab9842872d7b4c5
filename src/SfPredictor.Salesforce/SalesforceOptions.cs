using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SfPredictor.Salesforce;

/// <summary>How the client logs in to Salesforce.</summary>
public enum SalesforceAuthFlow
{
    /// <summary>OAuth 2.0 JWT bearer: a connected app's consumer key, an integration user and an RSA private key.</summary>
    JwtBearer,

    /// <summary>OAuth 2.0 client credentials: consumer key and secret; needs a My Domain login URL.</summary>
    ClientCredentials,

    /// <summary>OAuth 2.0 refresh token: consumer key, optional secret and a long-lived refresh token.</summary>
    RefreshToken,
}

/// <summary>Connection, authentication and budget settings of the Salesforce client.</summary>
public sealed class SalesforceOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Salesforce";

    /// <summary>
    /// Where to log in: <c>https://login.salesforce.com</c>, <c>https://test.salesforce.com</c> (sandbox)
    /// or the org's My Domain URL.
    /// </summary>
    [Required(ErrorMessage = "Salesforce:LoginUrl is required.")]
    public Uri? LoginUrl { get; set; } = new("https://login.salesforce.com");

    /// <summary>The OAuth flow used to log in.</summary>
    [EnumDataType(typeof(SalesforceAuthFlow), ErrorMessage = "Salesforce:AuthFlow must be JwtBearer, ClientCredentials or RefreshToken.")]
    public SalesforceAuthFlow AuthFlow { get; set; } = SalesforceAuthFlow.JwtBearer;

    /// <summary>The connected app's consumer key.</summary>
    [Required(ErrorMessage = "Salesforce:ClientId is required.")]
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The integration user's username (JWT bearer flow).</summary>
    public string? Username { get; set; }

    /// <summary>Path of a PEM file with the RSA private key (JWT bearer flow).</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>Name of an environment variable holding the PEM RSA private key (JWT bearer flow).</summary>
    public string? PrivateKeyEnvironmentVariable { get; set; }

    /// <summary>
    /// The JWT <c>aud</c> claim. Empty: <c>https://test.salesforce.com</c> for sandboxes,
    /// <c>https://login.salesforce.com</c> for other salesforce.com hosts, otherwise <see cref="LoginUrl"/>.
    /// </summary>
    public string? JwtAudience { get; set; }

    /// <summary>The connected app's consumer secret (client credentials; optional for refresh token).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The refresh token (refresh token flow).</summary>
    public string? RefreshToken { get; set; }

    /// <summary>
    /// The name every call gives Salesforce (<c>Sforce-Call-Options: client=...</c>). Salesforce puts it in the
    /// <c>changeOrigin</c> of the change events a write causes, which is how the change event subscriber knows the
    /// worker's own writes.
    /// </summary>
    [Required(ErrorMessage = "Salesforce:ClientName is required.")]
    [RegularExpression("^[A-Za-z0-9_.-]{1,40}$", ErrorMessage = "Salesforce:ClientName must be 1 to 40 letters, digits, '_', '.' or '-'.")]
    public string ClientName { get; set; } = "SfPredictor";

    /// <summary>REST API version, e.g. <c>62.0</c>.</summary>
    [Required(ErrorMessage = "Salesforce:ApiVersion is required.")]
    [RegularExpression(@"^[1-9][0-9]{1,2}\.0$", ErrorMessage = "Salesforce:ApiVersion must look like 62.0.")]
    public string ApiVersion { get; set; } = "62.0";

    /// <summary>Reads of more records than this go through Bulk API 2.0 instead of REST query pages.</summary>
    [Range(0, int.MaxValue)]
    public int BulkThreshold { get; set; } = 10_000;

    /// <summary>Updates of more records than this go through a Bulk API 2.0 ingest job instead of sObject Collections.</summary>
    [Range(0, int.MaxValue)]
    public int BulkWriteThreshold { get; set; } = 2_000;

    /// <summary>
    /// Share of the org's daily API request limit this client may bring the org to: 0.5 stops before
    /// a call would take the org's usage past 50 % of its limit.
    /// </summary>
    [Range(0.01, 1.0)]
    public double DailyApiShareLimit { get; set; } = 0.5;

    /// <summary>Timeout of one HTTP attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:30:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Timeout of one call, every attempt and wait between attempts included; must not be shorter than
    /// <see cref="RequestTimeout"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "02:00:00")]
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long calls pause once most recent attempts failed (the circuit breaker is open).</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:30:00")]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts within a minute before the circuit breaker may open (it opens when half of them failed).</summary>
    [Range(2, 10_000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>Retries after a transient failure (5xx, 429, timeout, connection reset).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; later ones grow exponentially with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Records per REST query page (the <c>batchSize</c> query option, 200 to 2000).</summary>
    [Range(200, 2000)]
    public int QueryBatchSize { get; set; } = 2000;

    /// <summary>First wait between Bulk job status polls; it doubles up to <see cref="BulkPollMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BulkPollInitialDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between Bulk job status polls.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BulkPollMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a Bulk job may take before the client gives up on it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BulkJobTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Records per Bulk query result page (the <c>maxRecords</c> parameter).</summary>
    [Range(1, 1_000_000)]
    public int BulkResultPageSize { get; set; } = 50_000;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        const string Prefix = SectionName + ":";
        if (LoginUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http")))
        {
            yield return new ValidationResult($"{Prefix}{nameof(LoginUrl)} must be an absolute https URL.", [nameof(LoginUrl)]);
        }

        switch (AuthFlow)
        {
            case SalesforceAuthFlow.JwtBearer:
                if (string.IsNullOrWhiteSpace(Username))
                {
                    yield return new ValidationResult($"{Prefix}{nameof(Username)} is required for the JwtBearer flow.", [nameof(Username)]);
                }

                if (string.IsNullOrWhiteSpace(PrivateKeyPath) == string.IsNullOrWhiteSpace(PrivateKeyEnvironmentVariable))
                {
                    yield return new ValidationResult(
                        $"Set exactly one of {Prefix}{nameof(PrivateKeyPath)} and {Prefix}{nameof(PrivateKeyEnvironmentVariable)} for the JwtBearer flow.",
                        [nameof(PrivateKeyPath), nameof(PrivateKeyEnvironmentVariable)]);
                }

                break;
            case SalesforceAuthFlow.ClientCredentials when string.IsNullOrWhiteSpace(ClientSecret):
                yield return new ValidationResult($"{Prefix}{nameof(ClientSecret)} is required for the ClientCredentials flow.", [nameof(ClientSecret)]);
                break;
            case SalesforceAuthFlow.RefreshToken when string.IsNullOrWhiteSpace(RefreshToken):
                yield return new ValidationResult($"{Prefix}{nameof(RefreshToken)} is required for the RefreshToken flow.", [nameof(RefreshToken)]);
                break;
        }

        if (TotalRequestTimeout < RequestTimeout)
        {
            yield return new ValidationResult(
                $"{Prefix}{nameof(TotalRequestTimeout)} must not be shorter than {Prefix}{nameof(RequestTimeout)}.",
                [nameof(TotalRequestTimeout)]);
        }

        if (BulkPollMaxDelay < BulkPollInitialDelay)
        {
            yield return new ValidationResult(
                $"{Prefix}{nameof(BulkPollMaxDelay)} must not be shorter than {Prefix}{nameof(BulkPollInitialDelay)}.",
                [nameof(BulkPollMaxDelay)]);
        }
    }
}

/// <summary>Validates <see cref="SalesforceOptions"/> at start (generated from the annotations).</summary>
[OptionsValidator]
internal sealed partial class ValidateSalesforceOptions : IValidateOptions<SalesforceOptions>;
