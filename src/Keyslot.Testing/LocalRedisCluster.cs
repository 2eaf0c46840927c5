using Keyslot.Testing.Internal;

namespace Keyslot.Testing;

/// <summary>
/// A real Redis Cluster made of local <c>redis-server</c> processes (no Docker), for integration tests:
/// start it, reshard it live, add and remove nodes, kill or freeze nodes and wait for failover.
/// Every node binds 127.0.0.1 on free ports (random ones, or from <see cref="LocalRedisClusterOptions.FirstPort"/>-<see cref="LocalRedisClusterOptions.LastPort"/>) and lives in its own temp directory; dispose the cluster
/// to stop the processes and delete the directories.
/// </summary>
/// <example>
/// <code>
/// await using var cluster = await LocalRedisCluster.StartAsync();
/// var client = Connect(cluster.ConfigurationString);
/// </code>
/// </example>
public sealed partial class LocalRedisCluster : IAsyncDisposable
{
    /// <summary>Number of hash slots in a Redis Cluster.</summary>
    public const int SlotCount = 16384;

    private readonly LocalRedisClusterOptions _options;
    private readonly RunDirectory _run;
    private readonly List<LocalRedisNode> _nodes = [];
    private readonly Lock _sync = new();
    private readonly NodeLauncher _launcher;
    private ClusterView? _snapshot;
    private LocalRedisNode? _laggard;
    private long _lastNudge;
    private Dictionary<string, string>? _selfDescriptions;
    private int _disposed;

    private LocalRedisCluster(LocalRedisClusterOptions options, string redisServerPath, RunDirectory run, LocalRedisTls? tls)
    {
        _options = options;
        _run = run;
        Tls = tls;
        _launcher = new NodeLauncher(redisServerPath, run, options, tls, cluster: true);
    }

    /// <summary>The cluster's nodes, in the order they were started (killed nodes stay until removed).</summary>
    public IReadOnlyList<LocalRedisNode> Nodes
    {
        get
        {
            lock (_sync)
            {
                return _nodes.ToArray();
            }
        }
    }

    /// <summary>
    /// Live primaries as the cluster reported them at the last topology check (start, moves, failover waits and
    /// convergence waits refresh it). Use <see cref="GetPrimariesAsync"/> to ask the cluster right now.
    /// </summary>
    public IReadOnlyList<LocalRedisNode> Primaries => PrimariesIn(_snapshot);

    /// <summary>
    /// A StackExchange.Redis-style configuration string: the endpoints of all reachable nodes, then
    /// <c>ssl=true,sslHost=localhost</c> for TLS clusters and <c>password=…</c> when the default user has one.
    /// </summary>
    public string ConfigurationString
    {
        get
        {
            var parts = Nodes.Where(n => n.IsReachable).Select(n => n.Endpoint).ToList();
            if (Tls is not null)
            {
                parts.Add("ssl=true");
                parts.Add("sslHost=" + Tls.ServerName);
            }

            if (_options.DefaultUserPassword is not null)
            {
                parts.Add("password=" + _options.DefaultUserPassword);
            }

            return string.Join(',', parts);
        }
    }

    /// <summary>The TLS material (CA and server name) for TLS clusters; null otherwise.</summary>
    public LocalRedisTls? Tls { get; }

    /// <summary>The run directory holding every node's directory and <c>owner.pid</c>.</summary>
    public string RunDirectoryPath => _run.Path;

    /// <summary>
    /// Starts a cluster: sweeps orphaned runs of dead test processes, starts the nodes, assigns the slots evenly,
    /// meets the nodes, attaches replicas and waits until every node reports <c>cluster_state:ok</c> with the same
    /// slot map and every replica's link is up.
    /// </summary>
    /// <param name="options">Shape of the cluster; null means 3 primaries with 1 replica each.</param>
    /// <param name="cancellationToken">Cancels the start (started processes are then stopped).</param>
    /// <returns>The running cluster; dispose it to stop it.</returns>
    /// <exception cref="RedisServerNotFoundException">redis-server is not installed.</exception>
    /// <exception cref="LocalRedisNodeStartException">A node did not start (the message has its log tail).</exception>
    /// <exception cref="LocalRedisClusterTimeoutException">The cluster did not converge in time.</exception>
    public static async Task<LocalRedisCluster> StartAsync(LocalRedisClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalRedisClusterOptions();
        options.Validate();
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("LocalRedisCluster needs Linux or macOS (it runs redis-server and signals it by pid).");
        }

        var redisServer = RedisServerLocator.Locate(options.RedisServerPath);
        var root = options.RootDirectory ?? RunDirectory.DefaultRoot;
        OrphanSweeper.Sweep(root);
        var run = RunDirectory.Create(root);
        var tls = options.Tls ? CertificateAuthority.Create(Path.Combine(run.Path, "tls")) : null;
        var cluster = new LocalRedisCluster(options, redisServer, run, tls);
        try
        {
            await cluster.FormAsync(cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a command on one node over a fresh connection and renders the reply as text.</summary>
    /// <param name="node">The node to ask.</param>
    /// <param name="args">The command and its arguments, e.g. <c>"CLUSTER", "INFO"</c>.</param>
    /// <returns>The reply as text: arrays flattened and newline-joined, nil as an empty string.</returns>
    /// <exception cref="LocalRedisCommandException">The node answered with an error.</exception>
    public Task<string> ExecuteAsync(LocalRedisNode node, params string[] args) => ExecuteAsync(node, args, CancellationToken.None);

    /// <summary>Runs a command on one node over a fresh connection and renders the reply as text.</summary>
    /// <param name="node">The node to ask.</param>
    /// <param name="args">The command and its arguments.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The reply as text: arrays flattened and newline-joined, nil as an empty string.</returns>
    /// <exception cref="LocalRedisCommandException">The node answered with an error.</exception>
    public async Task<string> ExecuteAsync(LocalRedisNode node, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(node, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(args, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a connection of your own to one node (TLS applied), authenticated as <paramref name="user"/> with
    /// <paramref name="password"/>, or with the cluster's default credentials when both are null.
    /// </summary>
    /// <param name="node">The node to connect to.</param>
    /// <param name="user">ACL user name; null means <c>AUTH password</c> for the default user.</param>
    /// <param name="password">The password; null with a null user means the cluster's default credentials.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>An open connection; dispose it.</returns>
    /// <exception cref="LocalRedisCommandException">The login was refused (e.g. <c>WRONGPASS</c>).</exception>
    public async Task<LocalRedisConnection> ConnectAsync(LocalRedisNode node, string? user = null, string? password = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        var factory = user is null && password is null
            ? DefaultFactory(node.Port)
            : new RespConnectionFactory(NodeProcess.Host, node.Port, Tls, user, password ?? string.Empty);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_options.CommandTimeout);
        var connection = await factory.OpenAsync(cts.Token).ConfigureAwait(false);
        return new LocalRedisConnection(connection, node.Endpoint, _options.CommandTimeout);
    }

    /// <summary>
    /// Stops every node (SIGTERM, then SIGKILL after a short grace) and deletes the run directory. Idempotent.
    /// </summary>
    /// <returns>A task that completes when the processes are gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var nodes = Nodes;
        await Task.WhenAll(nodes.Select(StopNodeAsync)).ConfigureAwait(false);
        lock (_sync)
        {
            _nodes.Clear();
        }

        _run.Delete();
        Tls?.Dispose();
        _launcher.Dispose();
    }

    private RespConnectionFactory DefaultFactory(int port) => _launcher.DefaultFactory(port);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static Task StopNodeAsync(LocalRedisNode node) => NodeLauncher.StopAsync(node);

    /// <summary>
    /// The pause between two checks of a bounded wait: 25 ms for small clusters, growing with the node count (capped at
    /// 500 ms) because one check of a large cluster asks every node and parses every node's CLUSTER NODES.
    /// </summary>
    private int PollInterval => Math.Clamp(Nodes.Count * 3, 25, 500);
}
