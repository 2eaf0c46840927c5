namespace Keyslot;

public partial interface IRedisCommands
{
    /// <summary>PFADD of one element: true when the HyperLogLog's estimate changed (or the key was created).</summary>
    ValueTask<bool> HyperLogLogAddAsync(RedisKey key, RedisArgument element, CancellationToken cancellationToken = default);

    /// <summary>
    /// PFADD of several elements: true when the estimate changed (or the key was created). No elements creates an
    /// empty HyperLogLog when the key does not exist.
    /// </summary>
    ValueTask<bool> HyperLogLogAddAsync(RedisKey key, RedisArgument[] elements, CancellationToken cancellationToken = default);

    /// <summary>PFCOUNT of one key: the estimated number of distinct elements (0 when the key does not exist).</summary>
    ValueTask<long> HyperLogLogLengthAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// PFCOUNT of several keys: the estimated size of their UNION (not a sum, so it cannot be split by slot). The keys
    /// must share a slot: otherwise <see cref="RedisCrossSlotException"/> is thrown before anything is sent.
    /// </summary>
    ValueTask<long> HyperLogLogLengthAsync(RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// PFMERGE: merges <paramref name="sourceKeys"/> into <paramref name="destination"/> (whose own elements are
    /// kept); true when the server answered OK. Destination and sources must share a slot: otherwise
    /// <see cref="RedisCrossSlotException"/> is thrown before anything is sent.
    /// </summary>
    ValueTask<bool> HyperLogLogMergeAsync(RedisKey destination, RedisKey[] sourceKeys, CancellationToken cancellationToken = default);
}
