using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>
/// Opens a session on a fresh connection: <c>HELLO 3</c> with AUTH and SETNAME in one round trip, falling back to
/// RESP2 (<c>AUTH</c>, <c>CLIENT SETNAME</c>) on servers that do not know HELLO. A refused password is final.
/// </summary>
internal static class Handshake
{
    private static readonly ReplyParser<RespValue> Value = static (ref RespReader r) => r.ReadValue();

    public static async Task RunAsync(NodeConnection connection, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            RespValue hello = await connection.SendDirectAsync(BuildHello(settings, settings.Protocol), Value, cancellationToken).ConfigureAwait(false);
            connection.ProtocolVersion = ProtocolOf(hello, settings.Protocol);
        }
        catch (RedisServerException ex) when (ex.Kind == RedisErrorKind.UnknownCommand || ex.ServerMessage.StartsWith("NOPROTO", StringComparison.Ordinal))
        {
            await Resp2FallbackAsync(connection, settings, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (IsAuthFailure(ex.Kind))
        {
            throw new RedisAuthenticationException(ex.ServerMessage, connection.Endpoint);
        }
    }

    private static async Task Resp2FallbackAsync(NodeConnection connection, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        connection.ProtocolVersion = 2;
        try
        {
            if (settings.Password is not null)
            {
                RespCommand auth = settings.User is null
                    ? RespCommand.Create("AUTH", settings.Password)
                    : RespCommand.Create("AUTH", settings.User, settings.Password);
                await connection.SendDirectAsync(auth, Value, cancellationToken).ConfigureAwait(false);
            }
            if (settings.ClientName is not null)
            {
                await connection.SendDirectAsync(RespCommand.Create("CLIENT", "SETNAME", settings.ClientName), Value, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RedisServerException ex) when (IsAuthFailure(ex.Kind))
        {
            throw new RedisAuthenticationException(ex.ServerMessage, connection.Endpoint);
        }
    }

    private static RespCommand BuildHello(ConnectionSettings settings, int protocol)
    {
        var args = new RedisArgument[6];
        int n = 0;
        args[n++] = protocol;
        if (settings.Password is not null)
        {
            args[n++] = "AUTH";
            args[n++] = settings.User ?? "default";
            args[n++] = settings.Password;
        }
        if (settings.ClientName is not null)
        {
            args[n++] = "SETNAME";
            args[n++] = settings.ClientName;
        }
        return RespCommand.Create("HELLO", args.AsSpan(0, n));
    }

    private static int ProtocolOf(RespValue hello, int requested)
    {
        foreach (KeyValuePair<string, RespValue> entry in hello.AsMap())
        {
            if (entry.Key == "proto") return (int)entry.Value.AsInt64();
        }
        return requested;
    }

    private static bool IsAuthFailure(RedisErrorKind kind) =>
        kind is RedisErrorKind.NoAuth or RedisErrorKind.WrongPass or RedisErrorKind.NoPerm;
}
