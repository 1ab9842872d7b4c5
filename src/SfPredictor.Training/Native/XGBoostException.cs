namespace SfPredictor.Training.Native;

/// <summary>An XGBoost C API call failed; the message carries XGBoost's own error text.</summary>
public sealed partial class XGBoostException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public XGBoostException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What failed and XGBoost's text.</param>
    public XGBoostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What failed and XGBoost's text.</param>
    /// <param name="innerException">The cause.</param>
    public XGBoostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    // Reads the thread-local error text right after the failing call, before anything can overwrite it.
    internal static void ThrowIfFailed(int status, string operation)
    {
        if (status != 0)
        {
            var text = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(Interop.XGBoost.XGBGetLastError());
            throw new XGBoostException($"XGBoost {operation} failed: {Clean(text)}");
        }
    }

    // XGBoost's text is "[hh:mm:ss] source.cc:line: message" followed by a native stack trace;
    // only the message helps the reader.
    private static string Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "(no error text)";
        }

        var end = text.IndexOf("Stack trace:", StringComparison.Ordinal);
        var message = (end >= 0 ? text[..end] : text).Trim();
        var prefix = LogPrefix().Match(message);
        return prefix.Success ? message[prefix.Length..] : message;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\[\d{2}:\d{2}:\d{2}\] [^:\s]+:\d+: ")]
    private static partial System.Text.RegularExpressions.Regex LogPrefix();
}
