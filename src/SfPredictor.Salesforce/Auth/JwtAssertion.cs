using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SfPredictor.Salesforce.Auth;

/// <summary>The RS256-signed JWT that the OAuth 2.0 JWT bearer flow posts as its assertion.</summary>
internal static class JwtAssertion
{
    // {"alg":"RS256"}: Salesforce needs nothing else in the header.
    private static readonly string EncodedHeader = Base64Url.EncodeToString("{\"alg\":\"RS256\"}"u8);

    public static string Create(RSA key, string issuer, string subject, string audience, DateTimeOffset expires)
    {
        var claims = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(claims))
        {
            writer.WriteStartObject();
            writer.WriteString("iss", issuer);
            writer.WriteString("sub", subject);
            writer.WriteString("aud", audience);
            writer.WriteNumber("exp", expires.ToUnixTimeSeconds());
            writer.WriteEndObject();
        }

        var signingInput = EncodedHeader + "." + Base64Url.EncodeToString(claims.WrittenSpan);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
