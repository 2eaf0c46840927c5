using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public sealed partial class ClusterClient
{
    /// <inheritdoc/>
    public async Task<RespValue> ExecuteOnNodeAsync(NodeEndpoint node, string command, IEnumerable<RedisArgument> args, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(args);
        RedisArgument[] list = args as RedisArgument[] ?? [.. args];
        ConnectionStateGuard.ThrowIfRefused(command, list);
        ConnectionStateGuard.ThrowIfBlocking(command, list, "send it with ExecuteAsync, which runs it on a connection of the node's blocking pool");
        ThrowIfDisposed();
        return await _router.ExecuteOnNodeAsync(node, RespCommand.Create(command, list), ReplyParsers.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<NodeReply>> ExecuteOnNodesAsync(NodeSelection nodes, string command, IEnumerable<RedisArgument> args, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(args);
        RedisArgument[] list = args as RedisArgument[] ?? [.. args];
        ConnectionStateGuard.ThrowIfRefused(command, list);
        ConnectionStateGuard.ThrowIfBlocking(command, list, "send it with ExecuteAsync, which runs it on a connection of the node's blocking pool");
        ThrowIfDisposed();
        await WaitForSlotMapAsync(command, cancellationToken).ConfigureAwait(false);
        RespCommand request = RespCommand.Create(command, list);
        List<NodeEndpoint> targets = Select(nodes);
        var replies = new Task<RespValue>[targets.Count];
        for (int i = 0; i < targets.Count; i++) replies[i] = _router.ExecuteOnNodeAsync(targets[i], request, ReplyParsers.Value, cancellationToken);
        var results = new NodeReply[targets.Count];
        for (int i = 0; i < targets.Count; i++)
        {
            try
            {
                results[i] = new NodeReply(targets[i], await replies[i].ConfigureAwait(false), null);
            }
            catch (RedisException ex)
            {
                results[i] = new NodeReply(targets[i], RespValue.Null, ex);
            }
        }
        return results;
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<string> ScanAsync(string? pattern = null, int pageSize = 250, string? type = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ThrowIfDisposed();
        return new ClusterScanner(this, _router).ScanAsync(pattern, pageSize, type, ClusterScanner.AsText, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<RedisKey> ScanKeysAsync(string? pattern = null, int pageSize = 250, string? type = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ThrowIfDisposed();
        return new ClusterScanner(this, _router).ScanAsync(pattern, pageSize, type, ClusterScanner.AsKey, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<string> ScanNodeAsync(NodeEndpoint node, string? pattern = null, int pageSize = 250, string? type = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ThrowIfDisposed();
        return new ClusterScanner(this, _router).ScanNodeAsync(node, pattern, pageSize, type, ClusterScanner.AsText, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask<long> DatabaseSizeAsync(CancellationToken cancellationToken = default) =>
        FanOutAggregator.Aggregate("DBSIZE", "agg_sum", await ExecuteOnNodesAsync(NodeSelection.AllPrimaries, "DBSIZE", [], cancellationToken).ConfigureAwait(false)).AsInt64();

    /// <summary>
    /// Runs a command whose <c>request_policy</c> tip sends it to every shard or node (DBSIZE, KEYS, FLUSHALL, PING,
    /// SCRIPT LOAD/EXISTS/FLUSH, CONFIG SET…) and merges the replies by its <c>response_policy</c>.
    /// </summary>
    private async ValueTask<RespValue> FanOutAsync(string command, RedisArgument[] args, CommandInfo info, CancellationToken cancellationToken)
    {
        NodeSelection nodes = info.RequestPolicy == "all_nodes" ? NodeSelection.AllNodes : NodeSelection.AllPrimaries;
        IReadOnlyList<NodeReply> replies = await ExecuteOnNodesAsync(nodes, command, args, cancellationToken).ConfigureAwait(false);
        return FanOutAggregator.Aggregate(command.ToUpperInvariant(), info.ResponsePolicy, replies);
    }

    /// <summary>Per-node work needs the node list: before the first slot map arrives, wait for it within the command timeout.</summary>
    private async ValueTask WaitForSlotMapAsync(string command, CancellationToken cancellationToken)
    {
        if (_router.CurrentMap.AssignedSlots > 0) return;
        try
        {
            await _router.WhenRoutableAsync(cancellationToken).WaitAsync(_router.CommandTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new RedisTimeoutException(command.ToUpperInvariant(), _options.Endpoints[0], -1, _router.CommandTimeout, 0,
                _router.Refresher.LastFailure?.Message ?? "no slot map has been read from the cluster yet");
        }
    }

    private List<NodeEndpoint> Select(NodeSelection nodes)
    {
        var targets = new List<NodeEndpoint>();
        foreach (ClusterShard shard in _router.CurrentMap.Shards)
        {
            if (nodes != NodeSelection.AllReplicas && !shard.Primary.IsFailed) targets.Add(shard.Primary.Endpoint);
            if (nodes == NodeSelection.AllPrimaries) continue;
            foreach (ClusterNodeInfo replica in shard.Replicas)
            {
                if (!replica.IsFailed) targets.Add(replica.Endpoint);
            }
        }
        return targets;
    }
}
