namespace Keyslot;

/// <summary>Too many commands are already waiting for one node; new ones for it fail fast instead of piling up.</summary>
public sealed class RedisQueueFullException : RedisException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="node">The node.</param>
    /// <param name="limit">The configured limit (maxPendingPerNode).</param>
    /// <param name="waitingForConnection">True when the commands are waiting for the node's connection to be made, not for replies.</param>
    public RedisQueueFullException(NodeEndpoint node, int limit, bool waitingForConnection = false)
        : base(waitingForConnection
            ? $"{limit} commands are already waiting for a connection to {node}; the node is unreachable or slow to accept. Raise maxPendingPerNode or reduce load."
            : $"{limit} commands are already in flight to {node}; the node is slow or unreachable. Raise maxPendingPerNode or reduce load.")
    {
        Node = node;
        Limit = limit;
    }

    /// <summary>The node whose queue is full.</summary>
    public NodeEndpoint Node { get; }

    /// <summary>The configured limit.</summary>
    public int Limit { get; }
}
