namespace Keyslot;

/// <summary>The server refused the configured user or password (NOAUTH, WRONGPASS or NOPERM during the handshake). Not retried.</summary>
public sealed class RedisAuthenticationException : RedisConnectionException
{
    /// <summary>Creates the exception.</summary>
    public RedisAuthenticationException(string serverMessage, NodeEndpoint node)
        : base($"Authentication to {node} failed: {serverMessage}", node)
    {
        ServerMessage = serverMessage;
    }

    /// <summary>The server's error text.</summary>
    public string ServerMessage { get; }
}
