using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>
/// The handshake of a <see cref="SyncConnection"/>, on the caller's thread: the same HELLO (with AUTH and SETNAME)
/// as <see cref="Handshake"/>, built and read by its shared pieces, and the same RESP2 fallback. No READONLY:
/// synchronous commands go to primaries.
/// </summary>
internal static class SyncHandshake
{
    public static HandshakeResult Run(SyncConnection connection, ConnectionSettings settings, long deadline)
    {
        RespValue hello = connection.Execute(Handshake.BuildHello(settings, settings.Protocol), WholeReply.Parser, asking: false, deadline, out ServerError? error);
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
        if (settings.Password is not null)
        {
            RespCommand auth = settings.User is null
                ? RespCommand.Create("AUTH", settings.Password)
                : RespCommand.Create("AUTH", settings.User, settings.Password);
            Expect(connection, auth, deadline);
        }
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
