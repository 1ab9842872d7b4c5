using System.Net;
using System.Text.Json;

namespace SfPredictor.Salesforce.Http;

/// <summary>Turns an unsuccessful Salesforce answer into a typed exception.</summary>
internal static class SalesforceErrors
{
    public const string InvalidSession = "INVALID_SESSION_ID";
    public const string RequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED";
    private const int MaxBodyExcerpt = 300;

    /// <summary>
    /// Reads the error body (REST <c>[{"message","errorCode","fields"}]</c>, a single such object, or
    /// OAuth <c>{"error","error_description"}</c>) and builds the exception for <paramref name="call"/>;
    /// <paramref name="redact"/> removes secrets the body might echo back.
    /// </summary>
    public static async Task<SalesforceApiException> FromResponseAsync(
        HttpResponseMessage response, string call, bool isLogin, Func<string, string> redact, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var error = Parse(body);
        var status = response.StatusCode;
        var code = error.Code ?? $"HTTP_{(int)status}";
        var detail = redact(error.Message ?? Excerpt(body, status));
        var message = $"Salesforce answered {(int)status} {code} to {call}: {detail}";

        if (isLogin)
        {
            return new SalesforceAuthenticationException(code, status, message);
        }

        if (code == RequestLimitExceeded)
        {
            return new SalesforceLimitException(
                code, status, message + " The org's daily API request limit is used up; the run stops and must not retry until it resets.", used: null, max: null);
        }

        return new SalesforceApiException(code, status, message, error.Fields);
    }

    /// <summary>Whether a 401 says the session expired, so a fresh login may succeed.</summary>
    public static async Task<bool> IsInvalidSessionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return false;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return Parse(body).Code == InvalidSession;
    }

    internal static (string? Code, string? Message, IReadOnlyList<string> Fields) Parse(string body)
    {
        var text = body.AsSpan().Trim().TrimStart('\uFEFF');
        try
        {
            if (text.StartsWith("["))
            {
                var errors = JsonSerializer.Deserialize(text, SalesforceJsonContext.Default.IReadOnlyListApiError);
                if (errors is { Count: > 0 } && errors[0].ErrorCode is { } firstCode)
                {
                    var messages = string.Join(" | ", errors.Select(e => e.Message).Where(m => !string.IsNullOrEmpty(m)));
                    return (firstCode, messages, errors.SelectMany(e => e.Fields ?? []).Distinct(StringComparer.Ordinal).ToArray());
                }
            }
            else if (text.StartsWith("{"))
            {
                var oauth = JsonSerializer.Deserialize(text, SalesforceJsonContext.Default.OAuthError);
                if (oauth?.Error is { } oauthCode)
                {
                    return (oauthCode, oauth.ErrorDescription ?? oauthCode, []);
                }

                var single = JsonSerializer.Deserialize(text, SalesforceJsonContext.Default.ApiError);
                if (single?.ErrorCode is { } singleCode)
                {
                    return (singleCode, single.Message, single.Fields ?? []);
                }
            }
        }
        catch (JsonException)
        {
            // Not one of Salesforce's error shapes (an HTML page from a proxy, say): report the excerpt.
        }

        return (null, null, []);
    }

    private static string Excerpt(string body, HttpStatusCode status)
    {
        var flat = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (flat.Length == 0)
        {
            return $"{status} with an empty body.";
        }

        return flat.Length <= MaxBodyExcerpt ? flat : string.Concat(flat.AsSpan(0, MaxBodyExcerpt), "...");
    }
}
