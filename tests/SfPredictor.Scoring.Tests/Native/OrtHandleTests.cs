using SfPredictor.Scoring.Native;
using SfPredictor.Scoring.Tests.Onnx;

namespace SfPredictor.Scoring.Tests.Native;

public sealed unsafe class OrtHandleTests
{
    private readonly OnnxRuntimeLibrary _library = OnnxRuntimeLibrary.Get(null);

    [Fact]
    public void EnvHandle_DisposedTwice_IsSafeAndUseThrowsObjectDisposed()
    {
        var env = OrtEnvHandle.Create("test");
        using var options = OrtSessionOptionsHandle.Create();

        env.Dispose();
        env.Dispose();

        Assert.True(env.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => OrtSessionHandle.CreateFromBytes(env, TestModels.MlpModel(), options));
    }

    [Fact]
    public void SessionOptionsHandle_DisposedTwice_IsSafeAndUseThrowsObjectDisposed()
    {
        var options = OrtSessionOptionsHandle.Create();
        options.SetIntraOpThreads(2);
        options.SetGraphOptimizationLevel(GraphOptimizationLevel.Basic);

        options.Dispose();
        options.Dispose();

        Assert.Throws<ObjectDisposedException>(() => options.SetIntraOpThreads(1));
    }

    [Fact]
    public void SessionHandle_DisposedTwice_IsSafeAndUseThrowsObjectDisposed()
    {
        using var options = OrtSessionOptionsHandle.Create();
        var session = OrtSessionHandle.CreateFromBytes(_library.Environment, TestModels.MlpModel(), options);
        Assert.Equal(1, session.InputCount);

        session.Dispose();
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.InputCount);
    }

    [Fact]
    public void TypeInfoHandle_DisposedTwice_IsSafeAndUseThrowsObjectDisposed()
    {
        using var options = OrtSessionOptionsHandle.Create();
        using var session = OrtSessionHandle.CreateFromBytes(_library.Environment, TestModels.MlpModel(), options);
        var typeInfo = session.GetInputTypeInfo(0);
        Assert.Equal("tensor<float>[?, 3]", typeInfo.Describe().ToString());

        typeInfo.Dispose();
        typeInfo.Dispose();

        Assert.Throws<ObjectDisposedException>(() => typeInfo.Describe());
    }

    [Fact]
    public void MemoryInfoAndValueHandles_DisposedTwice_AreSafeAndUseThrowsObjectDisposed()
    {
        var memoryInfo = OrtMemoryInfoHandle.CreateCpu();
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        fixed (float* pointer = data)
        {
            var value = OrtValueHandle.CreateFloatTensor(memoryInfo, pointer, data.Length, [2, 3]);
            Assert.Equal([2L, 3L], value.DescribeTensor().Dimensions);
            Assert.Equal(5f, value.GetFloatData(6)[4]);

            value.Dispose();
            value.Dispose();
            Assert.Throws<ObjectDisposedException>(() => value.DescribeTensor());

            memoryInfo.Dispose();
            memoryInfo.Dispose();
            var address = (nint)pointer;
            Assert.Throws<ObjectDisposedException>(() => OrtValueHandle.CreateFloatTensor(memoryInfo, (float*)address, data.Length, [2, 3]));
        }
    }

    [Fact]
    public void CreateFloatTensor_ShapeLargerThanBuffer_ThrowsOnnxRuntimeErrorWithCodeAndMessage()
    {
        using var memoryInfo = OrtMemoryInfoHandle.CreateCpu();
        var data = new float[4];
        fixed (float* pointer = data)
        {
            var address = (nint)pointer;
            var error = Assert.Throws<OnnxRuntimeException>(() =>
                OrtValueHandle.CreateFloatTensor(memoryInfo, (float*)address, data.Length, [3, 3]));

            Assert.Equal(OnnxRuntimeErrorCode.InvalidArgument, error.ErrorCode);
            Assert.StartsWith("ONNX Runtime error InvalidArgument: ", error.Message, StringComparison.Ordinal);
        }
    }
}
