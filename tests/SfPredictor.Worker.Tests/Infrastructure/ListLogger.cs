using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SfPredictor.Worker.Tests.Infrastructure;

/// <summary>Keeps every log entry, to check what the worker says; also a provider for a whole host's logging.</summary>
internal sealed class ListLogger : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public ILogger<T> For<T>() => new Logger<T>(this);

    /// <summary>Whether some entry contains <paramref name="text"/>.</summary>
    public bool Said(string text) => _entries.Any(e => e.Message.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger<object>(this);

    public void Dispose()
    {
    }

    private sealed class Logger<T>(ListLogger owner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
