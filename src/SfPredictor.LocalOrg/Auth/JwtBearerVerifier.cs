using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace SfPredictor.LocalOrg.Auth;

/// <summary>The outcome of checking a JWT bearer assertion: the subject, or the OAuth error Salesforce answers.</summary>
internal sealed record AssertionCheck(string? Subject, string? Error, string? Description, string? Reason)
{
    public static AssertionCheck Valid(string subject) => new(subject, null, null, null);

    public static AssertionCheck Invalid(string error, string description, string reason) => new(null, error, description, reason);
}

/// <summary>
/// Verifies OAuth 2.0 JWT bearer assertions as a connected app with an uploaded certificate does:
/// an RS256 signature by the configured key, <c>iss</c> the consumer key, <c>aud</c> a login URL,
/// a <c>sub</c>, and an <c>exp</c> not yet passed.
/// </summary>
internal sealed class JwtBearerVerifier : IDisposable
{
    private const string InvalidGrant = "invalid_grant";
    private readonly RSA _key;
    private readonly string _clientId;
    private readonly TimeProvider _time;

    private JwtBearerVerifier(RSA key, string clientId, TimeProvider time)
    {
        _key = key;
        _clientId = clientId;
        _time = time;
    }

    /// <summary>Reads a PEM public key (<c>PUBLIC KEY</c>, <c>RSA PUBLIC KEY</c>) or certificate.</summary>
    /// <exception cref="InvalidOperationException">The file holds no RSA public key.</exception>
    public static JwtBearerVerifier FromPemFile(string path, string clientId, TimeProvider time)
    {
        var pem = File.ReadAllText(path);
        RSA? key;
        try
        {
            if (pem.Contains("CERTIFICATE", StringComparison.Ordinal))
            {
                using var certificate = X509Certificate2.CreateFromPem(pem);
                key = certificate.GetRSAPublicKey();
            }
            else
            {
                key = RSA.Create();
                key.ImportFromPem(pem);
            }
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{LocalOrgOptions.SectionName}:{nameof(LocalOrgOptions.PublicKeyPath)} '{path}' holds no readable RSA public key or certificate: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{LocalOrgOptions.SectionName}:{nameof(LocalOrgOptions.PublicKeyPath)} '{path}' holds no PEM block: {e.Message}", e);
        }

        return new JwtBearerVerifier(
            key ?? throw new InvalidOperationException($"{LocalOrgOptions.SectionName}:{nameof(LocalOrgOptions.PublicKeyPath)} '{path}' holds a certificate without an RSA key."),
            clientId,
            time);
    }

    /// <param name="assertion">The JWT.</param>
    /// <param name="audiences">The <c>aud</c> values accepted (login URLs).</param>
    public AssertionCheck Verify(string assertion, IReadOnlyCollection<string> audiences)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3 || !TryDecode(parts[0], out var header) || !TryDecode(parts[1], out var payload) || !TryDecode(parts[2], out var signature))
        {
            return AssertionCheck.Invalid(InvalidGrant, "invalid assertion", "the assertion is not three base64url parts");
        }

        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!_key.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return AssertionCheck.Invalid(InvalidGrant, "invalid assertion", "the signature does not verify with the configured public key");
        }

        try
        {
            using var headerJson = JsonDocument.Parse(header);
            using var claims = JsonDocument.Parse(payload);
            if (Text(headerJson.RootElement, "alg") != "RS256")
            {
                return AssertionCheck.Invalid(InvalidGrant, "invalid assertion", "alg is not RS256");
            }

            var root = claims.RootElement;
            if (Text(root, "iss") != _clientId)
            {
                return AssertionCheck.Invalid("invalid_client_id", "client identifier invalid", "iss is not the configured client id");
            }

            var audience = Text(root, "aud")?.TrimEnd('/');
            if (audience is null || !audiences.Contains(audience, StringComparer.OrdinalIgnoreCase))
            {
                return AssertionCheck.Invalid(InvalidGrant, "audience is invalid", "aud is not a login URL of this org");
            }

            if (!root.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var seconds)
                || DateTimeOffset.FromUnixTimeSeconds(seconds) <= _time.GetUtcNow())
            {
                return AssertionCheck.Invalid(InvalidGrant, "invalid assertion", "exp is missing or has passed");
            }

            return Text(root, "sub") is { Length: > 0 } subject
                ? AssertionCheck.Valid(subject)
                : AssertionCheck.Invalid(InvalidGrant, "invalid assertion", "sub is missing");
        }
        catch (JsonException)
        {
            return AssertionCheck.Invalid(InvalidGrant, "invalid assertion", "the header or claims are not JSON");
        }
    }

    public void Dispose() => _key.Dispose();

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static bool TryDecode(string part, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(part);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
