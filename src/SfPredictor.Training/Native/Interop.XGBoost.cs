using System.Runtime.InteropServices;

namespace SfPredictor.Training.Native;

/// <summary>The XGBoost C API entry points used by this project (xgboost/c_api.h, version 1.7).</summary>
/// <remarks>Every function returns 0 on success and -1 on failure; the text is in <see cref="XGBoost.XGBGetLastError"/>.</remarks>
internal static partial class Interop
{
    internal static partial class XGBoost
    {
        internal const string LibraryName = "libxgboost.so.0";

        [LibraryImport(LibraryName)]
        internal static partial nint XGBGetLastError();

        [LibraryImport(LibraryName)]
        internal static partial void XGBoostVersion(out int major, out int minor, out int patch);

        [LibraryImport(LibraryName)]
        internal static unsafe partial int XGDMatrixCreateFromMat(float* data, ulong rows, ulong columns, float missing, out SafeDMatrixHandle handle);

        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static unsafe partial int XGDMatrixSetFloatInfo(SafeDMatrixHandle handle, string field, float* values, ulong length);

        [LibraryImport(LibraryName)]
        internal static partial int XGDMatrixNumRow(SafeDMatrixHandle handle, out ulong rows);

        [LibraryImport(LibraryName)]
        internal static partial int XGDMatrixNumCol(SafeDMatrixHandle handle, out ulong columns);

        [LibraryImport(LibraryName)]
        internal static partial int XGDMatrixFree(nint handle);

        [LibraryImport(LibraryName)]
        internal static unsafe partial int XGBoosterCreate(nint* matrices, ulong count, out SafeBoosterHandle handle);

        [LibraryImport(LibraryName)]
        internal static partial int XGBoosterFree(nint handle);

        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int XGBoosterSetParam(SafeBoosterHandle handle, string name, string value);

        [LibraryImport(LibraryName)]
        internal static partial int XGBoosterUpdateOneIter(SafeBoosterHandle handle, int iteration, SafeDMatrixHandle train);

        [LibraryImport(LibraryName)]
        internal static unsafe partial int XGBoosterEvalOneIter(SafeBoosterHandle handle, int iteration, nint* matrices, nint* names, ulong count, out nint result);

        [LibraryImport(LibraryName)]
        internal static partial int XGBoosterBoostedRounds(SafeBoosterHandle handle, out int rounds);

        [LibraryImport(LibraryName)]
        internal static partial int XGBoosterSlice(SafeBoosterHandle handle, int beginLayer, int endLayer, int step, out SafeBoosterHandle sliced);

        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int XGBoosterPredictFromDMatrix(SafeBoosterHandle handle, SafeDMatrixHandle matrix, string config, out nint shape, out ulong dimensions, out nint result);

        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int XGBoosterSaveModelToBuffer(SafeBoosterHandle handle, string config, out ulong length, out nint data);

        [LibraryImport(LibraryName)]
        internal static unsafe partial int XGBoosterLoadModelFromBuffer(SafeBoosterHandle handle, byte* data, ulong length);

        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int XGBoosterSetAttr(SafeBoosterHandle handle, string key, string? value);

        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int XGBoosterGetAttr(SafeBoosterHandle handle, string key, out nint value, out int found);
    }
}
