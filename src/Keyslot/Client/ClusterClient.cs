using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.PubSub;
using Keyslot.Routing;
using Keyslot.Slots;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keyslot;

/// <summary>
/// A Redis Cluster client: one pipelined connection per node, each command sent straight to the node that owns its
/// keys' slot, MOVED and ASK followed without the caller noticing. Thread-safe; create one per cluster and share it
/// for the application's lifetime.
/// </summary>
public sealed partial class ClusterClient : RedisCommands, IClusterClient, IDisposable
{
    private readonly Router _router;
    private readonly ClusterOptions _options;
    private readonly ReadPolicy _readPolicy;
    private readonly ClusterClient? _owner;          // set on views made by WithReadPolicy: they share the owner's router
    private readonly ClusterClient?[] _views;
    private readonly PubSubHub _pubSub;             // one per client: views share the owner's
    private readonly ClientSideCache.ClientCache? _cache;   // null when the cache is off, or on the view made by WithoutClientCache
    private ClusterClient? _uncachedView;
    private int _disposed;
    // Set by Create: the connect running in the background, stopped and awaited by DisposeAsync so that nothing it
    // opens outlives the client.
    private CancellationTokenSource? _initialization;
    private Task _initializing = Task.CompletedTask;

    private ClusterClient(ClusterOptions options, Router router, ReadPolicy readPolicy, ClusterClient? owner, bool bypassCache = false)
    {
        // Replica reads bypass the cache: only a primary's tracking connection is told of every change.
        _cache = bypassCache || readPolicy != ReadPolicy.Primary ? null : router.Cache;
        _options = options;
        _router = router;
        _readPolicy = readPolicy;
        _owner = owner;
        _views = owner?._views ?? new ClusterClient?[Enum.GetValues<ReadPolicy>().Length];
        _pubSub = owner?._pubSub ?? new PubSubHub(router, options.SubscriptionBufferSize, options.ConnectTimeout, router.Logger);
        if (owner is null) HookEvents();
    }

    /// <summary>
    /// The same client with another read policy for its read-only commands (a per-call override:
    /// <c>await cluster.WithReadPolicy(ReadPolicy.Replica).StringGetAsync("k")</c>). It shares the connections;
    /// disposing it does nothing, disposing the original closes both. The views are cached: this allocates once per policy.
    /// </summary>
    public ClusterClient WithReadPolicy(ReadPolicy readPolicy)
    {
        if (readPolicy == _readPolicy) return this;
        ClusterClient root = _owner ?? this;
        if (readPolicy == root._readPolicy) return root;
        ref ClusterClient? view = ref _views[(int)readPolicy];
        return view ??= new ClusterClient(_options, _router, readPolicy, root);
    }

    /// <inheritdoc/>
    public ReadPolicy ReadPolicy => _readPolicy;

    /// <summary>
    /// The same client with the client-side cache bypassed (a per-call opt-out:
    /// <c>await cluster.WithoutClientCache().StringGetAsync("k")</c> always asks the server, and does not store the
    /// reply). Its writes still retire this client's cached entries. Without a cache (see
    /// <see cref="ClusterOptions.ClientCacheSize"/>) it is this client. Made once, shares the connections.
    /// </summary>
    public ClusterClient WithoutClientCache()
    {
        if (_cache is null) return this;
        ClusterClient root = _owner ?? this;
        return root._uncachedView ??= new ClusterClient(_options, _router, _readPolicy, root, bypassCache: true);
    }

    IClusterClient IClusterClient.WithReadPolicy(ReadPolicy readPolicy) => WithReadPolicy(readPolicy);

    IClusterClient IClusterClient.WithoutClientCache() => WithoutClientCache();

    /// <summary>Connects using a configuration string (StackExchange.Redis syntax or a redis:// URI).</summary>
    /// <param name="configuration">For example <c>clustercfg.my-cache.abc123.use1.cache.amazonaws.com:6379,ssl=true,user=app,password=…</c>.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    public static Task<ClusterClient> ConnectAsync(string configuration, CancellationToken cancellationToken = default) =>
        ConnectAsync(ClusterOptions.Parse(configuration), cancellationToken);

    /// <summary>Connects with the given options: reads the slot map from the configuration endpoints and the command table from the cluster.</summary>
    public static async Task<ClusterClient> ConnectAsync(ClusterOptions options, CancellationToken cancellationToken = default)
    {
        Router router = BuildRouter(ref options, out _);
        try
        {
            await router.InitializeAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await router.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new ClusterClient(options, router, options.ReadPolicy, owner: null);
    }

    /// <summary>
    /// Creates a client at once and connects in the background, without any thread waiting: for dependency injection,
    /// whose factories are synchronous. Commands issued before the slot map has arrived wait for it within their
    /// timeout; a cluster that cannot be reached shows in those commands' errors (as with <c>abortConnect=false</c>).
    /// <see cref="WhenConnectedAsync(TimeSpan, CancellationToken)"/> waits for the first slot map, for a health check or a warm start.
    /// </summary>
    public static ClusterClient Create(ClusterOptions options)
    {
        Router router = BuildRouter(ref options, out ILogger logger);
        ClusterOptions background = options.Clone();
        background.AbortOnConnectFail = false; // nobody awaits this: a failure is logged and retried, never thrown
        var client = new ClusterClient(options, router, options.ReadPolicy, owner: null) { _initialization = new CancellationTokenSource() };
        client._initializing = client.InitializeInBackgroundAsync(background, logger, client._initialization.Token);
        return client;
    }

    /// <summary>What both ways of connecting share: the options copied and validated, the logger, the router.</summary>
    private static Router BuildRouter(ref ClusterOptions options, out ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Clone(); // later changes to the caller's object do not reach a running client
        options.Validate();
        logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Keyslot");
        return new Router(options, new ConnectionFactory(ConnectionSettings.From(options, logger), logger), logger);
    }

    private async Task InitializeInBackgroundAsync(ClusterOptions options, ILogger logger, CancellationToken stopping)
    {
        try
        {
            await Task.Yield(); // return to the caller before any work: Create never blocks
            await _router.InitializeAsync(options, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // disposed while connecting
        }
        catch (Exception ex)
        {
            // Nobody awaits this task: everything is logged here, and commands ask for the map again when they need it.
            Volatile.Write(ref _initializationFailure, ex);
            Log.TopologyRefreshFailed(logger, "background connect", ex);
        }
    }

    /// <inheritdoc/>
    public Task WhenConnectedAsync(CancellationToken cancellationToken = default) => _router.WhenRoutableAsync(cancellationToken);

    /// <summary>The hash slot of a key, as <c>CLUSTER KEYSLOT</c> computes it (e.g. 12182 for "foo").</summary>
    public static int GetSlot(string key) => HashSlot.Of(key);

    /// <summary>The hash slot of a key given as bytes.</summary>
    public static int GetSlot(ReadOnlySpan<byte> key) => HashSlot.Of(key);

    /// <inheritdoc/>
    public ClusterTopology Topology => new(_router.CurrentMap);

    /// <summary>The options the client runs with (a copy; changing it has no effect).</summary>
    public ClusterOptions Options => _options.Clone();

    /// <inheritdoc/>
    public ValueTask<RespValue> ExecuteAsync(string command, params RedisArgument[] args) =>
        ExecuteAsync(command, args, CancellationToken.None);

    /// <inheritdoc/>
    public ValueTask<RespValue> ExecuteAsync(string command, IEnumerable<RedisArgument> args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        return ExecuteAsync(command, args as RedisArgument[] ?? [.. args], cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<RespValue> ExecuteAsync(string command, RedisArgument[] args, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(args);
        ConnectionStateGuard.ThrowIfRefused(command, args);
        ThrowIfDisposed();
        if (_router.Commands.Find(command, args) is { RequestPolicy: "all_shards" or "all_nodes" } fanOut)
        {
            return FanOutAsync(command, args, fanOut, cancellationToken);
        }
        if (TrySplitRaw(command, args, cancellationToken) is { } split) return split;
        int slot = _router.Commands.Route(command, args, out CommandFlags flags);
        if (BlockingCommands.IsBlocking(command, args)) flags |= CommandFlags.Blocking;
        return Send(new CommandDefinition<RespValue>(RespCommand.Create(command, args), slot, flags, ReplyParsers.Value), cancellationToken);
    }

    /// <summary>
    /// The road every typed command takes on the client: sent at once, to the node its slot (and read policy) picks;
    /// a blocking command on a dedicated connection of that node's blocking pool instead.
    /// </summary>
    internal ValueTask<T> Send<T>(in CommandDefinition<T> command, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        if ((command.Flags & CommandFlags.Cacheable) != 0 && _cache is { } cache) return cache.Read(this, command, cancellationToken);
        if ((command.Flags & CommandFlags.Blocking) != 0) return _router.Blocking.RunAsync(command, cancellationToken);
        return Operation<T>.Start(_router, command.Command, command.Slot, command.Flags, command.Parser, cancellationToken, _readPolicy, command.Key);
    }

    /// <summary>The ordinary road of a cacheable read the cache does not answer (no tracking connection yet, a redirect, a lost connection).</summary>
    internal ValueTask<T> SendUncached<T>(in CommandDefinition<T> command, CancellationToken cancellationToken) =>
        Operation<T>.Start(_router, command.Command, command.Slot, command.Flags, command.Parser, cancellationToken, _readPolicy);

    /// <summary>The client-side cache this client reads through, or null (tests and the benchmark look at its counts).</summary>
    internal ClientSideCache.ClientCache? ClientCache => _cache;

    /// <summary>Sends a command whose slot and flags are known (the cross-slot splits' parts).</summary>
    private ValueTask<T> Send<T>(in RespCommand command, int slot, CommandFlags flags, ReplyParser<T> parser, CancellationToken cancellationToken) =>
        Send(new CommandDefinition<T>(command, slot, flags, parser), cancellationToken);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref (_owner ?? this)._disposed) != 0, this);

    internal Router Router => _router;

    /// <summary>
    /// Starts a batch: queue commands on it, then <see cref="ClusterBatch.Execute"/> sends them grouped by node, each
    /// group in one write. Use it for many independent commands at once (bulk loads, cache warm-ups).
    /// </summary>
    public ClusterBatch CreateBatch()
    {
        ThrowIfDisposed();
        return new ClusterBatch(this, _router);
    }

    /// <summary>
    /// Starts a MULTI/EXEC transaction: queue commands whose keys share one slot, optionally add conditions (WATCH),
    /// then <see cref="ClusterTransaction.CommitAsync"/> runs them all or none on the slot's primary.
    /// </summary>
    public ClusterTransaction CreateTransaction()
    {
        ThrowIfDisposed();
        return new ClusterTransaction(this, _router);
    }

    /// <summary>For the batch and transaction types, which queue on this client.</summary>
    internal void EnsureNotDisposed() => ThrowIfDisposed();

    /// <summary>Closes every connection. Commands still in flight fail with <see cref="ObjectDisposedException"/> or a connection error.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_owner is not null) return; // a view: the original owns the connections
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_initialization is { } initialization)
        {
            await initialization.CancelAsync().ConfigureAwait(false);
            await _initializing.ConfigureAwait(false); // never throws: it logs its own failures
            initialization.Dispose();
        }
        _router.TopologyChanged -= OnRouterTopologyChanged;
        _router.NodeStates.Changed = null;
        await _pubSub.DisposeAsync().ConfigureAwait(false);
        await _router.DisposeAsync().ConfigureAwait(false);
    }
}
