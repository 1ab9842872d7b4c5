using SfPredictor.Scoring.Onnx;

namespace SfPredictor.Scoring.Tests.Onnx;

public sealed class OnnxGraphTests
{
    [Fact]
    public void FloatTensor_ValuesDoNotFillShape_ThrowsNamingTensor()
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxGraph.FloatTensor("W", [2, 3], [1f, 2f]));

        Assert.Contains("'W' has shape [2, 3] (6 elements) but 2 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FloatTensor_RoundTripsThroughProtobuf()
    {
        var tensor = OnnxGraph.FloatTensor("b", [3], [0.5f, -1f, 2.25f]);

        var parsed = TensorProto.Parser.ParseFrom(Google.Protobuf.MessageExtensions.ToByteArray(tensor));

        Assert.Equal((int)TensorProto.Types.DataType.Float, parsed.DataType);
        Assert.Equal([0.5f, -1f, 2.25f], System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(parsed.RawData.Span).ToArray());
    }
}
