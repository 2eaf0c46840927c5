namespace Keyslot;

/// <summary>
/// Blocking commands, on the client only: each runs on a dedicated connection of the owning node's blocking pool
/// (<see cref="ClusterOptions.BlockingConnectionsPerNode"/>), never on the shared pipelined one, so a caller waiting
/// for an element holds up nobody. A timeout of null waits until an element comes (or the token is cancelled);
/// otherwise the server waits at most <c>timeout</c> and the client at most that plus the command timeout. They
/// follow MOVED and failovers like any command (a failover resumes the wait at the promoted replica; not BLMOVE and
/// XREADGROUP with NOACK, which fail with <see cref="RedisConnectionException"/> instead, since a reply lost with the
/// connection may have moved or acknowledged something), and a
/// cancelled one is ended on the server with CLIENT UNBLOCK: an element it had already taken is then returned instead
/// of the cancellation, so none is lost. Not on batches or transactions: a batch writes to the shared connections,
/// and inside MULTI a blocking command does not wait (use the non-blocking forms there). Keys of one call must share a
/// slot (<see cref="RedisCrossSlotException"/> otherwise, before anything is sent).
/// </summary>
public partial interface IClusterClient
{
    /// <summary>BLPOP of one key: the head element, waiting for one; null when <paramref name="timeout"/> passed first.</summary>
    ValueTask<string?> ListBlockingLeftPopAsync(RedisKey key, TimeSpan? timeout, CancellationToken cancellationToken = default);

    /// <summary>BRPOP of one key: the tail element, waiting for one; null when <paramref name="timeout"/> passed first.</summary>
    ValueTask<string?> ListBlockingRightPopAsync(RedisKey key, TimeSpan? timeout, CancellationToken cancellationToken = default);

    /// <summary>BLPOP: the head element of the first non-empty list of <paramref name="keys"/> (in their order) and its key; null on timeout.</summary>
    ValueTask<ListPopResult<string>?> ListBlockingLeftPopAsync(RedisKey[] keys, TimeSpan? timeout, CancellationToken cancellationToken = default);

    /// <summary>BLPOP with the element as exact bytes.</summary>
    ValueTask<ListPopResult<byte[]>?> ListBlockingLeftPopBytesAsync(RedisKey[] keys, TimeSpan? timeout, CancellationToken cancellationToken = default);

    /// <summary>BRPOP: the tail element of the first non-empty list of <paramref name="keys"/> and its key; null on timeout.</summary>
    ValueTask<ListPopResult<string>?> ListBlockingRightPopAsync(RedisKey[] keys, TimeSpan? timeout, CancellationToken cancellationToken = default);

    /// <summary>BRPOP with the element as exact bytes.</summary>
    ValueTask<ListPopResult<byte[]>?> ListBlockingRightPopBytesAsync(RedisKey[] keys, TimeSpan? timeout, CancellationToken cancellationToken = default);

    /// <summary>BLMPOP: up to <paramref name="count"/> elements from one end of the first non-empty list; null on timeout.</summary>
    ValueTask<ListPopResult<string>?> ListBlockingMultiPopAsync(RedisKey[] keys, ListSide side, long count, TimeSpan? timeout, CancellationToken cancellationToken = default);

    /// <summary>BLMPOP with the elements as exact bytes.</summary>
    ValueTask<ListPopResult<byte[]>?> ListBlockingMultiPopBytesAsync(RedisKey[] keys, ListSide side, long count, TimeSpan? timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// BLMOVE: moves an element from one end of <paramref name="source"/> to one end of <paramref name="destination"/>
    /// (same slot), waiting for one; returns it, or null on timeout.
    /// </summary>
    ValueTask<string?> ListBlockingMoveAsync(RedisKey source, RedisKey destination, ListSide sourceSide, ListSide destinationSide, TimeSpan? timeout,
        CancellationToken cancellationToken = default);

    /// <summary>BLMOVE with the element as exact bytes.</summary>
    ValueTask<byte[]?> ListBlockingMoveBytesAsync(RedisKey source, RedisKey destination, ListSide sourceSide, ListSide destinationSide, TimeSpan? timeout,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// BZPOPMIN (<see cref="Order.Ascending"/>) or BZPOPMAX: the lowest (highest) entry of the first non-empty sorted
    /// set of <paramref name="keys"/> and its key, waiting for one; null on timeout.
    /// </summary>
    ValueTask<SortedSetPopResult<string>?> SortedSetBlockingPopAsync(RedisKey[] keys, Order order, TimeSpan? timeout, CancellationToken cancellationToken = default);

    /// <summary>BZPOPMIN / BZPOPMAX with the member as exact bytes.</summary>
    ValueTask<SortedSetPopResult<byte[]>?> SortedSetBlockingPopBytesAsync(RedisKey[] keys, Order order, TimeSpan? timeout, CancellationToken cancellationToken = default);

    /// <summary>BZMPOP: up to <paramref name="count"/> lowest (highest) entries of the first non-empty sorted set; null on timeout.</summary>
    ValueTask<SortedSetPopResult<string>?> SortedSetBlockingMultiPopAsync(RedisKey[] keys, long count, Order order, TimeSpan? timeout, CancellationToken cancellationToken = default);

    /// <summary>BZMPOP with the members as exact bytes.</summary>
    ValueTask<SortedSetPopResult<byte[]>?> SortedSetBlockingMultiPopBytesAsync(RedisKey[] keys, long count, Order order, TimeSpan? timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// XREAD … BLOCK: entries of <paramref name="key"/> after <paramref name="afterId"/>, waiting for some; empty on
    /// timeout. After a failover the wait resumes with the same ID, so an explicit ID misses nothing; <c>"$"</c> means
    /// "newer than when the server reads it", which the resumed wait reads again.
    /// </summary>
    ValueTask<StreamEntry[]> StreamReadBlockingAsync(RedisKey key, string afterId, TimeSpan? timeout, long? count = null, CancellationToken cancellationToken = default);

    /// <summary>XREAD … BLOCK of one stream with the values as exact bytes.</summary>
    ValueTask<StreamBytesEntry[]> StreamReadBlockingBytesAsync(RedisKey key, string afterId, TimeSpan? timeout, long? count = null, CancellationToken cancellationToken = default);

    /// <summary>XREAD … BLOCK of several streams of one slot: what arrived on any of them; empty on timeout.</summary>
    ValueTask<StreamReadResult[]> StreamReadBlockingAsync(StreamPosition[] positions, TimeSpan? timeout, long? countPerStream = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// XREADGROUP … BLOCK: entries for <paramref name="consumer"/> of <paramref name="group"/> (<c>"&gt;"</c>: never
    /// delivered to the group), waiting for some; empty on timeout. Entries delivered are pending for the consumer
    /// until XACK (<see cref="IRedisCommands.StreamAcknowledgeAsync(RedisKey, string, string, CancellationToken)"/>).
    /// </summary>
    ValueTask<StreamEntry[]> StreamReadGroupBlockingAsync(RedisKey key, string group, string consumer, TimeSpan? timeout, string position = ">", long? count = null,
        bool noAck = false, CancellationToken cancellationToken = default);

    /// <summary>XREADGROUP … BLOCK of one stream with the values as exact bytes.</summary>
    ValueTask<StreamBytesEntry[]> StreamReadGroupBlockingBytesAsync(RedisKey key, string group, string consumer, TimeSpan? timeout, string position = ">", long? count = null,
        bool noAck = false, CancellationToken cancellationToken = default);

    /// <summary>XREADGROUP … BLOCK of several streams of one slot.</summary>
    ValueTask<StreamReadResult[]> StreamReadGroupBlockingAsync(StreamPosition[] positions, string group, string consumer, TimeSpan? timeout, long? countPerStream = null,
        bool noAck = false, CancellationToken cancellationToken = default);
}
