using System.Collections.Concurrent;
using System.Diagnostics;
using Keyslot.Connections;
using Keyslot.Topology;

namespace Keyslot.Routing;

/// <summary>
/// The connectors the client holds: at most one per node and <see cref="ConnectionRole"/> (everything routed to a
/// primary; replica reads, with READONLY, so that a read reaching a demoted primary on the first kind gets MOVED
/// instead of stale data; subscribers, tracking, blocking). Made on first use, closed when their node leaves the map
/// or the client is disposed.
/// </summary>
internal sealed class NodeRegistry : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(NodeEndpoint Endpoint, ConnectionRole Role), NodeConnector> _nodes = new();
    private readonly ConnectionFactory _factory;
    private readonly Dictionary<string, string> _zones;
    private readonly Action<NodeConnector, Exception> _onConnectionLost;
    private readonly Action _onConnectAttemptEnded;
    private readonly Action<NodeConnector>? _onInteractiveAttemptEnded;
    private volatile bool _disposed;

    /// <param name="factory">Makes the connections.</param>
    /// <param name="zones">Configured availability zones by <c>host:port</c> or host.</param>
    /// <param name="onConnectionLost">Told when an established connection is lost.</param>
    /// <param name="onConnectAttemptEnded">Told when any connect attempt ends, made or failed.</param>
    /// <param name="onInteractiveAttemptEnded">Told, with the connector, when a connect attempt of an interactive connector ends (the client's connection events).</param>
    public NodeRegistry(ConnectionFactory factory, IDictionary<string, string> zones, Action<NodeConnector, Exception> onConnectionLost, Action onConnectAttemptEnded,
        Action<NodeConnector>? onInteractiveAttemptEnded = null)
    {
        _onInteractiveAttemptEnded = onInteractiveAttemptEnded;
        _factory = factory;
        _zones = new Dictionary<string, string>(zones, StringComparer.OrdinalIgnoreCase);
        _onConnectionLost = onConnectionLost;
        _onConnectAttemptEnded = onConnectAttemptEnded;
    }

    /// <summary>Every connector held now.</summary>
    public ICollection<NodeConnector> Connectors => _nodes.Values;

    /// <summary>The nodes the client holds connectors for (tests check that departed nodes are closed).</summary>
    public IReadOnlyCollection<NodeEndpoint> KnownNodes
    {
        get
        {
            var known = new HashSet<NodeEndpoint>();
            foreach ((NodeEndpoint endpoint, _) in _nodes.Keys) known.Add(endpoint);
            return known;
        }
    }

    /// <summary>
    /// The connector for <paramref name="endpoint"/> and <paramref name="role"/>, made on first use with
    /// <paramref name="pushHandler"/> for its connections' pushes. One handler per node and role: asking again with
    /// another one is a mistake (its pushes would silently go elsewhere) and throws.
    /// </summary>
    public NodeConnector Get(NodeEndpoint endpoint, ConnectionRole role = ConnectionRole.Interactive, IPushHandler? pushHandler = null)
    {
        if (_nodes.TryGetValue((endpoint, role), out NodeConnector? existing)) return Checked(existing, pushHandler);
        // After disposal no new connector may appear: nothing would ever close it.
        ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
        var created = new NodeConnector(endpoint, _factory, role) { ConfiguredZone = ZoneOf(endpoint), PushHandler = pushHandler };
        NodeConnector winner = _nodes.GetOrAdd((endpoint, role), created);
        if (ReferenceEquals(winner, created))
        {
            winner.ConnectionLost += _onConnectionLost;
            winner.ConnectAttemptEnded += _onConnectAttemptEnded;
            if (role == ConnectionRole.Interactive && _onInteractiveAttemptEnded is { } ended) winner.ConnectAttemptEnded += () => ended(winner);
        }
        if (_disposed)
        {
            // Disposal ran between the check and the add, and may have missed this one.
            _nodes.TryRemove((endpoint, role), out _);
            _ = winner.DisposeAsync().AsTask();
            throw new ObjectDisposedException(nameof(ClusterClient));
        }
        return Checked(winner, pushHandler);
    }

    private static NodeConnector Checked(NodeConnector connector, IPushHandler? pushHandler)
    {
        if (pushHandler is not null && !ReferenceEquals(connector.PushHandler, pushHandler))
        {
            throw new InvalidOperationException(
                $"The {connector.Role} connector of {connector.Endpoint} was made with {(connector.PushHandler is null ? "no" : "another")} push handler; a connector's handler is fixed when it is made.");
        }
        return connector;
    }

    /// <summary>The primary-routed connector for <paramref name="endpoint"/> if one exists (none is made).</summary>
    public NodeConnector? Find(NodeEndpoint endpoint) => _nodes.TryGetValue((endpoint, ConnectionRole.Interactive), out NodeConnector? node) ? node : null;

    /// <summary>A node to ask last for the topology: it failed to connect recently, or has commands pending and has been silent.</summary>
    public bool IsSuspect(NodeEndpoint endpoint) => Find(endpoint) is { IsSuspect: true };

    /// <summary>
    /// Takes out the connectors of nodes that <paramref name="map"/> no longer lists (a configuration endpoint
    /// included: the refresher makes a new connector for it by name only when no known node answers).
    /// </summary>
    public List<NodeConnector>? RemoveDeparted(SlotMap map)
    {
        List<NodeConnector>? gone = null;
        foreach (KeyValuePair<(NodeEndpoint Endpoint, ConnectionRole Role), NodeConnector> entry in _nodes)
        {
            if (!map.Contains(entry.Key.Endpoint) && _nodes.TryRemove(entry)) (gone ??= []).Add(entry.Value);
        }
        return gone;
    }

    /// <summary>
    /// Closes the connector of a node that left the cluster once what it holds has been answered (bounded by
    /// <paramref name="timeout"/>), so that a command still in flight there is not failed by our own hand.
    /// </summary>
    public async Task RetireAsync(NodeConnector node, TimeSpan timeout)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (node.Current is { InFlight: > 0 } && Stopwatch.GetTimestamp() < deadline && !_disposed)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }
        await node.DisposeAsync().ConfigureAwait(false);
    }

    private string? ZoneOf(NodeEndpoint endpoint) =>
        _zones.Count == 0 ? null : _zones.TryGetValue(endpoint.ToString(), out string? zone) || _zones.TryGetValue(endpoint.Host, out zone) ? zone : null;

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (NodeConnector node in _nodes.Values)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
        _nodes.Clear();
    }
}
