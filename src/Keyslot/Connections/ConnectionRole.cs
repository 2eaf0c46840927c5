namespace Keyslot.Connections;

/// <summary>
/// What a connection is for. The handshake prepares it for its role, and a node has at most one connector per role
/// (blocking connections excepted: a small pool of them), so traffic of one kind never changes the state of a
/// connection another kind shares.
/// </summary>
internal enum ConnectionRole : byte
{
    /// <summary>Every routed command to a primary: pipelined, shared by all callers.</summary>
    Interactive,
    /// <summary>Reads served by a replica: READONLY in the handshake (only here, so a read reaching a demoted primary on an interactive connection gets MOVED, not stale data).</summary>
    ReplicaReads,
    /// <summary>Pub/sub: its traffic is pushes (RESP3) or pub/sub messages (RESP2), delivered to the push handler.</summary>
    Subscriber,
    /// <summary>Server-assisted client-side caching: CLIENT TRACKING in the handshake (RESP3 only), invalidations as pushes.</summary>
    Tracking,
    /// <summary>Blocking commands (BLPOP, XREAD BLOCK, WAIT…): one command at a time, from the node's blocking pool; CLIENT ID in the handshake on RESP2.</summary>
    Blocking,
}
