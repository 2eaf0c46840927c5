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

    /// <summary>GET, synchronously: the value as text, or null when the key does not exist.</summary>
    string? StringGet(RedisKey key);

    /// <summary>GET, synchronously: the value's bytes, or null when the key does not exist.</summary>
    byte[]? StringGetBytes(RedisKey key);

    /// <summary>SET, synchronously, optionally with an expiry and a condition; false when the condition kept it from being set.</summary>
    bool StringSet(RedisKey key, RedisArgument value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always);

    /// <summary>DEL of one key, synchronously; true when it existed.</summary>
    bool KeyDelete(RedisKey key);

    /// <summary>EXISTS of one key, synchronously.</summary>
    bool KeyExists(RedisKey key);

    /// <summary>PEXPIRE, synchronously; false when the key does not exist.</summary>
    bool KeyExpire(RedisKey key, TimeSpan expiry);

    /// <summary>HGET, synchronously: the field's value as text, or null when the key or field does not exist.</summary>
    string? HashGet(RedisKey key, RedisArgument field);

    /// <summary>HSET of one field, synchronously; true when the field is new.</summary>
    bool HashSet(RedisKey key, RedisArgument field, RedisArgument value);
}
