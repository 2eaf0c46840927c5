namespace Keyslot.Routing;

/// <summary>What routing and retries need to know about a command.</summary>
[Flags]
internal enum CommandFlags : byte
{
    None = 0,
    /// <summary>Reads only: may go to a replica, and is safe to send again after a lost connection.</summary>
    /// <remarks>Whether a write may be sent again is decided by <see cref="RetrySafety"/> from the command itself.</remarks>
    ReadOnly = 1,
    /// <summary>
    /// Blocks its connection until its timeout or an event (BLPOP, XREAD BLOCK, WAIT): runs on a dedicated connection
    /// of the node's blocking pool, never on the shared pipelined one.
    /// </summary>
    Blocking = 2,
    /// <summary>
    /// A read the client-side cache may answer (when it is on): its key is its first argument, and the server's
    /// invalidation of that key covers its reply.
    /// </summary>
    Cacheable = 4,
}
