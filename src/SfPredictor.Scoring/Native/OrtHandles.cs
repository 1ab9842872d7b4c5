using System.Runtime.InteropServices;
using System.Text;

namespace SfPredictor.Scoring.Native;

/// <summary>
/// Base of the handles owning one ONNX Runtime object each. <see cref="Use"/> keeps the object alive for the
/// duration of a native call, so a concurrent <see cref="SafeHandle.Dispose()"/> cannot free it mid-call,
/// and throws <see cref="ObjectDisposedException"/> once the handle is disposed.
/// </summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    public Lease Use()
    {
        var added = false;
        DangerousAddRef(ref added);
        return new Lease(this);
    }

    /// <summary>Takes ownership of a pointer just returned by a Create* call.</summary>
    protected void Attach(nint pointer) => SetHandle(pointer);

    internal readonly ref struct Lease(OrtHandle owner)
    {
        public nint Pointer => owner.DangerousGetHandle();

        public void Dispose() => owner.DangerousRelease();
    }
}

/// <summary>An OrtEnv: logging and global state, shared by every session of the process.</summary>
internal sealed unsafe class OrtEnvHandle : OrtHandle
{
    public static OrtEnvHandle Create(string logId)
    {
        var env = new OrtEnvHandle();
        var id = Encoding.UTF8.GetBytes(logId + "\0");
        nint pointer;
        fixed (byte* idPointer = id)
        {
            OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->CreateEnv(Interop.OrtLoggingLevel.Error, idPointer, &pointer));
        }

        env.Attach(pointer);
        return env;
    }

    protected override bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api->ReleaseEnv(handle);
        return true;
    }
}

/// <summary>An OrtSessionOptions: how a session is built (threads, graph optimisation).</summary>
internal sealed unsafe class OrtSessionOptionsHandle : OrtHandle
{
    public static OrtSessionOptionsHandle Create()
    {
        var options = new OrtSessionOptionsHandle();
        nint pointer;
        OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->CreateSessionOptions(&pointer));
        options.Attach(pointer);
        return options;
    }

    public void SetIntraOpThreads(int threads)
    {
        using var self = Use();
        OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->SetIntraOpNumThreads(self.Pointer, threads));
    }

    public void SetGraphOptimizationLevel(GraphOptimizationLevel level)
    {
        using var self = Use();
        OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->SetSessionGraphOptimizationLevel(self.Pointer, (int)level));
    }

    protected override bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api->ReleaseSessionOptions(handle);
        return true;
    }
}

/// <summary>An OrtMemoryInfo describing plain CPU memory, for tensors over caller-owned buffers.</summary>
internal sealed unsafe class OrtMemoryInfoHandle : OrtHandle
{
    public static OrtMemoryInfoHandle CreateCpu()
    {
        var info = new OrtMemoryInfoHandle();
        nint pointer;
        OnnxRuntimeLibrary.ThrowIfError(
            OnnxRuntimeLibrary.Api->CreateCpuMemoryInfo(Interop.OrtAllocatorType.Device, Interop.OrtMemType.Default, &pointer));
        info.Attach(pointer);
        return info;
    }

    protected override bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api->ReleaseMemoryInfo(handle);
        return true;
    }
}

/// <summary>An OrtValue: a tensor passed to or returned from a run.</summary>
internal sealed unsafe class OrtValueHandle : OrtHandle
{
    /// <summary>
    /// Wraps caller memory as a float tensor without copying. The memory must stay pinned and alive until
    /// this value is disposed.
    /// </summary>
    public static OrtValueHandle CreateFloatTensor(OrtMemoryInfoHandle memoryInfo, float* data, long elementCount, ReadOnlySpan<long> shape)
    {
        var value = new OrtValueHandle();
        using var info = memoryInfo.Use();
        nint pointer;
        fixed (long* shapePointer = shape)
        {
            OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->CreateTensorWithDataAsOrtValue(
                info.Pointer, data, (nuint)(elementCount * sizeof(float)), shapePointer, (nuint)shape.Length, OnnxElementType.Float, &pointer));
        }

        value.Attach(pointer);
        return value;
    }

    /// <summary>Takes ownership of a value ONNX Runtime created (a run's output).</summary>
    public static OrtValueHandle FromOwned(nint pointer)
    {
        var value = new OrtValueHandle();
        value.Attach(pointer);
        return value;
    }

    /// <summary>The element type and shape of this tensor.</summary>
    public TensorDescription DescribeTensor()
    {
        using var self = Use();
        nint info;
        OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->GetTensorTypeAndShape(self.Pointer, &info));
        try
        {
            return TensorDescription.Read(info);
        }
        finally
        {
            OnnxRuntimeLibrary.Api->ReleaseTensorTypeAndShapeInfo(info);
        }
    }

    /// <summary>
    /// The tensor's elements, valid while this value is alive. The caller checks the element type first
    /// (see <see cref="DescribeTensor"/>).
    /// </summary>
    public ReadOnlySpan<float> GetFloatData(long elementCount)
    {
        using var self = Use();
        void* data;
        OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->GetTensorMutableData(self.Pointer, &data));
        return new ReadOnlySpan<float>(data, checked((int)elementCount));
    }

    protected override bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api->ReleaseValue(handle);
        return true;
    }
}

/// <summary>An OrtTypeInfo: the declared type of a session input or output.</summary>
internal sealed unsafe class OrtTypeInfoHandle : OrtHandle
{
    public static OrtTypeInfoHandle FromOwned(nint pointer)
    {
        var info = new OrtTypeInfoHandle();
        info.Attach(pointer);
        return info;
    }

    public ValueDescription Describe()
    {
        using var self = Use();
        OnnxValueType kind;
        OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->GetOnnxTypeFromTypeInfo(self.Pointer, &kind));
        if (kind != OnnxValueType.Tensor)
        {
            return new ValueDescription(kind, null);
        }

        // The tensor info belongs to the type info: it is not released separately.
        nint tensorInfo;
        OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->CastTypeInfoToTensorInfo(self.Pointer, &tensorInfo));
        return new ValueDescription(kind, TensorDescription.Read(tensorInfo));
    }

    protected override bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api->ReleaseTypeInfo(handle);
        return true;
    }
}

/// <summary>An OrtSession: a loaded model, safe to run from several threads at once.</summary>
internal sealed unsafe class OrtSessionHandle : OrtHandle
{
    public static OrtSessionHandle CreateFromFile(OrtEnvHandle environment, string modelPath, OrtSessionOptionsHandle options)
    {
        var session = new OrtSessionHandle();
        using var env = environment.Use();
        using var opts = options.Use();
        var path = Encoding.UTF8.GetBytes(modelPath + "\0");
        nint pointer;
        fixed (byte* pathPointer = path)
        {
            OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->CreateSession(env.Pointer, pathPointer, opts.Pointer, &pointer));
        }

        session.Attach(pointer);
        return session;
    }

    public static OrtSessionHandle CreateFromBytes(OrtEnvHandle environment, ReadOnlySpan<byte> model, OrtSessionOptionsHandle options)
    {
        var session = new OrtSessionHandle();
        using var env = environment.Use();
        using var opts = options.Use();
        nint pointer;
        fixed (byte* modelPointer = model)
        {
            OnnxRuntimeLibrary.ThrowIfError(
                OnnxRuntimeLibrary.Api->CreateSessionFromArray(env.Pointer, modelPointer, (nuint)model.Length, opts.Pointer, &pointer));
        }

        session.Attach(pointer);
        return session;
    }

    public int InputCount
    {
        get
        {
            using var self = Use();
            nuint count;
            OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->SessionGetInputCount(self.Pointer, &count));
            return checked((int)count);
        }
    }

    public int OutputCount
    {
        get
        {
            using var self = Use();
            nuint count;
            OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->SessionGetOutputCount(self.Pointer, &count));
            return checked((int)count);
        }
    }

    public string GetInputName(int index) => GetName(index, output: false);

    public string GetOutputName(int index) => GetName(index, output: true);

    public OrtTypeInfoHandle GetInputTypeInfo(int index)
    {
        using var self = Use();
        nint info;
        OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->SessionGetInputTypeInfo(self.Pointer, (nuint)index, &info));
        return OrtTypeInfoHandle.FromOwned(info);
    }

    public OrtTypeInfoHandle GetOutputTypeInfo(int index)
    {
        using var self = Use();
        nint info;
        OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->SessionGetOutputTypeInfo(self.Pointer, (nuint)index, &info));
        return OrtTypeInfoHandle.FromOwned(info);
    }

    /// <summary>Runs the model for one input and fetches one output.</summary>
    /// <param name="inputName">The input's name, UTF-8 and zero-terminated.</param>
    /// <param name="input">The input tensor.</param>
    /// <param name="outputName">The output's name, UTF-8 and zero-terminated.</param>
    public OrtValueHandle Run(ReadOnlySpan<byte> inputName, OrtValueHandle input, ReadOnlySpan<byte> outputName)
    {
        using var self = Use();
        using var inputValue = input.Use();
        var inputPointer = inputValue.Pointer;
        nint outputPointer = 0;
        fixed (byte* inputNamePointer = inputName)
        fixed (byte* outputNamePointer = outputName)
        {
            OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->Run(
                self.Pointer, 0, &inputNamePointer, &inputPointer, 1, &outputNamePointer, 1, &outputPointer));
        }

        return OrtValueHandle.FromOwned(outputPointer);
    }

    protected override bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api->ReleaseSession(handle);
        return true;
    }

    private string GetName(int index, bool output)
    {
        using var self = Use();
        nint allocator;
        OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->GetAllocatorWithDefaultOptions(&allocator));
        byte* name;
        OnnxRuntimeLibrary.ThrowIfError(output
            ? OnnxRuntimeLibrary.Api->SessionGetOutputName(self.Pointer, (nuint)index, allocator, &name)
            : OnnxRuntimeLibrary.Api->SessionGetInputName(self.Pointer, (nuint)index, allocator, &name));
        try
        {
            return Marshal.PtrToStringUTF8((nint)name) ?? string.Empty;
        }
        finally
        {
            OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->AllocatorFree(allocator, name));
        }
    }
}

/// <summary>The declared kind of a graph value and, for tensors, its element type and shape.</summary>
internal sealed record ValueDescription(OnnxValueType Kind, TensorDescription? Tensor)
{
    public override string ToString() => Tensor?.ToString() ?? Kind.ToString().ToLowerInvariant();
}

/// <summary>A tensor's element type and shape; -1 marks a dynamic dimension.</summary>
internal sealed record TensorDescription(OnnxElementType ElementType, long[] Dimensions)
{
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dimension in Dimensions)
            {
                count *= dimension;
            }

            return count;
        }
    }

    public static unsafe TensorDescription Read(nint tensorTypeAndShapeInfo)
    {
        OnnxElementType elementType;
        OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->GetTensorElementType(tensorTypeAndShapeInfo, &elementType));
        nuint rank;
        OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->GetDimensionsCount(tensorTypeAndShapeInfo, &rank));
        var dimensions = new long[(int)rank];
        fixed (long* dimensionsPointer = dimensions)
        {
            OnnxRuntimeLibrary.ThrowIfError(OnnxRuntimeLibrary.Api->GetDimensions(tensorTypeAndShapeInfo, dimensionsPointer, rank));
        }

        return new TensorDescription(elementType, dimensions);
    }

    public override string ToString() =>
        $"tensor<{ElementType.ToString().ToLowerInvariant()}>[{string.Join(", ", Dimensions.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
}
