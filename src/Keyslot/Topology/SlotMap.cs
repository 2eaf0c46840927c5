using Keyslot.Slots;

namespace Keyslot.Topology;

/// <summary>
/// An immutable snapshot of who owns every hash slot: 16,384 entries, each the index of a shard (or unassigned).
/// Routing reads it without locks; a change builds a new one and swaps the reference.
/// </summary>
internal sealed class SlotMap
{
    public const ushort Unassigned = ushort.MaxValue;

    private readonly ushort[] _owners;
    private IReadOnlyList<SlotRange>? _ranges;
    private HashSet<NodeEndpoint>? _endpoints;

    private SlotMap(ushort[] owners, IReadOnlyList<ClusterShard> shards, bool isCluster = true)
    {
        _owners = owners;
        Shards = shards;
        IsCluster = isCluster;
    }

    public IReadOnlyList<ClusterShard> Shards { get; }

    /// <summary>
    /// False for a server without cluster mode (a single node, or a primary with replicas), where one shard holds
    /// every slot: keys need no splitting by slot and no node redirects.
    /// </summary>
    public bool IsCluster { get; }

    /// <summary>The shard index that owns <paramref name="slot"/>, or <see cref="Unassigned"/>.</summary>
    public ushort ShardOf(int slot) => _owners[slot];

    /// <summary>The slot ranges, CLUSTER SLOTS style, computed once on first use.</summary>
    public IReadOnlyList<SlotRange> Ranges => _ranges ??= ComputeRanges();

    public int AssignedSlots
    {
        get
        {
            int n = 0;
            foreach (ushort owner in _owners) if (owner != Unassigned) n++;
            return n;
        }
    }

    public static SlotMap Build(IReadOnlyList<ClusterShard> shards)
    {
        var owners = new ushort[HashSlot.Count];
        Array.Fill(owners, Unassigned);
        for (int s = 0; s < shards.Count; s++)
        {
            foreach ((int start, int end) in shards[s].Slots)
            {
                if (start < 0 || end >= HashSlot.Count || start > end)
                {
                    throw new RespProtocolException(0, $"The topology named an invalid slot range {start}-{end}.");
                }
                owners.AsSpan(start, end - start + 1).Fill((ushort)s);
            }
        }
        return new SlotMap(owners, shards);
    }

    /// <summary>
    /// The map of a server without cluster mode: <paramref name="primary"/> and its <paramref name="replicas"/> hold
    /// all 16,384 slots, so routing, replica reads and fan-out work unchanged.
    /// </summary>
    public static SlotMap NonCluster(NodeEndpoint primary, IReadOnlyList<NodeEndpoint> replicas)
    {
        var replicaInfos = new ClusterNodeInfo[replicas.Count];
        for (int i = 0; i < replicaInfos.Length; i++) replicaInfos[i] = new ClusterNodeInfo("", replicas[i], false, "online");
        var shard = new ClusterShard(new ClusterNodeInfo("", primary, true, "online"), replicaInfos, [(0, HashSlot.Count - 1)]);
        var owners = new ushort[HashSlot.Count]; // every slot is shard 0
        return new SlotMap(owners, [shard], isCluster: false);
    }

    /// <summary>A copy where <paramref name="slot"/> belongs to the shard whose primary is <paramref name="primary"/> (a new shard entry when none is).</summary>
    public SlotMap WithSlotOwner(int slot, NodeEndpoint primary) => WithSlotOwners([(slot, primary)]);

    /// <summary>A copy with several slots given to (possibly new) primaries, built once however many there are.</summary>
    public SlotMap WithSlotOwners(IReadOnlyCollection<(int Slot, NodeEndpoint Primary)> changes)
    {
        List<ClusterShard>? grown = null;
        var owners = (ushort[])_owners.Clone();
        foreach ((int slot, NodeEndpoint primary) in changes)
        {
            IReadOnlyList<ClusterShard> shards = grown ?? Shards;
            int shard = -1;
            for (int i = 0; i < shards.Count; i++)
            {
                if (shards[i].Primary.Endpoint == primary) { shard = i; break; }
            }
            if (shard < 0)
            {
                grown ??= new List<ClusterShard>(Shards);
                grown.Add(new ClusterShard(new ClusterNodeInfo("", primary, true, "online"), [], []));
                shard = grown.Count - 1;
            }
            owners[slot] = (ushort)shard;
        }
        return new SlotMap(owners, grown ?? Shards, IsCluster);
    }

    /// <summary>True when both maps route every slot to the same nodes (so a refresh changed nothing).</summary>
    public bool SameAs(SlotMap other)
    {
        if (IsCluster != other.IsCluster || Shards.Count != other.Shards.Count || !_owners.AsSpan().SequenceEqual(other._owners)) return false;
        for (int i = 0; i < Shards.Count; i++)
        {
            if (!Shards[i].SameAs(other.Shards[i])) return false;
        }
        return true;
    }

    /// <summary>How many slots are owned by a different primary in <paramref name="other"/>.</summary>
    public int CountMovedSlots(SlotMap other)
    {
        int moved = 0;
        for (int slot = 0; slot < HashSlot.Count; slot++)
        {
            if (OwnerOf(slot) != other.OwnerOf(slot)) moved++;
        }
        return moved;
    }

    /// <summary>
    /// The slot ranges whose owner differs in <paramref name="other"/>, as "0-99 a:1→b:2; 5461 a:1→(none)", at most
    /// <paramref name="maxRanges"/> of them (then "and N more"): what a topology change moved, for the log.
    /// </summary>
    public string DescribeMoves(SlotMap other, int maxRanges)
    {
        var text = new System.Text.StringBuilder();
        int shown = 0, more = 0;
        int start = -1;
        for (int slot = 0; slot <= HashSlot.Count; slot++)
        {
            bool differs = slot < HashSlot.Count && OwnerOf(slot) != other.OwnerOf(slot);
            bool continues = differs && start >= 0 && OwnerOf(slot) == OwnerOf(start) && other.OwnerOf(slot) == other.OwnerOf(start);
            if (continues) continue;
            if (start >= 0)
            {
                if (shown++ < maxRanges)
                {
                    if (text.Length > 0) text.Append("; ");
                    text.Append(start);
                    if (slot - 1 > start) text.Append('-').Append(slot - 1);
                    text.Append(' ').Append(OwnerOf(start)?.ToString() ?? "(none)").Append('→').Append(other.OwnerOf(start)?.ToString() ?? "(none)");
                }
                else
                {
                    more++;
                }
            }
            start = differs ? slot : -1;
        }
        if (more > 0) text.Append("; and ").Append(more).Append(" more range(s)");
        return text.ToString();
    }

    /// <summary>How many nodes the map lists, primaries and replicas.</summary>
    public int NodeCount
    {
        get
        {
            int n = 0;
            foreach (ClusterShard shard in Shards) n += 1 + shard.Replicas.Count;
            return n;
        }
    }

    /// <summary>
    /// True when the map lists <paramref name="endpoint"/>, as a primary or a replica. A set built once on first use:
    /// applying a map asks this for every connector the client holds, which for 540 nodes was 540 × 540 comparisons.
    /// </summary>
    public bool Contains(NodeEndpoint endpoint) => (_endpoints ??= ComputeEndpoints()).Contains(endpoint);

    private HashSet<NodeEndpoint> ComputeEndpoints()
    {
        var endpoints = new HashSet<NodeEndpoint>(NodeCount);
        foreach (ClusterShard shard in Shards)
        {
            endpoints.Add(shard.Primary.Endpoint);
            foreach (ClusterNodeInfo replica in shard.Replicas) endpoints.Add(replica.Endpoint);
        }
        return endpoints;
    }

    /// <summary>
    /// True when <paramref name="endpoint"/> owns at least one slot. Read from the slot owners, not the shards' slot
    /// lists: a shard added for a MOVED target owns slots but lists none.
    /// </summary>
    public bool OwnsSlots(NodeEndpoint endpoint)
    {
        foreach (SlotRange range in Ranges)
        {
            if (range.Primary == endpoint) return true;
        }
        return false;
    }

    /// <summary>True when <paramref name="endpoint"/> is listed as a primary and not flagged failed.</summary>
    public bool IsHealthyPrimary(NodeEndpoint endpoint)
    {
        foreach (ClusterShard shard in Shards)
        {
            if (shard.Primary.Endpoint == endpoint) return !shard.Primary.IsFailed;
        }
        return false;
    }

    /// <summary>True when <paramref name="endpoint"/> is listed as a replica, or as a primary flagged failed.</summary>
    public bool IsReplicaOrFailed(NodeEndpoint endpoint)
    {
        foreach (ClusterShard shard in Shards)
        {
            if (shard.Primary.Endpoint == endpoint) return shard.Primary.IsFailed;
            foreach (ClusterNodeInfo replica in shard.Replicas) if (replica.Endpoint == endpoint) return true;
        }
        return false;
    }

    private NodeEndpoint? OwnerOf(int slot) => _owners[slot] == Unassigned ? null : Shards[_owners[slot]].Primary.Endpoint;

    private List<SlotRange> ComputeRanges()
    {
        var ranges = new List<SlotRange>();
        int start = 0;
        for (int slot = 1; slot <= HashSlot.Count; slot++)
        {
            if (slot < HashSlot.Count && _owners[slot] == _owners[start]) continue;
            ushort owner = _owners[start];
            if (owner != Unassigned)
            {
                ClusterShard shard = Shards[owner];
                var replicas = new NodeEndpoint[shard.Replicas.Count];
                for (int i = 0; i < replicas.Length; i++) replicas[i] = shard.Replicas[i].Endpoint;
                ranges.Add(new SlotRange(start, slot - 1, shard.Primary.Endpoint, replicas));
            }
            start = slot;
        }
        return ranges;
    }
}
