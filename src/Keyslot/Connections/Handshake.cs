using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>
/// Opens a session on a fresh connection: <c>HELLO 3</c> with AUTH and SETNAME in one round trip, falling back to
/// RESP2 (<c>AUTH</c>, <c>CLIENT SETNAME</c>) on servers that do not know HELLO. A refused password is final.
/// For connections that serve replica reads, <c>READONLY</c> too (pipelined behind HELLO). Only those: on any other
/// connection a read that reaches a demoted primary must be answered MOVED, not served stale.
/// </summary>
internal static class Handshake
{
    private static readonly RespCommand ReadOnly = RespCommand.Create("READONLY");

    public static async Task RunAsync(NodeConnection connection, ConnectionSettings settings, bool replicaReads, CancellationToken cancellationToken)
    {
        try
        {
            Task<RespValue> helloReply = connection.SendDirectAsync(BuildHello(settings, settings.Protocol), WholeReply.Parser, cancellationToken);
            // Pipelined behind HELLO (which authenticates first), so READONLY costs no extra round trip.
            Task<RespValue>? readOnlyReply = replicaReads ? connection.SendDirectAsync(ReadOnly, WholeReply.Parser, cancellationToken) : null;
            RespValue hello;
            try
            {
                hello = await helloReply.ConfigureAwait(false);
            }
            finally
            {
                // Whatever HELLO said, READONLY's reply is read here, so its task never goes unobserved.
                if (readOnlyReply is not null) connection.ServesReplicaReads = await AcceptedAsync(readOnlyReply).ConfigureAwait(false);
            }
            connection.ProtocolVersion = ProtocolOf(hello, settings.Protocol);
            connection.AvailabilityZone = ZoneOf(hello);
        }
        catch (RedisServerException ex) when (ex.Kind == RedisErrorKind.UnknownCommand || ex.ServerMessage.StartsWith("NOPROTO", StringComparison.Ordinal))
        {
            await Resp2FallbackAsync(connection, settings, replicaReads, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (IsAuthFailure(ex.Kind))
        {
            throw new RedisAuthenticationException(ex.ServerMessage, connection.Endpoint);
        }
    }

    private static async Task Resp2FallbackAsync(NodeConnection connection, ConnectionSettings settings, bool replicaReads, CancellationToken cancellationToken)
    {
        connection.ProtocolVersion = 2;
        try
        {
            if (settings.Password is not null)
            {
                RespCommand auth = settings.User is null
                    ? RespCommand.Create("AUTH", settings.Password)
                    : RespCommand.Create("AUTH", settings.User, settings.Password);
                await connection.SendDirectAsync(auth, WholeReply.Parser, cancellationToken).ConfigureAwait(false);
            }
            if (settings.ClientName is not null)
            {
                await connection.SendDirectAsync(RespCommand.Create("CLIENT", "SETNAME", settings.ClientName), WholeReply.Parser, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RedisServerException ex) when (IsAuthFailure(ex.Kind))
        {
            throw new RedisAuthenticationException(ex.ServerMessage, connection.Endpoint);
        }
        if (replicaReads) connection.ServesReplicaReads = await AcceptedAsync(connection.SendDirectAsync(ReadOnly, WholeReply.Parser, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// True when READONLY was accepted. A refusal (NOPERM for a restricted user, NOAUTH before a RESP2 AUTH) is an
    /// answer, not a failure: replica reads on this connection are then redirected to the primary.
    /// </summary>
    private static async Task<bool> AcceptedAsync(Task<RespValue> readOnlyReply)
    {
        try
        {
            await readOnlyReply.ConfigureAwait(false);
            return true;
        }
        catch (RedisServerException)
        {
            return false;
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

    private static string? ZoneOf(RespValue hello)
    {
        foreach (KeyValuePair<string, RespValue> entry in hello.AsMap())
        {
            if (entry.Key == "availability_zone") return entry.Value.AsString() is { Length: > 0 } zone ? zone : null;
        }
        return null;
    }

    private static bool IsAuthFailure(RedisErrorKind kind) =>
        kind is RedisErrorKind.NoAuth or RedisErrorKind.WrongPass or RedisErrorKind.NoPerm;
}
