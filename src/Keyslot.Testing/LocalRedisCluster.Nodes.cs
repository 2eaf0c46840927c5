using Keyslot.Testing.Internal;

namespace Keyslot.Testing;

/// <summary>Starting single nodes and adding or removing them.</summary>
public sealed partial class LocalRedisCluster
{
    private const int StartAttempts = 3;

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

    /// <summary>
    /// Starts one redis-server (retrying on other ports if the chosen ones were taken meanwhile) and waits until it
    /// answers. At most <see cref="StartParallelism"/> nodes are between spawn and first answer at once, so a large
    /// cluster's processes do not all fight for the CPU while they load.
    /// </summary>
    private async Task<LocalRedisNode> StartNodeAsync(CancellationToken cancellationToken)
    {
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await StartNodeUngatedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _startGate.Release();
        }
    }

    private async Task<LocalRedisNode> StartNodeUngatedAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (port, busPort) = PortAllocator.Allocate(_options.FirstPort, _options.LastPort);
            var directory = _run.CreateNodeDirectory(port);
            NodeConfigWriter.Write(directory, port, busPort, _options, Tls);
            var process = NodeProcess.Start(_redisServerPath, port, busPort, directory);
            var client = new NodeClient($"{NodeProcess.Host}:{port}", () => DefaultFactory(port));
            try
            {
                var nodeId = await WaitUntilAnsweringAsync(process, client, cancellationToken).ConfigureAwait(false);
                var node = new LocalRedisNode(process, client, nodeId);
                lock (_sync)
                {
                    _nodes.Add(node);
                }

                return node;
            }
            catch (Exception ex)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                var tail = process.Tail();
                await process.StopAsync(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
                if (ex is LocalRedisNodeStartException && tail.Contains("Address already in use", StringComparison.Ordinal) && attempt < StartAttempts)
                {
                    continue; // Another program took a port between the bind test and the start: keep the reservation, pick others.
                }

                PortAllocator.Release(port, busPort);
                if (ex is LocalRedisNodeStartException or OperationCanceledException)
                {
                    throw;
                }

                throw new LocalRedisNodeStartException(port, ex.Message, tail, ex);
            }
        }
    }

    private async Task<string> WaitUntilAnsweringAsync(NodeProcess process, NodeClient client, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_options.OperationTimeout);
        Exception? last = null;
        var delay = 5;
        while (true)
        {
            if (!process.IsAlive)
            {
                throw new LocalRedisNodeStartException(process.Port, "the process exited", process.Tail());
            }

            try
            {
                var reply = await client.ExecuteAsync(["CLUSTER", "MYID"], TimeSpan.FromSeconds(2), cts.Token).ConfigureAwait(false);
                return reply.ToText();
            }
            catch (LocalRedisCommandException ex)
            {
                throw new LocalRedisNodeStartException(process.Port, ex.Message, process.Tail(), ex);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or LocalRedisClusterTimeoutException)
            {
                last = ex;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LocalRedisNodeStartException(process.Port, $"it did not answer within {_options.OperationTimeout.TotalSeconds:0} s", process.Tail(), last);
            }

            try
            {
                await Task.Delay(delay, cts.Token).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 100); // a loaded machine needs a while; don't hammer the port meanwhile
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LocalRedisNodeStartException(process.Port, $"it did not answer within {_options.OperationTimeout.TotalSeconds:0} s", process.Tail(), last);
            }
        }
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
