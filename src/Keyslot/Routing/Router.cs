using System.Collections.Concurrent;
using System.Diagnostics;
using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Topology;
using Microsoft.Extensions.Logging;

namespace Keyslot.Routing;

/// <summary>
/// Sends each operation to the node that owns its slot and follows what comes back: MOVED fixes that one slot at once
/// and asks for one coalesced refresh; ASK sends once to the importing node; busy-cluster errors back off and retry
/// within the command's deadline. Shards are independent: a dead or slow node only delays the commands for its slots.
/// </summary>
internal sealed partial class Router : IAsyncDisposable
{
    private static readonly ReplyParser<RespValue> ValueParser = static (ref RespReader r) => r.ReadValue();
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(100);
    private static readonly long ConnectWaitRecheckTicks = Stopwatch.Frequency / 4;
    /// <summary>How long a node with commands pending may stay silent before it is treated as possibly hung.</summary>
    private static readonly TimeSpan SilenceThreshold = TimeSpan.FromSeconds(1);

    private readonly ConnectionFactory _factory;
    // Two connectors per node at most: one for everything routed to a primary, and one (with READONLY) for replica
    // reads, so that a read reaching a demoted primary on the first kind gets MOVED instead of stale data.
    private readonly ConcurrentDictionary<(NodeEndpoint Endpoint, bool ReplicaReads), NodeConnector> _nodes = new();
    private readonly object _routeSync = new();
    private readonly ILogger _logger;
    private readonly int _maxRedirects;
    private readonly bool _retryIdempotentWrites;
    private readonly bool _connectEagerly;
    private readonly bool _readsFromReplicas;
    private readonly IReadOnlyList<NodeEndpoint> _seeds;
    private readonly Timer _sweeper;
    private readonly TopologyRefresher _refresher;
    private readonly ReadTargetSelector _readSelector;
    private readonly Dictionary<string, string> _zones;
    // Slots fixed by MOVED recently, with when: a refresh from a node that has not caught up must not undo them.
    private readonly Dictionary<int, (NodeEndpoint Target, long At)> _recentMoves = [];
    private readonly TimeSpan _movedGrace;
    private volatile RouteTable _routes;
    private readonly WaitingRoom _room;
    // Completed (and replaced) whenever the routes change, so commands waiting out a dead node wake at once.
    private TaskCompletionSource _routesChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sweeping;
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
        _seeds = [.. options.Endpoints];
        CommandTimeout = options.CommandTimeout;
        CommandTimeoutTicks = (long)(options.CommandTimeout.TotalSeconds * Stopwatch.Frequency);
        _routes = new RouteTable(SlotMap.Build([]), [], []);
        _readSelector = new ReadTargetSelector(options.ClientAvailabilityZone);
        _movedGrace = TimeSpan.FromMilliseconds(Math.Max(100, 2 * options.MinTopologyRefreshInterval.TotalMilliseconds));
        _zones = new Dictionary<string, string>(options.NodeAvailabilityZones, StringComparer.OrdinalIgnoreCase);
        _refresher = new TopologyRefresher(FetchTopologyAsync, () => _routes.Map, ApplyTopology, IsSuspect, _seeds,
            options.MinTopologyRefreshInterval, TimeSpan.FromMilliseconds(Math.Min(1000, options.CommandTimeout.TotalMilliseconds)), logger);
        _room = new WaitingRoom(DispatchHeld);
        _sweeper = new Timer(static s => ((Router)s!).SweepTimeouts(), this, SweepInterval, SweepInterval);
        Commands = CommandTable.BuiltIn;
    }

    public TimeSpan CommandTimeout { get; }

    public long CommandTimeoutTicks { get; }

    public CommandTable Commands { get; private set; }

    public SlotMap CurrentMap => _routes.Map;

    public TopologyRefresher Refresher => _refresher;

    /// <summary>Operations waiting in the waiting room (for a connection, a route or a backoff).</summary>
    public int WaitingCount => _room.Count;

    /// <summary>The nodes the client holds connectors for (tests check that departed nodes are closed).</summary>
    public IReadOnlyCollection<NodeEndpoint> KnownNodes => [.. _nodes.Keys.Select(k => k.Endpoint).Distinct()];

    /// <summary>Loads the first topology from the configuration endpoints and the command table from the cluster.</summary>
    public async Task InitializeAsync(ClusterOptions options, CancellationToken cancellationToken)
    {
        Exception? last = null;
        for (int round = 0; round <= Math.Max(0, options.ConnectRetry - 1) && _routes.Map.AssignedSlots == 0; round++)
        {
            if (round > 0) await Task.Delay(NodeConnector.Backoff(round), cancellationToken).ConfigureAwait(false);
            foreach (NodeEndpoint seed in _seeds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
                try
                {
                    SlotMap map = await FetchTopologyAsync(seed, cancellationToken).ConfigureAwait(false);
                    if (map.AssignedSlots == 0) throw new RedisException($"{seed} is a cluster node but owns no slots and knows no owners (is the cluster formed?).");
                    ApplyTopology(map, "connect");
                    break;
                }
                catch (RedisAuthenticationException)
                {
                    throw; // the same credentials will fail everywhere: no retry storm
                }
                catch (RedisServerException ex) when (ex.ServerMessage.Contains("cluster support disabled", StringComparison.OrdinalIgnoreCase))
                {
                    throw new RedisException($"{seed} is not running in cluster mode (cluster-enabled no). Keyslot is a Redis Cluster client.", ex);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    last = ex;
                    Log.TopologySourceFailed(_logger, seed.ToString(), ex.Message, ex);
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
            await EnsureCommandTableAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        _refresher.StartPeriodic(options.TopologyRefreshInterval);
    }

    /// <summary>
    /// Completes after <paramref name="delay"/>, or sooner when the routes change (a promoted replica is then used at
    /// once) or the token is cancelled; never throws. The one backoff wait for commands, transactions and first maps.
    /// </summary>
    public Task DelayOrRoutesChangedAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.WhenAny(Volatile.Read(ref _routesChanged).Task, Task.Delay(delay, cancellationToken));

    /// <summary>Completes once the map assigns slots; asks for refreshes (rate-limited) while it does not.</summary>
    public async Task WhenRoutableAsync(CancellationToken cancellationToken)
    {
        while (_routes.Map.AssignedSlots == 0)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
            // Refused credentials will not start working by waiting: say so instead of waiting forever.
            if (_refresher.LastFailure?.InnerException is RedisAuthenticationException refused) throw refused;
            Task wait = DelayOrRoutesChangedAsync(TimeSpan.FromMilliseconds(250), cancellationToken);
            _refresher.Request("waiting for the first slot map");
            await wait.ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    // The server's command table is loaded after the first topology arrives: at connect, or from a later refresh when
    // the client started without one (abortConnect=false, or created in the background for DI).
    private Task? _commandTableLoad;
    private bool _commandTableFromServer;
    private long _commandTableAttemptedAt;
    private static readonly TimeSpan CommandTableRetryInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Starts loading the server's command table unless it is loaded or loading; after a failed attempt (the built-in
    /// table stays in use) it tries again at most once a minute, on the next topology change or refresh.
    /// </summary>
    private Task EnsureCommandTableAsync()
    {
        lock (_routeSync)
        {
            if (_commandTableFromServer) return Task.CompletedTask;
            if (_commandTableLoad is { IsCompleted: false } loading) return loading;
            if (_commandTableLoad is not null && Stopwatch.GetElapsedTime(_commandTableAttemptedAt) < CommandTableRetryInterval) return _commandTableLoad;
            _commandTableAttemptedAt = Stopwatch.GetTimestamp();
            // Started on the thread pool: its first steps (connect, write) must not run under the route lock.
            return _commandTableLoad = Task.Run(() => LoadCommandTableAsync(CancellationToken.None));
        }
    }

    private async Task LoadCommandTableAsync(CancellationToken cancellationToken)
    {
        try
        {
            NodeConnector? node = _routes.AnyPrimary();
            if (node is null) return;
            NodeConnection connection = await node.ConnectAsync(cancellationToken).ConfigureAwait(false);
            RespValue reply = await connection.SendDirectAsync(RespCommand.Create("COMMAND"), ValueParser, cancellationToken).ConfigureAwait(false);
            Commands = CommandTable.FromCommandReply(reply);
            _commandTableFromServer = true;
            Log.CommandTableLoaded(_logger, Commands.Count);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            Log.CommandTableFallback(_logger, ex.Message); // the built-in table stays in use
        }
    }

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
            op.Attempts++;
            _refresher.Request("slot without owner");
            RetryLater(op, RetryPolicy.BackoffDelay(op.Attempts), _refresher.LastFailure is { } failure
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
        long deadline = Stopwatch.GetTimestamp() + CommandTimeoutTicks; // the timeout runs from the send, not from queueing
        foreach (Operation op in operations)
        {
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
        RouteTable routes = _routes;
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
            if (_routes.PrimaryFor(op.Slot) is not { } primary) return false;
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
        op.Attempts++;
        _refresher.Request("node unreachable"); // a replica may have been promoted, or the node left the map
        RetryLater(op, RetryPolicy.BackoffDelay(op.Attempts), failure.Message, failure);
    }

    /// <summary>Decides about an error reply (called on the read loop of the connection that got it).</summary>
    public void OnErrorReply(Operation op, ServerError error)
    {
        try
        {
            FollowErrorReply(op, error);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or RedisException)
        {
            // Disposed while following a redirect, or a redirect to nowhere: the operation is in no queue, so it fails here.
            op.Fail(ex);
        }
    }

    private void FollowErrorReply(Operation op, ServerError error)
    {
        if (op.SentToReplica && error.Kind is RedisErrorKind.Moved or RedisErrorKind.Ask or RedisErrorKind.Loading or RedisErrorKind.TryAgain
                or RedisErrorKind.ClusterDown or RedisErrorKind.MasterDown or RedisErrorKind.ReadOnly)
        {
            op.Redirects++;
            if (op.Redirects <= _maxRedirects && FallBackToPrimary(op)) return;
        }
        RetryAction action = RetryPolicy.Decide(error, op.Redirects, _maxRedirects);
        switch (action)
        {
            case RetryAction.FollowMoved:
            {
                op.Redirects++;
                Redirect redirect = error.Redirect!.Value;
                NodeEndpoint target = TargetOf(redirect, op.LastNode, op.CommandName);
                op.RecordTried(op.LastNode);
                ApplyMoved(redirect.Slot, target);
                Dispatch(op);
                return;
            }
            case RetryAction.FollowAsk:
            {
                op.Redirects++;
                Redirect redirect = error.Redirect!.Value;
                NodeEndpoint target = TargetOf(redirect, op.LastNode, op.CommandName);
                op.RecordTried(op.LastNode);
                Log.Ask(_logger, redirect.Slot, op.CommandName, target.ToString());
                op.AskTarget = GetConnector(target);
                Dispatch(op);
                return;
            }
            case RetryAction.Backoff:
                if (error.Kind is RedisErrorKind.ClusterDown or RedisErrorKind.MasterDown) _refresher.Request(error.Kind.ToString());
                // The server said "wait", not "go elsewhere": a slot migrating slowly (ASK from the source, TRYAGAIN from
                // the target for a multi-key command) is waited out within the deadline; the redirect budget only
                // counts redirects since the last wait, so it still stops a loop of redirects with no wait in between.
                op.Redirects = 0;
                op.Attempts++;
                op.RecordTried(op.LastNode);
                Log.Retry(_logger, op.CommandName, op.Slot, error.Kind.ToString(), op.Attempts);
                RetryLater(op, RetryPolicy.BackoffDelay(op.Attempts), error.Message);
                return;
            case RetryAction.RefreshThenRetry:
                // The reply cannot say where to go: a fresh map will (its arrival wakes the waiting operation).
                op.Redirects++;
                op.Attempts++;
                op.RecordTried(op.LastNode);
                _refresher.Request("redirect without address or READONLY");
                RetryLater(op, RetryPolicy.BackoffDelay(op.Attempts), error.Message);
                return;
            case RetryAction.GiveUp:
                op.RecordTried(op.LastNode);
                Log.RedirectLimit(_logger, op.CommandName, op.Slot, string.Join(", ", op.Tried!));
                op.Fail(new RedisRedirectException(op.CommandName, op.Slot, op.Tried!, error.Message));
                return;
            default:
                op.Fail(new RedisServerException(error.Kind, error.Message, op.CommandName, op.LastNode));
                return;
        }
    }

    /// <summary>
    /// The connection died after the command was written. Reads (and idempotent writes, when allowed) go again;
    /// other writes may have been applied, so they fail with an error that says so instead of running twice.
    /// </summary>
    public void OnConnectionLost(Operation op, NodeConnection connection, Exception cause)
    {
        if (op.IsDone) return;
        if (cause is RespProtocolException protocolError)
        {
            // The node broke the protocol: not a transient fault, and sending again would only repeat it.
            op.Fail(protocolError.While(op.CommandName, connection.Endpoint.ToString()));
            return;
        }
        if (!_disposed && FallBackToPrimary(op)) return; // only reads go to replicas, and reads are safe to send again
        bool safe = RetrySafety.CanResend(op.Command, op.Flags, _retryIdempotentWrites);
        if (!safe || _disposed)
        {
            op.Fail(new RedisConnectionException(
                $"The connection to {connection.Endpoint} was lost after {op.CommandName} was written; the server may have applied it, so it was not retried. " +
                "Retry it yourself if it is idempotent, or set retryIdempotentWrites=true.",
                connection.Endpoint, mayHaveBeenApplied: true, cause));
            return;
        }
        op.Attempts++;
        op.RecordTried(connection.Endpoint);
        _refresher.Request("connection lost");
        RetryLater(op, RetryPolicy.BackoffDelay(op.Attempts), cause.Message, cause);
    }

    /// <summary>Parks the operation for <paramref name="delay"/> (less when the routes change), or fails it when its time is up.</summary>
    private void RetryLater(Operation op, TimeSpan delay, string lastError, Exception? cause = null)
    {
        op.LastError = lastError;
        TimeSpan remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), op.OperationDeadline);
        if (remaining <= TimeSpan.Zero)
        {
            op.Fail(new RedisTimeoutException(op.CommandName, op.LastNode, op.Slot, op.Timeout, 0, lastError, cause));
            return;
        }
        TimeSpan wait = delay < remaining ? delay : remaining;
        _room.Park(op, Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>
    /// A redirect's target; an empty host means "the host of the node that answered". A target that is no endpoint
    /// at all (a blank host) fails the command at once with <see cref="RedisRedirectException"/>: there is nowhere to send it.
    /// </summary>
    private static NodeEndpoint TargetOf(Redirect redirect, NodeEndpoint answeredBy, string command)
    {
        string host = string.IsNullOrEmpty(redirect.Host) ? answeredBy.Host : redirect.Host;
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new RedisRedirectException(command, redirect.Slot, [answeredBy],
                $"{redirect.Kind.ToString().ToUpperInvariant()} to a target that is not a usable endpoint (host \"{host}\", port {redirect.Port})");
        }
        return new NodeEndpoint(host, redirect.Port);
    }

    public NodeConnector GetConnector(NodeEndpoint endpoint) => GetConnector(endpoint, replicaReads: false);

    /// <summary>The connector for reads served by a replica: its connections send READONLY.</summary>
    public NodeConnector GetReplicaConnector(NodeEndpoint endpoint) => GetConnector(endpoint, replicaReads: true);

    private NodeConnector GetConnector(NodeEndpoint endpoint, bool replicaReads)
    {
        if (_nodes.TryGetValue((endpoint, replicaReads), out NodeConnector? existing)) return existing;
        // After disposal no new connector may appear: nothing would ever close it.
        ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
        var created = new NodeConnector(endpoint, _factory, replicaReads) { ConfiguredZone = ZoneOf(endpoint) };
        NodeConnector winner = _nodes.GetOrAdd((endpoint, replicaReads), created);
        if (ReferenceEquals(winner, created))
        {
            winner.ConnectionLost += OnNodeConnectionLost;
            winner.ConnectAttemptEnded += _room.Signal; // operations waiting for this node go on (or learn it failed)
        }
        if (_disposed)
        {
            // Disposal ran between the check and the add, and may have missed this one.
            _nodes.TryRemove((endpoint, replicaReads), out _);
            _ = winner.DisposeAsync().AsTask();
            throw new ObjectDisposedException(nameof(ClusterClient));
        }
        return winner;
    }

    /// <summary>A node to ask last for the topology: it failed to connect recently, or has commands pending and has been silent.</summary>
    private bool IsSuspect(NodeEndpoint endpoint) => _nodes.TryGetValue((endpoint, false), out NodeConnector? node) && node.IsSuspect;

    private string? ZoneOf(NodeEndpoint endpoint) =>
        _zones.Count == 0 ? null : _zones.TryGetValue(endpoint.ToString(), out string? zone) || _zones.TryGetValue(endpoint.Host, out zone) ? zone : null;

    private void OnNodeConnectionLost(NodeConnector node, Exception cause) => _refresher.Request("connection to " + node.Endpoint + " lost");

    private void ApplyMoved(int slot, NodeEndpoint target)
    {
        lock (_routeSync)
        {
            RouteTable routes = _routes;
            _recentMoves[slot] = (target, Stopwatch.GetTimestamp());
            if (routes.PrimaryFor(slot) is { } current && current.Endpoint == target) return; // another command already fixed it
            _routes = Bind(routes.Map.WithSlotOwner(slot, target));
        }
        SignalRoutesChanged();
        Log.Moved(_logger, slot, target.ToString());
        _refresher.Request("MOVED");
    }

    private void ApplyTopology(SlotMap map, string reason)
    {
        List<NodeConnector>? gone = null;
        List<NodeConnection> hung;
        bool keptMoves;
        lock (_routeSync)
        {
            SlotMap old = _routes.Map;
            map = KeepRecentMoves(map, out keptMoves);
            hung = HungFormerPrimaries(old, map); // before pruning: a frozen primary may have left the map entirely
            _routes = Bind(map);
            int moved = old.CountMovedSlots(map);
            Log.TopologyChanged(_logger, reason, map.Shards.Count, CountNodes(map), moved);
            if (moved > 0 && old.AssignedSlots > 0 && _logger.IsEnabled(LogLevel.Information)) Log.SlotsMoved(_logger, old.DescribeMoves(map, maxRanges: 10));
            foreach (KeyValuePair<(NodeEndpoint Endpoint, bool ReplicaReads), NodeConnector> entry in _nodes)
            {
                // A node that left the cluster is closed, a configuration endpoint included: the refresher
                // makes a new connector for it by name only when no known node answers.
                if (!Contains(map, entry.Key.Endpoint) && _nodes.TryRemove(entry))
                {
                    (gone ??= []).Add(entry.Value);
                }
            }
        }
        SignalRoutesChanged();
        if (keptMoves) _ = RefreshAfterGraceAsync(); // look again once the nodes have had time to agree
        foreach (NodeConnection connection in hung) RetireHungConnection(connection);
        if (gone is not null)
        {
            foreach (NodeConnector node in gone) _ = RetireAsync(node);
        }
        if (!_commandTableFromServer && map.AssignedSlots > 0) _ = EnsureCommandTableAsync();
        if (_connectEagerly) ConnectAll(_routes);
    }

    /// <summary>Opens connections to the nodes of the map now rather than on their first command (connectEagerly).</summary>
    private void ConnectAll(RouteTable routes)
    {
        for (int shard = 0; shard < routes.Primaries.Count; shard++)
        {
            ConnectQuietly(routes.Primary(shard));
            if (!_readsFromReplicas) continue;
            foreach (NodeConnector replica in routes.Replicas(shard)) ConnectQuietly(replica);
        }
    }

    private void ConnectQuietly(NodeConnector node)
    {
        if (node.Current is not null || _disposed) return;
        // A failure here is only an early attempt: the node's first command connects (or fails) on its own.
        _ = node.ConnectAsync(CancellationToken.None).ContinueWith(
            static (t, s) => Log.EagerConnectFailed(((Router)s!)._logger, t.Exception!.GetBaseException().Message),
            this, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// A MOVED is the owner's own word that a slot has moved; a refresh may come from a node that has not heard of the
    /// move yet (gossip takes a moment), or may have started before it. So for a short while after a MOVED, its slot
    /// keeps the MOVED target whatever a refresh says, instead of flapping back and costing every command on that slot
    /// another redirect. After the grace period the refreshed map wins. Called under the route lock.
    /// </summary>
    private SlotMap KeepRecentMoves(SlotMap map, out bool kept)
    {
        kept = false;
        if (_recentMoves.Count == 0) return map;
        List<(int Slot, NodeEndpoint Primary)>? keep = null;
        List<int>? expired = null;
        foreach ((int slot, (NodeEndpoint target, long at)) in _recentMoves)
        {
            if (Stopwatch.GetElapsedTime(at) > _movedGrace)
            {
                (expired ??= []).Add(slot);
                continue;
            }
            ushort shard = map.ShardOf(slot);
            if (shard != SlotMap.Unassigned && map.Shards[shard].Primary.Endpoint == target) (expired ??= []).Add(slot); // confirmed
            else if (IsReplicaOrFailed(map, target)) (expired ??= []).Add(slot); // its target failed over since: the map knows better
            else (keep ??= []).Add((slot, target));
        }
        if (expired is not null) foreach (int slot in expired) _recentMoves.Remove(slot);
        if (keep is null) return map;
        kept = true;
        return map.WithSlotOwners(keep);
    }

    /// <summary>
    /// A refresh asked for from inside a refresh would only join it; this one starts after the MOVED grace, when the
    /// kept slots give way to whatever the cluster then says.
    /// </summary>
    private async Task RefreshAfterGraceAsync()
    {
        await Task.Delay(_movedGrace).ConfigureAwait(false);
        if (!_disposed) _refresher.Request("MOVED newer than the last refreshed map");
    }

    private static bool IsReplicaOrFailed(SlotMap map, NodeEndpoint endpoint)
    {
        foreach (ClusterShard shard in map.Shards)
        {
            if (shard.Primary.Endpoint == endpoint) return shard.Primary.IsFailed;
            foreach (ClusterNodeInfo replica in shard.Replicas) if (replica.Endpoint == endpoint) return true;
        }
        return false;
    }

    /// <summary>
    /// A primary that lost its role while silent (frozen, then failed over) holds commands it will answer, if ever,
    /// only when it wakes, and it may then apply writes as a primary for a moment before it learns it was replaced,
    /// writes the new primary never sees. So its reads are taken off the connection and sent to the new owner at once
    /// (reads are safe to send again), and then the connection is closed: its writes fail with "may have been applied"
    /// instead of being acknowledged by a node whose data is about to be thrown away. A demoted primary that still
    /// answers (a graceful CLUSTER FAILOVER) is left alone: it replies MOVED and its commands follow.
    /// </summary>
    private List<NodeConnection> HungFormerPrimaries(SlotMap old, SlotMap fresh)
    {
        var hung = new List<NodeConnection>();
        foreach (ClusterShard shard in old.Shards)
        {
            NodeEndpoint endpoint = shard.Primary.Endpoint;
            if (shard.Slots.Count == 0 || IsPrimaryWithSlots(fresh, endpoint)) continue;
            if (_nodes.TryGetValue((endpoint, false), out NodeConnector? node) && node.Current is { } connection && connection.IsSilent(SilenceThreshold))
            {
                hung.Add(connection);
            }
        }
        return hung;
    }

    private void RetireHungConnection(NodeConnection connection)
    {
        foreach (PendingReply reply in connection.Detach(static r => r is Operation { Flags: var f } && (f & CommandFlags.ReadOnly) != 0))
        {
            var op = (Operation)reply;
            op.RecordTried(connection.Endpoint);
            Dispatch(op);
        }
        connection.Abort(new RedisConnectionException($"{connection.Endpoint} stopped answering and was replaced as primary.", connection.Endpoint));
    }

    private static bool IsPrimaryWithSlots(SlotMap map, NodeEndpoint endpoint)
    {
        // From the slot owners, not the shards' slot lists: a shard added for a MOVED target owns slots but lists none.
        foreach (SlotRange range in map.Ranges)
        {
            if (range.Primary == endpoint) return true;
        }
        return false;
    }

    /// <summary>
    /// Closes the connection to a node that left the cluster once what it holds has been answered (bounded by the
    /// command timeout), so that a command still in flight there is not failed by our own hand.
    /// </summary>
    private async Task RetireAsync(NodeConnector node)
    {
        long deadline = Stopwatch.GetTimestamp() + CommandTimeoutTicks;
        while (node.Current is { InFlight: > 0 } && Stopwatch.GetTimestamp() < deadline && !_disposed)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }
        await node.DisposeAsync().ConfigureAwait(false);
    }

    private void SignalRoutesChanged()
    {
        Interlocked.Exchange(ref _routesChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        _room.Signal();
    }

    /// <summary>A command timed out: the node may be hung or failing over, so look at the topology again.</summary>
    public void OnTimedOut(NodeConnection connection)
    {
        Log.CommandTimedOut(_logger, connection.Endpoint.ToString(), connection.InFlight);
        _refresher.Request("timeout on " + connection.Endpoint);
    }

    private RouteTable Bind(SlotMap map)
    {
        var primaries = new NodeConnector[map.Shards.Count];
        var replicas = new NodeConnector[map.Shards.Count][];
        for (int i = 0; i < primaries.Length; i++)
        {
            ClusterShard shard = map.Shards[i];
            primaries[i] = GetConnector(shard.Primary.Endpoint);
            var usable = new List<NodeConnector>(shard.Replicas.Count);
            foreach (ClusterNodeInfo replica in shard.Replicas)
            {
                if (!replica.IsFailed) usable.Add(GetReplicaConnector(replica.Endpoint));
            }
            replicas[i] = [.. usable];
        }
        return new RouteTable(map, primaries, replicas);
    }

    private static bool Contains(SlotMap map, NodeEndpoint endpoint)
    {
        foreach (ClusterShard shard in map.Shards)
        {
            if (shard.Primary.Endpoint == endpoint) return true;
            foreach (ClusterNodeInfo replica in shard.Replicas) if (replica.Endpoint == endpoint) return true;
        }
        return false;
    }

    private static int CountNodes(SlotMap map)
    {
        int n = 0;
        foreach (ClusterShard shard in map.Shards) n += 1 + shard.Replicas.Count;
        return n;
    }

    /// <summary>Reads the topology from one node: CLUSTER SHARDS, or CLUSTER SLOTS where SHARDS is unknown (before Redis 7).</summary>
    private async Task<SlotMap> FetchTopologyAsync(NodeEndpoint source, CancellationToken cancellationToken)
    {
        NodeConnection connection = await GetConnector(source).ConnectAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RespValue shards = await connection.SendDirectAsync(RespCommand.Create("CLUSTER", "SHARDS"), ValueParser, cancellationToken).ConfigureAwait(false);
            return SlotMap.Build(TopologyParser.ParseShards(shards, _factory.Settings.Ssl));
        }
        catch (RedisServerException ex) when (ex.Kind == RedisErrorKind.UnknownCommand || ex.ServerMessage.Contains("Unknown subcommand", StringComparison.OrdinalIgnoreCase))
        {
            RespValue slots = await connection.SendDirectAsync(RespCommand.Create("CLUSTER", "SLOTS"), ValueParser, cancellationToken).ConfigureAwait(false);
            return SlotMap.Build(TopologyParser.ParseSlots(slots));
        }
    }

    /// <summary>Runs a command on one node with no routing (per-node commands, tests, admin).</summary>
    public async Task<T> ExecuteOnNodeAsync<T>(NodeEndpoint endpoint, RespCommand command, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        NodeConnection connection = await GetConnector(endpoint).ConnectAsync(cancellationToken).ConfigureAwait(false);
        return await connection.SendDirectAsync(command, parser, cancellationToken).ConfigureAwait(false);
    }

    private void SweepTimeouts()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1) return;
        try
        {
            long now = Stopwatch.GetTimestamp();
            var scratch = new List<PendingReply>();
            NodeConnector? silent = null;
            foreach (NodeConnector node in _nodes.Values)
            {
                if (node.Current is not { } connection) continue;
                connection.SweepTimeouts(now, scratch);
                if (connection.IsSilent(SilenceThreshold)) silent = node;
            }
            // A node that holds commands and says nothing may be hung and failing over: watch the topology
            // (the refresher rate-limits this to one refresh per interval).
            if (silent is not null) _refresher.Request("silent node " + silent.Endpoint);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _room.Signal(); // waiting operations fail now instead of at their deadlines
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        await _refresher.DisposeAsync().ConfigureAwait(false);
        foreach (NodeConnector node in _nodes.Values)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
        _nodes.Clear();
    }
}
