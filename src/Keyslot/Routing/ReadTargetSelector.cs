using Keyslot.Connections;

namespace Keyslot.Routing;

/// <summary>
/// Picks the node of a shard that serves a read under a <see cref="ReadPolicy"/>: replicas in turn, or the one that
/// answers fastest, preferring the client's availability zone when it is known. A replica that is suspect (failing to
/// connect, or silent with commands pending) is skipped; when none is left, the primary serves. Allocation-free.
/// </summary>
internal sealed class ReadTargetSelector
{
    private readonly string? _clientZone;
    private int _roundRobin;
    private int _explore;

    public ReadTargetSelector(string? clientZone) => _clientZone = clientZone;

    public NodeConnector Choose(RouteTable routes, int shard, ReadPolicy policy)
    {
        NodeConnector primary = routes.Primary(shard);
        NodeConnector[] replicas = routes.Replicas(shard);
        if (policy == ReadPolicy.Primary || replicas.Length == 0) return primary;

        // Candidates as indexes: -1 is the primary, 0.. the replicas. Same-zone candidates win when there are any.
        Span<int> candidates = stackalloc int[replicas.Length + 1];
        int count = Collect(candidates, primary, replicas, policy, sameZoneOnly: _clientZone is not null);
        if (count == 0) count = Collect(candidates, primary, replicas, policy, sameZoneOnly: false);
        if (count == 0) return primary;

        // Now and then LowestLatency takes its turn like round robin, so a node once slow gets measured again.
        if (policy == ReadPolicy.LowestLatency && (Interlocked.Increment(ref _explore) & 31) != 0)
        {
            return Fastest(candidates[..count], primary, replicas);
        }
        int pick = candidates[(int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)count)];
        return pick < 0 ? primary : replicas[pick];
    }

    private int Collect(Span<int> candidates, NodeConnector primary, NodeConnector[] replicas, ReadPolicy policy, bool sameZoneOnly)
    {
        int count = 0;
        for (int i = 0; i < replicas.Length; i++)
        {
            NodeConnector replica = replicas[i];
            if (replica.IsSuspect || (sameZoneOnly && replica.AvailabilityZone != _clientZone)) continue;
            candidates[count++] = i;
        }
        // The primary competes on latency; for PreferReplica a same-zone primary beats replicas in other zones.
        bool primaryCounts = policy == ReadPolicy.LowestLatency || (policy == ReadPolicy.PreferReplica && sameZoneOnly && count == 0);
        if (primaryCounts && (!sameZoneOnly || primary.AvailabilityZone == _clientZone)) candidates[count++] = -1;
        return count;
    }

    /// <summary>The candidate with the lowest measured latency; an unmeasured node is tried first so it gets measured.</summary>
    private static NodeConnector Fastest(ReadOnlySpan<int> candidates, NodeConnector primary, NodeConnector[] replicas)
    {
        NodeConnector best = primary;
        double bestLatency = double.MaxValue;
        foreach (int index in candidates)
        {
            NodeConnector node = index < 0 ? primary : replicas[index];
            double latency = node.LatencyMicroseconds;
            if (double.IsNaN(latency)) return node;
            if (latency < bestLatency)
            {
                best = node;
                bestLatency = latency;
            }
        }
        return best;
    }
}
