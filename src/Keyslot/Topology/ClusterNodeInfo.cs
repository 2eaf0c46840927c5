namespace Keyslot;

/// <summary>One node of the cluster as the topology reports it.</summary>
/// <param name="Id">The node's 40-character cluster ID.</param>
/// <param name="Endpoint">Where clients reach it.</param>
/// <param name="IsPrimary">True for the shard's primary.</param>
/// <param name="Health">"online", "loading" or "fail" (CLUSTER SHARDS); "online" when the server did not say.</param>
public sealed record ClusterNodeInfo(string Id, NodeEndpoint Endpoint, bool IsPrimary, string Health);
