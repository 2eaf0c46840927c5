namespace Keyslot;

/// <summary>A primary, its replicas and the slot ranges they own.</summary>
public sealed class ClusterShard
{
    /// <summary>Creates a shard.</summary>
    internal ClusterShard(ClusterNodeInfo primary, IReadOnlyList<ClusterNodeInfo> replicas, IReadOnlyList<(int Start, int End)> slots)
    {
        Primary = primary;
        Replicas = replicas;
        Slots = slots;
    }

    /// <summary>The shard's primary.</summary>
    public ClusterNodeInfo Primary { get; }

    /// <summary>The shard's replicas.</summary>
    public IReadOnlyList<ClusterNodeInfo> Replicas { get; }

    /// <summary>Slot ranges owned (inclusive bounds); empty for a primary that owns no slots yet.</summary>
    public IReadOnlyList<(int Start, int End)> Slots { get; }

    /// <summary>True when both shards have the same nodes (by endpoint and role) and slots.</summary>
    internal bool SameAs(ClusterShard other)
    {
        if (Primary.Endpoint != other.Primary.Endpoint || Replicas.Count != other.Replicas.Count || Slots.Count != other.Slots.Count) return false;
        for (int i = 0; i < Replicas.Count; i++)
        {
            if (Replicas[i].Endpoint != other.Replicas[i].Endpoint || Replicas[i].Health != other.Replicas[i].Health) return false;
        }
        for (int i = 0; i < Slots.Count; i++)
        {
            if (Slots[i] != other.Slots[i]) return false;
        }
        return true;
    }
}
