using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Topology;
using Microsoft.Extensions.Logging;

namespace Keyslot.Routing;

/// <summary>
/// Where slot maps come from: one read of <c>CLUSTER SHARDS</c> (or <c>CLUSTER SLOTS</c> before Redis 7) from one
/// node, used both for the first map (asked of the configuration endpoints at connect) and by the
/// <see cref="TopologyRefresher"/> for every later one, so both take one path. A server without cluster mode is
/// read with ROLE instead (see the NonCluster part), into a map of one shard that holds every slot.
/// </summary>
internal sealed partial class TopologySource : IAsyncDisposable
{
    private readonly NodeRegistry _nodes;
    private readonly RouteState _routes;
    private readonly Action<SlotMap, string> _apply;
    private readonly CommandTableLoader _tables;
    private readonly IReadOnlyList<NodeEndpoint> _seeds;
    private readonly bool _ssl;
    private readonly ILogger _logger;
    private volatile bool _disposed;

    /// <param name="options">Seeds, connect retries, refresh intervals.</param>
    /// <param name="nodes">Connectors to ask.</param>
    /// <param name="routes">The routes the maps replace.</param>
    /// <param name="apply">Applies a map that arrived (with the reason, for the log).</param>
    /// <param name="tables">Loaded once the first map arrives.</param>
    /// <param name="ssl">Whether the topology's TLS ports are the ones to use.</param>
    /// <param name="logger">Where failures are logged.</param>
    public TopologySource(ClusterOptions options, NodeRegistry nodes, RouteState routes, Action<SlotMap, string> apply, CommandTableLoader tables, bool ssl, ILogger logger)
    {
        _nodes = nodes;
        _routes = routes;
        _apply = apply;
        _tables = tables;
        _seeds = [.. options.Endpoints];
        _ssl = ssl;
        _logger = logger;
        Refresher = new TopologyRefresher(FetchAsync, () => routes.Map, apply, nodes.IsSuspect, _seeds,
            options.MinTopologyRefreshInterval, TimeSpan.FromMilliseconds(Math.Min(1000, options.CommandTimeout.TotalMilliseconds)), logger);
    }

    /// <summary>Coalesced, rate-limited refreshes of the map.</summary>
    public TopologyRefresher Refresher { get; }

    /// <summary>Loads the first topology from the configuration endpoints and the command table from the cluster.</summary>
    public async Task InitializeAsync(ClusterOptions options, CancellationToken cancellationToken)
    {
        Exception? last = null;
        for (int round = 0; round <= Math.Max(0, options.ConnectRetry - 1) && _routes.Map.AssignedSlots == 0; round++)
        {
            if (round > 0) await Task.Delay(Backoff.Reconnect(round), cancellationToken).ConfigureAwait(false);
            foreach (NodeEndpoint seed in _seeds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
                try
                {
                    SlotMap map = await FetchAsync(seed, cancellationToken).ConfigureAwait(false);
                    if (map.AssignedSlots == 0) throw new RedisException($"{seed} is a cluster node but owns no slots and knows no owners (is the cluster formed?).");
                    _apply(map, "connect");
                    break;
                }
                catch (RedisAuthenticationException)
                {
                    throw; // the same credentials will fail everywhere: no retry storm
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    last = ex;
                    Log.TopologySourceFailed(_logger, seed, ex.Message, ex);
                }
            }
        }
        if (_routes.Map.AssignedSlots == 0)
        {
            var error = new RedisConnectionException($"Could not read the cluster topology from {string.Join(", ", _seeds)}: {last?.Message}", _seeds[0], false, last);
            if (options.AbortOnConnectFail) throw error;
            Log.TopologyRefreshFailed(_logger, "connect", error);
        }
        else
        {
            await _tables.EnsureLoadedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        Refresher.StartPeriodic(options.TopologyRefreshInterval);
    }

    /// <summary>Completes once the map assigns slots; asks for refreshes (rate-limited) while it does not.</summary>
    public async Task WhenRoutableAsync(CancellationToken cancellationToken)
    {
        while (_routes.Map.AssignedSlots == 0)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
            // Refused credentials will not start working by waiting: say so instead of waiting forever.
            if (Refresher.LastFailure?.InnerException is RedisAuthenticationException refused) throw refused;
            Task wait = _routes.DelayOrChangedAsync(TimeSpan.FromMilliseconds(250), cancellationToken);
            Refresher.Request("waiting for the first slot map");
            await wait.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Reads the topology from one node: CLUSTER SHARDS, or CLUSTER SLOTS where SHARDS is unknown (before Redis 7), or
    /// ROLE once a server has said it has no cluster mode.
    /// </summary>
    private async Task<SlotMap> FetchAsync(NodeEndpoint source, CancellationToken cancellationToken)
    {
        if (_nonCluster) return await FetchNonClusterAsync(source, cancellationToken).ConfigureAwait(false);
        NodeConnector node = _nodes.Get(source);
        try
        {
            RespValue shards = await node.SendDirectAsync(RespCommand.Create("CLUSTER", "SHARDS"), WholeReply.Parser, cancellationToken).ConfigureAwait(false);
            return SlotMap.Build(TopologyParser.ParseShards(shards, _ssl, source));
        }
        catch (RedisServerException ex) when (ex.Kind == RedisErrorKind.UnknownCommand || ex.ServerMessage.Contains("Unknown subcommand", StringComparison.OrdinalIgnoreCase))
        {
            RespValue slots = await node.SendDirectAsync(RespCommand.Create("CLUSTER", "SLOTS"), WholeReply.Parser, cancellationToken).ConfigureAwait(false);
            return SlotMap.Build(TopologyParser.ParseSlots(slots, source));
        }
        catch (RedisServerException ex) when (RedisErrorClassifier.IsClusterSupportDisabled(ex.ServerMessage))
        {
            _nonCluster = true;
            Log.NonClusterServer(_logger, source);
            return await FetchNonClusterAsync(source, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return Refresher.DisposeAsync();
    }
}
