namespace Keyslot;

/// <summary>
/// A node's interactive connection (the one routed commands use) was lost or could not be made
/// (<see cref="IClusterClient.ConnectionFailed"/>), or was made again (<see cref="IClusterClient.ConnectionRestored"/>).
/// </summary>
public sealed class ConnectionEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    public ConnectionEventArgs(NodeEndpoint endpoint, Exception? exception)
    {
        Endpoint = endpoint;
        Exception = exception;
    }

    /// <summary>The node.</summary>
    public NodeEndpoint Endpoint { get; }

    /// <summary>Why the connection failed; null for a restored connection.</summary>
    public Exception? Exception { get; }

    /// <summary>A one-line reason: the failure's message, or "connected".</summary>
    public string Reason => Exception?.Message ?? "connected";

    /// <inheritdoc/>
    public override string ToString() => $"{Endpoint}: {Reason}";
}
