using Keyslot.Topology;

namespace Keyslot;

/// <summary>An immutable view of the cluster as the client currently routes it.</summary>
public sealed class ClusterTopology
{
    private readonly SlotMap _map;

    internal ClusterTopology(SlotMap map) => _map = map;

    /// <summary>
    /// True for Redis Cluster; false for a server without cluster mode (a single node, or a primary with replicas),
    /// shown as one shard that holds every slot.
    /// </summary>
    public bool IsClusterMode => _map.IsCluster;

    /// <summary>The shards: each primary, its replicas and its slots.</summary>
    public IReadOnlyList<ClusterShard> Shards => _map.Shards;

    /// <summary>Contiguous slot ranges with their nodes, in slot order, as <c>CLUSTER SLOTS</c> shows them.</summary>
    public IReadOnlyList<SlotRange> SlotRanges => _map.Ranges;

    /// <summary>The primary that owns <paramref name="slot"/>, or null when no node owns it.</summary>
    public NodeEndpoint? GetPrimary(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Slots.HashSlot.Count);
        ushort shard = _map.ShardOf(slot);
        return shard == SlotMap.Unassigned ? null : _map.Shards[shard].Primary.Endpoint;
    }
}
