using System.Reflection;
using System.Runtime.InteropServices;

namespace SfPredictor.Training.Native;

/// <summary>
/// Where the XGBoost 1.7 native library comes from: by default the system's <c>libxgboost.so.0</c>
/// (Debian package libxgboost0); a path set with <see cref="UsePath"/> or the environment variable
/// <see cref="PathVariable"/> wins.
/// </summary>
public static class XGBoostLibrary
{
    /// <summary>The environment variable naming the library file to load instead of the system one.</summary>
    public const string PathVariable = "SFP_XGBOOST_LIBRARY";

    private static string? configuredPath;
    private static int resolverRegistered;

    /// <summary>Loads XGBoost from <paramref name="path"/>; call before the first training run in the process.</summary>
    /// <param name="path">The full path of the shared library.</param>
    public static void UsePath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        configuredPath = path;
    }

    /// <summary>The version of the loaded library, e.g. "1.7.4"; loads it if needed.</summary>
    public static string Version
    {
        get
        {
            EnsureResolver();
            Interop.XGBoost.XGBoostVersion(out var major, out var minor, out var patch);
            return $"{major}.{minor}.{patch}";
        }
    }

    // Registered lazily from every entry point of the binding because a resolver must be in place
    // before the runtime binds the first import of this assembly.
    internal static void EnsureResolver()
    {
        if (Interlocked.Exchange(ref resolverRegistered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(XGBoostLibrary).Assembly, Resolve);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Interop.XGBoost.LibraryName
            ? Load(configuredPath ?? Environment.GetEnvironmentVariable(PathVariable), assembly, searchPath)
            : nint.Zero;

    /// <summary>Loads the configured file when a path is given, else the system library; a failure names what was tried.</summary>
    internal static nint Load(string? path, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            return NativeLibrary.TryLoad(path, out var configured)
                ? configured
                : throw new DllNotFoundException(
                    $"The XGBoost library '{path}' (set by {PathVariable} or XGBoostLibrary.UsePath) could not be loaded.");
        }

        return NativeLibrary.TryLoad(Interop.XGBoost.LibraryName, assembly, searchPath, out var system)
            ? system
            : throw new DllNotFoundException(
                $"XGBoost 1.7 ({Interop.XGBoost.LibraryName}) was not found. Install the Debian package libxgboost0 (eng/setup.sh does) " +
                $"or set {PathVariable} to the library's path.");
    }
}
