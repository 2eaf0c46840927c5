namespace Keyslot;

// The typed commands on keys (existence, expiry, type, copy and rename, dump and restore, sort).
public partial interface IRedisCommands
{
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
    ValueTask<long> KeySortAndStoreAsync(RedisKey key, RedisKey destination, SortOptions options = default, CancellationToken cancellationToken = default);

    /// <summary>PTTL: the remaining time to live, or null when the key has no expiry or does not exist.</summary>
    ValueTask<TimeSpan?> KeyTimeToLiveAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>TTL: seconds to live, -1 without expiry, -2 when the key does not exist.</summary>
    ValueTask<long> KeyTimeToLiveSecondsAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>PERSIST: true when an expiry was removed.</summary>
    ValueTask<bool> KeyPersistAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>TYPE: "string", "hash", … or "none".</summary>
    ValueTask<string?> KeyTypeAsync(RedisKey key, CancellationToken cancellationToken = default);
}
