namespace Keyslot.Testing;

/// <summary>Base type of every error raised by <see cref="LocalRedisCluster"/>.</summary>
public class LocalRedisClusterException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public LocalRedisClusterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public LocalRedisClusterException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
