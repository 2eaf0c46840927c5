using Microsoft.Extensions.Logging;

namespace Keyslot.Connections;

/// <summary>Makes ready-to-use connections: transport, read loop, handshake. One per client.</summary>
internal sealed class ConnectionFactory
{
    private readonly ILogger _logger;

    public ConnectionFactory(ConnectionSettings settings, ILogger logger)
    {
        Settings = settings;
        _logger = logger;
    }

    public ConnectionSettings Settings { get; }

    public async Task<NodeConnection> ConnectAsync(NodeEndpoint endpoint, bool replicaReads, Action<NodeConnection, Exception>? onClosed, CancellationToken cancellationToken)
    {
        var pipe = await Transport.ConnectAsync(endpoint, Settings, cancellationToken).ConfigureAwait(false);
        var connection = new NodeConnection(endpoint, pipe, Settings, _logger);
        connection.StartReading();
        try
        {
            await Handshake.RunAsync(connection, Settings, replicaReads, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        connection.OnClosed = onClosed;
        Log.Connected(_logger, endpoint.ToString(), connection.ProtocolVersion, Settings.Ssl);
        return connection;
    }
}
