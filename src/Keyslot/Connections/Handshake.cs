using Keyslot.Protocol;

namespace Keyslot.Connections;

/// <summary>
/// Opens a session on a fresh connection and prepares it for its <see cref="ConnectionRole"/>: <c>HELLO 3</c> with
/// AUTH and SETNAME in one round trip, falling back to RESP2 (<c>AUTH</c>, <c>CLIENT SETNAME</c>) on servers that do
/// not know HELLO; a refused password is final. For connections that serve replica reads, <c>READONLY</c> too
/// (pipelined behind HELLO); only those: on any other connection a read that reaches a demoted primary must be
/// answered MOVED, not served stale. For tracking connections, <c>CLIENT TRACKING ON</c> (RESP3 only: the
/// invalidations arrive as pushes on the same connection). What it settled comes back as one value.
/// </summary>
internal static class Handshake
{
    private static readonly RespCommand ReadOnly = RespCommand.Create("READONLY");
    private static readonly RespCommand TrackingOn = RespCommand.Create("CLIENT", "TRACKING", "ON");

    /// <summary><c>CLIENT TRACKING ON</c>, or with <c>BCAST PREFIX p …</c> for broadcast tracking.</summary>
    private static RespCommand TrackingCommand(string[] prefixes)
    {
        if (prefixes.Length == 0) return TrackingOn;
        var args = new RedisArgument[3 + 2 * prefixes.Length];
        args[0] = "TRACKING";
        args[1] = "ON";
        args[2] = "BCAST";
        for (int i = 0; i < prefixes.Length; i++)
        {
            args[3 + 2 * i] = "PREFIX";
            args[4 + 2 * i] = prefixes[i];
        }
        return RespCommand.Create("CLIENT", args);
    }
    private static readonly RespCommand ClientId = RespCommand.Create("CLIENT", "ID");

    public static async Task<HandshakeResult> RunAsync(NodeConnection connection, ConnectionSettings settings, ConnectionRole role, CancellationToken cancellationToken)
    {
        IssuedCredential? credential = await CredentialAsync(connection.Endpoint, settings, cancellationToken).ConfigureAwait(false);
        HandshakeResult session;
        try
        {
            session = await OpenAsync(connection, settings, credential, role == ConnectionRole.ReplicaReads, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisAuthenticationException) when (credential is { Version: > 0 })
        {
            settings.Credentials?.Refused(credential); // the next attempt asks the provider again
            throw;
        }
        connection.CredentialVersion = credential?.Version ?? 0;
        if (role == ConnectionRole.Blocking && session.ClientId == 0)
        {
            // A cancelled blocking command is ended with CLIENT UNBLOCK <id> from another connection.
            try
            {
                long id = await connection.SendDirectAsync(ClientId, static (ref RespReader r) => r.GetInt64(), cancellationToken).ConfigureAwait(false);
                return session with { ClientId = id };
            }
            catch (RedisServerException)
            {
                return session; // refused (an ACL without CLIENT): a given-up command then ends by closing its connection
            }
        }
        if (role != ConnectionRole.Tracking) return session;
        if (session.ProtocolVersion < 3)
        {
            throw new RedisConnectionException(
                $"{connection.Endpoint} speaks RESP2 only; client-side caching needs RESP3, where invalidations arrive as pushes on the tracking connection.", connection.Endpoint);
        }
        await connection.SendDirectAsync(TrackingCommand(settings.TrackingPrefixes), WholeReply.Parser, cancellationToken).ConfigureAwait(false);
        return session with { Tracking = true };
    }

    /// <summary>The fixed password, or the provider's latest credential (awaiting a refresh when it expired or was refused).</summary>
    private static async ValueTask<IssuedCredential?> CredentialAsync(NodeEndpoint endpoint, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Credentials is not { } credentials) return settings.FixedCredential;
        try
        {
            return await credentials.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            // The handshake's bound ran out while the provider was still working: say so, rather than blame the node.
            throw new RedisConnectionException($"The credential provider gave no credential for {endpoint} within the handshake's time.", endpoint, false, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ObjectDisposedException)
        {
            throw CredentialCache.ProviderFailed(endpoint, ex);
        }
    }

    private static async Task<HandshakeResult> OpenAsync(NodeConnection connection, ConnectionSettings settings, IssuedCredential? credential, bool replicaReads,
        CancellationToken cancellationToken)
    {
        bool servesReplicaReads = false;
        try
        {
            Task<RespValue> helloReply = connection.SendDirectAsync(BuildHello(settings, credential, settings.Protocol), WholeReply.Parser, cancellationToken);
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
                if (readOnlyReply is not null) servesReplicaReads = await AcceptedAsync(readOnlyReply).ConfigureAwait(false);
            }
            return new HandshakeResult(ProtocolOf(hello, settings.Protocol), servesReplicaReads, ZoneOf(hello), Tracking: false) { ClientId = IdOf(hello) };
        }
        catch (RedisServerException ex) when (ex.Kind == RedisErrorKind.UnknownCommand || ex.ServerMessage.StartsWith("NOPROTO", StringComparison.Ordinal))
        {
            return await Resp2FallbackAsync(connection, settings, credential, replicaReads, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (IsAuthFailure(ex.Kind))
        {
            throw new RedisAuthenticationException(ex.ServerMessage, connection.Endpoint);
        }
    }

    private static async Task<HandshakeResult> Resp2FallbackAsync(NodeConnection connection, ConnectionSettings settings, IssuedCredential? credential, bool replicaReads,
        CancellationToken cancellationToken)
    {
        try
        {
            if (credential is not null)
            {
                await connection.SendDirectAsync(BuildAuth(credential), WholeReply.Parser, cancellationToken).ConfigureAwait(false);
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
        bool servesReplicaReads = replicaReads && await AcceptedAsync(connection.SendDirectAsync(ReadOnly, WholeReply.Parser, cancellationToken)).ConfigureAwait(false);
        return new HandshakeResult(2, servesReplicaReads, null, Tracking: false);
    }

    /// <summary>
    /// True when READONLY was accepted, or refused because the server has no cluster mode (a replica without cluster
    /// mode serves reads as it is). Another refusal (NOPERM for a restricted user, NOAUTH before a RESP2 AUTH) is an
    /// answer, not a failure: replica reads on this connection are then redirected to the primary.
    /// </summary>
    private static async Task<bool> AcceptedAsync(Task<RespValue> readOnlyReply)
    {
        try
        {
            await readOnlyReply.ConfigureAwait(false);
            return true;
        }
        catch (RedisServerException ex)
        {
            return RedisErrorClassifier.IsClusterSupportDisabled(ex.ServerMessage);
        }
    }

    /// <summary><c>AUTH [user] password</c>: the RESP2 handshake's, and the re-authentication of a live connection.</summary>
    internal static RespCommand BuildAuth(IssuedCredential credential) => credential.User is null
        ? RespCommand.Create("AUTH", credential.Password)
        : RespCommand.Create("AUTH", credential.User, credential.Password);

    internal static RespCommand BuildHello(ConnectionSettings settings, IssuedCredential? credential, int protocol)
    {
        var args = new RedisArgument[6];
        int n = 0;
        args[n++] = protocol;
        if (credential is not null)
        {
            args[n++] = "AUTH";
            args[n++] = credential.User ?? "default";
            args[n++] = credential.Password;
        }
        if (settings.ClientName is not null)
        {
            args[n++] = "SETNAME";
            args[n++] = settings.ClientName;
        }
        return RespCommand.Create("HELLO", args.AsSpan(0, n));
    }

    internal static int ProtocolOf(RespValue hello, int requested)
    {
        foreach (KeyValuePair<string, RespValue> entry in hello.AsMap())
        {
            if (entry.Key == "proto") return (int)entry.Value.AsInt64();
        }
        return requested;
    }

    internal static long IdOf(RespValue hello)
    {
        foreach (KeyValuePair<string, RespValue> entry in hello.AsMap())
        {
            if (entry.Key == "id") return entry.Value.AsInt64();
        }
        return 0;
    }

    private static string? ZoneOf(RespValue hello)
    {
        foreach (KeyValuePair<string, RespValue> entry in hello.AsMap())
        {
            if (entry.Key == "availability_zone") return entry.Value.AsString() is { Length: > 0 } zone ? zone : null;
        }
        return null;
    }

    internal static bool IsAuthFailure(RedisErrorKind kind) =>
        kind is RedisErrorKind.NoAuth or RedisErrorKind.WrongPass or RedisErrorKind.NoPerm;
}
