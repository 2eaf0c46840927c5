namespace Keyslot;

/// <summary>One node of the cluster as the topology reports it.</summary>
/// <param name="Id">The node's 40-character cluster ID.</param>
/// <param name="Endpoint">Where clients reach it.</param>
/// <param name="IsPrimary">True for the shard's primary.</param>
/// <param name="Health">"online", "loading" or "failed" (CLUSTER SHARDS); "online" when the server did not say.</param>
public sealed record ClusterNodeInfo(string Id, NodeEndpoint Endpoint, bool IsPrimary, string Health)
{
    /// <summary>
    /// True when the cluster has marked the node failed. "loading" is not failed: Redis 7.0 reports replicas as loading
    /// until its gossip carries their replication offset, long after they serve reads; a replica that really is loading
    /// answers LOADING, and that read goes to the primary.
    /// </summary>
    public bool IsFailed => Health is "failed" or "fail";
}
