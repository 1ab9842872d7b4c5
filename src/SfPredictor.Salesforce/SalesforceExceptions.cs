using System.Net;

namespace SfPredictor.Salesforce;

/// <summary>
/// Salesforce refused a call, or its answer was unusable. The message names the call and
/// Salesforce's error; it never contains a token, key or secret.
/// </summary>
public class SalesforceApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SalesforceApiException()
        : this("Salesforce call failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public SalesforceApiException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SalesforceApiException(string message, Exception? innerException)
        : this("UNKNOWN_ERROR", statusCode: null, message, fields: [], innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">Salesforce's error code (INVALID_FIELD, invalid_grant, ...) or one of the client's own (TIMEOUT, ...).</param>
    /// <param name="statusCode">The HTTP status, when Salesforce answered.</param>
    /// <param name="message">What went wrong, naming the call.</param>
    /// <param name="fields">Fields Salesforce named in the error.</param>
    /// <param name="innerException">The cause, if any.</param>
    public SalesforceApiException(string errorCode, HttpStatusCode? statusCode, string message, IReadOnlyList<string> fields, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
        Fields = fields;
    }

    /// <summary>Salesforce's error code, or the client's own: TIMEOUT, CONNECTION_FAILED, MALFORMED_RESPONSE, BULK_JOB_FAILED, BULK_JOB_TIMEOUT, API_SHARE_EXCEEDED.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status, or null when no answer arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Fields Salesforce named in the error.</summary>
    public IReadOnlyList<string> Fields { get; }
}

/// <summary>The OAuth login failed (wrong key, unapproved user, bad secret, expired refresh token...).</summary>
internal sealed class SalesforceAuthenticationException : SalesforceApiException
{
    /// <summary>Creates the exception.</summary>
    public SalesforceAuthenticationException()
        : this("Salesforce login failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public SalesforceAuthenticationException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SalesforceAuthenticationException(string message, Exception? innerException)
        : this("AUTHENTICATION_FAILED", statusCode: null, message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SalesforceAuthenticationException(string errorCode, HttpStatusCode? statusCode, string message, Exception? innerException = null)
        : base(errorCode, statusCode, message, [], innerException)
    {
    }
}

/// <summary>
/// The run must stop for the org's daily API budget: either Salesforce answered REQUEST_LIMIT_EXCEEDED,
/// or the next call would take the org past the configured share of its daily limit (API_SHARE_EXCEEDED).
/// </summary>
internal sealed class SalesforceLimitException : SalesforceApiException
{
    /// <summary>Creates the exception.</summary>
    public SalesforceLimitException()
        : this("Salesforce daily API limit reached.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public SalesforceLimitException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SalesforceLimitException(string message, Exception? innerException)
        : this("REQUEST_LIMIT_EXCEEDED", statusCode: null, message, used: null, max: null, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SalesforceLimitException(string errorCode, HttpStatusCode? statusCode, string message, long? used, long? max, Exception? innerException = null)
        : base(errorCode, statusCode, message, [], innerException)
    {
        Used = used;
        Max = max;
    }

    /// <summary>API requests the org had used today, when known.</summary>
    public long? Used { get; }

    /// <summary>The org's daily API request limit, when known.</summary>
    public long? Max { get; }
}

/// <summary>Fields the client needs are missing on an object, not updateable, or of another type.</summary>
public sealed class SalesforceSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SalesforceSchemaException()
        : this("Salesforce fields do not match the expected schema.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public SalesforceSchemaException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SalesforceSchemaException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception listing every problem found on one object.</summary>
    public SalesforceSchemaException(string objectName, IReadOnlyList<string> problems)
        : base($"{objectName} does not have the fields SfPredictor needs: {string.Join("; ", problems)}")
    {
        ObjectName = objectName;
        Problems = problems;
    }

    /// <summary>The object checked.</summary>
    public string? ObjectName { get; }

    /// <summary>Every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }
}

/// <summary>A record Salesforce returned has a value that does not fit its field (names object, record and field).</summary>
public sealed class SalesforceDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SalesforceDataException()
        : this("A Salesforce record has an unusable value.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public SalesforceDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SalesforceDataException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
