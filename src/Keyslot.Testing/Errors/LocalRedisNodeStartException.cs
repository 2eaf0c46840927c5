namespace Keyslot.Testing;

/// <summary>Thrown when a redis-server node does not start; the message includes the tail of its log.</summary>
public sealed class LocalRedisNodeStartException : LocalRedisClusterException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="port">The port the node was meant to listen on.</param>
    /// <param name="reason">Why the start is considered failed.</param>
    /// <param name="logTail">The last lines of the node's log and console output.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public LocalRedisNodeStartException(int port, string reason, string logTail, Exception? innerException = null)
        : base($"redis-server on port {port} failed to start: {reason}{Environment.NewLine}--- last log lines ---{Environment.NewLine}{logTail}", innerException)
    {
        Port = port;
        LogTail = logTail;
    }

    /// <summary>The port the node was meant to listen on.</summary>
    public int Port { get; }

    /// <summary>The last lines of the node's log and console output.</summary>
    public string LogTail { get; }
}
