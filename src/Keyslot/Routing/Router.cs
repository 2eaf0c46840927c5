using System.Diagnostics;
using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Topology;
using Microsoft.Extensions.Logging;

namespace Keyslot.Routing;

/// <summary>
/// Sends each operation to the node that owns its slot and follows what comes back (<c>Router.Replies.cs</c>): MOVED
/// fixes that one slot at once and asks for one coalesced refresh; ASK sends once to the importing node; busy-cluster
/// errors back off and retry within the command's deadline. Shards are independent: a dead or slow node only delays
/// the commands for its slots. What a map change sets off is in <c>Router.Topology.cs</c>. The jobs around it have
/// their own parts: <see cref="NodeRegistry"/> (connectors),
/// <see cref="RouteState"/> (the routes, MOVED and new maps), <see cref="TopologySource"/> (first map and refreshes),
/// <see cref="CommandTableLoader"/>, <see cref="WaitingRoom"/> (operations that cannot be written yet, in issue order)
/// and <see cref="TimeoutSweeper"/>.
/// </summary>
internal sealed partial class Router : IAsyncDisposable
{
    private static readonly long ConnectWaitRecheckTicks = Stopwatch.Frequency / 4;
    /// <summary>How long a node with commands pending may stay silent before it is treated as possibly hung.</summary>
    private static readonly TimeSpan SilenceThreshold = TimeSpan.FromSeconds(1);

    private readonly ConnectionFactory _factory;
    private readonly ILogger _logger;
    private readonly int _maxRedirects;
    private readonly bool _retryIdempotentWrites;
    private readonly bool _connectEagerly;
    private readonly bool _readsFromReplicas;
    private readonly ReadTargetSelector _readSelector;
    private readonly WaitingRoom _room;
    private readonly NodeRegistry _nodes;
    private readonly RouteState _routes;
    private readonly CommandTableLoader _tables;
    private readonly TopologySource _topology;
    private readonly TimeoutSweeper _sweeper;
    private readonly BlockingPool _blockingPool;
    private readonly SyncConnectionPool _syncPool;
    private bool _disposed;

    public Router(ClusterOptions options, ConnectionFactory factory, ILogger logger)
    {
        _factory = factory;
        _logger = logger;
        _maxRedirects = options.MaxRedirects;
        _retryIdempotentWrites = options.RetryIdempotentWrites;
        // With zone affinity, replicas are connected up front too: a node's zone may only be known from its HELLO.
        _connectEagerly = options.ConnectEagerly || (options.ClientAvailabilityZone is not null && options.ReadPolicy != ReadPolicy.Primary);
        _readsFromReplicas = options.ReadPolicy != ReadPolicy.Primary;
        CommandTimeout = options.CommandTimeout;
        CommandTimeoutTicks = (long)(options.CommandTimeout.TotalSeconds * Stopwatch.Frequency);
        _readSelector = new ReadTargetSelector(options.ClientAvailabilityZone);
        _room = new WaitingRoom(DispatchHeld);
        // Operations waiting for a node go on (or learn it failed) when its connect attempt ends.
        _nodes = new NodeRegistry(factory, options.NodeAvailabilityZones, OnNodeConnectionLost, _room.Signal, NodeStates.OnAttemptEnded);
        TimeSpan movedGrace = TimeSpan.FromMilliseconds(Math.Max(100, 2 * options.MinTopologyRefreshInterval.TotalMilliseconds));
        _routes = new RouteState(_nodes, movedGrace, SilenceThreshold, _room.Signal);
        _tables = new CommandTableLoader(() => _routes.Current.AnyPrimary(), logger);
        _topology = new TopologySource(options, _nodes, _routes, ApplyTopology, _tables, factory.Settings.Ssl, logger);
        _sweeper = new TimeoutSweeper(_nodes, SilenceThreshold, reason => Refresher.Request(reason));
        _blockingPool = new BlockingPool(factory, options.BlockingConnectionsPerNode);
        Blocking = new BlockingRunner(this, _blockingPool, logger);
        _syncPool = new SyncConnectionPool(factory.Settings, options.SynchronousConnectionsPerNode);
        Synchronous = new SyncRunner(this, _syncPool, logger);
        Cache = options.ClientCacheSize > 0 ? new ClientSideCache.ClientCache(this, options.ClientCacheSize, options.ClientCacheMaxAge, options.ClientCachePrefixes) : null;
        KeyslotTelemetry.Track(this);
    }

    /// <summary>The client-side cache, when <see cref="ClusterOptions.ClientCacheSize"/> turns it on.</summary>
    public ClientSideCache.ClientCache? Cache { get; }

    /// <summary>The primary of <paramref name="slot"/> in the current routes, or null (never throws: the cache asks on every hit).</summary>
    public NodeConnector? PrimaryFor(int slot) => _routes.Current.PrimaryFor(slot);

    /// <summary>Raised (on the thread that applied it) when a new map or a MOVED has changed the routes.</summary>
    public event Action? TopologyChanged;

    /// <summary>Runs blocking commands on the nodes' dedicated connections.</summary>
    public BlockingRunner Blocking { get; }

    /// <summary>Runs synchronous commands on their callers' threads, over the nodes' synchronous connections.</summary>
    public SyncRunner Synchronous { get; }

    public TimeSpan CommandTimeout { get; }

    /// <summary>Whether writes that repeat the same effect may be sent again after a lost connection (<see cref="ClusterOptions.RetryIdempotentWrites"/>).</summary>
    public bool RetryIdempotentWrites => _retryIdempotentWrites;

    /// <summary>The client's logger, for the parts built on the router (pub/sub).</summary>
    public ILogger Logger => _logger;

    public long CommandTimeoutTicks { get; }

    public CommandTable Commands => _tables.Commands;

    public SlotMap CurrentMap => _routes.Map;

    public TopologyRefresher Refresher => _topology.Refresher;

    /// <summary>Operations waiting in the waiting room (for a connection, a route or a backoff).</summary>
    public int WaitingCount => _room.Count;

    /// <summary>The nodes the client holds connectors for (tests check that departed nodes are closed).</summary>
    public IReadOnlyCollection<NodeEndpoint> KnownNodes => _nodes.KnownNodes;

    /// <summary>Loads the first topology from the configuration endpoints and the command table from the cluster.</summary>
    public Task InitializeAsync(ClusterOptions options, CancellationToken cancellationToken) => _topology.InitializeAsync(options, cancellationToken);

    /// <summary>Completes once the map assigns slots; asks for refreshes (rate-limited) while it does not.</summary>
    public Task WhenRoutableAsync(CancellationToken cancellationToken) => _topology.WhenRoutableAsync(cancellationToken);

    /// <summary>
    /// Completes after <paramref name="delay"/>, or sooner when the routes change or the token is cancelled; never
    /// throws. The one backoff wait for commands, transactions and first maps.
    /// </summary>
    public Task DelayOrRoutesChangedAsync(TimeSpan delay, CancellationToken cancellationToken) => _routes.DelayOrChangedAsync(delay, cancellationToken);

    public bool IsDisposed => _disposed;

    public NodeConnector GetConnector(NodeEndpoint endpoint) => _nodes.Get(endpoint);

    /// <summary>The primary that owns <paramref name="slot"/> (any primary for <see cref="KeySlot.None"/>), or null when none is known.</summary>
    public NodeConnector? PrimaryConnectorFor(int slot)
    {
        ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
        return PrimaryFor(slot);
    }

    /// <summary>Asks for one coalesced, rate-limited refresh of the map.</summary>
    public void RequestRefresh(string reason) => Refresher.Request(reason);

    /// <summary>The connector of <paramref name="endpoint"/> for <paramref name="role"/> (subscribers, tracking), its pushes to <paramref name="pushHandler"/>.</summary>
    public NodeConnector GetConnector(NodeEndpoint endpoint, ConnectionRole role, IPushHandler? pushHandler = null) => _nodes.Get(endpoint, role, pushHandler);

    /// <summary>
    /// Sends <paramref name="op"/> to its target; on the hot path this is three array reads and one locked write. While
    /// older operations for its slot or node wait (for a connection, a route or a backoff), it waits behind them, so a
    /// caller's commands reach the server in the order they were issued.
    /// </summary>
    public void Dispatch(Operation op)
    {
        if (op.IsDone) return;
        if (_room.Holds(op.Slot))
        {
            _room.Park(op, Stopwatch.GetTimestamp());
            return;
        }
        DispatchCore(op, held: false);
    }

    /// <summary>The waiting room sends an operation on: it is the oldest for its slot, so nothing holds it back.</summary>
    private void DispatchHeld(Operation op)
    {
        if (!op.IsDone) DispatchCore(op, held: true);
    }

    private void DispatchCore(Operation op, bool held)
    {
        if (_disposed)
        {
            op.Fail(new ObjectDisposedException(nameof(ClusterClient)));
            return;
        }
        NodeConnector? node = op.AskTarget ?? Route(op);
        if (node is null)
        {
            // No owner known for the slot (the cluster is incomplete or the map not loaded yet): refresh and wait.
            op.Retry.Attempts++;
            Refresher.Request("slot without owner");
            RetryLater(op, Backoff.Retry(op.Retry.Attempts), Refresher.LastFailure is { } failure
                ? $"slot {op.Slot} has no owner in the current map; {failure.Message}"
                : $"slot {op.Slot} has no owner in the current map");
            return;
        }
        if (node.Current is { } connection && (held || !node.HasWaiting) && TrySend(op, connection)) return;
        ParkForConnection(op, node);
    }

    /// <summary>
    /// Sends a batch: operations grouped by their target node, each group written in one go and in queue order (so a
    /// GET queued after a SET of the same key sees it). Where a node has no connection yet, or older operations wait,
    /// its operations wait in order like single ones. After that each operation is on its own: a redirect re-sends
    /// only that one.
    /// </summary>
    public void DispatchBatch(IReadOnlyList<Operation> operations)
    {
        var byNode = new Dictionary<NodeConnector, List<Operation>>();
        long now = Stopwatch.GetTimestamp();
        long deadline = now + CommandTimeoutTicks; // the timeout runs from the send, not from queueing
        foreach (Operation op in operations)
        {
            if (op.IsDone) continue; // cancelled before Execute: its caller was told so, so it is not sent
            op.CreatedAt = now; // issued when the batch is executed, in queue order (ties keep it)
            op.OperationDeadline = deadline;
            if (_room.Holds(op.Slot) || Route(op) is not { } node)
            {
                Dispatch(op); // waits behind older operations, or (no owner known) refreshes and retries
                continue;
            }
            if (!byNode.TryGetValue(node, out List<Operation>? group)) byNode[node] = group = [];
            group.Add(op);
        }
        foreach ((NodeConnector node, List<Operation> group) in byNode)
        {
            if (node.Current is { } connection && !node.HasWaiting) SendGroup(connection, group);
            else foreach (Operation op in group) Dispatch(op);
        }
    }

    private void SendGroup(NodeConnection connection, List<Operation> group)
    {
        var commands = new List<QueuedCommand>(group.Count);
        foreach (Operation op in group)
        {
            op.LastNode = connection.Endpoint;
            op.Deadline = op.OperationDeadline;
            commands.Add(op);
        }
        switch (connection.SendMany(commands))
        {
            case SendResult.Sent:
                foreach (Operation op in group) op.Admitted = true;
                break;
            case SendResult.QueueFull:
                foreach (Operation op in group) op.Fail(new RedisQueueFullException(connection.Endpoint, _factory.Settings.MaxPendingCommands));
                break;
            default:
                foreach (Operation op in group) Dispatch(op); // closed before anything was written: the ordinary road reconnects
                break;
        }
    }

    /// <summary>The owner of the operation's slot, or for a read under a replica policy the node the policy picks.</summary>
    private NodeConnector? Route(Operation op)
    {
        RouteTable routes = _routes.Current;
        op.SentToReplica = false;
        if (op.ReadPolicy == ReadPolicy.Primary || op.ForcePrimary || op.Slot == KeySlot.None || (op.Flags & CommandFlags.ReadOnly) == 0)
        {
            return routes.PrimaryFor(op.Slot);
        }
        ushort shard = routes.Map.ShardOf(op.Slot);
        if (shard == SlotMap.Unassigned) return null;
        NodeConnector node = _readSelector.Choose(routes, shard, op.ReadPolicy);
        op.SentToReplica = !ReferenceEquals(node, routes.Primary(shard));
        return node;
    }

    /// <summary>
    /// A replica could not serve a read (gone, loading, redirecting, not READONLY-capable): the primary serves it now,
    /// without backoff and without touching the map. Returns false when the command did not go to a replica.
    /// </summary>
    private bool FallBackToPrimary(Operation op)
    {
        if (!op.SentToReplica) return false;
        op.ForcePrimary = true;
        op.SentToReplica = false;
        op.RecordTried(op.LastNode);
        Dispatch(op);
        return true;
    }

    private bool TrySend(Operation op, NodeConnection connection)
    {
        if (op.SentToReplica && !connection.ServesReplicaReads)
        {
            op.ForcePrimary = true;
            op.SentToReplica = false;
            if (_routes.Current.PrimaryFor(op.Slot) is not { } primary) return false;
            if (primary.Current is not { } primaryConnection)
            {
                ParkForConnection(op, primary);
                return true;
            }
            connection = primaryConnection;
        }
        bool asking = op.AskTarget is not null;
        op.AskTarget = null; // an ASK applies to one send only
        op.LastNode = connection.Endpoint;
        op.Deadline = op.OperationDeadline;
        switch (connection.Send(op.Command, op, asking))
        {
            case SendResult.Sent:
                op.Admitted = true; // within the node's bound once: a retry after a lost connection keeps its place
                return true;
            case SendResult.QueueFull:
                op.Fail(new RedisQueueFullException(connection.Endpoint, _factory.Settings.MaxPendingCommands));
                return true;
            default:
                return false; // closed before anything was written: safe to try again
        }
    }

    /// <summary>
    /// The node has no connection yet (or older operations wait for it): the operation waits for it, in order, without
    /// any thread waiting. Waiting operations are bounded like those awaiting replies: a dead node that is being
    /// reconnected must not collect every command for its slots in memory. The bound refuses new operations; one
    /// admitted before that comes back for another attempt keeps its place, so the waiting ones never exceed those
    /// admitted (bounded) plus those that were in flight on a lost connection (bounded too).
    /// </summary>
    private void ParkForConnection(Operation op, NodeConnector node)
    {
        op.LastNode = node.Endpoint; // for the error message should this end in a timeout
        long epoch = _room.Epoch; // before looking: an attempt that ends from here on makes the operation due
        ConnectState state = node.EnsureConnecting(out Exception? failure);
        if (state == ConnectState.Failed)
        {
            OnUnreachable(op, node, failure!);
            return;
        }
        int limit = _factory.Settings.MaxPendingCommands;
        if (!node.TryEnterWaiting(op.Admitted ? int.MaxValue : limit))
        {
            op.Fail(new RedisQueueFullException(node.Endpoint, limit, waitingForConnection: true));
            return;
        }
        op.Admitted = true;
        op.WaitingOn = node;
        // Should the connection not be made in time, the timeout names why the node needed connecting.
        op.LastError ??= $"connecting to {node.Endpoint} did not finish within the command timeout";
        // Connecting: due when the attempt ends (announced), and looked at again every so often all the same.
        // Connected: older operations wait for it; due at once.
        long now = Stopwatch.GetTimestamp();
        _room.Park(op, state == ConnectState.Connected ? now : Math.Min(op.OperationDeadline, now + ConnectWaitRecheckTicks), epoch);
    }

    /// <summary>The node could not be connected (and is in its reconnect backoff): nothing was written, so any command may go again.</summary>
    private void OnUnreachable(Operation op, NodeConnector node, Exception failure)
    {
        switch (failure)
        {
            case RedisAuthenticationException:
                op.Fail(failure); // the same credentials will be refused again
                return;
            case ObjectDisposedException when _disposed:
                op.Fail(new ObjectDisposedException(nameof(ClusterClient)));
                return;
        }
        if (FallBackToPrimary(op)) return; // a replica could not be reached: the read goes to the primary instead
        op.Retry.Attempts++;
        Refresher.Request("node unreachable"); // a replica may have been promoted, or the node left the map
        RetryLater(op, Backoff.Retry(op.Retry.Attempts), failure.Message, failure);
    }

    /// <summary>Runs a command on one node with no routing (per-node commands, tests, admin).</summary>
    public async Task<T> ExecuteOnNodeAsync<T>(NodeEndpoint endpoint, RespCommand command, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        return await _nodes.Get(endpoint).SendDirectAsync(command, parser, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Commands awaiting replies on each node's interactive connection (for the in-flight gauge).</summary>
    public IEnumerable<(NodeEndpoint Node, int InFlight)> InFlightByNode()
    {
        foreach (NodeConnector connector in _nodes.Connectors)
        {
            if (connector.Role == ConnectionRole.Interactive && connector.Current is { } connection) yield return (connector.Endpoint, connection.InFlight);
        }
    }

    /// <summary>A command timed out: the node may be hung or failing over, so look at the topology again.</summary>
    public void OnTimedOut(NodeConnection connection)
    {
        Log.CommandTimedOut(_logger, connection.Endpoint, connection.InFlight);
        Refresher.Request("timeout on " + connection.Endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        KeyslotTelemetry.Untrack(this);
        _room.Signal(); // waiting operations fail now instead of at their deadlines
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        await _topology.DisposeAsync().ConfigureAwait(false);
        await _blockingPool.DisposeAsync().ConfigureAwait(false);
        _syncPool.Dispose();
        await _nodes.DisposeAsync().ConfigureAwait(false);
        _factory.Dispose();
    }
}
