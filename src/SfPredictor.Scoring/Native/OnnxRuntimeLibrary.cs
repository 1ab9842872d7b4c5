using System.Runtime.InteropServices;
using System.Text;

namespace SfPredictor.Scoring.Native;

/// <summary>
/// The loaded ONNX Runtime native library and its API table. The library is loaded once per process:
/// the first successful resolution wins and every later caller shares it.
/// </summary>
internal sealed unsafe class OnnxRuntimeLibrary
{
    public const string FileName = "libonnxruntime.so.1";
    public const string ExpectedVersion = "1.30.0";
    public const string PathVariable = "SFP_ONNXRUNTIME_PATH";

    private static readonly Lock Gate = new();
    private static OnnxRuntimeLibrary? _loaded;
    private static Interop.OrtApi* _api;

    private readonly Lazy<OrtEnvHandle> _environment;

    private readonly Interop.OrtApi* _table;

    private OnnxRuntimeLibrary(string path, string version, Interop.OrtApi* table)
    {
        _table = table;
        Path = path;
        Version = version;
        _environment = new Lazy<OrtEnvHandle>(() => OrtEnvHandle.Create("SfPredictor"), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Where the library was loaded from.</summary>
    public string Path { get; }

    /// <summary>The version string the library reports, e.g. "1.30.0".</summary>
    public string Version { get; }

    /// <summary>The process-wide ONNX Runtime environment, created on first use and kept for the process lifetime.</summary>
    public OrtEnvHandle Environment => _environment.Value;

    /// <summary>The API table of the loaded library.</summary>
    public static Interop.OrtApi* Api =>
        _api != null ? _api : throw new InvalidOperationException("The ONNX Runtime library has not been loaded.");

    /// <summary>
    /// Returns the loaded library, loading it on first use from (a) <paramref name="configuredPath"/> or the
    /// SFP_ONNXRUNTIME_PATH variable, (b) the application's runtimes/linux-x64/native folder, (c) the setup cache.
    /// </summary>
    /// <exception cref="DllNotFoundException">No candidate could be loaded; the message lists every place tried.</exception>
    public static OnnxRuntimeLibrary Get(string? configuredPath)
    {
        lock (Gate)
        {
            if (_loaded is null)
            {
                var candidates = CandidatePaths(
                    configuredPath ?? System.Environment.GetEnvironmentVariable(PathVariable),
                    AppContext.BaseDirectory,
                    SetupCacheDirectory(System.Environment.GetEnvironmentVariable));
                _loaded = LoadFirst(candidates);
                _api = _loaded._table;
            }

            return _loaded;
        }
    }

    /// <summary>The places to look for the library, in order, each with a word on where it came from.</summary>
    internal static IReadOnlyList<(string Path, string Source)> CandidatePaths(string? configuredPath, string baseDirectory, string setupCacheDirectory)
    {
        var candidates = new List<(string, string)>();
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            var path = Directory.Exists(configuredPath) ? System.IO.Path.Combine(configuredPath, FileName) : configuredPath;
            candidates.Add((path, $"configured (ScorerOptions.LibraryPath or {PathVariable})"));
        }

        candidates.Add((System.IO.Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", FileName), "application folder"));
        candidates.Add((System.IO.Path.Combine(setupCacheDirectory, $"onnxruntime-{ExpectedVersion}", FileName), "setup cache"));
        return candidates;
    }

    /// <summary>${SFP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sfpredictor}, the folder eng/setup.sh downloads into.</summary>
    internal static string SetupCacheDirectory(Func<string, string?> environment)
    {
        var explicitCache = environment("SFP_CACHE");
        if (!string.IsNullOrEmpty(explicitCache))
        {
            return explicitCache;
        }

        var cacheHome = environment("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cacheHome))
        {
            var home = environment("HOME");
            cacheHome = System.IO.Path.Combine(
                string.IsNullOrEmpty(home) ? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile) : home,
                ".cache");
        }

        return System.IO.Path.Combine(cacheHome, "sfpredictor");
    }

    /// <summary>Loads the first candidate that is a usable ONNX Runtime library; the result is not cached.</summary>
    internal static OnnxRuntimeLibrary LoadFirst(IReadOnlyList<(string Path, string Source)> candidates)
    {
        var failures = new StringBuilder();
        foreach (var (path, source) in candidates)
        {
            var failure = TryLoad(path, out var library);
            if (library is not null)
            {
                return library;
            }

            failures.Append("\n  - ").Append(path).Append(" (").Append(source).Append("): ").Append(failure);
        }

        throw new DllNotFoundException(
            $"The ONNX Runtime native library {FileName} (version {ExpectedVersion}) could not be loaded. Looked in:{failures}\n" +
            $"Run eng/setup.sh to download it, or set {PathVariable} to the library's path.");
    }

    private static string TryLoad(string path, out OnnxRuntimeLibrary? library)
    {
        library = null;
        if (!File.Exists(path))
        {
            return "no such file";
        }

        if (!NativeLibrary.TryLoad(path, out var handle))
        {
            return "the file exists but is not a loadable shared library for this platform";
        }

        if (!NativeLibrary.TryGetExport(handle, Interop.OrtGetApiBaseExport, out var getApiBase))
        {
            NativeLibrary.Free(handle);
            return $"the library does not export {Interop.OrtGetApiBaseExport}; it is not ONNX Runtime";
        }

        var apiBase = ((delegate* unmanaged[Cdecl]<Interop.OrtApiBase*>)getApiBase)();
        var version = Marshal.PtrToStringUTF8((nint)apiBase->GetVersionString()) ?? "unknown";
        var api = apiBase->GetApi(Interop.OrtApiVersion);
        if (api == null)
        {
            NativeLibrary.Free(handle);
            return $"ONNX Runtime {version} does not serve C API version {Interop.OrtApiVersion}; version {ExpectedVersion} is expected";
        }

        // A loaded library is never freed: sessions and the environment keep pointers into it.
        library = new OnnxRuntimeLibrary(path, version, api);
        return string.Empty;
    }

    /// <summary>
    /// Turns a status returned by an API call into an exception carrying ONNX Runtime's error code and message.
    /// The status is always released.
    /// </summary>
    public static void ThrowIfError(nint status)
    {
        if (status == 0)
        {
            return;
        }

        OnnxRuntimeErrorCode code;
        string message;
        try
        {
            code = Api->GetErrorCode(status);
            message = Marshal.PtrToStringUTF8((nint)Api->GetErrorMessage(status)) ?? string.Empty;
        }
        finally
        {
            Api->ReleaseStatus(status);
        }

        throw new OnnxRuntimeException(code, $"ONNX Runtime error {code}: {message}");
    }
}
