namespace Keyslot;

/// <summary>Which nodes a per-node command runs on.</summary>
public enum NodeSelection
{
    /// <summary>Every primary (each shard once).</summary>
    AllPrimaries,
    /// <summary>Every replica that is not marked failed.</summary>
    AllReplicas,
    /// <summary>Every primary and every replica.</summary>
    AllNodes,
}

/// <summary>One node's answer to a command run on several nodes.</summary>
/// <param name="Node">The node.</param>
/// <param name="Value">Its reply; <see cref="RespValue.Null"/> when it failed.</param>
/// <param name="Error">Why it failed, or null.</param>
public sealed record NodeReply(NodeEndpoint Node, RespValue Value, Exception? Error)
{
    /// <summary>True when the node answered without an error.</summary>
    public bool Succeeded => Error is null;
}
