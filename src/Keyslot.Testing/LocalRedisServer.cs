using System.Globalization;
using Keyslot.Testing.Internal;

namespace Keyslot.Testing;

/// <summary>
/// Local <c>redis-server</c> processes without cluster mode: a single server, or a primary with replicas attached by
/// <c>REPLICAOF</c> (what ElastiCache calls "cluster mode disabled"). Every node binds 127.0.0.1 on a free port in its
/// own temp directory; dispose to stop the processes (by pid) and delete the directories.
/// </summary>
public sealed class LocalRedisServer : IAsyncDisposable
{
    private readonly LocalRedisClusterOptions _options = new();
    private readonly NodeLauncher _launcher;
    private readonly RunDirectory _run;
    private readonly List<LocalRedisNode> _nodes = [];
    private LocalRedisNode? _primary;
    private int _disposed;

    private LocalRedisServer(string redisServerPath, RunDirectory run)
    {
        _run = run;
        _launcher = new NodeLauncher(redisServerPath, run, _options, tls: null, cluster: false);
    }

    /// <summary>The node that is primary now (the first one started, until <see cref="FailoverAsync"/>).</summary>
    public LocalRedisNode Primary => _primary ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Every node, in the order started.</summary>
    public IReadOnlyList<LocalRedisNode> Nodes => [.. _nodes];

    /// <summary>The nodes that replicate <see cref="Primary"/>.</summary>
    public IReadOnlyList<LocalRedisNode> Replicas => [.. _nodes.Where(n => n != _primary)];

    /// <summary>The primary's endpoint, as an application would be configured with it (e.g. <c>127.0.0.1:7001</c>).</summary>
    public string ConfigurationString => Primary.Endpoint;

    /// <summary>Starts one server, plus <paramref name="replicas"/> replicas of it, and waits until every replica is in sync.</summary>
    /// <param name="replicas">Replicas to attach; 0 for a single server.</param>
    /// <param name="cancellationToken">Cancels the start (started processes are then stopped).</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    /// <exception cref="RedisServerNotFoundException">redis-server is not installed.</exception>
    /// <exception cref="LocalRedisNodeStartException">A node did not start (the message has its log tail).</exception>
    public static async Task<LocalRedisServer> StartAsync(int replicas = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("LocalRedisServer needs Linux or macOS (it runs redis-server and signals it by pid).");
        }

        var redisServer = RedisServerLocator.Locate(null);
        var root = RunDirectory.DefaultRoot;
        OrphanSweeper.Sweep(root);
        var server = new LocalRedisServer(redisServer, RunDirectory.Create(root));
        try
        {
            var nodes = await Task.WhenAll(Enumerable.Range(0, replicas + 1).Select(_ => server.StartNodeAsync(cancellationToken))).ConfigureAwait(false);
            server._primary = nodes[0];
            foreach (var replica in nodes.Skip(1))
            {
                await server.RunAsync(replica, cancellationToken, "REPLICAOF", nodes[0].Host, nodes[0].Port.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            }

            await server.WaitForReplicasAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Opens a connection of your own to one node, for commands that must come from a separate client (a write that
    /// another client's tracking should see, a command that blocks while the server is paused).
    /// </summary>
    /// <param name="node">The node to connect to.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>An open connection; dispose it.</returns>
    public async Task<LocalRedisConnection> ConnectAsync(LocalRedisNode node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_options.CommandTimeout);
        var connection = await _launcher.DefaultFactory(node.Port).OpenAsync(cts.Token).ConfigureAwait(false);
        return new LocalRedisConnection(connection, node.Endpoint, _options.CommandTimeout);
    }

    /// <summary>Runs a command on one node and renders the reply as text.</summary>
    /// <param name="node">The node to ask.</param>
    /// <param name="args">The command and its arguments.</param>
    /// <returns>The reply as text: arrays flattened and newline-joined, nil as an empty string.</returns>
    /// <exception cref="LocalRedisCommandException">The node answered with an error.</exception>
    public async Task<string> ExecuteAsync(LocalRedisNode node, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(node);
        return (await node.Client.ExecuteAsync(args, _options.CommandTimeout, CancellationToken.None).ConfigureAwait(false)).ToText();
    }

    /// <summary>
    /// A manual failover, as an operator does it: <c>REPLICAOF NO ONE</c> on <paramref name="newPrimary"/>, then every
    /// other node (the old primary included) <c>REPLICAOF</c> it; waits until every replica is in sync again.
    /// </summary>
    /// <param name="newPrimary">A replica to promote.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the replicas follow the new primary.</returns>
    /// <exception cref="ArgumentException"><paramref name="newPrimary"/> is the primary already, or not one of <see cref="Nodes"/>.</exception>
    public async Task FailoverAsync(LocalRedisNode newPrimary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newPrimary);
        if (newPrimary == _primary || !_nodes.Contains(newPrimary))
        {
            throw new ArgumentException($"{newPrimary} is not a replica of this server.", nameof(newPrimary));
        }

        await RunAsync(newPrimary, cancellationToken, "REPLICAOF", "NO", "ONE").ConfigureAwait(false);
        _primary = newPrimary;
        foreach (var node in _nodes.Where(n => n != newPrimary && n.IsReachable))
        {
            await RunAsync(node, cancellationToken, "REPLICAOF", newPrimary.Host, newPrimary.Port.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        await WaitForReplicasAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops every node (SIGTERM, then SIGKILL after a short grace) and deletes the run directory. Idempotent.</summary>
    /// <returns>A task that completes when the processes are gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(_nodes.Select(NodeLauncher.StopAsync)).ConfigureAwait(false);
        _nodes.Clear();
        _run.Delete();
        _launcher.Dispose();
    }

    private Task<RespReply> RunAsync(LocalRedisNode node, CancellationToken cancellationToken, params string[] args) =>
        node.Client.ExecuteAsync(args, _options.CommandTimeout, cancellationToken);

    /// <summary>Until the primary lists every other reachable node as an online replica.</summary>
    private Task WaitForReplicasAsync(CancellationToken cancellationToken)
    {
        int expected = _nodes.Count(n => n != _primary && n.IsReachable);
        return Poll.UntilAsync(
            $"{expected} replica(s) of {Primary} to be online",
            async ct =>
            {
                var info = (await RunAsync(Primary, ct, "INFO", "replication").ConfigureAwait(false)).ToText();
                int online = info.Split('\n').Count(line => line.StartsWith("slave", StringComparison.Ordinal) && line.Contains("state=online", StringComparison.Ordinal));
                return (online == expected, info);
            },
            _options.OperationTimeout,
            cancellationToken);
    }

    private async Task<LocalRedisNode> StartNodeAsync(CancellationToken cancellationToken)
    {
        var node = await _launcher.StartAsync(cancellationToken).ConfigureAwait(false);
        lock (_nodes)
        {
            _nodes.Add(node);
        }

        return node;
    }
}
