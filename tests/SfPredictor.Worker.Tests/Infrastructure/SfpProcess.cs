using System.Collections.Concurrent;
using System.Diagnostics;

namespace SfPredictor.Worker.Tests.Infrastructure;

/// <summary>
/// <c>sfp</c> in its own process, as an admin or a container runs it: the built CLI under <c>dotnet</c>, configured by
/// environment variables only, its output collected line by line.
/// </summary>
internal sealed class SfpProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _error = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

    private SfpProcess(IReadOnlyDictionary<string, string?> settings, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "sfp.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["NO_COLOR"] = "1";
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Received(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Received(_error, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _output);

    public string Error => string.Join('\n', _error);

    public static SfpProcess Start(IReadOnlyDictionary<string, string?> settings, params string[] arguments) => new(settings, arguments);

    /// <summary>Runs to the end.</summary>
    public static async Task<(int Exit, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string?> settings, params string[] arguments)
    {
        using var process = Start(settings, arguments);
        await process._process.WaitForExitAsync();
        process._process.WaitForExit();
        return (process.ExitCode, process.Output, process.Error);
    }

    /// <summary>Waits until a line of standard output contains <paramref name="text"/>; false when the time is up or the process ended first.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waits)
        {
            _waits.Add((text, seen));
        }

        if (_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            return true;
        }

        var ended = _process.WaitForExitAsync();
        return await Task.WhenAny(seen.Task, ended, Task.Delay(timeout)) == seen.Task;
    }

    /// <summary>Sends SIGTERM, as <c>docker stop</c> and Kubernetes do.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the process to end; false when the time is up first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);

            // The parameterless wait also drains the redirected output.
            _process.WaitForExit();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Received(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        if (!ReferenceEquals(lines, _output))
        {
            return;
        }

        lock (_waits)
        {
            foreach (var (text, seen) in _waits.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
            {
                seen.TrySetResult();
            }
        }
    }
}
