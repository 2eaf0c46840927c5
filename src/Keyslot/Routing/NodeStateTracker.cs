using System.Collections.Concurrent;
using Keyslot.Connections;
using Keyslot.Topology;

namespace Keyslot.Routing;

/// <summary>
/// Whether each node's interactive (primary-routed) connection is up, and its last error: what the client's
/// <c>ConnectionFailed</c>/<c>ConnectionRestored</c> events and <c>GetHealth</c> report. One transition per outage:
/// failed when an established connection is lost or a node's first attempt after being up (or ever) fails, restored
/// when a connection is made again after that; repeated failed attempts during backoff are not reported again.
/// Transitions are rare (a connect or a loss), so a lock per node is fine; nothing here runs per command.
/// </summary>
internal sealed class NodeStateTracker
{
    private readonly ConcurrentDictionary<NodeEndpoint, NodeState> _states = new();

    /// <summary>
    /// Told of every transition: the node, the error (null when restored), and true for restored. Called on the
    /// thread that saw it (a read loop, the thread pool), outside the tracker's locks; it must not block.
    /// </summary>
    public Action<NodeEndpoint, Exception?, bool>? Changed { get; set; }

    /// <summary>An established connection of <paramref name="node"/> was lost.</summary>
    public void OnLost(NodeConnector node, Exception cause)
    {
        if (node.Role != ConnectionRole.Interactive) return;
        NodeState state = StateOf(node.Endpoint);
        bool report;
        lock (state)
        {
            state.Connected = false;
            state.LastError = cause;
            report = !state.FailureReported;
            state.FailureReported = true;
            // Reported under the lock (Changed only queues the event): a loss and a quick reconnect on two threads are
            // told in the order they happened.
            if (report) Changed?.Invoke(node.Endpoint, cause, false);
        }
    }

    /// <summary>A connect attempt of <paramref name="node"/> ended (on the thread pool): made, or failed with its error.</summary>
    public void OnAttemptEnded(NodeConnector node)
    {
        if (node.Role != ConnectionRole.Interactive) return;
        NodeState state = StateOf(node.Endpoint);
        Exception? failure = null;
        bool restored = false;
        lock (state)
        {
            if (node.Current is not null)
            {
                if (state.Connected) return;
                state.Connected = true;
                restored = state.FailureReported;
                state.FailureReported = false;
            }
            else if (node.LastError is { } error)
            {
                // Lost again already, or failed: a loss is reported by OnLost; a failed attempt once per outage.
                state.Connected = false;
                state.LastError = error;
                if (state.FailureReported) return;
                state.FailureReported = true;
                failure = error;
            }
            else
            {
                return; // made and lost again before this ran: OnLost reports it
            }
            Changed?.Invoke(node.Endpoint, failure, restored);
        }
    }

    /// <summary>What is known of <paramref name="endpoint"/>: connected (as last seen), and its last error (kept after a reconnect).</summary>
    public (bool Known, bool Connected, Exception? LastError) Get(NodeEndpoint endpoint)
    {
        if (!_states.TryGetValue(endpoint, out NodeState? state)) return (false, false, null);
        lock (state) return (true, state.Connected, state.LastError);
    }

    /// <summary>The most recent error of any node, for an error message when nothing better is known.</summary>
    public (NodeEndpoint Endpoint, Exception Error)? AnyLastError()
    {
        foreach (KeyValuePair<NodeEndpoint, NodeState> entry in _states)
        {
            lock (entry.Value)
            {
                if (!entry.Value.Connected && entry.Value.LastError is { } error) return (entry.Key, error);
            }
        }
        return null;
    }

    /// <summary>Forgets the nodes <paramref name="map"/> no longer lists.</summary>
    public void Prune(SlotMap map)
    {
        foreach (NodeEndpoint endpoint in _states.Keys)
        {
            if (!map.Contains(endpoint)) _states.TryRemove(endpoint, out _);
        }
    }

    private NodeState StateOf(NodeEndpoint endpoint) => _states.GetOrAdd(endpoint, static _ => new NodeState());

    private sealed class NodeState
    {
        public bool Connected;
        public bool FailureReported;
        public Exception? LastError;
    }
}
