namespace Keyslot;

/// <summary>Too many commands are already waiting for one node; new ones for it fail fast instead of piling up.</summary>
public sealed class RedisQueueFullException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisQueueFullException(NodeEndpoint node, int limit)
        : base($"{limit} commands are already in flight to {node}; the node is slow or unreachable. Raise maxPendingPerNode or reduce load.")
    {
        Node = node;
        Limit = limit;
    }

    /// <summary>The node whose queue is full.</summary>
    public NodeEndpoint Node { get; }

    /// <summary>The configured limit.</summary>
    public int Limit { get; }
}
