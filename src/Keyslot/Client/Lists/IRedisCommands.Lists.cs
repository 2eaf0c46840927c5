namespace Keyslot;

public partial interface IRedisCommands
{
    /// <summary>
    /// LPUSH (or LPUSHX with <see cref="ListPushCondition.Exists"/>) of one value at the head: the list's new length
    /// (0 with LPUSHX when the key did not exist, and nothing is created).
    /// </summary>
    ValueTask<long> ListLeftPushAsync(RedisKey key, RedisArgument value, ListPushCondition when = ListPushCondition.Always, CancellationToken cancellationToken = default);

    /// <summary>
    /// LPUSH (or LPUSHX) of several values, each pushed at the head in turn (so the last ends up first): the list's
    /// new length. At least one value is needed.
    /// </summary>
    ValueTask<long> ListLeftPushAsync(RedisKey key, RedisArgument[] values, ListPushCondition when = ListPushCondition.Always, CancellationToken cancellationToken = default);

    /// <summary>RPUSH (or RPUSHX with <see cref="ListPushCondition.Exists"/>) of one value at the tail: the list's new length (0 with RPUSHX on a missing key).</summary>
    ValueTask<long> ListRightPushAsync(RedisKey key, RedisArgument value, ListPushCondition when = ListPushCondition.Always, CancellationToken cancellationToken = default);

    /// <summary>RPUSH (or RPUSHX) of several values at the tail, in order: the list's new length. At least one value is needed.</summary>
    ValueTask<long> ListRightPushAsync(RedisKey key, RedisArgument[] values, ListPushCondition when = ListPushCondition.Always, CancellationToken cancellationToken = default);

    /// <summary>LPOP: removes and returns the head as text, or null when the list is empty or missing.</summary>
    ValueTask<string?> ListLeftPopAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>LPOP: removes and returns the head as bytes, or null when the list is empty or missing.</summary>
    ValueTask<byte[]?> ListLeftPopBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>LPOP with a count (at least 1): up to <paramref name="count"/> values from the head, in order; empty for a missing key.</summary>
    ValueTask<string[]> ListLeftPopAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>LPOP with a count (at least 1), as bytes: up to <paramref name="count"/> values from the head; empty for a missing key.</summary>
    ValueTask<byte[][]> ListLeftPopBytesAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>RPOP: removes and returns the tail as text, or null when the list is empty or missing.</summary>
    ValueTask<string?> ListRightPopAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>RPOP: removes and returns the tail as bytes, or null when the list is empty or missing.</summary>
    ValueTask<byte[]?> ListRightPopBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>RPOP with a count (at least 1): up to <paramref name="count"/> values from the tail, tail first; empty for a missing key.</summary>
    ValueTask<string[]> ListRightPopAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>RPOP with a count (at least 1), as bytes: up to <paramref name="count"/> values from the tail, tail first; empty for a missing key.</summary>
    ValueTask<byte[][]> ListRightPopBytesAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>
    /// LMPOP … LEFT (never blocks): pops up to <paramref name="count"/> values from the head of the first non-empty
    /// list among <paramref name="keys"/>; null when all are empty or missing. The keys must share one hash slot (use a
    /// hashtag): keys in different slots throw <see cref="RedisCrossSlotException"/> before anything is sent, on every
    /// surface (a pop is not split across nodes).
    /// </summary>
    ValueTask<ListPopResult<string>?> ListLeftPopAsync(RedisKey[] keys, long count = 1, CancellationToken cancellationToken = default);

    /// <summary>LMPOP … LEFT with the values as bytes; otherwise as <see cref="ListLeftPopAsync(RedisKey[], long, CancellationToken)"/> (keys in one slot).</summary>
    ValueTask<ListPopResult<byte[]>?> ListLeftPopBytesAsync(RedisKey[] keys, long count = 1, CancellationToken cancellationToken = default);

    /// <summary>
    /// LMPOP … RIGHT (never blocks): pops up to <paramref name="count"/> values from the tail of the first non-empty
    /// list among <paramref name="keys"/>; null when all are empty or missing. Keys must share one slot, else
    /// <see cref="RedisCrossSlotException"/> before anything is sent.
    /// </summary>
    ValueTask<ListPopResult<string>?> ListRightPopAsync(RedisKey[] keys, long count = 1, CancellationToken cancellationToken = default);

    /// <summary>LMPOP … RIGHT with the values as bytes; otherwise as <see cref="ListRightPopAsync(RedisKey[], long, CancellationToken)"/> (keys in one slot).</summary>
    ValueTask<ListPopResult<byte[]>?> ListRightPopBytesAsync(RedisKey[] keys, long count = 1, CancellationToken cancellationToken = default);

    /// <summary>LRANGE: the values from <paramref name="start"/> to <paramref name="stop"/> inclusive (negative indexes count from the tail) as text; empty for a missing key.</summary>
    ValueTask<string[]> ListRangeAsync(RedisKey key, long start = 0, long stop = -1, CancellationToken cancellationToken = default);

    /// <summary>LRANGE as bytes: the values from <paramref name="start"/> to <paramref name="stop"/> inclusive; empty for a missing key.</summary>
    ValueTask<byte[][]> ListRangeBytesAsync(RedisKey key, long start = 0, long stop = -1, CancellationToken cancellationToken = default);

    /// <summary>LINDEX: the value at <paramref name="index"/> (negative counts from the tail) as text, or null when out of range or missing.</summary>
    ValueTask<string?> ListGetByIndexAsync(RedisKey key, long index, CancellationToken cancellationToken = default);

    /// <summary>LINDEX as bytes, or null when out of range or missing.</summary>
    ValueTask<byte[]?> ListGetByIndexBytesAsync(RedisKey key, long index, CancellationToken cancellationToken = default);

    /// <summary>
    /// LSET: replaces the value at <paramref name="index"/>; true when done. A missing key or an index out of range
    /// fails with <see cref="RedisServerException"/>.
    /// </summary>
    ValueTask<bool> ListSetByIndexAsync(RedisKey key, long index, RedisArgument value, CancellationToken cancellationToken = default);

    /// <summary>LINSERT … BEFORE: inserts <paramref name="value"/> before the first <paramref name="pivot"/>; the new length, -1 when the pivot is not found, 0 when the key is missing.</summary>
    ValueTask<long> ListInsertBeforeAsync(RedisKey key, RedisArgument pivot, RedisArgument value, CancellationToken cancellationToken = default);

    /// <summary>LINSERT … AFTER: inserts <paramref name="value"/> after the first <paramref name="pivot"/>; the new length, -1 when the pivot is not found, 0 when the key is missing.</summary>
    ValueTask<long> ListInsertAfterAsync(RedisKey key, RedisArgument pivot, RedisArgument value, CancellationToken cancellationToken = default);

    /// <summary>LLEN: the list's length (0 for a missing key).</summary>
    ValueTask<long> ListLengthAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// LREM: removes occurrences of <paramref name="value"/>: all of them when <paramref name="count"/> is 0, the first
    /// <paramref name="count"/> from the head when positive, from the tail when negative. Returns how many were removed.
    /// </summary>
    ValueTask<long> ListRemoveAsync(RedisKey key, RedisArgument value, long count = 0, CancellationToken cancellationToken = default);

    /// <summary>LTRIM: keeps only the values from <paramref name="start"/> to <paramref name="stop"/> inclusive (an empty range deletes the key); true when done.</summary>
    ValueTask<bool> ListTrimAsync(RedisKey key, long start, long stop, CancellationToken cancellationToken = default);

    /// <summary>
    /// LPOS: the index of a match of <paramref name="element"/>, or null when none. <paramref name="rank"/> picks the
    /// match (1 the first, 2 the second…, -1 the last from the tail; 0 is refused), <paramref name="maxLength"/>
    /// limits how many values are compared (0: the whole list; negative is refused).
    /// </summary>
    ValueTask<long?> ListPositionAsync(RedisKey key, RedisArgument element, long rank = 1, long maxLength = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// LPOS … COUNT: the indexes of up to <paramref name="count"/> matches (0: all of them; negative is refused),
    /// starting at the match <paramref name="rank"/> picks and going in its direction; empty when none.
    /// </summary>
    ValueTask<long[]> ListPositionsAsync(RedisKey key, RedisArgument element, long count, long rank = 1, long maxLength = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// LMOVE: pops from <paramref name="sourceSide"/> of <paramref name="source"/> and pushes at
    /// <paramref name="destinationSide"/> of <paramref name="destination"/>, atomically; the value as text, or null
    /// when the source is empty or missing. Both keys must share one hash slot: otherwise
    /// <see cref="RedisCrossSlotException"/> before anything is sent, on every surface.
    /// </summary>
    ValueTask<string?> ListMoveAsync(RedisKey source, RedisKey destination, ListSide sourceSide, ListSide destinationSide, CancellationToken cancellationToken = default);

    /// <summary>LMOVE with the moved value as bytes; otherwise as <see cref="ListMoveAsync"/> (keys in one slot).</summary>
    ValueTask<byte[]?> ListMoveBytesAsync(RedisKey source, RedisKey destination, ListSide sourceSide, ListSide destinationSide, CancellationToken cancellationToken = default);
}
