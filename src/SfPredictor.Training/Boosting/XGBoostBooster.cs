using System.Runtime.InteropServices;
using SfPredictor.Training.Native;

namespace SfPredictor.Training.Boosting;

/// <summary>A native XGBoost booster: parameters, one boosting round at a time, prediction and JSON save/load.</summary>
internal sealed class XGBoostBooster : IDisposable
{
    private const string MarginConfig = """{"type": 1, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false}""";
    private const string ProbabilityConfig = """{"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false}""";

    private readonly SafeBoosterHandle handle;

    private XGBoostBooster(SafeBoosterHandle handle) => this.handle = handle;

    internal SafeBoosterHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    /// <summary>Creates a booster whose prediction cache covers <paramref name="cached"/> (training and validation matrices).</summary>
    public static unsafe XGBoostBooster Create(params XGBoostMatrix[] cached)
    {
        ArgumentNullException.ThrowIfNull(cached);
        XGBoostLibrary.EnsureResolver();
        var handles = new nint[cached.Length];
        var added = 0;
        try
        {
            // The native booster keeps its own reference to each matrix; the AddRef only keeps them
            // alive for the duration of the call.
            for (; added < cached.Length; added++)
            {
                var success = false;
                cached[added].Handle.DangerousAddRef(ref success);
                handles[added] = cached[added].Handle.DangerousGetHandle();
            }

            SafeBoosterHandle created;
            fixed (nint* matrices = handles)
            {
                XGBoostException.ThrowIfFailed(
                    Interop.XGBoost.XGBoosterCreate(matrices, (ulong)handles.Length, out created), "XGBoosterCreate");
            }

            return new XGBoostBooster(created);
        }
        finally
        {
            for (var i = 0; i < added; i++)
            {
                cached[i].Handle.DangerousRelease();
            }
        }
    }

    /// <summary>Loads a booster from the bytes <see cref="SaveJson"/> wrote.</summary>
    public static unsafe XGBoostBooster LoadJson(ReadOnlySpan<byte> json)
    {
        var booster = Create();
        try
        {
            fixed (byte* data = json)
            {
                XGBoostException.ThrowIfFailed(
                    Interop.XGBoost.XGBoosterLoadModelFromBuffer(booster.Handle, data, (ulong)json.Length), "XGBoosterLoadModelFromBuffer");
            }

            return booster;
        }
        catch
        {
            booster.Dispose();
            throw;
        }
    }

    /// <summary>Sets one training parameter (e.g. "max_depth", "5"). Bad values fail at the first boosting round.</summary>
    public void SetParameter(string name, string value) =>
        XGBoostException.ThrowIfFailed(Interop.XGBoost.XGBoosterSetParam(Handle, name, value), $"XGBoosterSetParam('{name}', '{value}')");

    /// <summary>Runs boosting round <paramref name="iteration"/> (0-based) on <paramref name="train"/>.</summary>
    public void UpdateOneIteration(int iteration, XGBoostMatrix train)
    {
        ArgumentNullException.ThrowIfNull(train);
        XGBoostException.ThrowIfFailed(Interop.XGBoost.XGBoosterUpdateOneIter(Handle, iteration, train.Handle), "XGBoosterUpdateOneIter");
    }

    /// <summary>The number of boosting rounds in the model.</summary>
    public int BoostedRounds()
    {
        XGBoostException.ThrowIfFailed(Interop.XGBoost.XGBoosterBoostedRounds(Handle, out var rounds), "XGBoosterBoostedRounds");
        return rounds;
    }

    /// <summary>A new booster holding only the first <paramref name="rounds"/> rounds.</summary>
    public XGBoostBooster Slice(int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        XGBoostException.ThrowIfFailed(Interop.XGBoost.XGBoosterSlice(Handle, 0, rounds, 1, out var sliced), "XGBoosterSlice");
        return new XGBoostBooster(sliced);
    }

    /// <summary>The raw scores (log-odds) for every row of <paramref name="matrix"/>.</summary>
    public float[] PredictMargins(XGBoostMatrix matrix) => Predict(matrix, MarginConfig);

    /// <summary>The probabilities (objective's transformation applied) for every row of <paramref name="matrix"/>.</summary>
    public float[] PredictProbabilities(XGBoostMatrix matrix) => Predict(matrix, ProbabilityConfig);

    /// <summary>The model as XGBoost's JSON document (UTF-8).</summary>
    public byte[] SaveJson()
    {
        XGBoostException.ThrowIfFailed(
            Interop.XGBoost.XGBoosterSaveModelToBuffer(Handle, """{"format": "json"}""", out var length, out var data),
            "XGBoosterSaveModelToBuffer");
        var bytes = new byte[checked((int)length)];
        Marshal.Copy(data, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>Stores a string attribute in the model (saved with it).</summary>
    public void SetAttribute(string key, string? value) =>
        XGBoostException.ThrowIfFailed(Interop.XGBoost.XGBoosterSetAttr(Handle, key, value), $"XGBoosterSetAttr('{key}')");

    /// <summary>Reads a string attribute, or <see langword="null"/> when absent.</summary>
    public string? GetAttribute(string key)
    {
        XGBoostException.ThrowIfFailed(Interop.XGBoost.XGBoosterGetAttr(Handle, key, out var value, out var found), $"XGBoosterGetAttr('{key}')");
        return found != 0 ? Marshal.PtrToStringUTF8(value) : null;
    }

    public void Dispose() => handle.Dispose();

    private unsafe float[] Predict(XGBoostMatrix matrix, string config)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        XGBoostException.ThrowIfFailed(
            Interop.XGBoost.XGBoosterPredictFromDMatrix(Handle, matrix.Handle, config, out var shape, out var dimensions, out var result),
            "XGBoosterPredictFromDMatrix");
        long count = 1;
        var dims = (ulong*)shape;
        for (ulong i = 0; i < dimensions; i++)
        {
            count *= (long)dims[i];
        }

        if (count != matrix.RowCount)
        {
            throw new XGBoostException(
                $"XGBoost returned {count} predictions for {matrix.RowCount} rows; only single-output models are supported.");
        }

        // The native buffer belongs to the booster and is overwritten by its next call: copy at once.
        return new ReadOnlySpan<float>((void*)result, checked((int)count)).ToArray();
    }
}
