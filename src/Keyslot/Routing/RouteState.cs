using System.Diagnostics;
using Keyslot.Connections;
using Keyslot.Topology;

namespace Keyslot.Routing;

/// <summary>What applying a new slot map changed, for the router to act on outside the route lock.</summary>
internal readonly record struct AppliedTopology(SlotMap Old, SlotMap New, int MovedSlots, bool KeptMoves, List<NodeConnection> Hung, List<NodeConnector>? Departed);

/// <summary>
/// The routes in force: the <see cref="RouteTable"/> every command reads without a lock, swapped whole when a MOVED
/// fixes one slot or a refreshed map arrives. A MOVED is the owner's own word that a slot has moved, while a refresh may
/// come from a node that has not heard of the move yet (gossip takes a moment), so for a short grace after a MOVED its
/// slot keeps the MOVED target whatever a refresh says, instead of flapping back and costing every command on that
/// slot another redirect. After the grace the refreshed map wins. Every change is announced (<see cref="DelayOrChangedAsync"/>
/// and the callback), so commands waiting out a dead node go on at once.
/// </summary>
internal sealed class RouteState
{
    private readonly object _sync = new();
    private readonly NodeRegistry _nodes;
    private readonly TimeSpan _silence;
    private readonly Action _onChanged;
    private readonly Dictionary<int, (NodeEndpoint Target, long At)> _recentMoves = [];
    private volatile RouteTable _routes;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="nodes">The connectors the routes bind to.</param>
    /// <param name="movedGrace">How long a MOVED outweighs refreshed maps.</param>
    /// <param name="silence">How long a primary with commands pending may be silent before it counts as hung.</param>
    /// <param name="onChanged">Told after every change of routes.</param>
    public RouteState(NodeRegistry nodes, TimeSpan movedGrace, TimeSpan silence, Action onChanged)
    {
        _nodes = nodes;
        MovedGrace = movedGrace;
        _silence = silence;
        _onChanged = onChanged;
        _routes = new RouteTable(SlotMap.Build([]), [], []);
    }

    /// <summary>The routes now (read without a lock).</summary>
    public RouteTable Current => _routes;

    /// <summary>The slot map now.</summary>
    public SlotMap Map => _routes.Map;

    /// <summary>How long a MOVED outweighs refreshed maps.</summary>
    public TimeSpan MovedGrace { get; }

    /// <summary>
    /// Completes after <paramref name="delay"/>, or sooner when the routes change (a promoted replica is then used at
    /// once) or the token is cancelled; never throws. The one backoff wait for commands, transactions and first maps.
    /// </summary>
    public Task DelayOrChangedAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.WhenAny(Volatile.Read(ref _changed).Task, Task.Delay(delay, cancellationToken));

    /// <summary>MOVED: <paramref name="slot"/> belongs to <paramref name="target"/> from now on. False when another command already fixed it.</summary>
    public bool ApplyMoved(int slot, NodeEndpoint target)
    {
        lock (_sync)
        {
            RouteTable routes = _routes;
            _recentMoves[slot] = (target, Stopwatch.GetTimestamp());
            if (routes.PrimaryFor(slot) is { } current && current.Endpoint == target) return false;
            _routes = Bind(routes.Map.WithSlotOwner(slot, target));
        }
        AnnounceChange();
        return true;
    }

    /// <summary>
    /// A refreshed map takes effect (slots fixed by a recent MOVED kept). Also says which former primaries are hung
    /// (computed before the departed nodes are taken out: a frozen primary may have left the map entirely) and which
    /// nodes left.
    /// </summary>
    public AppliedTopology Apply(SlotMap map)
    {
        AppliedTopology applied;
        lock (_sync)
        {
            SlotMap old = _routes.Map;
            map = KeepRecentMoves(map, out bool keptMoves);
            List<NodeConnection> hung = HungFormerPrimaries(old, map);
            _routes = Bind(map);
            applied = new AppliedTopology(old, map, old.CountMovedSlots(map), keptMoves, hung, _nodes.RemoveDeparted(map));
        }
        AnnounceChange();
        return applied;
    }

    private void AnnounceChange()
    {
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        _onChanged();
    }

    /// <summary>The map with each slot MOVED within the grace kept at its MOVED target, unless the map confirms the move or that target failed over since.</summary>
    private SlotMap KeepRecentMoves(SlotMap map, out bool kept)
    {
        kept = false;
        if (_recentMoves.Count == 0) return map;
        List<(int Slot, NodeEndpoint Primary)>? keep = null;
        List<int>? expired = null;
        foreach ((int slot, (NodeEndpoint target, long at)) in _recentMoves)
        {
            if (Stopwatch.GetElapsedTime(at) > MovedGrace)
            {
                (expired ??= []).Add(slot);
                continue;
            }
            ushort shard = map.ShardOf(slot);
            if (shard != SlotMap.Unassigned && map.Shards[shard].Primary.Endpoint == target) (expired ??= []).Add(slot); // confirmed
            else if (map.IsReplicaOrFailed(target)) (expired ??= []).Add(slot); // its target failed over since: the map knows better
            else (keep ??= []).Add((slot, target));
        }
        if (expired is not null) foreach (int slot in expired) _recentMoves.Remove(slot);
        if (keep is null) return map;
        kept = true;
        return map.WithSlotOwners(keep);
    }

    /// <summary>
    /// Primaries that lost their role while silent (frozen, then failed over). Such a node holds commands it will
    /// answer, if ever, only when it wakes, and it may then apply writes as a primary for a moment before it learns it
    /// was replaced: writes the new primary never sees. A demoted primary that still answers (a graceful CLUSTER
    /// FAILOVER) is not one of these: it replies MOVED and its commands follow.
    /// </summary>
    private List<NodeConnection> HungFormerPrimaries(SlotMap old, SlotMap fresh)
    {
        var hung = new List<NodeConnection>();
        foreach (ClusterShard shard in old.Shards)
        {
            NodeEndpoint endpoint = shard.Primary.Endpoint;
            if (shard.Slots.Count == 0 || fresh.OwnsSlots(endpoint)) continue;
            if (_nodes.Find(endpoint)?.Current is { } connection && connection.IsSilent(_silence)) hung.Add(connection);
        }
        return hung;
    }

    private RouteTable Bind(SlotMap map)
    {
        var primaries = new NodeConnector[map.Shards.Count];
        var replicas = new NodeConnector[map.Shards.Count][];
        for (int i = 0; i < primaries.Length; i++)
        {
            ClusterShard shard = map.Shards[i];
            primaries[i] = _nodes.Get(shard.Primary.Endpoint);
            var usable = new List<NodeConnector>(shard.Replicas.Count);
            foreach (ClusterNodeInfo replica in shard.Replicas)
            {
                if (!replica.IsFailed) usable.Add(_nodes.Get(replica.Endpoint, ConnectionRole.ReplicaReads));
            }
            replicas[i] = [.. usable];
        }
        return new RouteTable(map, primaries, replicas);
    }
}
