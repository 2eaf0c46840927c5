namespace Keyslot;

public partial interface IRedisCommands
{
    /// <summary>
    /// XADD of one field: appends an entry and returns its ID. <paramref name="id"/> null lets the server pick one
    /// (<c>*</c>); <paramref name="trim"/> trims in the same call; <paramref name="noMakeStream"/> (NOMKSTREAM) adds
    /// nothing and returns null when the stream does not exist.
    /// </summary>
    ValueTask<string?> StreamAddAsync(RedisKey key, RedisArgument field, RedisArgument value, string? id = null, StreamTrim? trim = null, bool noMakeStream = false, CancellationToken cancellationToken = default);

    /// <summary>XADD of several fields (at least one), in order: returns the new entry's ID, or null when <paramref name="noMakeStream"/> found no stream.</summary>
    ValueTask<string?> StreamAddAsync(RedisKey key, IEnumerable<KeyValuePair<RedisArgument, RedisArgument>> fields, string? id = null, StreamTrim? trim = null, bool noMakeStream = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// XRANGE (or XREVRANGE for <see cref="Order.Descending"/>): entries between <paramref name="start"/> and
    /// <paramref name="end"/> inclusive (<c>-</c> and <c>+</c> for the ends; <c>(id</c> for exclusive), at most
    /// <paramref name="count"/>. Empty for a missing stream.
    /// </summary>
    ValueTask<StreamEntry[]> StreamRangeAsync(RedisKey key, string start = "-", string end = "+", long? count = null, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>XRANGE / XREVRANGE with the values as bytes.</summary>
    ValueTask<StreamBytesEntry[]> StreamRangeBytesAsync(RedisKey key, string start = "-", string end = "+", long? count = null, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>XLEN: the number of entries (0 for a missing stream).</summary>
    ValueTask<long> StreamLengthAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>XDEL: how many of <paramref name="ids"/> were deleted.</summary>
    ValueTask<long> StreamDeleteAsync(RedisKey key, string[] ids, CancellationToken cancellationToken = default);

    /// <summary>XTRIM: how many entries were evicted.</summary>
    ValueTask<long> StreamTrimAsync(RedisKey key, StreamTrim trim, CancellationToken cancellationToken = default);

    /// <summary>XREAD (not blocking) of one stream: entries after <paramref name="afterId"/> (<c>"0"</c> for all), at most <paramref name="count"/>; empty when there is nothing new.</summary>
    ValueTask<StreamEntry[]> StreamReadAsync(RedisKey key, string afterId, long? count = null, CancellationToken cancellationToken = default);

    /// <summary>XREAD of one stream, values as bytes.</summary>
    ValueTask<StreamBytesEntry[]> StreamReadBytesAsync(RedisKey key, string afterId, long? count = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// XREAD (not blocking) of several streams whose keys share one slot (else <see cref="RedisCrossSlotException"/>
    /// before sending): the streams with new entries, at most <paramref name="countPerStream"/> each; empty when none has.
    /// </summary>
    ValueTask<StreamReadResult[]> StreamReadAsync(StreamPosition[] positions, long? countPerStream = null, CancellationToken cancellationToken = default);

    /// <summary>XREAD of several streams of one slot, values as bytes.</summary>
    ValueTask<StreamReadBytesResult[]> StreamReadBytesAsync(StreamPosition[] positions, long? countPerStream = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// XGROUP CREATE: a consumer group reading from <paramref name="position"/> (<c>"$"</c>: only new entries,
    /// <c>"0"</c>: all, or an ID); <paramref name="createStream"/> (MKSTREAM) creates a missing stream. True when
    /// created; a group of that name already there is the server's BUSYGROUP error.
    /// </summary>
    ValueTask<bool> StreamCreateConsumerGroupAsync(RedisKey key, string group, string position = "$", bool createStream = true, CancellationToken cancellationToken = default);

    /// <summary>XGROUP DESTROY: true when the group existed.</summary>
    ValueTask<bool> StreamDeleteConsumerGroupAsync(RedisKey key, string group, CancellationToken cancellationToken = default);

    /// <summary>XGROUP SETID: moves the group's last-delivered ID to <paramref name="position"/> (<c>"$"</c>, <c>"0"</c> or an ID).</summary>
    ValueTask<bool> StreamConsumerGroupSetPositionAsync(RedisKey key, string group, string position, CancellationToken cancellationToken = default);

    /// <summary>XGROUP CREATECONSUMER: true when the consumer was created, false when it existed.</summary>
    ValueTask<bool> StreamCreateConsumerAsync(RedisKey key, string group, string consumer, CancellationToken cancellationToken = default);

    /// <summary>XGROUP DELCONSUMER: deletes a consumer and returns how many entries it had pending (they are dropped from the group's pending list).</summary>
    ValueTask<long> StreamDeleteConsumerAsync(RedisKey key, string group, string consumer, CancellationToken cancellationToken = default);

    /// <summary>
    /// XREADGROUP (not blocking) of one stream as <paramref name="consumer"/> of <paramref name="group"/>:
    /// <c>"&gt;"</c> for entries never delivered to the group, or an ID for this consumer's pending entries after it.
    /// <paramref name="noAck"/> (NOACK) does not add them to the pending list. Empty when there is nothing.
    /// </summary>
    ValueTask<StreamEntry[]> StreamReadGroupAsync(RedisKey key, string group, string consumer, string position = ">", long? count = null, bool noAck = false, CancellationToken cancellationToken = default);

    /// <summary>XREADGROUP of one stream, values as bytes.</summary>
    ValueTask<StreamBytesEntry[]> StreamReadGroupBytesAsync(RedisKey key, string group, string consumer, string position = ">", long? count = null, bool noAck = false, CancellationToken cancellationToken = default);

    /// <summary>XREADGROUP (not blocking) of several streams whose keys share one slot (else <see cref="RedisCrossSlotException"/> before sending).</summary>
    ValueTask<StreamReadResult[]> StreamReadGroupAsync(StreamPosition[] positions, string group, string consumer, long? countPerStream = null, bool noAck = false, CancellationToken cancellationToken = default);

    /// <summary>XREADGROUP of several streams of one slot, values as bytes.</summary>
    ValueTask<StreamReadBytesResult[]> StreamReadGroupBytesAsync(StreamPosition[] positions, string group, string consumer, long? countPerStream = null, bool noAck = false, CancellationToken cancellationToken = default);

    /// <summary>XACK of one entry: true when it was pending in the group and is now acknowledged.</summary>
    ValueTask<bool> StreamAcknowledgeAsync(RedisKey key, string group, string id, CancellationToken cancellationToken = default);

    /// <summary>XACK: how many of <paramref name="ids"/> were pending in the group and are now acknowledged.</summary>
    ValueTask<long> StreamAcknowledgeAsync(RedisKey key, string group, string[] ids, CancellationToken cancellationToken = default);

    /// <summary>XPENDING summary: how many entries are pending in the group, their ID range and per-consumer counts.</summary>
    ValueTask<StreamPendingInfo> StreamPendingAsync(RedisKey key, string group, CancellationToken cancellationToken = default);

    /// <summary>
    /// XPENDING extended: up to <paramref name="count"/> pending entries between <paramref name="start"/> and
    /// <paramref name="end"/>, only <paramref name="consumer"/>'s when given, only those idle at least
    /// <paramref name="minIdle"/> when given.
    /// </summary>
    ValueTask<StreamPendingEntry[]> StreamPendingMessagesAsync(RedisKey key, string group, long count, string? consumer = null, string start = "-", string end = "+", TimeSpan? minIdle = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// XCLAIM: gives <paramref name="consumer"/> the entries of <paramref name="ids"/> pending at least
    /// <paramref name="minIdle"/>, and returns them (entries no longer in the stream are dropped from the pending list
    /// and not returned).
    /// </summary>
    ValueTask<StreamEntry[]> StreamClaimAsync(RedisKey key, string group, string consumer, TimeSpan minIdle, string[] ids, StreamClaimOptions options = default, CancellationToken cancellationToken = default);

    /// <summary>XCLAIM, the claimed entries' values as bytes.</summary>
    ValueTask<StreamBytesEntry[]> StreamClaimBytesAsync(RedisKey key, string group, string consumer, TimeSpan minIdle, string[] ids, StreamClaimOptions options = default, CancellationToken cancellationToken = default);

    /// <summary>XCLAIM … JUSTID: claims as <see cref="StreamClaimAsync"/> does and returns only the IDs (the delivery count is not incremented).</summary>
    ValueTask<string[]> StreamClaimIdsOnlyAsync(RedisKey key, string group, string consumer, TimeSpan minIdle, string[] ids, StreamClaimOptions options = default, CancellationToken cancellationToken = default);

    /// <summary>
    /// XAUTOCLAIM: claims for <paramref name="consumer"/> up to <paramref name="count"/> entries pending at least
    /// <paramref name="minIdle"/>, scanning the pending list from <paramref name="start"/>.
    /// </summary>
    ValueTask<StreamAutoClaimResult> StreamAutoClaimAsync(RedisKey key, string group, string consumer, TimeSpan minIdle, string start = "0-0", long? count = null, CancellationToken cancellationToken = default);

    /// <summary>XAUTOCLAIM, the claimed entries' values as bytes.</summary>
    ValueTask<StreamAutoClaimBytesResult> StreamAutoClaimBytesAsync(RedisKey key, string group, string consumer, TimeSpan minIdle, string start = "0-0", long? count = null, CancellationToken cancellationToken = default);

    /// <summary>XINFO STREAM: the stream's length, IDs, groups and first and last entries (a missing key is the server's error).</summary>
    ValueTask<StreamInfo> StreamInfoAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>XINFO GROUPS: the stream's consumer groups (a missing key is the server's error).</summary>
    ValueTask<StreamGroupInfo[]> StreamGroupInfoAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>XINFO CONSUMERS: the group's consumers (a missing key or group is the server's error).</summary>
    ValueTask<StreamConsumerInfo[]> StreamConsumerInfoAsync(RedisKey key, string group, CancellationToken cancellationToken = default);
}
