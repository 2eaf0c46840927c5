namespace Keyslot.Connections;

/// <summary>What the handshake settled and learnt about a connection, as one value.</summary>
/// <param name="ProtocolVersion">The RESP version in use (2 or 3).</param>
/// <param name="ServesReplicaReads">True when READONLY was accepted: the connection can serve reads if its node is a replica.</param>
/// <param name="AvailabilityZone">The node's availability zone when its HELLO reply says (Valkey 8+), else null.</param>
/// <param name="Tracking">True when CLIENT TRACKING is on: the server pushes invalidations for what this connection read.</param>
internal readonly record struct HandshakeResult(int ProtocolVersion, bool ServesReplicaReads, string? AvailabilityZone, bool Tracking)
{
    /// <summary>
    /// The server's id for this connection (from HELLO; on RESP2 servers asked with CLIENT ID on blocking connections
    /// only), 0 when not known: CLIENT UNBLOCK needs it to end a cancelled blocking command.
    /// </summary>
    public long ClientId { get; init; }

    /// <summary>Before any handshake: RESP2, nothing learnt.</summary>
    public static HandshakeResult None => new(2, false, null, false);
}
