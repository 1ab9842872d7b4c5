using System.Runtime.InteropServices;

namespace SfPredictor.Training.Native;

/// <summary>Owns one native XGBoost DMatrix.</summary>
internal sealed class SafeDMatrixHandle : SafeHandle
{
    /// <summary>Creates an invalid handle; the interop layer fills it in.</summary>
    public SafeDMatrixHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle() => Interop.XGBoost.XGDMatrixFree(handle) == 0;
}
