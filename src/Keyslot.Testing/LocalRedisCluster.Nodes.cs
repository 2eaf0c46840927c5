using Keyslot.Testing.Internal;

namespace Keyslot.Testing;

/// <summary>Starting single nodes and adding or removing them.</summary>
public sealed partial class LocalRedisCluster
{
    /// <summary>Starts a new empty primary, joins it to the cluster (no slots) and waits for convergence.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new primary.</returns>
    public async Task<LocalRedisNode> AddPrimaryAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var node = await StartNodeAsync(cancellationToken).ConfigureAwait(false);
        await MeetAsync(node, cancellationToken).ConfigureAwait(false);
        await WaitForConvergenceAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        return node;
    }

    /// <summary>Starts a new node, joins it and makes it a replica of <paramref name="primary"/>; waits until it is in sync.</summary>
    /// <param name="primary">The primary to replicate.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new replica.</returns>
    public async Task<LocalRedisNode> AddReplicaAsync(LocalRedisNode primary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ThrowIfDisposed();
        var node = await StartNodeAsync(cancellationToken).ConfigureAwait(false);
        await MeetAsync(node, cancellationToken).ConfigureAwait(false);
        await ReplicateAsync(node, primary, cancellationToken).ConfigureAwait(false);
        await WaitForConvergenceAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        return node;
    }

    /// <summary>
    /// Removes a node the way <c>redis-cli --cluster del-node</c> does: its replicas are re-pointed to another
    /// primary, every other node runs <c>CLUSTER FORGET</c>, then the process is stopped and its port freed.
    /// Works for killed nodes too.
    /// </summary>
    /// <param name="node">The node; a primary must own no slots (move them away first).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the remaining nodes have converged without it.</returns>
    /// <exception cref="InvalidOperationException">The node is a primary that still owns slots.</exception>
    public async Task RemoveNodeAsync(LocalRedisNode node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ThrowIfDisposed();
        var others = Nodes.Where(n => n != node && n.IsReachable).ToList();
        if (others.Count == 0)
        {
            throw new InvalidOperationException("Cannot remove the last reachable node of the cluster.");
        }

        var view = await ViewAsync(others[0], cancellationToken).ConfigureAwait(false);
        var entry = view.Find(node.NodeId);
        if (entry is { IsPrimary: true, SlotCount: > 0 })
        {
            throw new InvalidOperationException($"{node} still owns {entry.SlotCount} slots; move them away (MoveSlotsAsync) before removing it.");
        }

        var orphans = view.Entries.Where(e => e.PrimaryId == node.NodeId).Select(e => Find(e.NodeId)).OfType<LocalRedisNode>().Where(n => n.IsReachable).ToList();
        foreach (var orphan in orphans)
        {
            var target = view.Entries.Where(e => e.IsPrimary && e.SlotCount > 0 && e.NodeId != node.NodeId && Find(e.NodeId) is { IsReachable: true })
                .OrderBy(e => view.Entries.Count(r => r.PrimaryId == e.NodeId)).FirstOrDefault()
                ?? throw new InvalidOperationException($"No other primary with slots can adopt {orphan}, the replica of {node}.");
            await RunAsync(orphan, cancellationToken, "CLUSTER", "REPLICATE", target.NodeId).ConfigureAwait(false);
        }

        await Task.WhenAll(others.Select(async other =>
        {
            var reply = await other.Client.ExecuteRawAsync(["CLUSTER", "FORGET", node.NodeId], _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            if (reply.IsError && !reply.Text!.Contains("Unknown node", StringComparison.OrdinalIgnoreCase))
            {
                throw new LocalRedisCommandException(other.Endpoint, "CLUSTER FORGET", reply.Text);
            }
        })).ConfigureAwait(false);

        await StopNodeAsync(node).ConfigureAwait(false);
        lock (_sync)
        {
            _nodes.Remove(node);
        }

        await WaitForConvergenceAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task<LocalRedisNode> StartNodeAsync(CancellationToken cancellationToken)
    {
        var node = await _launcher.StartAsync(cancellationToken).ConfigureAwait(false);
        lock (_sync)
        {
            _nodes.Add(node);
        }

        return node;
    }

    /// <summary>Introduces a new node to the cluster through one reachable member and waits until every node knows it.</summary>
    private async Task MeetAsync(LocalRedisNode node, CancellationToken cancellationToken)
    {
        var member = Nodes.FirstOrDefault(n => n != node && n.IsReachable)
            ?? throw new InvalidOperationException("The cluster has no reachable node to meet.");
        await RunAsync(node, cancellationToken, "CLUSTER", "MEET", member.Host, member.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), member.BusPort.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends CLUSTER REPLICATE, repeating it while <paramref name="replica"/> answers "Unknown node" (it has not
    /// finished its handshake with <paramref name="primary"/> yet). Cheaper than reading CLUSTER NODES in a loop:
    /// one short command per try, whatever the cluster's size.
    /// </summary>
    private async Task ReplicateAsync(LocalRedisNode replica, LocalRedisNode primary, CancellationToken cancellationToken)
    {
        await Poll.UntilAsync(
            $"{replica} to learn about its primary {primary}",
            async ct =>
            {
                var reply = await replica.Client.ExecuteRawAsync(["CLUSTER", "REPLICATE", primary.NodeId], _options.CommandTimeout, ct).ConfigureAwait(false);
                if (!reply.IsError)
                {
                    return (true, "replicating");
                }

                if (reply.Text!.Contains("Unknown node", StringComparison.OrdinalIgnoreCase))
                {
                    return (false, reply.Text);
                }

                throw new LocalRedisCommandException(replica.Endpoint, "CLUSTER REPLICATE", reply.Text);
            },
            _options.OperationTimeout,
            cancellationToken,
            PollInterval).ConfigureAwait(false);
    }

    private LocalRedisNode? Find(string nodeId)
    {
        lock (_sync)
        {
            return _nodes.FirstOrDefault(n => n.NodeId == nodeId);
        }
    }
}
