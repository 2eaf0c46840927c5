namespace Keyslot;

/// <summary>
/// A connection to a node could not be made or was lost. When <see cref="MayHaveBeenApplied"/> is true the command
/// had been written to the socket before it died: the server may have applied it, so Keyslot did not retry it.
/// </summary>
public class RedisConnectionException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisConnectionException(string message, NodeEndpoint node, bool mayHaveBeenApplied = false, Exception? innerException = null)
        : base(message, innerException)
    {
        Node = node;
        MayHaveBeenApplied = mayHaveBeenApplied;
    }

    /// <summary>The node the connection was to.</summary>
    public NodeEndpoint Node { get; }

    /// <summary>True when the command reached the socket before the connection failed.</summary>
    public bool MayHaveBeenApplied { get; }
}
