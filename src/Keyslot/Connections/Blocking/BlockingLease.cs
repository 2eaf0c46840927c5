namespace Keyslot.Connections;

/// <summary>One blocking connection's connector, held by one command; disposing gives it back to its node's pool.</summary>
internal sealed class BlockingLease : IDisposable
{
    private NodeBlockingConnections? _owner;

    public BlockingLease(NodeBlockingConnections owner, NodeConnector connector)
    {
        _owner = owner;
        Connector = connector;
    }

    public NodeConnector Connector { get; }

    public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Return(Connector);
}
