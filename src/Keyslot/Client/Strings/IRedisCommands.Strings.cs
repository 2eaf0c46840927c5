namespace Keyslot;

// The typed commands on strings (GET, SET and their kin, ranges, counters, LCS).
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
}
