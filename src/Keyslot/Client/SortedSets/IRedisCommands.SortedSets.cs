namespace Keyslot;

public partial interface IRedisCommands
{
    /// <summary>
    /// ZADD of one member: true when it was added (with <paramref name="change"/>, CH: when it was added or its score
    /// changed). <paramref name="when"/> gives NX/XX/GT/LT; combinations the server refuses, and a NaN score, are
    /// refused before anything is sent.
    /// </summary>
    ValueTask<bool> SortedSetAddAsync(RedisKey key, RedisArgument member, double score, SortedSetWhen when = SortedSetWhen.Always, bool change = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// ZADD of several members (member → score): how many were added (with <paramref name="change"/>, CH: added or
    /// changed). At least one member; conditions as <see cref="SortedSetAddAsync(RedisKey, RedisArgument, double, SortedSetWhen, bool, CancellationToken)"/>.
    /// </summary>
    ValueTask<long> SortedSetAddAsync(RedisKey key, IEnumerable<KeyValuePair<RedisArgument, double>> entries, SortedSetWhen when = SortedSetWhen.Always, bool change = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// ZADD … INCR: adds <paramref name="by"/> to the member's score (a new member starts at 0) and returns the new
    /// score, or null when <paramref name="when"/> (NX/XX/GT/LT) prevented the change.
    /// </summary>
    ValueTask<double?> SortedSetAddIncrementAsync(RedisKey key, RedisArgument member, double by, SortedSetWhen when = SortedSetWhen.Always, CancellationToken cancellationToken = default);

    /// <summary>ZINCRBY: adds <paramref name="by"/> to the member's score (a new member starts at 0) and returns the new score.</summary>
    ValueTask<double> SortedSetIncrementAsync(RedisKey key, RedisArgument member, double by, CancellationToken cancellationToken = default);

    /// <summary>ZSCORE: the member's score, or null when the member or the key does not exist.</summary>
    ValueTask<double?> SortedSetScoreAsync(RedisKey key, RedisArgument member, CancellationToken cancellationToken = default);

    /// <summary>ZMSCORE: the scores in the order of <paramref name="members"/> (at least one), null where a member does not exist.</summary>
    ValueTask<double?[]> SortedSetScoresAsync(RedisKey key, RedisArgument[] members, CancellationToken cancellationToken = default);

    /// <summary>
    /// ZRANK (<see cref="Order.Ascending"/>: 0 is the lowest score) or ZREVRANK (<see cref="Order.Descending"/>: 0 is
    /// the highest): the member's rank, or null when the member or the key does not exist. (WITHSCORE needs Redis 7.2
    /// and is not offered.)
    /// </summary>
    ValueTask<long?> SortedSetRankAsync(RedisKey key, RedisArgument member, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>ZCARD: the number of members (0 when the key does not exist).</summary>
    ValueTask<long> SortedSetLengthAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>ZCOUNT: how many members have a score between <paramref name="min"/> and <paramref name="max"/>.</summary>
    ValueTask<long> SortedSetLengthAsync(RedisKey key, ScoreBound min, ScoreBound max, CancellationToken cancellationToken = default);

    /// <summary>ZLEXCOUNT: how many members lie between <paramref name="min"/> and <paramref name="max"/> (members of equal scores, compared as bytes).</summary>
    ValueTask<long> SortedSetLengthByValueAsync(RedisKey key, LexBound min, LexBound max, CancellationToken cancellationToken = default);

    /// <summary>
    /// ZRANGE by rank, members as text: ranks <paramref name="start"/> to <paramref name="stop"/> inclusive (negative
    /// counts from the end; 0, -1 is everything), REV with <see cref="Order.Descending"/>. Empty when the key does not exist.
    /// </summary>
    ValueTask<string[]> SortedSetRangeByRankAsync(RedisKey key, long start = 0, long stop = -1, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>ZRANGE by rank with the members as exact bytes; otherwise as <see cref="SortedSetRangeByRankAsync"/>.</summary>
    ValueTask<byte[][]> SortedSetRangeByRankBytesAsync(RedisKey key, long start = 0, long stop = -1, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>ZRANGE by rank … WITHSCORES; otherwise as <see cref="SortedSetRangeByRankAsync"/>.</summary>
    ValueTask<SortedSetEntry<string>[]> SortedSetRangeByRankWithScoresAsync(RedisKey key, long start = 0, long stop = -1, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>ZRANGE by rank … WITHSCORES with the members as exact bytes.</summary>
    ValueTask<SortedSetEntry<byte[]>[]> SortedSetRangeByRankWithScoresBytesAsync(RedisKey key, long start = 0, long stop = -1, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>
    /// ZRANGE … BYSCORE: the members scored from <paramref name="min"/> to <paramref name="max"/> (given in that order
    /// whatever <paramref name="order"/>; with <see cref="Order.Descending"/> they are sent as REV max min), highest
    /// first when descending. <paramref name="offset"/> and <paramref name="count"/> (-1: all) give LIMIT.
    /// </summary>
    ValueTask<string[]> SortedSetRangeByScoreAsync(RedisKey key, ScoreBound min, ScoreBound max, Order order = Order.Ascending, long offset = 0, long count = -1, CancellationToken cancellationToken = default);

    /// <summary>ZRANGE … BYSCORE with the members as exact bytes; otherwise as <see cref="SortedSetRangeByScoreAsync"/>.</summary>
    ValueTask<byte[][]> SortedSetRangeByScoreBytesAsync(RedisKey key, ScoreBound min, ScoreBound max, Order order = Order.Ascending, long offset = 0, long count = -1, CancellationToken cancellationToken = default);

    /// <summary>ZRANGE … BYSCORE … WITHSCORES; otherwise as <see cref="SortedSetRangeByScoreAsync"/>.</summary>
    ValueTask<SortedSetEntry<string>[]> SortedSetRangeByScoreWithScoresAsync(RedisKey key, ScoreBound min, ScoreBound max, Order order = Order.Ascending, long offset = 0, long count = -1, CancellationToken cancellationToken = default);

    /// <summary>ZRANGE … BYSCORE … WITHSCORES with the members as exact bytes.</summary>
    ValueTask<SortedSetEntry<byte[]>[]> SortedSetRangeByScoreWithScoresBytesAsync(RedisKey key, ScoreBound min, ScoreBound max, Order order = Order.Ascending, long offset = 0, long count = -1, CancellationToken cancellationToken = default);

    /// <summary>
    /// ZRANGE … BYLEX: the members from <paramref name="min"/> to <paramref name="max"/> (members of equal scores,
    /// compared as bytes; bounds given in that order whatever <paramref name="order"/>), with LIMIT as
    /// <see cref="SortedSetRangeByScoreAsync"/>. The server has no WITHSCORES for BYLEX.
    /// </summary>
    ValueTask<string[]> SortedSetRangeByValueAsync(RedisKey key, LexBound min, LexBound max, Order order = Order.Ascending, long offset = 0, long count = -1, CancellationToken cancellationToken = default);

    /// <summary>ZRANGE … BYLEX with the members as exact bytes; otherwise as <see cref="SortedSetRangeByValueAsync"/>.</summary>
    ValueTask<byte[][]> SortedSetRangeByValueBytesAsync(RedisKey key, LexBound min, LexBound max, Order order = Order.Ascending, long offset = 0, long count = -1, CancellationToken cancellationToken = default);

    /// <summary>
    /// ZRANGESTORE by rank: stores the range of <paramref name="source"/> (as <see cref="SortedSetRangeByRankAsync"/>)
    /// in <paramref name="destination"/>, replacing it, and returns how many entries it holds. The two keys must share
    /// a slot: otherwise <see cref="RedisCrossSlotException"/> is thrown before anything is sent.
    /// </summary>
    ValueTask<long> SortedSetRangeByRankAndStoreAsync(RedisKey source, RedisKey destination, long start = 0, long stop = -1, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>ZRANGESTORE … BYSCORE (range as <see cref="SortedSetRangeByScoreAsync"/>); keys in different slots throw <see cref="RedisCrossSlotException"/> before anything is sent.</summary>
    ValueTask<long> SortedSetRangeByScoreAndStoreAsync(RedisKey source, RedisKey destination, ScoreBound min, ScoreBound max, Order order = Order.Ascending, long offset = 0, long count = -1, CancellationToken cancellationToken = default);

    /// <summary>ZRANGESTORE … BYLEX (range as <see cref="SortedSetRangeByValueAsync"/>); keys in different slots throw <see cref="RedisCrossSlotException"/> before anything is sent.</summary>
    ValueTask<long> SortedSetRangeByValueAndStoreAsync(RedisKey source, RedisKey destination, LexBound min, LexBound max, Order order = Order.Ascending, long offset = 0, long count = -1, CancellationToken cancellationToken = default);

    /// <summary>ZREM of one member: true when it existed.</summary>
    ValueTask<bool> SortedSetRemoveAsync(RedisKey key, RedisArgument member, CancellationToken cancellationToken = default);

    /// <summary>ZREM of several members (at least one): how many existed.</summary>
    ValueTask<long> SortedSetRemoveAsync(RedisKey key, RedisArgument[] members, CancellationToken cancellationToken = default);

    /// <summary>ZREMRANGEBYRANK: removes ranks <paramref name="start"/> to <paramref name="stop"/> (inclusive, lowest score first) and returns how many.</summary>
    ValueTask<long> SortedSetRemoveRangeByRankAsync(RedisKey key, long start, long stop, CancellationToken cancellationToken = default);

    /// <summary>ZREMRANGEBYSCORE: removes the members scored from <paramref name="min"/> to <paramref name="max"/> and returns how many.</summary>
    ValueTask<long> SortedSetRemoveRangeByScoreAsync(RedisKey key, ScoreBound min, ScoreBound max, CancellationToken cancellationToken = default);

    /// <summary>ZREMRANGEBYLEX: removes the members from <paramref name="min"/> to <paramref name="max"/> and returns how many.</summary>
    ValueTask<long> SortedSetRemoveRangeByValueAsync(RedisKey key, LexBound min, LexBound max, CancellationToken cancellationToken = default);

    /// <summary>ZPOPMIN (<see cref="Order.Ascending"/>) or ZPOPMAX: removes and returns the lowest (highest) entry, or null when the key does not exist.</summary>
    ValueTask<SortedSetEntry<string>?> SortedSetPopAsync(RedisKey key, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>ZPOPMIN or ZPOPMAX of one entry with the member as exact bytes.</summary>
    ValueTask<SortedSetEntry<byte[]>?> SortedSetPopBytesAsync(RedisKey key, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>ZPOPMIN or ZPOPMAX with a count (0 or more): up to <paramref name="count"/> entries, in the order popped; empty when the key does not exist.</summary>
    ValueTask<SortedSetEntry<string>[]> SortedSetPopAsync(RedisKey key, long count, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>ZPOPMIN or ZPOPMAX with a count, the members as exact bytes.</summary>
    ValueTask<SortedSetEntry<byte[]>[]> SortedSetPopBytesAsync(RedisKey key, long count, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>
    /// ZMPOP (non-blocking): pops up to <paramref name="count"/> (at least 1) of the lowest (MIN, <see cref="Order.Ascending"/>)
    /// or highest entries from the first of <paramref name="keys"/> that is not empty; null when all are. The keys
    /// must share a slot: otherwise <see cref="RedisCrossSlotException"/> is thrown before anything is sent.
    /// </summary>
    ValueTask<SortedSetPopResult<string>?> SortedSetPopAsync(RedisKey[] keys, long count = 1, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>ZMPOP with the members as exact bytes; otherwise as <see cref="SortedSetPopAsync(RedisKey[], long, Order, CancellationToken)"/>.</summary>
    ValueTask<SortedSetPopResult<byte[]>?> SortedSetPopBytesAsync(RedisKey[] keys, long count = 1, Order order = Order.Ascending, CancellationToken cancellationToken = default);

    /// <summary>ZRANDMEMBER: one random member, or null when the key does not exist.</summary>
    ValueTask<string?> SortedSetRandomMemberAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>ZRANDMEMBER: one random member as exact bytes, or null when the key does not exist.</summary>
    ValueTask<byte[]?> SortedSetRandomMemberBytesAsync(RedisKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// ZRANDMEMBER with a count: up to <paramref name="count"/> distinct members when positive; exactly
    /// -<paramref name="count"/> members, possibly repeated, when negative. Empty when the key does not exist.
    /// </summary>
    ValueTask<string[]> SortedSetRandomMembersAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>ZRANDMEMBER with a count, the members as exact bytes; otherwise as <see cref="SortedSetRandomMembersAsync"/>.</summary>
    ValueTask<byte[][]> SortedSetRandomMembersBytesAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>ZRANDMEMBER with a count … WITHSCORES; otherwise as <see cref="SortedSetRandomMembersAsync"/>.</summary>
    ValueTask<SortedSetEntry<string>[]> SortedSetRandomMembersWithScoresAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>ZRANDMEMBER with a count … WITHSCORES, the members as exact bytes.</summary>
    ValueTask<SortedSetEntry<byte[]>[]> SortedSetRandomMembersWithScoresBytesAsync(RedisKey key, long count, CancellationToken cancellationToken = default);

    /// <summary>
    /// One ZSCAN call: the page at <paramref name="cursor"/> (start with 0) of entries matching
    /// <paramref name="pattern"/> (MATCH), about <paramref name="pageSize"/> (COUNT) at a time, and the cursor of
    /// the next page (0 when done). An entry may come twice over a scan. <see cref="ClusterClient"/> also offers the
    /// whole scan as an async enumeration (<c>SortedSetScanAsync</c>).
    /// </summary>
    ValueTask<SortedSetScanPage<string>> SortedSetScanPageAsync(RedisKey key, ulong cursor = 0, string? pattern = null, int pageSize = 10, CancellationToken cancellationToken = default);

    /// <summary>One ZSCAN call with the members as exact bytes; otherwise as <see cref="SortedSetScanPageAsync"/>.</summary>
    ValueTask<SortedSetScanPage<byte[]>> SortedSetScanPageBytesAsync(RedisKey key, ulong cursor = 0, string? pattern = null, int pageSize = 10, CancellationToken cancellationToken = default);

    /// <summary>
    /// ZUNION, ZINTER or ZDIFF of <paramref name="keys"/> (at least one), members as text, ordered by the combined
    /// score. <paramref name="weights"/> (one per key) and <paramref name="aggregate"/> apply to union and
    /// intersection only (ZDIFF refuses them, here before sending). The keys must share a slot: otherwise
    /// <see cref="RedisCrossSlotException"/> is thrown before anything is sent (a union across slots is not split).
    /// </summary>
    ValueTask<string[]> SortedSetCombineAsync(SetOperation operation, RedisKey[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default);

    /// <summary>ZUNION, ZINTER or ZDIFF with the members as exact bytes; otherwise as <see cref="SortedSetCombineAsync"/>.</summary>
    ValueTask<byte[][]> SortedSetCombineBytesAsync(SetOperation operation, RedisKey[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default);

    /// <summary>ZUNION, ZINTER or ZDIFF … WITHSCORES: the entries with their combined scores; otherwise as <see cref="SortedSetCombineAsync"/>.</summary>
    ValueTask<SortedSetEntry<string>[]> SortedSetCombineWithScoresAsync(SetOperation operation, RedisKey[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default);

    /// <summary>ZUNION, ZINTER or ZDIFF … WITHSCORES with the members as exact bytes.</summary>
    ValueTask<SortedSetEntry<byte[]>[]> SortedSetCombineWithScoresBytesAsync(SetOperation operation, RedisKey[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default);

    /// <summary>
    /// ZUNIONSTORE, ZINTERSTORE or ZDIFFSTORE: stores the combination (as <see cref="SortedSetCombineAsync"/>) in
    /// <paramref name="destination"/>, replacing it, and returns how many entries it holds. Destination and keys must
    /// share a slot: otherwise <see cref="RedisCrossSlotException"/> is thrown before anything is sent.
    /// </summary>
    ValueTask<long> SortedSetCombineAndStoreAsync(SetOperation operation, RedisKey destination, RedisKey[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default);

    /// <summary>
    /// ZINTERCARD: the size of the intersection of <paramref name="keys"/>, counting stopped at
    /// <paramref name="limit"/> when it is above 0. The keys must share a slot: otherwise
    /// <see cref="RedisCrossSlotException"/> is thrown before anything is sent.
    /// </summary>
    ValueTask<long> SortedSetIntersectionLengthAsync(RedisKey[] keys, long limit = 0, CancellationToken cancellationToken = default);
}
