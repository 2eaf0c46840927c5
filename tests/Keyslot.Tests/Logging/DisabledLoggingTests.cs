using System.Reflection;
using Keyslot.Connections;
using Keyslot.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keyslot.Tests.Logging;

/// <summary>
/// Logging costs nothing when its level is off (issue 19): the log methods take endpoints, roles and error kinds as
/// what they are, so nothing is formatted (no <c>ToString()</c> at the call site) unless a line is written.
/// </summary>
public class DisabledLoggingTests
{
    private static readonly NodeEndpoint Endpoint = new("10.0.0.7", 6379);

    [Fact]
    public void The_per_command_log_lines_allocate_nothing_when_the_level_is_off()
    {
        ILogger logger = NullLogger.Instance;
        LogRedirectPaths(logger); // JIT and statics first
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) LogRedirectPaths(logger);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void The_same_lines_are_written_with_their_values_when_the_level_is_on()
    {
        var logger = new RecordingLogger();
        LogRedirectPaths(logger);
        Assert.Contains(logger.Lines, l => l.Contains("10.0.0.7:6379", StringComparison.Ordinal) && l.Contains("1234", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Contains(nameof(RedisErrorKind.TryAgain), StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Contains(nameof(ConnectionRole.Interactive), StringComparison.Ordinal));
    }

    /// <summary>Any log parameter that names an endpoint, a role or a kind is typed, never a preformatted string.</summary>
    [Fact]
    public void No_log_method_takes_an_endpoint_role_or_kind_as_a_string()
    {
        var offenders = new List<string>();
        foreach (MethodInfo method in typeof(Log).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
        {
            foreach (ParameterInfo parameter in method.GetParameters())
            {
                string name = parameter.Name ?? "";
                bool describesAThing = name is "endpoint" or "source" or "node" or "role" or "kind";
                if (describesAThing && parameter.ParameterType == typeof(string)) offenders.Add($"{method.Name}({name})");
            }
        }
        Assert.Empty(offenders);
    }

    private static void LogRedirectPaths(ILogger logger)
    {
        Log.Moved(logger, 1234, Endpoint);
        Log.Ask(logger, 1234, "GET", Endpoint);
        Log.Retry(logger, "GET", 1234, RedisErrorKind.TryAgain, 2);
        Log.CommandTimedOut(logger, Endpoint, 17);
        Log.PushDropped(logger, Endpoint, ConnectionRole.Interactive);
        Log.ConnectionClosed(logger, Endpoint);
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
