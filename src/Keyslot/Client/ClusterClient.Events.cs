using System.Collections.Concurrent;
using Keyslot.Connections;
using Keyslot.Topology;

namespace Keyslot;

/// <summary>
/// The client's connection-state events and health snapshot. Nothing is allocated or queued while no handler is
/// attached. Handlers run on the thread pool, one at a time and in the order the changes happened, never on a read
/// loop or under a lock of the client; an exception a handler throws is caught (and logged) so it cannot hurt the
/// client. Views made by <see cref="WithReadPolicy"/> share their original's events.
/// </summary>
public sealed partial class ClusterClient
{
    private EventHandler<ConnectionEventArgs>? _connectionFailed;
    private EventHandler<ConnectionEventArgs>? _connectionRestored;
    private EventHandler<TopologyChangedEventArgs>? _topologyChanged;
    private readonly ConcurrentQueue<Action> _events = new();
    private int _draining;           // 1 while a work item runs the queued handlers
    private int _topologyQueued;     // 1 while a topology event is queued and not yet run: changes close together coalesce
    private Exception? _initializationFailure; // why the background connect failed, for WhenConnectedAsync's error

    private ClusterClient Root => _owner ?? this;

    /// <summary>
    /// Raised when a node's interactive connection is lost (the node died, the network failed, a failover closed
    /// it) or the first attempt to make one fails. Once per outage: failed reconnect attempts during the backoff are
    /// not raised again; <see cref="ConnectionRestored"/> ends the outage.
    /// </summary>
    public event EventHandler<ConnectionEventArgs>? ConnectionFailed
    {
        add => Subscribe(ref Root._connectionFailed, value);
        remove => Unsubscribe(ref Root._connectionFailed, value);
    }

    /// <summary>Raised when a node's interactive connection is made again after <see cref="ConnectionFailed"/>.</summary>
    public event EventHandler<ConnectionEventArgs>? ConnectionRestored
    {
        add => Subscribe(ref Root._connectionRestored, value);
        remove => Unsubscribe(ref Root._connectionRestored, value);
    }

    /// <summary>
    /// Raised after the slot map changed: a refresh found a new map (failover, resharding, nodes added or removed)
    /// or a MOVED reply moved a slot. Changes close together are raised once, with the map then in effect.
    /// </summary>
    public event EventHandler<TopologyChangedEventArgs>? TopologyChanged
    {
        add => Subscribe(ref Root._topologyChanged, value);
        remove => Unsubscribe(ref Root._topologyChanged, value);
    }

    private static void Subscribe<T>(ref EventHandler<T>? field, EventHandler<T>? handler)
    {
        EventHandler<T>? current = Volatile.Read(ref field), seen;
        do
        {
            seen = current;
            current = Interlocked.CompareExchange(ref field, (EventHandler<T>?)Delegate.Combine(seen, handler), seen);
        }
        while (!ReferenceEquals(current, seen));
    }

    private static void Unsubscribe<T>(ref EventHandler<T>? field, EventHandler<T>? handler)
    {
        EventHandler<T>? current = Volatile.Read(ref field), seen;
        do
        {
            seen = current;
            current = Interlocked.CompareExchange(ref field, (EventHandler<T>?)Delegate.Remove(seen, handler), seen);
        }
        while (!ReferenceEquals(current, seen));
    }

    /// <summary>Hooks the router's notifications; the original client only (views share it).</summary>
    private void HookEvents()
    {
        _router.NodeStates.Changed = OnNodeStateChanged;
        _router.TopologyChanged += OnRouterTopologyChanged;
    }

    private void OnNodeStateChanged(NodeEndpoint endpoint, Exception? error, bool restored)
    {
        EventHandler<ConnectionEventArgs>? handler = restored ? Volatile.Read(ref _connectionRestored) : error is null ? null : Volatile.Read(ref _connectionFailed);
        if (handler is null || Volatile.Read(ref _disposed) != 0) return;
        var args = new ConnectionEventArgs(endpoint, error);
        Post(() => Raise(handler, args));
    }

    private void OnRouterTopologyChanged()
    {
        if (Volatile.Read(ref _topologyChanged) is null || Volatile.Read(ref _disposed) != 0) return;
        if (Interlocked.Exchange(ref _topologyQueued, 1) != 0) return; // one queued already: it reads the latest map
        Post(() =>
        {
            Volatile.Write(ref _topologyQueued, 0); // a change from here on queues another
            if (Volatile.Read(ref _topologyChanged) is { } handler) Raise(handler, new TopologyChangedEventArgs(new ClusterTopology(_router.CurrentMap)));
        });
    }

    /// <summary>Queues a handler call; one work item runs the queue in order, off the caller's thread and locks.</summary>
    private void Post(Action raise)
    {
        _events.Enqueue(raise);
        if (Interlocked.Exchange(ref _draining, 1) == 0) ThreadPool.UnsafeQueueUserWorkItem(static c => c.DrainEvents(), this, preferLocal: false);
    }

    /// <summary>Calls each handler on its own: one that throws is logged and does not keep the others from running.</summary>
    private void Raise<T>(EventHandler<T> handler, T args)
    {
        foreach (EventHandler<T> one in Delegate.EnumerateInvocationList(handler))
        {
            try
            {
                one(this, args);
            }
            catch (Exception ex)
            {
                Log.EventHandlerFailed(_router.Logger, ex); // a handler's failure is the application's, never the client's
            }
        }
    }

    private void DrainEvents()
    {
        while (true)
        {
            while (_events.TryDequeue(out Action? raise))
            {
                try
                {
                    raise();
                }
                catch (Exception ex)
                {
                    Log.EventHandlerFailed(_router.Logger, ex); // never reached by a handler's own failure (Raise); a last guard
                }
            }
            Volatile.Write(ref _draining, 0);
            // Something queued after the queue looked empty but before the flag cleared: run it here.
            if (_events.IsEmpty || Interlocked.Exchange(ref _draining, 1) != 0) return;
        }
    }

    /// <summary>
    /// A snapshot of the slot map's nodes and the client's connections to them: for a health check or a status page.
    /// Sends nothing and never waits; see the health check package for one that asks the nodes.
    /// </summary>
    public ClusterHealth GetHealth()
    {
        SlotMap map = _router.CurrentMap;
        var slotsByPrimary = new Dictionary<NodeEndpoint, int>();
        int assigned = 0;
        foreach (SlotRange range in map.Ranges)
        {
            int count = range.End - range.Start + 1;
            assigned += count;
            slotsByPrimary[range.Primary] = slotsByPrimary.GetValueOrDefault(range.Primary) + count;
        }
        var nodes = new List<NodeHealth>(map.NodeCount);
        foreach (ClusterShard shard in map.Shards)
        {
            nodes.Add(NodeHealthOf(shard.Primary, slotsByPrimary.GetValueOrDefault(shard.Primary.Endpoint)));
        }
        foreach (ClusterShard shard in map.Shards)
        {
            foreach (ClusterNodeInfo replica in shard.Replicas) nodes.Add(NodeHealthOf(replica, 0));
        }
        Exception? lastError = _router.Refresher.LastFailure;
        if (lastError is null && assigned == 0) lastError = Volatile.Read(ref Root._initializationFailure) ?? _router.NodeStates.AnyLastError()?.Error;
        return new ClusterHealth(assigned, nodes, lastError);
    }

    private NodeHealth NodeHealthOf(ClusterNodeInfo node, int slots)
    {
        (bool known, bool connected, Exception? lastError) = _router.NodeStates.Get(node.Endpoint);
        NodeConnector? connector = _router.FindConnector(node.Endpoint);
        NodeConnectionState state =
            connector?.Current is not null ? NodeConnectionState.Connected
            : known && !connected && lastError is not null ? NodeConnectionState.Disconnected
            : connector is null ? NodeConnectionState.NotConnected
            : connector.LastError is not null ? NodeConnectionState.Disconnected
            : NodeConnectionState.Connecting;
        return new NodeHealth(node.Endpoint, node.IsPrimary, node.IsFailed, slots, state, lastError ?? connector?.LastError);
    }

    /// <summary>
    /// <see cref="WhenConnectedAsync(CancellationToken)"/> within <paramref name="timeout"/>: completes when the client
    /// has a slot map; when none arrives in time, throws <see cref="RedisConnectionException"/> with the last error
    /// (its inner exception) when connecting or reading the map failed, or <see cref="RedisTimeoutException"/> when
    /// nothing failed but nothing arrived either. Refused credentials throw <see cref="RedisAuthenticationException"/> at once.
    /// </summary>
    public async Task WhenConnectedAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (timeout != Timeout.InfiniteTimeSpan) ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        if (_router.CurrentMap.AssignedSlots > 0) return;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _router.WhenRoutableAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            NodeEndpoint seed = _options.Endpoints.Count > 0 ? _options.Endpoints[0] : default;
            Exception? last = _router.Refresher.LastFailure ?? Volatile.Read(ref Root._initializationFailure);
            if (last is null && _router.NodeStates.AnyLastError() is { } nodeError)
            {
                seed = nodeError.Endpoint;
                last = nodeError.Error;
            }
            if (last is not null)
            {
                throw new RedisConnectionException(
                    $"No slot map within {timeout.TotalMilliseconds:0} ms from {string.Join(", ", _options.Endpoints)}; last error: {last.Message}", seed, innerException: last);
            }
            throw new RedisTimeoutException("the first slot map", seed, -1, timeout, 0);
        }
    }
}
