using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>
/// The handshake of a <see cref="SyncConnection"/>, on the caller's thread: the same HELLO (with AUTH and SETNAME)
/// as <see cref="Handshake"/>, built and read by its shared pieces, and the same RESP2 fallback. No READONLY:
/// synchronous commands go to primaries. A provided credential comes from the client's <see cref="CredentialCache"/>
/// without awaiting anything (<see cref="CredentialCache.GetForSync"/>).
/// </summary>
internal static class SyncHandshake
{
    public static HandshakeResult Run(SyncConnection connection, ConnectionSettings settings, long deadline)
    {
        IssuedCredential? credential = settings.Credentials is { } credentials ? credentials.GetForSync(connection.Endpoint, deadline) : settings.FixedCredential;
        try
        {
            HandshakeResult session = Open(connection, settings, credential, deadline);
            connection.CredentialVersion = credential?.Version ?? 0;
            return session;
        }
        catch (RedisAuthenticationException) when (credential is { Version: > 0 })
        {
            settings.Credentials?.Refused(credential); // the next handshake asks the provider again
            throw;
        }
    }

    /// <summary>
    /// Sends the provider's latest credential (AUTH) on an idle connection that authenticated with an older one,
    /// before it is lent again. False when the server refused it: the caller then closes the connection.
    /// </summary>
    public static bool Reauthenticate(SyncConnection connection, IssuedCredential credential, long deadline)
    {
        connection.Execute(Handshake.BuildAuth(credential), WholeReply.Parser, asking: false, deadline, out ServerError? error);
        if (error is not null) return false;
        connection.CredentialVersion = credential.Version;
        return true;
    }

    private static HandshakeResult Open(SyncConnection connection, ConnectionSettings settings, IssuedCredential? credential, long deadline)
    {
        RespValue hello = connection.Execute(Handshake.BuildHello(settings, credential, settings.Protocol), WholeReply.Parser, asking: false, deadline, out ServerError? error);
        if (error is null)
        {
            return new HandshakeResult(Handshake.ProtocolOf(hello, settings.Protocol), false, null, Tracking: false) { ClientId = Handshake.IdOf(hello) };
        }
        ThrowIfAuthFailure(error, connection);
        if (error.Kind != RedisErrorKind.UnknownCommand && !error.Message.StartsWith("NOPROTO", StringComparison.Ordinal))
        {
            throw new RedisServerException(error.Kind, error.Message, "HELLO", connection.Endpoint);
        }
        // A server without HELLO (or without RESP3): RESP2 with AUTH and CLIENT SETNAME.
        if (credential is not null) Expect(connection, Handshake.BuildAuth(credential), deadline);
        if (settings.ClientName is not null) Expect(connection, RespCommand.Create("CLIENT", "SETNAME", settings.ClientName), deadline);
        return new HandshakeResult(2, false, null, Tracking: false);
    }

    private static void Expect(SyncConnection connection, in RespCommand command, long deadline)
    {
        connection.Execute(command, WholeReply.Parser, asking: false, deadline, out ServerError? error);
        if (error is null) return;
        ThrowIfAuthFailure(error, connection);
        throw new RedisServerException(error.Kind, error.Message, command.Name, connection.Endpoint);
    }

    private static void ThrowIfAuthFailure(ServerError error, SyncConnection connection)
    {
        if (Handshake.IsAuthFailure(error.Kind)) throw new RedisAuthenticationException(error.Message, connection.Endpoint);
    }
}
