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
    private bool _disposed;

    public NodeBlockingConnections(NodeEndpoint endpoint, ConnectionFactory factory, int size)
    {
        _endpoint = endpoint;
        _factory = factory;
        Gate = new SemaphoreSlim(size, size);
    }

    /// <summary>Free places; a caller passes it before <see cref="TakeIdle"/> and releases it in <see cref="Return"/>.</summary>
    public SemaphoreSlim Gate { get; }

    public bool IsDisposed
    {
        get { lock (_idle) return _disposed; }
    }

    /// <summary>An idle connector, or a new one while the node has fewer than its size (the gate keeps the count).</summary>
    public NodeConnector TakeIdle()
    {
        lock (_idle)
        {
            if (_idle.TryPop(out NodeConnector? idle)) return idle;
            var made = new NodeConnector(_endpoint, _factory, ConnectionRole.Blocking);
            _made.Add(made);
            return made;
        }
    }

    /// <summary>Gives a connector back for the next caller (closed instead when the pool was closed meanwhile).</summary>
    public void Return(NodeConnector connector)
    {
        bool closed;
        lock (_idle)
        {
            closed = _disposed;
            if (!closed) _idle.Push(connector);
        }
        if (closed) _ = connector.DisposeAsync().AsTask();
        else Gate.Release();
    }

    public async ValueTask DisposeAsync()
    {
        NodeConnector[] made;
        lock (_idle)
        {
            if (_disposed) return;
            _disposed = true;
            made = [.. _made];
            _idle.Clear();
        }
        foreach (NodeConnector connector in made) await connector.DisposeAsync().ConfigureAwait(false);
    }
}
