using System.Runtime.InteropServices;

namespace SfPredictor.Training.Native;

/// <summary>Owns one native XGBoost Booster.</summary>
internal sealed class SafeBoosterHandle : SafeHandle
{
    /// <summary>Creates an invalid handle; the interop layer fills it in.</summary>
    public SafeBoosterHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle() => Interop.XGBoost.XGBoosterFree(handle) == 0;
}
