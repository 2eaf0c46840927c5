using Microsoft.Extensions.Logging;

namespace Keyslot.Connections;

/// <summary>
/// Makes ready-to-use connections for a role: transport, push handler, read loop, handshake. One per client. With a
/// credential provider it also owns the client's credential refreshes and the re-authentication of the connections
/// it made (every role goes through here).
/// </summary>
internal sealed class ConnectionFactory : IDisposable
{
    private readonly ILogger _logger;

    public ConnectionFactory(ConnectionSettings settings, ILogger logger)
    {
        Settings = settings;
        _logger = logger;
        if (settings.Credentials is { } credentials) Reauthenticator = new Reauthenticator(credentials, logger);
    }

    public ConnectionSettings Settings { get; }

    /// <summary>The client's logger, for the connectors' renewals.</summary>
    public ILogger Logger => _logger;

    /// <summary>Null without a credential provider.</summary>
    public Reauthenticator? Reauthenticator { get; }

    /// <summary>Stops the credential refreshes and re-authentications (the connections are closed by their owners).</summary>
    public void Dispose()
    {
        Reauthenticator?.Dispose();
        Settings.Credentials?.Dispose();
    }

    public async Task<NodeConnection> ConnectAsync(NodeEndpoint endpoint, ConnectionRole role, IPushHandler? pushHandler, Action<NodeConnection, Exception>? onClosed,
        CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectCoreAsync(endpoint, role, pushHandler, onClosed, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisAuthenticationException ex)
        {
            Log.AuthenticationFailed(_logger, endpoint, ex.Message);
            throw;
        }
        catch (RedisException ex)
        {
            Log.ConnectFailed(_logger, endpoint, ex.Message, ex);
            throw;
        }
    }

    private async Task<NodeConnection> ConnectCoreAsync(NodeEndpoint endpoint, ConnectionRole role, IPushHandler? pushHandler, Action<NodeConnection, Exception>? onClosed,
        CancellationToken cancellationToken)
    {
        var pipe = await Transport.ConnectAsync(endpoint, Settings, cancellationToken).ConfigureAwait(false);
        // The push handler is in place before the first byte is read: nothing the server pushes is missed.
        var connection = new NodeConnection(endpoint, pipe, Settings, _logger, role) { PushHandler = pushHandler };
        connection.StartReading();
        // The handshake is bounded too: a node that accepts TCP but never answers (frozen, overloaded) must not
        // hold a connect, and every command waiting on it, forever. No sweep watches a connection not yet in use.
        using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        handshakeTimeout.CancelAfter(Settings.ConnectTimeout);
        try
        {
            connection.Session = await Handshake.RunAsync(connection, Settings, role, handshakeTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new RedisConnectionException(
                $"{endpoint} accepted the connection but did not answer the handshake within {Settings.ConnectTimeout.TotalMilliseconds:0} ms.", endpoint, false, ex);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        // Tracking connections are not renewed: the server sends invalidations for what was read on the connection
        // that read it, and a successor would not hear of them.
        if (role != ConnectionRole.Tracking) connection.RenewAt = Settings.RenewalDeadline(System.Diagnostics.Stopwatch.GetTimestamp());
        if (Reauthenticator is { } reauthenticator)
        {
            connection.OnClosed = (closed, cause) =>
            {
                reauthenticator.Forget(closed);
                onClosed?.Invoke(closed, cause);
            };
            reauthenticator.Track(connection);
        }
        else
        {
            connection.OnClosed = onClosed;
        }
        Log.Connected(_logger, endpoint, connection.ProtocolVersion, Settings.Ssl);
        return connection;
    }
}
