namespace Keyslot;

/// <summary>
/// The typed commands on keys of one slot, written once (<see cref="RedisCommands"/>) and offered alike by
/// <see cref="ClusterClient"/> (sends each at once), <see cref="ClusterBatch"/> (queues them, then one write per node)
/// and <see cref="ClusterTransaction"/> (queues them for MULTI/EXEC; there the per-command token is not used: cancel
/// <see cref="ClusterTransaction.CommitAsync"/> instead). Cross-slot forms (MGET of many keys, DEL of many keys…)
/// are the client's alone (<see cref="IClusterClient"/>).
/// </summary>
public partial interface IRedisCommands
{
    /// <summary>GET: the value as UTF-8 text, or null when the key does not exist.</summary>
    ValueTask<string?> StringGetAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>GET: the value as bytes, or null when the key does not exist.</summary>
    ValueTask<byte[]?> StringGetBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>SET, with an optional expiry, NX/XX condition or KEEPTTL. Returns false when the condition prevented the write.</summary>
    ValueTask<bool> StringSetAsync(RedisKey key, RedisArgument value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always, bool keepTtl = false, CancellationToken cancellationToken = default);

    /// <summary>SET … GET: writes and returns the previous value (null when there was none).</summary>
    ValueTask<string?> StringSetAndGetAsync(RedisKey key, RedisArgument value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always, bool keepTtl = false, CancellationToken cancellationToken = default);

    /// <summary>SET … GET: writes and returns the previous value as bytes (null when there was none).</summary>
    ValueTask<byte[]?> StringSetAndGetBytesAsync(RedisKey key, RedisArgument value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always, bool keepTtl = false, CancellationToken cancellationToken = default);

    /// <summary>GETDEL: returns the value and deletes the key.</summary>
    ValueTask<string?> StringGetDeleteAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>GETDEL: returns the value as bytes (null when the key does not exist) and deletes the key.</summary>
    ValueTask<byte[]?> StringGetDeleteBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>GETEX: returns the value and sets its expiry (null removes the expiry, as PERSIST).</summary>
    ValueTask<string?> StringGetSetExpiryAsync(RedisKey key, TimeSpan? expiry, CancellationToken cancellationToken = default);

    /// <summary>GETEX: returns the value as bytes (null when the key does not exist) and sets its expiry (null removes the expiry, as PERSIST).</summary>
    ValueTask<byte[]?> StringGetSetExpiryBytesAsync(RedisKey key, TimeSpan? expiry, CancellationToken cancellationToken = default);

    /// <summary>INCR / INCRBY: returns the new value.</summary>
    ValueTask<long> StringIncrementAsync(RedisKey key, long by = 1, CancellationToken cancellationToken = default);

    /// <summary>DECR / DECRBY: returns the new value.</summary>
    ValueTask<long> StringDecrementAsync(RedisKey key, long by = 1, CancellationToken cancellationToken = default);

    /// <summary>APPEND: returns the new length.</summary>
    ValueTask<long> StringAppendAsync(RedisKey key, RedisArgument value, CancellationToken cancellationToken = default);

    /// <summary>STRLEN.</summary>
    ValueTask<long> StringLengthAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>DEL of one key: true when it existed.</summary>
    ValueTask<bool> KeyDeleteAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>UNLINK of one key (freed in the background): true when it existed.</summary>
    ValueTask<bool> KeyUnlinkAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>EXISTS of one key.</summary>
    ValueTask<bool> KeyExistsAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>EXPIRE (whole seconds) or PEXPIRE: true when the key exists and the expiry was set.</summary>
    ValueTask<bool> KeyExpireAsync(RedisKey key, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>PTTL: the remaining time to live, or null when the key has no expiry or does not exist.</summary>
    ValueTask<TimeSpan?> KeyTimeToLiveAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>TTL: seconds to live, -1 without expiry, -2 when the key does not exist.</summary>
    ValueTask<long> KeyTimeToLiveSecondsAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>PERSIST: true when an expiry was removed.</summary>
    ValueTask<bool> KeyPersistAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>TYPE: "string", "hash", … or "none".</summary>
    ValueTask<string?> KeyTypeAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>HGET as text.</summary>
    ValueTask<string?> HashGetAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default);

    /// <summary>HGET as bytes.</summary>
    ValueTask<byte[]?> HashGetBytesAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default);

    /// <summary>HMGET: values in the order of <paramref name="fields"/>, null where missing.</summary>
    ValueTask<string?[]> HashGetAsync(RedisKey key, RedisArgument[] fields, CancellationToken cancellationToken = default);

    /// <summary>HMGET as bytes: values in the order of <paramref name="fields"/>, null where missing.</summary>
    ValueTask<byte[]?[]> HashGetBytesAsync(RedisKey key, RedisArgument[] fields, CancellationToken cancellationToken = default);

    /// <summary>HGETALL.</summary>
    ValueTask<Dictionary<string, string>> HashGetAllAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>HGETALL with the values as bytes; field names are decoded as UTF-8 text.</summary>
    ValueTask<Dictionary<string, byte[]>> HashGetAllBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>HSET of one field: true when the field is new.</summary>
    ValueTask<bool> HashSetAsync(RedisKey key, RedisArgument field, RedisArgument value, CancellationToken cancellationToken = default);

    /// <summary>HSET of several fields: how many are new.</summary>
    ValueTask<long> HashSetAsync(RedisKey key, IEnumerable<KeyValuePair<RedisArgument, RedisArgument>> fields, CancellationToken cancellationToken = default);

    /// <summary>HDEL of one field: true when it existed.</summary>
    ValueTask<bool> HashDeleteAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default);

    /// <summary>HDEL of several fields: how many existed.</summary>
    ValueTask<long> HashDeleteAsync(RedisKey key, RedisArgument[] fields, CancellationToken cancellationToken = default);

    /// <summary>HINCRBY: the new value.</summary>
    ValueTask<long> HashIncrementAsync(RedisKey key, RedisArgument field, long by = 1, CancellationToken cancellationToken = default);

    /// <summary>HEXISTS.</summary>
    ValueTask<bool> HashExistsAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default);

    /// <summary>HLEN.</summary>
    ValueTask<long> HashLengthAsync(RedisKey key, CancellationToken cancellationToken = default);
}
