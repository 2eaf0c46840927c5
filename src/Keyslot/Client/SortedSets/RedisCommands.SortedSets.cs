using System.Globalization;
using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public ValueTask<bool> SortedSetAddAsync(RedisKey key, RedisArgument member, double score, SortedSetWhen when = SortedSetWhen.Always, bool change = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        AddZAddOptions(ref builder, when, change);
        builder.Add(ZScore(score, nameof(score)));
        builder.Add(member);
        return Keyed(builder.Build("ZADD"), key, Write, ReplyParsers.Boolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> SortedSetAddAsync(RedisKey key, IEnumerable<KeyValuePair<RedisArgument, double>> entries, SortedSetWhen when = SortedSetWhen.Always,
        bool change = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        AddZAddOptions(ref builder, when, change);
        int count = 0;
        foreach (KeyValuePair<RedisArgument, double> entry in entries)
        {
            builder.Add(ZScore(entry.Value, nameof(entries)));
            builder.Add(entry.Key);
            count++;
        }
        if (count == 0) throw new ArgumentException("ZADD needs at least one member.", nameof(entries));
        return Keyed(builder.Build("ZADD"), key, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<double?> SortedSetAddIncrementAsync(RedisKey key, RedisArgument member, double by, SortedSetWhen when = SortedSetWhen.Always,
        CancellationToken cancellationToken = default)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        AddZAddOptions(ref builder, when, change: false);
        builder.Add("INCR");
        builder.Add(ZScore(by, nameof(by)));
        builder.Add(member);
        return Keyed(builder.Build("ZADD"), key, Write, SortedSetReplies.NullableScore, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<double> SortedSetIncrementAsync(RedisKey key, RedisArgument member, double by, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZINCRBY", key, ZScore(by, nameof(by)), member), key, Write, ReplyParsers.Double, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<double?> SortedSetScoreAsync(RedisKey key, RedisArgument member, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZSCORE", key, member), key, CachedRead, SortedSetReplies.NullableScore, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<double?[]> SortedSetScoresAsync(RedisKey key, RedisArgument[] members, CancellationToken cancellationToken = default) =>
        Keyed(ZKeyAndMembers("ZMSCORE", key, members), key, Read, SortedSetReplies.Scores, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long?> SortedSetRankAsync(RedisKey key, RedisArgument member, Order order = Order.Ascending, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create(ZCheck(order) == Order.Ascending ? "ZRANK" : "ZREVRANK", key, member), key, Read, ReplyParsers.NullableInt64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> SortedSetLengthAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZCARD", key), key, CachedRead, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> SortedSetLengthAsync(RedisKey key, ScoreBound min, ScoreBound max, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZCOUNT", key, min.ToArgument(), max.ToArgument()), key, Read, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> SortedSetLengthByValueAsync(RedisKey key, LexBound min, LexBound max, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZLEXCOUNT", key, min.ToArgument(nameof(min)), max.ToArgument(nameof(max))), key, Read, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> SortedSetRangeByRankAsync(RedisKey key, long start = 0, long stop = -1, Order order = Order.Ascending, CancellationToken cancellationToken = default) =>
        Keyed(ZRangeByRank(null, key, start, stop, order, false, out _), key, Read, SortedSetReplies.Members, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[][]> SortedSetRangeByRankBytesAsync(RedisKey key, long start = 0, long stop = -1, Order order = Order.Ascending, CancellationToken cancellationToken = default) =>
        Keyed(ZRangeByRank(null, key, start, stop, order, false, out _), key, Read, SortedSetReplies.MembersBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetEntry<string>[]> SortedSetRangeByRankWithScoresAsync(RedisKey key, long start = 0, long stop = -1, Order order = Order.Ascending,
        CancellationToken cancellationToken = default) =>
        Keyed(ZRangeByRank(null, key, start, stop, order, true, out _), key, Read, SortedSetReplies.Entries, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetEntry<byte[]>[]> SortedSetRangeByRankWithScoresBytesAsync(RedisKey key, long start = 0, long stop = -1, Order order = Order.Ascending,
        CancellationToken cancellationToken = default) =>
        Keyed(ZRangeByRank(null, key, start, stop, order, true, out _), key, Read, SortedSetReplies.EntriesBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> SortedSetRangeByScoreAsync(RedisKey key, ScoreBound min, ScoreBound max, Order order = Order.Ascending, long offset = 0, long count = -1,
        CancellationToken cancellationToken = default) =>
        Keyed(ZRangeByScore(null, key, min, max, order, offset, count, false, out _), key, Read, SortedSetReplies.Members, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[][]> SortedSetRangeByScoreBytesAsync(RedisKey key, ScoreBound min, ScoreBound max, Order order = Order.Ascending, long offset = 0, long count = -1,
        CancellationToken cancellationToken = default) =>
        Keyed(ZRangeByScore(null, key, min, max, order, offset, count, false, out _), key, Read, SortedSetReplies.MembersBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetEntry<string>[]> SortedSetRangeByScoreWithScoresAsync(RedisKey key, ScoreBound min, ScoreBound max, Order order = Order.Ascending,
        long offset = 0, long count = -1, CancellationToken cancellationToken = default) =>
        Keyed(ZRangeByScore(null, key, min, max, order, offset, count, true, out _), key, Read, SortedSetReplies.Entries, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetEntry<byte[]>[]> SortedSetRangeByScoreWithScoresBytesAsync(RedisKey key, ScoreBound min, ScoreBound max, Order order = Order.Ascending,
        long offset = 0, long count = -1, CancellationToken cancellationToken = default) =>
        Keyed(ZRangeByScore(null, key, min, max, order, offset, count, true, out _), key, Read, SortedSetReplies.EntriesBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> SortedSetRangeByValueAsync(RedisKey key, LexBound min, LexBound max, Order order = Order.Ascending, long offset = 0, long count = -1,
        CancellationToken cancellationToken = default) =>
        Keyed(ZRangeByValue(null, key, min, max, order, offset, count, out _), key, Read, SortedSetReplies.Members, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[][]> SortedSetRangeByValueBytesAsync(RedisKey key, LexBound min, LexBound max, Order order = Order.Ascending, long offset = 0, long count = -1,
        CancellationToken cancellationToken = default) =>
        Keyed(ZRangeByValue(null, key, min, max, order, offset, count, out _), key, Read, SortedSetReplies.MembersBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> SortedSetRangeByRankAndStoreAsync(RedisKey source, RedisKey destination, long start = 0, long stop = -1, Order order = Order.Ascending,
        CancellationToken cancellationToken = default)
    {
        RespCommand command = ZRangeByRank(destination, source, start, stop, order, false, out int slot);
        return InSlot(command, slot, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> SortedSetRangeByScoreAndStoreAsync(RedisKey source, RedisKey destination, ScoreBound min, ScoreBound max, Order order = Order.Ascending,
        long offset = 0, long count = -1, CancellationToken cancellationToken = default)
    {
        RespCommand command = ZRangeByScore(destination, source, min, max, order, offset, count, false, out int slot);
        return InSlot(command, slot, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> SortedSetRangeByValueAndStoreAsync(RedisKey source, RedisKey destination, LexBound min, LexBound max, Order order = Order.Ascending,
        long offset = 0, long count = -1, CancellationToken cancellationToken = default)
    {
        RespCommand command = ZRangeByValue(destination, source, min, max, order, offset, count, out int slot);
        return InSlot(command, slot, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> SortedSetRemoveAsync(RedisKey key, RedisArgument member, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZREM", key, member), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> SortedSetRemoveAsync(RedisKey key, RedisArgument[] members, CancellationToken cancellationToken = default) =>
        Keyed(ZKeyAndMembers("ZREM", key, members), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> SortedSetRemoveRangeByRankAsync(RedisKey key, long start, long stop, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZREMRANGEBYRANK", key, start, stop), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> SortedSetRemoveRangeByScoreAsync(RedisKey key, ScoreBound min, ScoreBound max, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZREMRANGEBYSCORE", key, min.ToArgument(), max.ToArgument()), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> SortedSetRemoveRangeByValueAsync(RedisKey key, LexBound min, LexBound max, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZREMRANGEBYLEX", key, min.ToArgument(nameof(min)), max.ToArgument(nameof(max))), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetEntry<string>?> SortedSetPopAsync(RedisKey key, Order order = Order.Ascending, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create(ZPopName(order), key), key, Write, SortedSetReplies.PopOne, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetEntry<byte[]>?> SortedSetPopBytesAsync(RedisKey key, Order order = Order.Ascending, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create(ZPopName(order), key), key, Write, SortedSetReplies.PopOneBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetEntry<string>[]> SortedSetPopAsync(RedisKey key, long count, Order order = Order.Ascending, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create(ZPopName(order), key, ZNonNegative(count, nameof(count))), key, Write, SortedSetReplies.Entries, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetEntry<byte[]>[]> SortedSetPopBytesAsync(RedisKey key, long count, Order order = Order.Ascending, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create(ZPopName(order), key, ZNonNegative(count, nameof(count))), key, Write, SortedSetReplies.EntriesBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetPopResult<string>?> SortedSetPopAsync(RedisKey[] keys, long count = 1, Order order = Order.Ascending, CancellationToken cancellationToken = default)
    {
        RespCommand command = ZMPop(keys, count, order, out int slot);
        return InSlot(command, slot, Write, SortedSetReplies.MultiPop, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<SortedSetPopResult<byte[]>?> SortedSetPopBytesAsync(RedisKey[] keys, long count = 1, Order order = Order.Ascending, CancellationToken cancellationToken = default)
    {
        RespCommand command = ZMPop(keys, count, order, out int slot);
        return InSlot(command, slot, Write, SortedSetReplies.MultiPopBytes, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<string?> SortedSetRandomMemberAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZRANDMEMBER", key), key, Read, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> SortedSetRandomMemberBytesAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZRANDMEMBER", key), key, Read, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> SortedSetRandomMembersAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZRANDMEMBER", key, count), key, Read, SortedSetReplies.Members, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[][]> SortedSetRandomMembersBytesAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZRANDMEMBER", key, count), key, Read, SortedSetReplies.MembersBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetEntry<string>[]> SortedSetRandomMembersWithScoresAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZRANDMEMBER", key, count, "WITHSCORES"), key, Read, SortedSetReplies.Entries, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetEntry<byte[]>[]> SortedSetRandomMembersWithScoresBytesAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("ZRANDMEMBER", key, count, "WITHSCORES"), key, Read, SortedSetReplies.EntriesBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetScanPage<string>> SortedSetScanPageAsync(RedisKey key, ulong cursor = 0, string? pattern = null, int pageSize = 10,
        CancellationToken cancellationToken = default) =>
        Keyed(KeyScan.Build("ZSCAN", key, cursor, pattern, pageSize), key, Read, SortedSetReplies.ScanPage, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetScanPage<byte[]>> SortedSetScanPageBytesAsync(RedisKey key, ulong cursor = 0, string? pattern = null, int pageSize = 10,
        CancellationToken cancellationToken = default) =>
        Keyed(KeyScan.Build("ZSCAN", key, cursor, pattern, pageSize), key, Read, SortedSetReplies.ScanPageBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> SortedSetCombineAsync(SetOperation operation, RedisKey[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum,
        CancellationToken cancellationToken = default) =>
        ZCombine(operation, keys, weights, aggregate, false, SortedSetReplies.Members, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[][]> SortedSetCombineBytesAsync(SetOperation operation, RedisKey[] keys, double[]? weights = null, Aggregate aggregate = Aggregate.Sum,
        CancellationToken cancellationToken = default) =>
        ZCombine(operation, keys, weights, aggregate, false, SortedSetReplies.MembersBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetEntry<string>[]> SortedSetCombineWithScoresAsync(SetOperation operation, RedisKey[] keys, double[]? weights = null,
        Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default) =>
        ZCombine(operation, keys, weights, aggregate, true, SortedSetReplies.Entries, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetEntry<byte[]>[]> SortedSetCombineWithScoresBytesAsync(SetOperation operation, RedisKey[] keys, double[]? weights = null,
        Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default) =>
        ZCombine(operation, keys, weights, aggregate, true, SortedSetReplies.EntriesBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> SortedSetCombineAndStoreAsync(SetOperation operation, RedisKey destination, RedisKey[] keys, double[]? weights = null,
        Aggregate aggregate = Aggregate.Sum, CancellationToken cancellationToken = default)
    {
        string name = ZCombineName(operation) + "STORE";
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.AddKey(destination);
        AddZCombineArguments(ref builder, operation, keys, weights, aggregate, withScores: false);
        RespCommand command = builder.Build(name);
        return InSlot(command, builder.Slot, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> SortedSetIntersectionLengthAsync(RedisKey[] keys, long limit = 0, CancellationToken cancellationToken = default)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        AddZNumKeys(ref builder, keys);
        if (limit < 0) throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit is 0 (count everything) or more.");
        if (limit > 0)
        {
            builder.Add("LIMIT");
            builder.Add(limit);
        }
        RespCommand command = builder.Build("ZINTERCARD");
        return InSlot(command, builder.Slot, Read, ReplyParsers.Int64, cancellationToken);
    }

    private ValueTask<T> ZCombine<T>(SetOperation operation, RedisKey[] keys, double[]? weights, Aggregate aggregate, bool withScores, ReplyParser<T> parser,
        CancellationToken cancellationToken)
    {
        string name = ZCombineName(operation);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        AddZCombineArguments(ref builder, operation, keys, weights, aggregate, withScores);
        RespCommand command = builder.Build(name);
        return InSlot(command, builder.Slot, Read, parser, cancellationToken);
    }

    private static string ZCombineName(SetOperation operation) => operation switch
    {
        SetOperation.Union => "ZUNION",
        SetOperation.Intersect => "ZINTER",
        SetOperation.Difference => "ZDIFF",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Not a set operation."),
    };

    /// <summary><c>numkeys key… [WEIGHTS w…] [AGGREGATE x] [WITHSCORES]</c>, checked before anything is sent.</summary>
    private static void AddZCombineArguments(ref CommandBuilder builder, SetOperation operation, RedisKey[] keys, double[]? weights, Aggregate aggregate, bool withScores)
    {
        if (aggregate is not (Aggregate.Sum or Aggregate.Min or Aggregate.Max)) throw new ArgumentOutOfRangeException(nameof(aggregate), aggregate, "Not an aggregate.");
        if (operation == SetOperation.Difference && (weights is not null || aggregate != Aggregate.Sum))
        {
            throw new ArgumentException("ZDIFF takes neither weights nor an aggregate: the scores are the first set's.", weights is not null ? nameof(weights) : nameof(aggregate));
        }
        AddZNumKeys(ref builder, keys);
        if (weights is not null)
        {
            if (weights.Length != keys.Length) throw new ArgumentException($"One weight per key: {keys.Length} keys, {weights.Length} weights.", nameof(weights));
            builder.Add("WEIGHTS");
            foreach (double weight in weights) builder.Add(ZScore(weight, nameof(weights)));
        }
        if (aggregate != Aggregate.Sum)
        {
            builder.Add("AGGREGATE");
            builder.Add(aggregate == Aggregate.Min ? "MIN" : "MAX");
        }
        if (withScores) builder.Add("WITHSCORES");
    }

    /// <summary><c>numkeys key…</c>, keys checked to share a slot.</summary>
    private static void AddZNumKeys(ref CommandBuilder builder, RedisKey[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0) throw new ArgumentException("At least one key is needed.", nameof(keys));
        builder.Add(keys.Length);
        foreach (RedisKey key in keys) builder.AddKey(key);
    }

    /// <summary>ZMPOP, or with <paramref name="timeout"/> first BZMPOP (the client's blocking form).</summary>
    internal static RespCommand ZMPop(RedisKey[] keys, long count, Order order, out int slot, RedisArgument? timeout = null)
    {
        string name = timeout is null ? "ZMPOP" : "BZMPOP";
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, name + " pops at least one entry.");
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        if (timeout is { } seconds) builder.Add(seconds);
        AddZNumKeys(ref builder, keys);
        builder.Add(ZCheck(order) == Order.Ascending ? "MIN" : "MAX");
        if (count != 1)
        {
            builder.Add("COUNT");
            builder.Add(count);
        }
        RespCommand command = builder.Build(name);
        slot = builder.Slot;
        return command;
    }

    /// <summary>ZADD's <c>[NX|XX] [GT|LT] [CH]</c>, with the combinations the server refuses refused here first.</summary>
    private static void AddZAddOptions(ref CommandBuilder builder, SortedSetWhen when, bool change)
    {
        const SortedSetWhen all = SortedSetWhen.Exists | SortedSetWhen.NotExists | SortedSetWhen.GreaterThan | SortedSetWhen.LessThan;
        if ((when & ~all) != 0) throw new ArgumentOutOfRangeException(nameof(when), when, "Not a SortedSetWhen.");
        bool exists = (when & SortedSetWhen.Exists) != 0, notExists = (when & SortedSetWhen.NotExists) != 0;
        bool greater = (when & SortedSetWhen.GreaterThan) != 0, less = (when & SortedSetWhen.LessThan) != 0;
        if (exists && notExists) throw new ArgumentException("Exists (XX) and NotExists (NX) exclude each other.", nameof(when));
        if (greater && less) throw new ArgumentException("GreaterThan (GT) and LessThan (LT) exclude each other.", nameof(when));
        if (notExists && (greater || less)) throw new ArgumentException("NotExists (NX) cannot be combined with GreaterThan (GT) or LessThan (LT).", nameof(when));
        if (exists) builder.Add("XX");
        if (notExists) builder.Add("NX");
        if (greater) builder.Add("GT");
        if (less) builder.Add("LT");
        if (change) builder.Add("CH");
    }

    /// <summary>ZRANGE (or ZRANGESTORE when <paramref name="destination"/> is given) by rank.</summary>
    private static RespCommand ZRangeByRank(RedisKey? destination, RedisKey key, long start, long stop, Order order, bool withScores, out int slot)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        ZRangeKeys(ref builder, destination, key);
        builder.Add(start);
        builder.Add(stop);
        if (ZCheck(order) == Order.Descending) builder.Add("REV");
        if (withScores) builder.Add("WITHSCORES");
        RespCommand command = builder.Build(destination is null ? "ZRANGE" : "ZRANGESTORE");
        slot = builder.Slot;
        return command;
    }

    /// <summary>ZRANGE … BYSCORE: the bounds go max, min with REV.</summary>
    private static RespCommand ZRangeByScore(RedisKey? destination, RedisKey key, ScoreBound min, ScoreBound max, Order order, long offset, long count, bool withScores, out int slot)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        ZRangeKeys(ref builder, destination, key);
        bool reverse = ZCheck(order) == Order.Descending;
        builder.Add(reverse ? max.ToArgument() : min.ToArgument());
        builder.Add(reverse ? min.ToArgument() : max.ToArgument());
        builder.Add("BYSCORE");
        if (reverse) builder.Add("REV");
        AddZLimit(ref builder, offset, count);
        if (withScores) builder.Add("WITHSCORES");
        RespCommand command = builder.Build(destination is null ? "ZRANGE" : "ZRANGESTORE");
        slot = builder.Slot;
        return command;
    }

    /// <summary>ZRANGE … BYLEX (no WITHSCORES: the server refuses it with BYLEX).</summary>
    private static RespCommand ZRangeByValue(RedisKey? destination, RedisKey key, LexBound min, LexBound max, Order order, long offset, long count, out int slot)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        ZRangeKeys(ref builder, destination, key);
        bool reverse = ZCheck(order) == Order.Descending;
        RedisArgument low = min.ToArgument(nameof(min)), high = max.ToArgument(nameof(max));
        builder.Add(reverse ? high : low);
        builder.Add(reverse ? low : high);
        builder.Add("BYLEX");
        if (reverse) builder.Add("REV");
        AddZLimit(ref builder, offset, count);
        RespCommand command = builder.Build(destination is null ? "ZRANGE" : "ZRANGESTORE");
        slot = builder.Slot;
        return command;
    }

    private static void ZRangeKeys(ref CommandBuilder builder, RedisKey? destination, RedisKey key)
    {
        if (destination is { } dst) builder.AddKey(dst);
        builder.AddKey(key);
    }

    private static void AddZLimit(ref CommandBuilder builder, long offset, long count)
    {
        if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset is 0 or more.");
        if (count < -1) throw new ArgumentOutOfRangeException(nameof(count), count, "The count is -1 (all) or 0 or more.");
        if (offset == 0 && count == -1) return;
        builder.Add("LIMIT");
        builder.Add(offset);
        builder.Add(count);
    }

    private static string ZPopName(Order order) => ZCheck(order) == Order.Ascending ? "ZPOPMIN" : "ZPOPMAX";

    private static Order ZCheck(Order order) =>
        order is Order.Ascending or Order.Descending ? order : throw new ArgumentOutOfRangeException(nameof(order), order, "Not an order.");

    private static RedisArgument ZScore(double score, string parameter) =>
        double.IsNaN(score) ? throw new ArgumentException("NaN is not a score.", parameter) : score;

    private static long ZNonNegative(long count, string parameter) =>
        count < 0 ? throw new ArgumentOutOfRangeException(parameter, count, "The count is 0 or more.") : count;

    /// <summary><c>NAME key member…</c> with at least one member.</summary>
    private static RespCommand ZKeyAndMembers(string name, RedisKey key, RedisArgument[] members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Length == 0) throw new ArgumentException($"{name} needs at least one member.", nameof(members));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        foreach (RedisArgument member in members) builder.Add(member);
        return builder.Build(name);
    }
}
