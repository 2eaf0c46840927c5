using Keyslot.Connections;
using Keyslot.Topology;
using Microsoft.Extensions.Logging;

namespace Keyslot.Routing;

/// <summary>
/// What the router does when the map changes: a MOVED fixes one slot, a new map takes effect, and then what it
/// changed is acted on (former primaries that hung retired, departed nodes closed, the command table loaded, eager
/// connects, a look again after the MOVED grace). The routes themselves are <see cref="RouteState"/>'s.
/// </summary>
internal sealed partial class Router
{
    private void OnNodeConnectionLost(NodeConnector node, Exception cause)
    {
        NodeStates.OnLost(node, cause);
        Refresher.Request("connection to " + node.Endpoint + " lost");
    }

    /// <summary>
    /// A MOVED fixes its slot at once. When its target is a primary the map already knows (a reshard or a rebalance
    /// in progress), the map is otherwise right, so it is read again only once the moves settle: thousands of MOVED
    /// replies during a migration cost a refresh every few seconds, not one per rate-limit interval. A target the map
    /// does not know as a healthy primary (a new shard, a promoted replica) means the map is really stale: read it now.
    /// </summary>
    private void ApplyMoved(int slot, NodeEndpoint target)
    {
        bool knownPrimary = _routes.Current.Map.IsHealthyPrimary(target);
        if (!_routes.ApplyMoved(slot, target)) return; // another command already fixed it
        Log.Moved(_logger, slot, target);
        if (knownPrimary) Refresher.RequestWhenSettled("slots MOVED between known primaries");
        else Refresher.Request("MOVED to a node the map does not know as a primary");
        TopologyChanged?.Invoke();
    }

    /// <summary>A new map takes effect (from the first read or a refresh); then what it changed is acted on.</summary>
    private void ApplyTopology(SlotMap map, string reason)
    {
        AppliedTopology applied = _routes.Apply(map);
        Log.TopologyChanged(_logger, reason, applied.New.Shards.Count, applied.New.NodeCount, applied.MovedSlots);
        if (applied.MovedSlots > 0 && applied.Old.AssignedSlots > 0 && _logger.IsEnabled(LogLevel.Information))
        {
            Log.SlotsMoved(_logger, applied.Old.DescribeMoves(applied.New, maxRanges: 10));
        }
        if (applied.KeptMoves) Refresher.RequestWhenSettled("MOVED newer than the last refreshed map"); // look again once the nodes agree
        // Without cluster mode a promoted primary first lists no replicas: the others re-attach only once the operator
        // (or ElastiCache) points them at it, and no gossip says so. Look again once that has had a moment.
        if (!applied.New.IsCluster && applied.MovedSlots > 0 && applied.Old.AssignedSlots > 0) Refresher.RequestWhenSettled("a new primary; its replicas re-attach");
        foreach (NodeConnection connection in applied.Hung) RetireHungConnection(connection);
        if (applied.Departed is not null)
        {
            foreach (NodeConnector node in applied.Departed) _ = _nodes.RetireAsync(node, CommandTimeout);
            NodeStates.Prune(applied.New);
        }
        _blockingPool.RemoveNotOwning(applied.New);
        if (!_tables.FromServer && applied.New.AssignedSlots > 0) _ = _tables.EnsureLoadedAsync();
        if (_connectEagerly) ConnectAll(_routes.Current);
        TopologyChanged?.Invoke();
    }

    /// <summary>Opens connections to the nodes of the map now rather than on their first command (connectEagerly).</summary>
    private void ConnectAll(RouteTable routes)
    {
        for (int shard = 0; shard < routes.Primaries.Count; shard++)
        {
            ConnectQuietly(routes.Primary(shard));
            if (!_readsFromReplicas) continue;
            foreach (NodeConnector replica in routes.Replicas(shard)) ConnectQuietly(replica);
        }
    }

    private void ConnectQuietly(NodeConnector node)
    {
        if (node.Current is not null || _disposed) return;
        // A failure here is only an early attempt: the node's first command connects (or fails) on its own.
        _ = node.ConnectAsync(CancellationToken.None).ContinueWith(
            static (t, s) => Log.EagerConnectFailed(((Router)s!)._logger, t.Exception!.GetBaseException().Message),
            this, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// A primary that lost its role while silent (see <see cref="RouteState"/>): its reads are taken off the connection
    /// and sent to the new owner at once (reads are safe to send again), and then the connection is closed, so its
    /// writes fail with "may have been applied" instead of being acknowledged by a node whose data is about to be
    /// thrown away.
    /// </summary>
    private void RetireHungConnection(NodeConnection connection)
    {
        List<PendingReply> reads = connection.Detach(static r => r is Operation { Flags: var f } && (f & CommandFlags.ReadOnly) != 0);
        // Closed first: a write that may be sent again (retryIdempotentWrites) waits in the room before the reads are
        // dispatched, so a read issued after it cannot overtake it.
        connection.Abort(new RedisConnectionException($"{connection.Endpoint} stopped answering and was replaced as primary.", connection.Endpoint));
        foreach (PendingReply reply in reads)
        {
            var op = (Operation)reply;
            op.RecordTried(connection.Endpoint);
            Dispatch(op);
        }
    }
}
