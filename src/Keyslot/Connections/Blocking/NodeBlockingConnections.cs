namespace Keyslot.Connections;

/// <summary>
/// One node's blocking connections: a gate counting free places, the connectors idle now, and every connector made
/// (so that closing the node's pool also ends the commands holding one).
/// </summary>
internal sealed class NodeBlockingConnections : IAsyncDisposable
{
    private readonly NodeEndpoint _endpoint;
    private readonly ConnectionFactory _factory;
    private readonly Stack<NodeConnector> _idle = new();
    private readonly List<NodeConnector> _made = [];
    private readonly int _size;
    private bool _disposed;

    public NodeBlockingConnections(NodeEndpoint endpoint, ConnectionFactory factory, int size)
    {
        _endpoint = endpoint;
        _factory = factory;
        _size = size;
        Gate = new SemaphoreSlim(size);
    }

    /// <summary>Free places; a caller passes it before <see cref="TakeIdle"/> and releases it in <see cref="Return"/>.</summary>
    public SemaphoreSlim Gate { get; }

    public bool IsDisposed
    {
        get { lock (_idle) return _disposed; }
    }

    /// <summary>
    /// An idle connector, or a new one while the node has fewer than its size (the gate keeps the count); null when the
    /// pool was closed meanwhile (a connector made now would be closed by nobody).
    /// </summary>
    public NodeConnector? TakeIdle()
    {
        lock (_idle)
        {
            if (_disposed) return null;
            if (_idle.TryPop(out NodeConnector? idle))
            {
                idle.CloseIfDueForRenewal(System.Diagnostics.Stopwatch.GetTimestamp()); // an idle one past its age: the lease makes a new one
                return idle;
            }
            var made = new NodeConnector(_endpoint, _factory, ConnectionRole.Blocking);
            _made.Add(made);
            return made;
        }
    }

    /// <summary>
    /// Gives a connector back for the next caller (closed instead when the pool was closed meanwhile). The place is
    /// freed either way: a caller waiting at a closed pool must get through to find it closed and go elsewhere.
    /// </summary>
    public void Return(NodeConnector connector)
    {
        // Its command has returned (a blocking wait is never cut): past its age, it is closed before anyone can take it.
        connector.CloseIfDueForRenewal(System.Diagnostics.Stopwatch.GetTimestamp());
        bool closed;
        lock (_idle)
        {
            closed = _disposed;
            if (!closed) _idle.Push(connector);
        }
        if (closed) _ = connector.DisposeAsync().AsTask();
        Gate.Release();
    }

    /// <summary>Frees a place taken at the gate without a connector (the pool closed between the gate and <see cref="TakeIdle"/>).</summary>
    public void ReleaseUnused() => Gate.Release();

    public async ValueTask DisposeAsync()
    {
        NodeConnector[] made;
        int waiting;
        lock (_idle)
        {
            if (_disposed) return;
            _disposed = true;
            made = [.. _made];
            _idle.Clear();
            waiting = _size; // enough places for everyone queued at the gate to get through and see the pool closed
        }
        foreach (NodeConnector connector in made) await connector.DisposeAsync().ConfigureAwait(false);
        Gate.Release(waiting);
    }
}
