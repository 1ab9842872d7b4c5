using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SfPredictor.ModelStore;

/// <summary>Where model packages are kept and how to reach them.</summary>
public sealed class ModelStoreOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "SfPredictor:ModelStore";

    /// <summary>Local folder (default) or Azure Blob Storage.</summary>
    public ModelStoreKind Kind { get; set; } = ModelStoreKind.Local;

    /// <summary>Root folder of the local store, relative to the working directory unless absolute. Default <c>./models</c>.</summary>
    [Required(ErrorMessage = $"{SectionName}:{nameof(LocalPath)} is required.")]
    public string LocalPath { get; set; } = "./models";

    /// <summary>
    /// Blob service endpoint, for example <c>https://account.blob.core.windows.net</c> or, on Azurite,
    /// <c>http://127.0.0.1:10000/devstoreaccount1</c>. Required when <see cref="Kind"/> is AzureBlob.
    /// </summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Container holding the packages. Default <c>models</c>.</summary>
    [Required(ErrorMessage = $"{SectionName}:{nameof(ContainerName)} is required.")]
    [RegularExpression("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$",
        ErrorMessage = $"{SectionName}:{nameof(ContainerName)} must be 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.")]
    public string ContainerName { get; set; } = "models";

    /// <summary>How Blob requests are authorised. Default ManagedIdentity.</summary>
    public BlobAuthKind Auth { get; set; } = BlobAuthKind.ManagedIdentity;

    /// <summary>SAS token (the query string of a SAS URL) when <see cref="Auth"/> is Sas.</summary>
    public string? SasToken { get; set; }

    /// <summary>File holding the SAS token (a mounted secret), instead of <see cref="SasToken"/>.</summary>
    public string? SasTokenFile { get; set; }

    /// <summary>Storage account name when <see cref="Auth"/> is SharedKey (<c>devstoreaccount1</c> on Azurite).</summary>
    public string? AccountName { get; set; }

    /// <summary>Base64 account key when <see cref="Auth"/> is SharedKey; prefer <see cref="AccountKeyFile"/> or an environment variable.</summary>
    public string? AccountKey { get; set; }

    /// <summary>File holding the account key (a mounted secret), instead of <see cref="AccountKey"/>.</summary>
    public string? AccountKeyFile { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty for the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// A storage connection string (with an account key or a SAS) when <see cref="Auth"/> is ConnectionString; it names
    /// the endpoint, so <see cref="BlobServiceUri"/> is not needed. Prefer <see cref="ConnectionStringFile"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>File holding the connection string (a mounted secret), instead of <see cref="ConnectionString"/>.</summary>
    public string? ConnectionStringFile { get; set; }

    /// <summary>How often the Azure SDK retries a request that failed transiently (408, 429, 5xx, network). Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; later ones double, with jitter, up to 16 times this. Default 0.5 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest one attempt may wait for the service. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest one request may take, all its retries included. Default 2 minutes.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The container's URI: <see cref="BlobServiceUri"/> followed by <see cref="ContainerName"/>.</summary>
    internal Uri ContainerUri => new($"{BlobServiceUri!.AbsoluteUri.TrimEnd('/')}/{ContainerName}");

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind != ModelStoreKind.AzureBlob)
        {
            yield break;
        }

        // Checked here rather than with [Range]: the messages name the configuration key.
        if (MaxRetries is < 0 or > 10)
        {
            yield return Error($"{Key(nameof(MaxRetries))} must be between 0 and 10.", nameof(MaxRetries));
        }

        foreach (var (value, name, min, max, range) in new[]
        {
            (RetryDelay, nameof(RetryDelay), TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), "1 ms and 1 minute"),
            (AttemptTimeout, nameof(AttemptTimeout), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(30), "100 ms and 30 minutes"),
            (TotalTimeout, nameof(TotalTimeout), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), "100 ms and 1 hour"),
        })
        {
            if (value < min || value > max)
            {
                yield return Error($"{Key(name)} must be between {range}.", name);
            }
        }

        if (Auth == BlobAuthKind.ConnectionString)
        {
            foreach (var error in OneSecret(ConnectionString, ConnectionStringFile, nameof(ConnectionString), nameof(ConnectionStringFile)))
            {
                yield return error;
            }

            yield break;
        }

        if (BlobServiceUri is null)
        {
            yield return Error($"{Key(nameof(BlobServiceUri))} is required when {Key(nameof(Kind))} is AzureBlob (e.g. https://account.blob.core.windows.net).", nameof(BlobServiceUri));
            yield break;
        }

        if (!BlobServiceUri.IsAbsoluteUri || (BlobServiceUri.Scheme != Uri.UriSchemeHttps && BlobServiceUri.Scheme != Uri.UriSchemeHttp))
        {
            yield return Error($"{Key(nameof(BlobServiceUri))} must be an absolute http or https URI.", nameof(BlobServiceUri));
            yield break;
        }

        if (!string.IsNullOrEmpty(BlobServiceUri.Query))
        {
            yield return Error($"{Key(nameof(BlobServiceUri))} must not contain a query string; put a SAS in {Key(nameof(SasToken))}.", nameof(BlobServiceUri));
        }

        switch (Auth)
        {
            case BlobAuthKind.Sas:
                foreach (var error in OneSecret(SasToken, SasTokenFile, nameof(SasToken), nameof(SasTokenFile)))
                {
                    yield return error;
                }

                if (!string.IsNullOrWhiteSpace(SasToken) && !SasToken.Contains("sig=", StringComparison.Ordinal))
                {
                    // The token itself stays out of the message.
                    yield return Error($"{Key(nameof(SasToken))} has no 'sig=' parameter; give the query string of a SAS URL.", nameof(SasToken));
                }

                break;
            case BlobAuthKind.SharedKey:
                if (string.IsNullOrWhiteSpace(AccountName))
                {
                    yield return Error($"{Key(nameof(AccountName))} is required when {Key(nameof(Auth))} is SharedKey.", nameof(AccountName));
                }

                foreach (var error in OneSecret(AccountKey, AccountKeyFile, nameof(AccountKey), nameof(AccountKeyFile)))
                {
                    yield return error;
                }

                if (!string.IsNullOrWhiteSpace(AccountKey) && !Convert.TryFromBase64String(AccountKey.Trim(), new byte[AccountKey.Length], out _))
                {
                    // The value itself stays out of the message.
                    yield return Error($"{Key(nameof(AccountKey))} is not valid base64.", nameof(AccountKey));
                }

                break;
            case BlobAuthKind.ManagedIdentity:
                if (BlobServiceUri.Scheme != Uri.UriSchemeHttps)
                {
                    yield return Error($"{Key(nameof(BlobServiceUri))} must be https when {Key(nameof(Auth))} is ManagedIdentity: bearer tokens are sent over HTTPS only.", nameof(BlobServiceUri));
                }

                break;
            default:
                yield return Error($"{Key(nameof(Auth))} must be Sas, SharedKey, ConnectionString or ManagedIdentity.", nameof(Auth));
                break;
        }
    }

    /// <summary>The secret given inline or, failing that, read from its file.</summary>
    internal static string ReadSecret(string? value, string? file, string fileKey)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value.Trim();
        }

        try
        {
            return File.ReadAllText(file!).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OptionsValidationException(fileKey, typeof(ModelStoreOptions), [$"{fileKey} '{file}' cannot be read: {ex.Message}"]);
        }
    }

    private static IEnumerable<ValidationResult> OneSecret(string? value, string? file, string valueName, string fileName)
    {
        var hasValue = !string.IsNullOrWhiteSpace(value);
        var hasFile = !string.IsNullOrWhiteSpace(file);
        if (hasValue == hasFile)
        {
            yield return Error($"Set exactly one of {Key(valueName)} and {Key(fileName)}.", valueName, fileName);
        }
        else if (hasFile && !File.Exists(file))
        {
            yield return Error($"{Key(fileName)} '{file}' does not exist.", fileName);
        }
    }

    private static string Key(string property) => $"{SectionName}:{property}";

    private static ValidationResult Error(string message, params string[] members) => new(message, members);
}

/// <summary>Which store implementation to use.</summary>
public enum ModelStoreKind
{
    /// <summary>A local or mounted folder.</summary>
    Local,

    /// <summary>An Azure Blob Storage container.</summary>
    AzureBlob,
}

/// <summary>How Azure Blob Storage requests are authorised.</summary>
public enum BlobAuthKind
{
    /// <summary>A shared access signature.</summary>
    Sas,

    /// <summary>The storage account name and key.</summary>
    SharedKey,

    /// <summary>An Entra ID token from a managed identity (or a <c>TokenCredential</c> registered in the container).</summary>
    ManagedIdentity,

    /// <summary>A storage connection string (account key or SAS, and the endpoint).</summary>
    ConnectionString,
}

/// <summary>Validates <see cref="ModelStoreOptions"/> at start; messages name the configuration key.</summary>
[OptionsValidator]
internal sealed partial class ValidateModelStoreOptions : IValidateOptions<ModelStoreOptions>;
