using Keyslot.Testing.Internal;

namespace Keyslot.Testing;

/// <summary>Reading the cluster's own view of its topology and waiting for agreement.</summary>
public sealed partial class LocalRedisCluster
{
    /// <summary>
    /// Waits until every reachable node (alive, not frozen) reports <c>cluster_state:ok</c>, sees every other
    /// reachable node as healthy, agrees on the same slot map and primary/replica pairs, and every replica's
    /// link to its primary is up.
    /// </summary>
    /// <param name="timeout">Upper bound for the wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes once the cluster has converged.</returns>
    /// <exception cref="LocalRedisClusterTimeoutException">No convergence within <paramref name="timeout"/>; the message says what differed.</exception>
    public Task WaitForConvergenceAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Poll.UntilAsync("the cluster to converge", CheckConvergenceAsync, timeout, cancellationToken);
    }

    /// <summary>Asks the cluster which live nodes are primaries right now (refreshes <see cref="Primaries"/>).</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The live primaries, slot-less ones included, in start order.</returns>
    public async Task<IReadOnlyList<LocalRedisNode>> GetPrimariesAsync(CancellationToken cancellationToken = default)
    {
        var view = await AnyViewAsync(cancellationToken).ConfigureAwait(false);
        return PrimariesIn(view);
    }

    /// <summary>Asks the cluster which live nodes replicate <paramref name="primary"/> right now.</summary>
    /// <param name="primary">The primary.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>Its live replicas, in start order.</returns>
    public async Task<IReadOnlyList<LocalRedisNode>> GetReplicasAsync(LocalRedisNode primary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(primary);
        var view = await AnyViewAsync(cancellationToken).ConfigureAwait(false);
        var ids = view.Entries.Where(e => e.IsReplica && e.PrimaryId == primary.NodeId).Select(e => e.NodeId).ToHashSet();
        return Nodes.Where(n => n.IsAlive && ids.Contains(n.NodeId)).ToArray();
    }

    /// <summary>Asks the cluster which node owns <paramref name="slot"/> right now.</summary>
    /// <param name="slot">A hash slot, 0-16383.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The owning primary (during a migration: the node migrating the slot away).</returns>
    public async Task<LocalRedisNode> GetSlotOwnerAsync(int slot, CancellationToken cancellationToken = default)
    {
        ValidateSlot(slot);
        var view = await AnyViewAsync(cancellationToken).ConfigureAwait(false);
        var owner = view.OwnerOf(slot) ?? throw new LocalRedisClusterException($"No node owns slot {slot}.");
        return Find(owner.NodeId) ?? throw new LocalRedisClusterException($"Slot {slot} is owned by {owner.Endpoint}, which is not a node of this cluster.");
    }

    private async Task<(bool Done, string State)> CheckConvergenceAsync(CancellationToken cancellationToken)
    {
        var reachable = Nodes.Where(n => n.IsReachable).ToArray();
        if (reachable.Length == 0)
        {
            return (false, "no reachable node");
        }

        var liveIds = reachable.Select(n => n.NodeId).ToHashSet(StringComparer.Ordinal);
        var checks = await Task.WhenAll(reachable.Select(n => CheckNodeAsync(n, liveIds, cancellationToken))).ConfigureAwait(false);
        var problem = checks.FirstOrDefault(c => c.Problem is not null);
        if (problem.Problem is not null)
        {
            return (false, problem.Problem);
        }

        var signatures = checks.Select(c => c.Signature).Distinct(StringComparer.Ordinal).ToArray();
        if (signatures.Length > 1)
        {
            return (false, "nodes disagree on the topology: " + string.Join(" | ", checks.Select((c, i) => $"{reachable[i]} sees [{c.Signature}]")));
        }

        _snapshot = checks[0].View;
        return (true, "converged");
    }

    private async Task<(string? Problem, string Signature, ClusterView View)> CheckNodeAsync(LocalRedisNode node, IReadOnlySet<string> liveIds, CancellationToken cancellationToken)
    {
        var info = (await RunAsync(node, cancellationToken, "CLUSTER", "INFO").ConfigureAwait(false)).ToText();
        var view = await ViewAsync(node, cancellationToken).ConfigureAwait(false);
        var signature = view.Signature(liveIds);
        if (!info.Contains("cluster_state:ok", StringComparison.Ordinal))
        {
            return ($"{node} reports cluster_state:fail", signature, view);
        }

        foreach (var id in liveIds)
        {
            var entry = view.Find(id);
            if (entry is null || entry.IsUnhealthy)
            {
                var endpoint = Find(id)?.Endpoint ?? id;
                return ($"{node} sees {endpoint} as {(entry is null ? "unknown" : string.Join(',', entry.Flags))}", signature, view);
            }
        }

        var myself = view.Entries.FirstOrDefault(e => e.IsMyself);
        if (myself is { IsReplica: true })
        {
            var replication = (await RunAsync(node, cancellationToken, "INFO", "replication").ConfigureAwait(false)).ToText();
            if (!replication.Contains("master_link_status:up", StringComparison.Ordinal))
            {
                return ($"replica {node} has no live link to its primary yet", signature, view);
            }
        }

        return (null, signature, view);
    }

    private IReadOnlyList<LocalRedisNode> PrimariesIn(ClusterView? view)
    {
        if (view is null)
        {
            return [];
        }

        var ids = view.Entries.Where(e => e.IsPrimary).Select(e => e.NodeId).ToHashSet(StringComparer.Ordinal);
        return Nodes.Where(n => n.IsAlive && ids.Contains(n.NodeId)).ToArray();
    }

    /// <summary>CLUSTER NODES of one node, parsed.</summary>
    private async Task<ClusterView> ViewAsync(LocalRedisNode node, CancellationToken cancellationToken)
    {
        var reply = await RunAsync(node, cancellationToken, "CLUSTER", "NODES").ConfigureAwait(false);
        return ClusterView.Parse(reply.ToText());
    }

    /// <summary>CLUSTER NODES of the first reachable node (a primary if possible); refreshes the snapshot.</summary>
    private async Task<ClusterView> AnyViewAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var snapshot = _snapshot;
        var reachable = Nodes.Where(n => n.IsReachable)
            .OrderByDescending(n => snapshot?.Find(n.NodeId)?.IsPrimary == true)
            .ToArray();
        if (reachable.Length == 0)
        {
            throw new LocalRedisClusterException("No node of the cluster is reachable.");
        }

        Exception? last = null;
        foreach (var node in reachable)
        {
            try
            {
                var view = await ViewAsync(node, cancellationToken).ConfigureAwait(false);
                _snapshot = view;
                return view;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or LocalRedisClusterTimeoutException)
            {
                last = ex;
            }
        }

        throw new LocalRedisClusterException("No node answered CLUSTER NODES.", last);
    }

    /// <summary>Runs one command through the node's cached connection; error replies throw.</summary>
    private Task<RespReply> RunAsync(LocalRedisNode node, CancellationToken cancellationToken, params object[] args) =>
        node.Client.ExecuteAsync(args, _options.CommandTimeout, cancellationToken);

    private static void ValidateSlot(int slot)
    {
        if (slot is < 0 or >= SlotCount)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, "Hash slots are 0-16383.");
        }
    }
}
