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

    /// <summary>GETRANGE: the substring from <paramref name="start"/> to <paramref name="end"/> (inclusive; negative from the end) as UTF-8 text; empty for a missing key.</summary>
    ValueTask<string> StringGetRangeAsync(RedisKey key, long start, long end, CancellationToken cancellationToken = default);

    /// <summary>GETRANGE as bytes (a range may cut a UTF-8 character; these are the exact bytes).</summary>
    ValueTask<byte[]> StringGetRangeBytesAsync(RedisKey key, long start, long end, CancellationToken cancellationToken = default);

    /// <summary>SETRANGE: overwrites from byte <paramref name="offset"/> (zero-padding a shorter or missing string) and returns the new length.</summary>
    ValueTask<long> StringSetRangeAsync(RedisKey key, long offset, RedisArgument value, CancellationToken cancellationToken = default);

    /// <summary>INCRBYFLOAT: adds <paramref name="by"/> (finite) and returns the new value.</summary>
    ValueTask<double> StringIncrementAsync(RedisKey key, double by, CancellationToken cancellationToken = default);

    /// <summary>
    /// LCS: the longest common subsequence of two strings as UTF-8 text (missing keys count as empty). The keys must
    /// share a slot (else <see cref="RedisCrossSlotException"/> before sending).
    /// </summary>
    ValueTask<string> StringLongestCommonSubsequenceAsync(RedisKey first, RedisKey second, CancellationToken cancellationToken = default);

    /// <summary>LCS as bytes: the exact bytes of the longest common subsequence.</summary>
    ValueTask<byte[]> StringLongestCommonSubsequenceBytesAsync(RedisKey first, RedisKey second, CancellationToken cancellationToken = default);

    /// <summary>LCS … LEN: the length of the longest common subsequence.</summary>
    ValueTask<long> StringLongestCommonSubsequenceLengthAsync(RedisKey first, RedisKey second, CancellationToken cancellationToken = default);

    /// <summary>LCS … IDX WITHMATCHLEN: where the subsequence's stretches are in each string (only stretches of at least <paramref name="minLength"/>: MINMATCHLEN) and its length.</summary>
    ValueTask<LcsMatchResult> StringLongestCommonSubsequenceWithMatchesAsync(RedisKey first, RedisKey second, long minLength = 0, CancellationToken cancellationToken = default);

    /// <summary>DEL of one key: true when it existed.</summary>
    ValueTask<bool> KeyDeleteAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>UNLINK of one key (freed in the background): true when it existed.</summary>
    ValueTask<bool> KeyUnlinkAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>EXISTS of one key.</summary>
    ValueTask<bool> KeyExistsAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>EXPIRE (whole seconds) or PEXPIRE: true when the key exists and the expiry was set.</summary>
    ValueTask<bool> KeyExpireAsync(RedisKey key, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>
    /// EXPIRE (whole seconds) or PEXPIRE with a condition (NX, XX, GT, LT; Redis 7.0+): true when the key exists and
    /// the condition let the expiry be set.
    /// </summary>
    ValueTask<bool> KeyExpireAsync(RedisKey key, TimeSpan expiry, ExpireWhen when, CancellationToken cancellationToken = default);

    /// <summary>
    /// EXPIREAT (whole seconds) or PEXPIREAT: expires the key at <paramref name="expireAt"/> (a time in the past
    /// deletes it), optionally only when <paramref name="when"/> holds. True when the key exists and the expiry was set.
    /// </summary>
    ValueTask<bool> KeyExpireAsync(RedisKey key, DateTimeOffset expireAt, ExpireWhen when = ExpireWhen.Always, CancellationToken cancellationToken = default);

    /// <summary>PEXPIRETIME (Redis 7.0+): when the key expires, to the millisecond; null when it has no expiry or does not exist.</summary>
    ValueTask<DateTimeOffset?> KeyExpireTimeAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// COPY: copies <paramref name="source"/> (value and expiry) to <paramref name="destination"/>, which must share
    /// its slot (else <see cref="RedisCrossSlotException"/> before sending); false when the source is missing or, without
    /// <paramref name="replace"/>, the destination exists.
    /// </summary>
    ValueTask<bool> KeyCopyAsync(RedisKey source, RedisKey destination, bool replace = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// RENAME, or RENAMENX for <see cref="SetCondition.NotExists"/> (false when <paramref name="newKey"/> exists);
    /// both keys must share a slot (else <see cref="RedisCrossSlotException"/> before sending). A missing
    /// <paramref name="key"/> is the server's error.
    /// </summary>
    ValueTask<bool> KeyRenameAsync(RedisKey key, RedisKey newKey, SetCondition when = SetCondition.Always, CancellationToken cancellationToken = default);

    /// <summary>OBJECT ENCODING: the value's internal encoding ("listpack", "int", "embstr"…), or null for a missing key.</summary>
    ValueTask<string?> KeyEncodingAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>OBJECT FREQ: the key's access-frequency counter, or null for a missing key; the server refuses it unless its maxmemory-policy is an LFU one.</summary>
    ValueTask<long?> KeyFrequencyAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>OBJECT IDLETIME: time since the key was last read or written (whole seconds), or null for a missing key; refused under an LFU maxmemory-policy.</summary>
    ValueTask<TimeSpan?> KeyIdleTimeAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>DUMP: the value serialized in Redis's format (for <see cref="KeyRestoreAsync(RedisKey, byte[], TimeSpan?, bool, TimeSpan?, long?, CancellationToken)"/>), or null for a missing key.</summary>
    ValueTask<byte[]?> KeyDumpAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// RESTORE: creates <paramref name="key"/> from a DUMP payload, with an expiry (null: none), overwriting it with
    /// <paramref name="replace"/> (else an existing key is the server's BUSYKEY error), and an idle time (IDLETIME) or
    /// an LFU frequency (FREQ, 0 to 255), not both.
    /// </summary>
    ValueTask<bool> KeyRestoreAsync(RedisKey key, byte[] value, TimeSpan? expiry = null, bool replace = false, TimeSpan? idleTime = null, long? frequency = null, CancellationToken cancellationToken = default);

    /// <summary>RESTORE … ABSTTL: as the relative form, expiring at <paramref name="expireAt"/>.</summary>
    ValueTask<bool> KeyRestoreAsync(RedisKey key, byte[] value, DateTimeOffset expireAt, bool replace = false, TimeSpan? idleTime = null, long? frequency = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// SORT_RO: the elements of a list, set or sorted set, sorted as <paramref name="options"/> say (numbers by
    /// default; ALPHA, BY, LIMIT, GET, DESC), as text; null where a GET pattern's key is missing. In a cluster the
    /// keys that BY and GET patterns form must share the key's slot, as the server checks (Redis 7.0 refuses BY patterns
    /// and GET in cluster mode altogether; see <see cref="SortOptions"/>).
    /// </summary>
    ValueTask<string?[]> KeySortAsync(RedisKey key, SortOptions options = default, CancellationToken cancellationToken = default);

    /// <summary>SORT_RO with the results as bytes.</summary>
    ValueTask<byte[]?[]> KeySortBytesAsync(RedisKey key, SortOptions options = default, CancellationToken cancellationToken = default);

    /// <summary>
    /// SORT … STORE: stores the sorted result as a list in <paramref name="destination"/> (which must share the key's
    /// slot, else <see cref="RedisCrossSlotException"/> before sending) and returns its length.
    /// </summary>
    ValueTask<long> KeySortAndStoreAsync(RedisKey destination, RedisKey key, SortOptions options = default, CancellationToken cancellationToken = default);

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
