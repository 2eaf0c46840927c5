namespace Keyslot.Testing.Internal;

/// <summary>
/// Starts and stops the redis-server nodes of one <see cref="LocalRedisCluster"/> or <see cref="LocalRedisServer"/>:
/// ports, redis.conf, the process and its <see cref="NodeClient"/>, the wait until it answers, and the clean-up when
/// it does not. At most <see cref="StartParallelism"/> nodes are between spawn and first answer at once, so a large
/// cluster's processes do not all fight for the CPU while they load.
/// </summary>
internal sealed class NodeLauncher : IDisposable
{
    private const int StartAttempts = 3;
    private static readonly int StartParallelism = Math.Max(4, 2 * Environment.ProcessorCount);

    private readonly string _redisServerPath;
    private readonly RunDirectory _run;
    private readonly LocalRedisClusterOptions _options;
    private readonly LocalRedisTls? _tls;
    private readonly bool _cluster;
    private readonly SemaphoreSlim _startGate = new(StartParallelism, StartParallelism);

    /// <summary>A launcher for the nodes of one cluster or server; every node gets a directory in <paramref name="run"/>.</summary>
    /// <param name="redisServerPath">The redis-server executable.</param>
    /// <param name="run">The run directory holding one directory per node.</param>
    /// <param name="options">Timeouts, port range, credentials and extra config for every node.</param>
    /// <param name="tls">TLS material, or null for plain TCP.</param>
    /// <param name="cluster">
    /// True for cluster nodes (a node answers <c>CLUSTER MYID</c> and is known by its node id); false for nodes
    /// without cluster mode (known by the <c>run_id</c> of <c>INFO server</c>).
    /// </param>
    public NodeLauncher(string redisServerPath, RunDirectory run, LocalRedisClusterOptions options, LocalRedisTls? tls, bool cluster)
    {
        _redisServerPath = redisServerPath;
        _run = run;
        _options = options;
        _tls = tls;
        _cluster = cluster;
    }

    /// <summary>A connection factory for the node on <paramref name="port"/>, with the default credentials and TLS.</summary>
    public RespConnectionFactory DefaultFactory(int port) =>
        new(NodeProcess.Host, port, _tls, null, _options.DefaultUserPassword);

    /// <summary>
    /// Starts one redis-server (retrying on other ports if the chosen ones were taken meanwhile) and waits until it
    /// answers; on failure nothing is left running and its ports are free again.
    /// </summary>
    public async Task<LocalRedisNode> StartAsync(CancellationToken cancellationToken)
    {
        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await StartUngatedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _startGate.Release();
        }
    }

    /// <summary>Closes the node's client, stops its process (SIGTERM, SIGKILL after 1 s) and frees its ports.</summary>
    public static async Task StopAsync(LocalRedisNode node)
    {
        await node.Client.DisposeAsync().ConfigureAwait(false);
        await node.Process.StopAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        PortAllocator.Release(node.Port, node.Process.BusPort);
    }

    /// <inheritdoc/>
    public void Dispose() => _startGate.Dispose();

    private async Task<LocalRedisNode> StartUngatedAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // A node without cluster mode binds no bus port; reserving one anyway keeps one allocation scheme.
            var (port, busPort) = PortAllocator.Allocate(_options.FirstPort, _options.LastPort);
            var directory = _run.CreateNodeDirectory(port);
            NodeConfigWriter.Write(directory, port, _cluster ? busPort : null, _options, _tls, _cluster);
            var process = NodeProcess.Start(_redisServerPath, port, busPort, directory);
            var client = new NodeClient($"{NodeProcess.Host}:{port}", () => DefaultFactory(port));
            try
            {
                var id = await WaitUntilAnsweringAsync(process, client, cancellationToken).ConfigureAwait(false);
                return new LocalRedisNode(process, client, id);
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

    /// <summary>Asks the node who it is until it answers: its node id, or its run id without cluster mode.</summary>
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
                return await AskIdentityAsync(process, client, cts.Token).ConfigureAwait(false);
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
                throw NotAnswering(process, last);
            }

            try
            {
                await Task.Delay(delay, cts.Token).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 100); // a loaded machine needs a while; don't hammer the port meanwhile
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw NotAnswering(process, last);
            }
        }
    }

    private async Task<string> AskIdentityAsync(NodeProcess process, NodeClient client, CancellationToken cancellationToken)
    {
        if (_cluster)
        {
            return (await client.ExecuteAsync(["CLUSTER", "MYID"], TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false)).ToText();
        }

        var info = (await client.ExecuteAsync(["INFO", "server"], TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false)).ToText();
        foreach (var line in info.Split('\n'))
        {
            if (line.StartsWith("run_id:", StringComparison.Ordinal))
            {
                return line[7..].Trim();
            }
        }

        throw new LocalRedisCommandException($"{NodeProcess.Host}:{process.Port}", "INFO server", "the reply has no run_id line");
    }

    private LocalRedisNodeStartException NotAnswering(NodeProcess process, Exception? last) =>
        new(process.Port, $"it did not answer within {_options.OperationTimeout.TotalSeconds:0} s", process.Tail(), last);
}
