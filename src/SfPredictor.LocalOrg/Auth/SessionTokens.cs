using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SfPredictor.LocalOrg.Auth;

/// <summary>The access tokens the org has issued and when each expires.</summary>
internal sealed class SessionTokens(TimeProvider time, TimeSpan lifetime, string orgId)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    /// <summary>Issues a token shaped like Salesforce's: the org Id, <c>!</c>, then random text.</summary>
    public string Issue()
    {
        var token = orgId[..15] + "!" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(72));
        _expiries[token] = time.GetUtcNow() + lifetime;
        return token;
    }

    public bool IsValid(string? token)
    {
        if (token is null || !_expiries.TryGetValue(token, out var expires))
        {
            return false;
        }

        if (time.GetUtcNow() < expires)
        {
            return true;
        }

        _expiries.TryRemove(token, out _);
        return false;
    }

    /// <summary>Ends every session, as an admin revoking them or a session timeout would.</summary>
    public void ExpireAll() => _expiries.Clear();
}
