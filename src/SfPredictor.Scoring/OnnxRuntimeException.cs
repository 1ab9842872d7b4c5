namespace SfPredictor.Scoring;

/// <summary>OrtErrorCode: the category of an error reported by ONNX Runtime.</summary>
public enum OnnxRuntimeErrorCode
{
    /// <summary>ORT_OK.</summary>
    Ok = 0,

    /// <summary>ORT_FAIL.</summary>
    Fail = 1,

    /// <summary>ORT_INVALID_ARGUMENT.</summary>
    InvalidArgument = 2,

    /// <summary>ORT_NO_SUCHFILE.</summary>
    NoSuchFile = 3,

    /// <summary>ORT_NO_MODEL.</summary>
    NoModel = 4,

    /// <summary>ORT_ENGINE_ERROR.</summary>
    EngineError = 5,

    /// <summary>ORT_RUNTIME_EXCEPTION.</summary>
    RuntimeException = 6,

    /// <summary>ORT_INVALID_PROTOBUF: the model bytes are not a readable ONNX model.</summary>
    InvalidProtobuf = 7,

    /// <summary>ORT_MODEL_LOADED.</summary>
    ModelLoaded = 8,

    /// <summary>ORT_NOT_IMPLEMENTED.</summary>
    NotImplemented = 9,

    /// <summary>ORT_INVALID_GRAPH: the model's graph is inconsistent.</summary>
    InvalidGraph = 10,

    /// <summary>ORT_EP_FAIL.</summary>
    ExecutionProviderFail = 11,
}

/// <summary>An error reported by ONNX Runtime, with its error code and message.</summary>
public sealed class OnnxRuntimeException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public OnnxRuntimeException()
        : this(OnnxRuntimeErrorCode.Fail, "ONNX Runtime reported an error.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public OnnxRuntimeException(string message)
        : this(OnnxRuntimeErrorCode.Fail, message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public OnnxRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = innerException is OnnxRuntimeException ort ? ort.ErrorCode : OnnxRuntimeErrorCode.Fail;
    }

    /// <summary>Creates an exception carrying ONNX Runtime's error code and message.</summary>
    /// <param name="errorCode">The code ONNX Runtime reported.</param>
    /// <param name="message">The message ONNX Runtime reported, possibly with context.</param>
    public OnnxRuntimeException(OnnxRuntimeErrorCode errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>Creates an exception carrying ONNX Runtime's error code and message, and the exception that reported it.</summary>
    /// <param name="errorCode">The code ONNX Runtime reported.</param>
    /// <param name="message">The message ONNX Runtime reported, possibly with context.</param>
    /// <param name="innerException">The exception ONNX Runtime's .NET API threw.</param>
    public OnnxRuntimeException(OnnxRuntimeErrorCode errorCode, string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The error code reported by ONNX Runtime.</summary>
    public OnnxRuntimeErrorCode ErrorCode { get; }

    /// <summary>
    /// Wraps an exception of ONNX Runtime's .NET API, which carries the native error code only as a
    /// "[ErrorCode:Name] " prefix of its message, and puts <paramref name="context"/> before it.
    /// </summary>
    internal static OnnxRuntimeException From(Microsoft.ML.OnnxRuntime.OnnxRuntimeException error, string context)
    {
        const string Prefix = "[ErrorCode:";
        var message = error.Message;
        var code = OnnxRuntimeErrorCode.Fail;
        var end = message.IndexOf(']', StringComparison.Ordinal);
        if (message.StartsWith(Prefix, StringComparison.Ordinal) && end > 0)
        {
            if (!Enum.TryParse(message.AsSpan(Prefix.Length, end - Prefix.Length), out code) || !Enum.IsDefined(code))
            {
                code = OnnxRuntimeErrorCode.Fail;
            }

            message = message[(end + 1)..].Trim();
        }

        return new OnnxRuntimeException(code, $"{context} ONNX Runtime error {code}: {message}", error);
    }
}
