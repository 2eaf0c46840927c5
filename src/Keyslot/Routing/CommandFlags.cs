namespace Keyslot.Routing;

/// <summary>What routing and retries need to know about a command.</summary>
[Flags]
internal enum CommandFlags : byte
{
    None = 0,
    /// <summary>Reads only: safe to retry after a lost connection.</summary>
    ReadOnly = 1,
    /// <summary>A write with the same effect when applied twice (SET, DEL, HSET, EXPIRE…): retried after a lost connection only when the user opts in.</summary>
    Idempotent = 2,
}
