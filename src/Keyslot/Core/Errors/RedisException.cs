namespace Keyslot;

/// <summary>The base of every error Keyslot raises about the cluster or a command.</summary>
public class RedisException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RedisException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public RedisException(string message, Exception? innerException) : base(message, innerException) { }
}
