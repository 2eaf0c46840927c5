namespace Keyslot.Testing;

/// <summary>Thrown when a bounded wait (start, convergence, failover, a command) runs out of time.</summary>
public sealed class LocalRedisClusterTimeoutException : LocalRedisClusterException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was awaited and the last state observed.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public LocalRedisClusterTimeoutException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
