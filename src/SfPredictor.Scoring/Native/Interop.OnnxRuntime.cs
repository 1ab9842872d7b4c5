using System.Runtime.InteropServices;

namespace SfPredictor.Scoring.Native;

/// <summary>
/// The entry points of ONNX Runtime's C API (include/onnxruntime/core/session/onnxruntime_c_api.h).
/// The library exports one function, <c>OrtGetApiBase</c>; everything else is reached through the
/// <see cref="OrtApi"/> table of function pointers.
/// </summary>
internal static unsafe class Interop
{
    /// <summary>
    /// The API version requested from the library. Version N is served by ONNX Runtime 1.N and later;
    /// the table is append-only, so a newer library still answers this request with the same layout.
    /// </summary>
    public const uint OrtApiVersion = 22;

    public const string OrtGetApiBaseExport = "OrtGetApiBase";

    [StructLayout(LayoutKind.Sequential)]
    public struct OrtApiBase
    {
        public delegate* unmanaged[Cdecl]<uint, OrtApi*> GetApi;
        public delegate* unmanaged[Cdecl]<byte*> GetVersionString;
    }

    /// <summary>
    /// The function table. Its order is fixed by the header and only ever appended to, so every member up
    /// to the last one called must be declared in place; members this binding does not call are
    /// <see cref="nint"/> placeholders of the same size. The numbers are the zero-based slot indices.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OrtApi
    {
        private readonly nint CreateStatus;                                                           // 0
        public delegate* unmanaged[Cdecl]<nint, OnnxRuntimeErrorCode> GetErrorCode;                           // 1
        public delegate* unmanaged[Cdecl]<nint, byte*> GetErrorMessage;                               // 2
        public delegate* unmanaged[Cdecl]<OrtLoggingLevel, byte*, nint*, nint> CreateEnv;             // 3
        private readonly nint CreateEnvWithCustomLogger;                                              // 4
        private readonly nint EnableTelemetryEvents;                                                  // 5
        private readonly nint DisableTelemetryEvents;                                                 // 6
        public delegate* unmanaged[Cdecl]<nint, byte*, nint, nint*, nint> CreateSession;              // 7
        public delegate* unmanaged[Cdecl]<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray; // 8
        public delegate* unmanaged[Cdecl]<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint> Run; // 9
        public delegate* unmanaged[Cdecl]<nint*, nint> CreateSessionOptions;                          // 10
        private readonly nint SetOptimizedModelFilePath;                                              // 11
        private readonly nint CloneSessionOptions;                                                    // 12
        private readonly nint SetSessionExecutionMode;                                                // 13
        private readonly nint EnableProfiling;                                                        // 14
        private readonly nint DisableProfiling;                                                       // 15
        private readonly nint EnableMemPattern;                                                       // 16
        private readonly nint DisableMemPattern;                                                      // 17
        private readonly nint EnableCpuMemArena;                                                      // 18
        private readonly nint DisableCpuMemArena;                                                     // 19
        private readonly nint SetSessionLogId;                                                        // 20
        private readonly nint SetSessionLogVerbosityLevel;                                            // 21
        private readonly nint SetSessionLogSeverityLevel;                                             // 22
        public delegate* unmanaged[Cdecl]<nint, int, nint> SetSessionGraphOptimizationLevel;          // 23
        public delegate* unmanaged[Cdecl]<nint, int, nint> SetIntraOpNumThreads;                      // 24
        private readonly nint SetInterOpNumThreads;                                                   // 25
        private readonly nint CreateCustomOpDomain;                                                   // 26
        private readonly nint CustomOpDomain_Add;                                                     // 27
        private readonly nint AddCustomOpDomain;                                                      // 28
        private readonly nint RegisterCustomOpsLibrary;                                               // 29
        public delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetInputCount;                   // 30
        public delegate* unmanaged[Cdecl]<nint, nuint*, nint> SessionGetOutputCount;                  // 31
        private readonly nint SessionGetOverridableInitializerCount;                                  // 32
        public delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetInputTypeInfo;          // 33
        public delegate* unmanaged[Cdecl]<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;         // 34
        private readonly nint SessionGetOverridableInitializerTypeInfo;                               // 35
        public delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetInputName;       // 36
        public delegate* unmanaged[Cdecl]<nint, nuint, nint, byte**, nint> SessionGetOutputName;      // 37
        private readonly nint SessionGetOverridableInitializerName;                                   // 38
        private readonly nint CreateRunOptions;                                                       // 39
        private readonly nint RunOptionsSetRunLogVerbosityLevel;                                      // 40
        private readonly nint RunOptionsSetRunLogSeverityLevel;                                       // 41
        private readonly nint RunOptionsSetRunTag;                                                    // 42
        private readonly nint RunOptionsGetRunLogVerbosityLevel;                                      // 43
        private readonly nint RunOptionsGetRunLogSeverityLevel;                                       // 44
        private readonly nint RunOptionsGetRunTag;                                                    // 45
        private readonly nint RunOptionsSetTerminate;                                                 // 46
        private readonly nint RunOptionsUnsetTerminate;                                               // 47
        private readonly nint CreateTensorAsOrtValue;                                                 // 48
        public delegate* unmanaged[Cdecl]<nint, void*, nuint, long*, nuint, OnnxElementType, nint*, nint> CreateTensorWithDataAsOrtValue; // 49
        private readonly nint IsTensor;                                                               // 50
        public delegate* unmanaged[Cdecl]<nint, void**, nint> GetTensorMutableData;                   // 51
        private readonly nint FillStringTensor;                                                       // 52
        private readonly nint GetStringTensorDataLength;                                              // 53
        private readonly nint GetStringTensorContent;                                                 // 54
        public delegate* unmanaged[Cdecl]<nint, nint*, nint> CastTypeInfoToTensorInfo;                // 55
        public delegate* unmanaged[Cdecl]<nint, OnnxValueType*, nint> GetOnnxTypeFromTypeInfo;        // 56
        private readonly nint CreateTensorTypeAndShapeInfo;                                           // 57
        private readonly nint SetTensorElementType;                                                   // 58
        private readonly nint SetDimensions;                                                          // 59
        public delegate* unmanaged[Cdecl]<nint, OnnxElementType*, nint> GetTensorElementType;         // 60
        public delegate* unmanaged[Cdecl]<nint, nuint*, nint> GetDimensionsCount;                     // 61
        public delegate* unmanaged[Cdecl]<nint, long*, nuint, nint> GetDimensions;                    // 62
        private readonly nint GetSymbolicDimensions;                                                  // 63
        private readonly nint GetTensorShapeElementCount;                                             // 64
        public delegate* unmanaged[Cdecl]<nint, nint*, nint> GetTensorTypeAndShape;                   // 65
        private readonly nint GetTypeInfo;                                                            // 66
        private readonly nint GetValueType;                                                           // 67
        private readonly nint CreateMemoryInfo;                                                       // 68
        public delegate* unmanaged[Cdecl]<OrtAllocatorType, OrtMemType, nint*, nint> CreateCpuMemoryInfo; // 69
        private readonly nint CompareMemoryInfo;                                                      // 70
        private readonly nint MemoryInfoGetName;                                                      // 71
        private readonly nint MemoryInfoGetId;                                                        // 72
        private readonly nint MemoryInfoGetMemType;                                                   // 73
        private readonly nint MemoryInfoGetType;                                                      // 74
        private readonly nint AllocatorAlloc;                                                         // 75
        public delegate* unmanaged[Cdecl]<nint, void*, nint> AllocatorFree;                           // 76
        private readonly nint AllocatorGetInfo;                                                       // 77
        public delegate* unmanaged[Cdecl]<nint*, nint> GetAllocatorWithDefaultOptions;                // 78
        private readonly nint AddFreeDimensionOverride;                                               // 79
        private readonly nint GetValue;                                                               // 80
        private readonly nint GetValueCount;                                                          // 81
        private readonly nint CreateValue;                                                            // 82
        private readonly nint CreateOpaqueValue;                                                      // 83
        private readonly nint GetOpaqueValue;                                                         // 84
        private readonly nint KernelInfoGetAttribute_float;                                           // 85
        private readonly nint KernelInfoGetAttribute_int64;                                           // 86
        private readonly nint KernelInfoGetAttribute_string;                                          // 87
        private readonly nint KernelContext_GetInputCount;                                            // 88
        private readonly nint KernelContext_GetOutputCount;                                           // 89
        private readonly nint KernelContext_GetInput;                                                 // 90
        private readonly nint KernelContext_GetOutput;                                                // 91
        public delegate* unmanaged[Cdecl]<nint, void> ReleaseEnv;                                     // 92
        public delegate* unmanaged[Cdecl]<nint, void> ReleaseStatus;                                  // 93
        public delegate* unmanaged[Cdecl]<nint, void> ReleaseMemoryInfo;                              // 94
        public delegate* unmanaged[Cdecl]<nint, void> ReleaseSession;                                 // 95
        public delegate* unmanaged[Cdecl]<nint, void> ReleaseValue;                                   // 96
        private readonly nint ReleaseRunOptions;                                                      // 97
        public delegate* unmanaged[Cdecl]<nint, void> ReleaseTypeInfo;                                // 98
        public delegate* unmanaged[Cdecl]<nint, void> ReleaseTensorTypeAndShapeInfo;                  // 99
        public delegate* unmanaged[Cdecl]<nint, void> ReleaseSessionOptions;                          // 100
    }

    public enum OrtLoggingLevel
    {
        Verbose = 0,
        Info = 1,
        Warning = 2,
        Error = 3,
        Fatal = 4,
    }

    public enum OrtAllocatorType
    {
        Invalid = -1,
        Device = 0,
        Arena = 1,
    }

    public enum OrtMemType
    {
        CpuInput = -2,
        CpuOutput = -1,
        Default = 0,
    }
}

/// <summary>ONNXTensorElementDataType: the element type of a tensor (the same numbers as the ONNX TensorProto.DataType).</summary>
internal enum OnnxElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
}

/// <summary>ONNXType: the kind of a graph value.</summary>
internal enum OnnxValueType
{
    Unknown = 0,
    Tensor = 1,
    Sequence = 2,
    Map = 3,
    Opaque = 4,
    SparseTensor = 5,
    Optional = 6,
}
