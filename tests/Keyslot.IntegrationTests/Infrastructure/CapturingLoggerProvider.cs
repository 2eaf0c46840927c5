using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Keyslot.IntegrationTests.Infrastructure;

/// <summary>One captured log call: the formatted message, the structured values and any exception.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State, Exception? Exception)
{
    /// <summary>Everything this entry exposes as text (message, each structured value, the whole exception chain).</summary>
    public string AllText =>
        string.Join('\n', [Message, .. State.Select(p => $"{p.Key}={p.Value}"), Exception?.ToString() ?? string.Empty]);
}

/// <summary>
/// Records every log call at every level (thread-safe: the client logs from its I/O loops), so tests can assert
/// what was logged and, as important, what never was.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    /// <summary>A snapshot of the entries so far, in the order they were logged.</summary>
    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    /// <summary>A factory logging to this provider only, with every level enabled.</summary>
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    /// <summary>Polls until an entry matches (log calls from background loops land a little after the command that caused them).</summary>
    public async Task<CapturedLog> WaitForAsync(Func<CapturedLog, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            CapturedLog? found = _entries.FirstOrDefault(match);
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching log entry within {timeout.TotalSeconds:0.#} s. Logged:\n" + string.Join('\n', _entries.Select(e => $"[{e.Level} {e.EventId.Id}] {e.Message}")));
            }
            await Task.Delay(20);
        }
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            IReadOnlyList<KeyValuePair<string, object?>> values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? [.. pairs] : [];
            owner._entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), values, exception));
        }
    }
}
