namespace Keyslot;

public partial interface IRedisCommands
{
    /// <summary>SADD of one member: true when it was added (false when it was already there).</summary>
    ValueTask<bool> SetAddAsync(RedisKey key, RedisArgument value, CancellationToken cancellationToken = default);

    /// <summary>SADD of several members (at least one): how many were added.</summary>
    ValueTask<long> SetAddAsync(RedisKey key, RedisArgument[] values, CancellationToken cancellationToken = default);

    /// <summary>SREM of one member: true when it was there.</summary>
    ValueTask<bool> SetRemoveAsync(RedisKey key, RedisArgument value, CancellationToken cancellationToken = default);

    /// <summary>SREM of several members (at least one): how many were there.</summary>
    ValueTask<long> SetRemoveAsync(RedisKey key, RedisArgument[] values, CancellationToken cancellationToken = default);

    /// <summary>SMEMBERS as text, in no particular order; empty for a missing key.</summary>
    ValueTask<string[]> SetMembersAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>SMEMBERS as exact bytes, in no particular order; empty for a missing key.</summary>
    ValueTask<byte[][]> SetMembersBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>SISMEMBER: whether <paramref name="value"/> is a member.</summary>
    ValueTask<bool> SetContainsAsync(RedisKey key, RedisArgument value, CancellationToken cancellationToken = default);

    /// <summary>SMISMEMBER: for each of <paramref name="values"/> (at least one), in order, whether it is a member.</summary>
    ValueTask<bool[]> SetContainsAsync(RedisKey key, RedisArgument[] values, CancellationToken cancellationToken = default);

    /// <summary>SCARD: the number of members (0 for a missing key).</summary>
    ValueTask<long> SetLengthAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>SPOP: removes and returns a random member as text, or null when the set is missing.</summary>
    ValueTask<string?> SetPopAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>SPOP: removes and returns a random member as bytes, or null when the set is missing.</summary>
    ValueTask<byte[]?> SetPopBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>SPOP with a count (at least 1): removes and returns up to <paramref name="count"/> random members; empty for a missing key.</summary>
    ValueTask<string[]> SetPopAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>SPOP with a count (at least 1), as bytes; empty for a missing key.</summary>
    ValueTask<byte[][]> SetPopBytesAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>SRANDMEMBER: a random member as text (not removed), or null when the set is missing.</summary>
    ValueTask<string?> SetRandomMemberAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>SRANDMEMBER: a random member as bytes (not removed), or null when the set is missing.</summary>
    ValueTask<byte[]?> SetRandomMemberBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// SRANDMEMBER with a count: a positive <paramref name="count"/> gives up to that many distinct members, a
    /// negative one exactly |count| members that may repeat; empty for a missing key or a count of 0.
    /// </summary>
    ValueTask<string[]> SetRandomMembersAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>SRANDMEMBER with a count, as bytes (positive: distinct; negative: |count| with repeats).</summary>
    ValueTask<byte[][]> SetRandomMembersBytesAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>
    /// One SSCAN call: the members of one page (optionally matching the glob <paramref name="pattern"/>;
    /// <paramref name="pageSize"/>, at least 1, is a hint) and the cursor for the next call, 0 when done. Start with
    /// cursor 0. <see cref="ClusterClient"/> also offers the whole scan as an async enumeration (<c>SetScanAsync</c>).
    /// </summary>
    ValueTask<SetScanPage<string>> SetScanPageAsync(RedisKey key, ulong cursor = 0, string? pattern = null, int pageSize = 10, CancellationToken cancellationToken = default);

    /// <summary>One SSCAN call with the members as exact bytes; otherwise as <see cref="SetScanPageAsync"/>.</summary>
    ValueTask<SetScanPage<byte[]>> SetScanPageBytesAsync(RedisKey key, ulong cursor = 0, string? pattern = null, int pageSize = 10, CancellationToken cancellationToken = default);

    /// <summary>
    /// SUNION / SINTER / SDIFF of <paramref name="keys"/> (at least one; for a difference, the first minus the others)
    /// as text. Keys in one slot are one command. Keys spanning slots: <see cref="ClusterClient"/> splits it (each
    /// slot's part read, per-slot SUNION/SINTER/SDIFF, merged exactly on the client; not one snapshot), while
    /// <see cref="ClusterBatch"/> and <see cref="ClusterTransaction"/> throw <see cref="RedisCrossSlotException"/>
    /// before anything is sent.
    /// </summary>
    ValueTask<string[]> SetCombineAsync(SetOperation operation, RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// SUNION / SINTER / SDIFF as exact bytes; split across slots on <see cref="ClusterClient"/> (merged on the bytes)
    /// and refused with <see cref="RedisCrossSlotException"/> on a batch or transaction, as <see cref="SetCombineAsync"/>.
    /// </summary>
    ValueTask<byte[][]> SetCombineBytesAsync(SetOperation operation, RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// SUNIONSTORE / SINTERSTORE / SDIFFSTORE: stores the result in <paramref name="destination"/> (replacing it; an
    /// empty result deletes it) and returns its size. The destination and all keys must share one slot, on every
    /// surface: otherwise <see cref="RedisCrossSlotException"/> before anything is sent (a store is never split).
    /// </summary>
    ValueTask<long> SetCombineAndStoreAsync(SetOperation operation, RedisKey destination, RedisKey[] keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// SINTERCARD: the size of the intersection of <paramref name="keys"/> (at least one), counting stops at
    /// <paramref name="limit"/> (0: no limit; negative is refused). Keys must share one slot, else
    /// <see cref="RedisCrossSlotException"/> before anything is sent.
    /// </summary>
    ValueTask<long> SetIntersectionLengthAsync(RedisKey[] keys, long limit = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// SMOVE: moves <paramref name="value"/> from <paramref name="source"/> to <paramref name="destination"/>
    /// atomically; true when it was a member of the source. Both keys must share one slot, else
    /// <see cref="RedisCrossSlotException"/> before anything is sent.
    /// </summary>
    ValueTask<bool> SetMoveAsync(RedisKey source, RedisKey destination, RedisArgument value, CancellationToken cancellationToken = default);
}
