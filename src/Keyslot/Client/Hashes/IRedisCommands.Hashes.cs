namespace Keyslot;

// The typed commands on hashes.
public partial interface IRedisCommands
{
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

    /// <summary>HSETNX: sets the field only when it does not exist yet; true when it was set.</summary>
    ValueTask<bool> HashSetIfNotExistsAsync(RedisKey key, RedisArgument field, RedisArgument value, CancellationToken cancellationToken = default);

    /// <summary>HINCRBYFLOAT: adds <paramref name="by"/> to the field's number and returns the new value.</summary>
    ValueTask<double> HashIncrementAsync(RedisKey key, RedisArgument field, double by, CancellationToken cancellationToken = default);

    /// <summary>HKEYS: the field names (empty for a missing key).</summary>
    ValueTask<string[]> HashKeysAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>HVALS: the values as text (empty for a missing key).</summary>
    ValueTask<string[]> HashValuesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>HVALS with the values as exact bytes.</summary>
    ValueTask<byte[][]> HashValuesBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>HSTRLEN: the length in bytes of the field's value (0 when the field or key is missing).</summary>
    ValueTask<long> HashStringLengthAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default);

    /// <summary>HRANDFIELD: one random field name, or null for a missing key.</summary>
    ValueTask<string?> HashRandomFieldAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>HRANDFIELD with a count: up to <paramref name="count"/> distinct fields, or with a negative count exactly −count fields that may repeat.</summary>
    ValueTask<string[]> HashRandomFieldsAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>HRANDFIELD … WITHVALUES: random fields with their values (count as in <see cref="HashRandomFieldsAsync"/>).</summary>
    ValueTask<KeyValuePair<string, string>[]> HashRandomFieldsWithValuesAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of HSCAN: the fields and values after <paramref name="cursor"/> (0 to start) matching
    /// <paramref name="pattern"/>; the page's cursor is 0 when the whole hash has been scanned. See also the client's
    /// <see cref="IClusterClient.HashScanAsync"/>, which pages through it.
    /// </summary>
    ValueTask<HashScanPage<string>> HashScanPageAsync(RedisKey key, ulong cursor = 0, string? pattern = null, int pageSize = 10, CancellationToken cancellationToken = default);

    /// <summary>One page of HSCAN with the values as exact bytes.</summary>
    ValueTask<HashScanPage<byte[]>> HashScanPageBytesAsync(RedisKey key, ulong cursor = 0, string? pattern = null, int pageSize = 10, CancellationToken cancellationToken = default);
}
