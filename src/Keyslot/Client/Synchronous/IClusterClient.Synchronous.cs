namespace Keyslot;

/// <summary>
/// Synchronous commands, for the synchronous interfaces of .NET (IDistributedCache's sync half, the DataProtection
/// key ring). They run on the caller's thread over blocking sockets of their own, so they never need the thread
/// pool: they neither deadlock under a synchronization context nor starve when the pool is exhausted. Async code
/// should use the async commands, which pipeline on shared connections.
/// </summary>
public partial interface IClusterClient
{
    /// <summary>
    /// Runs any single-slot command synchronously and returns its reply, routed by its keys (the command table) as
    /// <see cref="ExecuteAsync(string, RedisArgument[])"/> is, following MOVED, ASK and failovers within the command
    /// timeout. Blocking commands and commands that fan out to every shard are refused
    /// (<see cref="RedisCommandRefusedException"/>); keys of different slots throw <see cref="RedisCrossSlotException"/>.
    /// </summary>
    RespValue Execute(string command, params RedisArgument[] args);
}
