using System.Collections.Concurrent;
using Keyslot.Topology;

namespace Keyslot.Connections;

/// <summary>
/// The dedicated connections for blocking commands: per node at most a configured few, made on first use and kept
/// for the next caller. A blocking command holds one for its whole wait, so it never holds up the node's shared
/// pipelined connection; a caller finding all of a node's in use waits for one, first come first served.
/// </summary>
internal sealed class BlockingPool : IAsyncDisposable
{
    private readonly ConcurrentDictionary<NodeEndpoint, NodeBlockingConnections> _nodes = new();
    private readonly ConnectionFactory _factory;
    private readonly int _perNode;
    private volatile bool _disposed;

    public BlockingPool(ConnectionFactory factory, int perNode)
    {
        _factory = factory;
        _perNode = perNode;
    }

    /// <summary>The most connections per node.</summary>
    public int PerNode => _perNode;

    /// <summary>
    /// A connector of <paramref name="endpoint"/>'s pool for one command, waiting up to <paramref name="wait"/> for
    /// one to be free; null when none was free in time. Dispose the lease to give it back.
    /// </summary>
    public async ValueTask<BlockingLease?> RentAsync(NodeEndpoint endpoint, TimeSpan wait, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
        NodeBlockingConnections node = _nodes.GetOrAdd(endpoint, static (e, pool) => new NodeBlockingConnections(e, pool._factory, pool._perNode), this);
        if (!await node.Gate.WaitAsync(wait, cancellationToken).ConfigureAwait(false)) return null;
        if (!_disposed && node.TakeIdle() is { } connector) return new BlockingLease(node, connector);
        node.ReleaseUnused();
        ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
        // This node's pool was closed meanwhile (it left the map, or lost its slots): a fresh one, if it is still wanted.
        _nodes.TryRemove(new KeyValuePair<NodeEndpoint, NodeBlockingConnections>(endpoint, node));
        return await RentAsync(endpoint, wait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the pools of nodes that own no slots in <paramref name="map"/>: gone, failed over (a frozen former
    /// primary keeps its sockets open, and a command blocked there would wait for ever), or emptied by a reshard. Their
    /// commands end as lost connections and go again where the map says.
    /// </summary>
    public void RemoveNotOwning(SlotMap map)
    {
        foreach (KeyValuePair<NodeEndpoint, NodeBlockingConnections> entry in _nodes)
        {
            if (!map.OwnsSlots(entry.Key) && _nodes.TryRemove(entry)) _ = entry.Value.DisposeAsync().AsTask();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (NodeBlockingConnections node in _nodes.Values) await node.DisposeAsync().ConfigureAwait(false);
        _nodes.Clear();
    }
}
