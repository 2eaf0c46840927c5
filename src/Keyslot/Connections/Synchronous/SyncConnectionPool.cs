using System.Collections.Concurrent;

namespace Keyslot.Connections;

/// <summary>
/// The synchronous connections of every node: per node, at most <see cref="PerNode"/> of them, each lent to one
/// caller at a time. A caller finding all of a node's in use waits at the node's gate on its own thread (a
/// fair gate, whose blocking wait needs no other thread), within its deadline.
/// </summary>
internal sealed class SyncConnectionPool : IDisposable
{
    private readonly ConcurrentDictionary<NodeEndpoint, NodeSyncConnections> _nodes = new();
    private readonly ConnectionSettings _settings;
    private volatile bool _disposed;

    public SyncConnectionPool(ConnectionSettings settings, int perNode)
    {
        _settings = settings;
        PerNode = perNode;
    }

    public int PerNode { get; }

    /// <summary>
    /// Lends a connection to <paramref name="node"/>: an idle one still open, else a new one (connected and
    /// handshaken on this thread). Null when none became free by <paramref name="deadline"/>.
    /// </summary>
    public SyncConnection? Rent(NodeEndpoint node, long deadline, out bool made)
    {
        made = false;
        ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
        NodeSyncConnections connections = _nodes.GetOrAdd(node, static (_, size) => new NodeSyncConnections(size), PerNode);
        if (!connections.Gate.Enter(Routing.RetryWait.Remaining(deadline))) return null;
        try
        {
            while (connections.TryTakeIdle(out SyncConnection? idle))
            {
                if (!idle.IsDueForRenewal && idle.LooksAlive() && HasLatestCredential(idle, deadline)) return idle;
                if (idle.IsDueForRenewal) Renewed();
                connections.Forget(idle);
            }
            ObjectDisposedException.ThrowIf(_disposed, typeof(ClusterClient));
            SyncConnection opened = SyncConnection.Open(node, _settings, deadline);
            made = true;
            if (!connections.Track(opened) || _disposed)
            {
                connections.Forget(opened);
                throw new ObjectDisposedException(nameof(ClusterClient));
            }
            return opened;
        }
        catch
        {
            connections.Gate.Leave();
            throw;
        }
    }

    /// <summary>
    /// True when an idle connection authenticated with the provider's latest credential, or does now: one AUTH on the
    /// caller's thread, cheaper than the new connection (TCP, TLS, HELLO) that closing it would cost, and never a
    /// wave of reconnects at each refresh. An AUTH that fails (refused, lost, late) gives up the connection instead.
    /// A latest credential that expired (no successor yet) or was refused is not sent: the connection keeps its
    /// authentication, which the server does not check again on a live connection.
    /// </summary>
    private bool HasLatestCredential(SyncConnection idle, long deadline)
    {
        if (_settings.Credentials is not { Current: { } latest } credentials || idle.CredentialVersion >= latest.Version || !credentials.IsUsable(latest)) return true;
        try
        {
            return SyncHandshake.Reauthenticate(idle, latest, deadline);
        }
        catch (Exception ex) when (ex is SyncTimeoutException or SyncWriteException or IOException or RedisException)
        {
            return false;
        }
    }

    /// <summary>Takes a lent connection back: kept for the next caller while usable, else closed. Frees its place either way.</summary>
    public void Return(SyncConnection connection)
    {
        NodeSyncConnections connections = _nodes[connection.Endpoint];
        bool due = connection.IsDueForRenewal; // past its maximum age: closed between commands, made again when next needed
        if (connection.IsUsable && !_disposed && !due) connections.PutIdle(connection);
        else connections.Forget(connection);
        if (due) Renewed();
        connections.Gate.Leave();
    }

    private static void Renewed() => KeyslotTelemetry.ConnectionsRenewed.Add(1, new KeyValuePair<string, object?>("keyslot.connection.role", "synchronous"));

    /// <summary>Closes every connection, also those lent out: their callers' reads fail at once and see the client disposed.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (NodeSyncConnections connections in _nodes.Values) connections.CloseAll();
    }

    /// <summary>One node's connections: the gate counting free places, the idle ones, and all of them (for closing).</summary>
    private sealed class NodeSyncConnections
    {
        private readonly Stack<SyncConnection> _idle = new();
        private readonly HashSet<SyncConnection> _all = [];
        private bool _closed;

        public NodeSyncConnections(int size) => Gate = new FairGate(size);

        public FairGate Gate { get; }

        public bool TryTakeIdle([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SyncConnection? connection)
        {
            lock (_idle) return _idle.TryPop(out connection);
        }

        public bool Track(SyncConnection connection)
        {
            lock (_idle) return !_closed && _all.Add(connection);
        }

        public void PutIdle(SyncConnection connection)
        {
            lock (_idle)
            {
                if (!_closed)
                {
                    _idle.Push(connection);
                    return;
                }
            }
            connection.Dispose();
        }

        public void Forget(SyncConnection connection)
        {
            lock (_idle) _all.Remove(connection);
            connection.Dispose();
        }

        public void CloseAll()
        {
            SyncConnection[] idle;
            SyncConnection[] lent;
            lock (_idle)
            {
                _closed = true;
                idle = [.. _idle];
                _all.ExceptWith(idle);
                lent = [.. _all];
                _all.Clear();
                _idle.Clear();
            }
            foreach (SyncConnection connection in idle) connection.Dispose();
            // A lent one is only cut off (its caller's read fails at once); its caller still owns its buffers and
            // disposes it on return.
            foreach (SyncConnection connection in lent) connection.Abort();
        }
    }
}
