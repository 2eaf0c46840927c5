using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public ValueTask<long> ListLeftPushAsync(RedisKey key, RedisArgument value, ListPushCondition when = ListPushCondition.Always, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create(PushName(ListSide.Left, when), key, value), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> ListLeftPushAsync(RedisKey key, RedisArgument[] values, ListPushCondition when = ListPushCondition.Always, CancellationToken cancellationToken = default) =>
        Keyed(KeyAndValues(PushName(ListSide.Left, when), key, values, nameof(values)), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> ListRightPushAsync(RedisKey key, RedisArgument value, ListPushCondition when = ListPushCondition.Always, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create(PushName(ListSide.Right, when), key, value), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> ListRightPushAsync(RedisKey key, RedisArgument[] values, ListPushCondition when = ListPushCondition.Always, CancellationToken cancellationToken = default) =>
        Keyed(KeyAndValues(PushName(ListSide.Right, when), key, values, nameof(values)), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> ListLeftPopAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("LPOP", key), key, Write, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> ListLeftPopBytesAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("LPOP", key), key, Write, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> ListLeftPopAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(PopCount("LPOP", key, count), key, Write, ListReplies.Strings, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[][]> ListLeftPopBytesAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(PopCount("LPOP", key, count), key, Write, ListReplies.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> ListRightPopAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("RPOP", key), key, Write, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> ListRightPopBytesAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("RPOP", key), key, Write, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> ListRightPopAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(PopCount("RPOP", key, count), key, Write, ListReplies.Strings, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[][]> ListRightPopBytesAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(PopCount("RPOP", key, count), key, Write, ListReplies.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ListPopResult<string>?> ListLeftPopAsync(RedisKey[] keys, long count = 1, CancellationToken cancellationToken = default) =>
        MultiPop(keys, ListSide.Left, count, ListReplies.MultiPop, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ListPopResult<byte[]>?> ListLeftPopBytesAsync(RedisKey[] keys, long count = 1, CancellationToken cancellationToken = default) =>
        MultiPop(keys, ListSide.Left, count, ListReplies.MultiPopBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ListPopResult<string>?> ListRightPopAsync(RedisKey[] keys, long count = 1, CancellationToken cancellationToken = default) =>
        MultiPop(keys, ListSide.Right, count, ListReplies.MultiPop, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ListPopResult<byte[]>?> ListRightPopBytesAsync(RedisKey[] keys, long count = 1, CancellationToken cancellationToken = default) =>
        MultiPop(keys, ListSide.Right, count, ListReplies.MultiPopBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> ListRangeAsync(RedisKey key, long start = 0, long stop = -1, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("LRANGE", key, start, stop), key, CachedRead, ListReplies.Strings, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[][]> ListRangeBytesAsync(RedisKey key, long start = 0, long stop = -1, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("LRANGE", key, start, stop), key, CachedRead, ListReplies.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> ListGetByIndexAsync(RedisKey key, long index, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("LINDEX", key, index), key, CachedRead, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> ListGetByIndexBytesAsync(RedisKey key, long index, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("LINDEX", key, index), key, CachedRead, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> ListSetByIndexAsync(RedisKey key, long index, RedisArgument value, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("LSET", key, index, value), key, Write, ListReplies.Ok, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> ListInsertBeforeAsync(RedisKey key, RedisArgument pivot, RedisArgument value, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("LINSERT", [key, "BEFORE", pivot, value]), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> ListInsertAfterAsync(RedisKey key, RedisArgument pivot, RedisArgument value, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("LINSERT", [key, "AFTER", pivot, value]), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> ListLengthAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("LLEN", key), key, CachedRead, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> ListRemoveAsync(RedisKey key, RedisArgument value, long count = 0, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("LREM", key, count, value), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> ListTrimAsync(RedisKey key, long start, long stop, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("LTRIM", key, start, stop), key, Write, ListReplies.Ok, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long?> ListPositionAsync(RedisKey key, RedisArgument element, long rank = 1, long maxLength = 0, CancellationToken cancellationToken = default) =>
        Keyed(BuildPosition(key, element, rank, null, maxLength), key, Read, ReplyParsers.NullableInt64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long[]> ListPositionsAsync(RedisKey key, RedisArgument element, long count, long rank = 1, long maxLength = 0, CancellationToken cancellationToken = default) =>
        Keyed(BuildPosition(key, element, rank, count, maxLength), key, Read, ListReplies.Int64s, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> ListMoveAsync(RedisKey source, RedisKey destination, ListSide sourceSide, ListSide destinationSide, CancellationToken cancellationToken = default) =>
        Move(source, destination, sourceSide, destinationSide, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> ListMoveBytesAsync(RedisKey source, RedisKey destination, ListSide sourceSide, ListSide destinationSide, CancellationToken cancellationToken = default) =>
        Move(source, destination, sourceSide, destinationSide, ReplyParsers.Bytes, cancellationToken);

    private ValueTask<T> Move<T>(RedisKey source, RedisKey destination, ListSide sourceSide, ListSide destinationSide, Connections.ReplyParser<T> parser,
        CancellationToken cancellationToken)
    {
        string from = ListReplies.SideName(sourceSide, nameof(sourceSide));
        string to = ListReplies.SideName(destinationSide, nameof(destinationSide));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.AddKey(source);
        builder.AddKey(destination);
        builder.Add(from);
        builder.Add(to);
        RespCommand command = builder.Build("LMOVE");
        return InSlot(command, builder.Slot, Write, parser, cancellationToken);
    }

    private ValueTask<T> MultiPop<T>(RedisKey[] keys, ListSide side, long count, Connections.ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        ListReplies.AddMultiPopArguments(ref builder, keys, side, count);
        RespCommand command = builder.Build("LMPOP");
        return InSlot(command, builder.Slot, Write, parser, cancellationToken);
    }

    private static string PushName(ListSide side, ListPushCondition when) => (side, when) switch
    {
        (ListSide.Left, ListPushCondition.Always) => "LPUSH",
        (ListSide.Left, ListPushCondition.Exists) => "LPUSHX",
        (ListSide.Right, ListPushCondition.Always) => "RPUSH",
        (ListSide.Right, ListPushCondition.Exists) => "RPUSHX",
        _ => throw new ArgumentOutOfRangeException(nameof(when), when, "A push condition is Always or Exists."),
    };

    /// <summary>LPOP / RPOP with a count (at least 1: a count of 0 answers differently across server versions).</summary>
    private static RespCommand PopCount(string name, RedisKey key, long count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, nameof(count));
        return RespCommand.Create(name, key, count);
    }

    /// <summary>
    /// LPOS with RANK (not 0; negative counts from the tail), COUNT when <paramref name="count"/> is given (0 means
    /// every match) and MAXLEN (0 means the whole list), each sent only when it is not the default.
    /// </summary>
    private static RespCommand BuildPosition(RedisKey key, RedisArgument element, long rank, long? count, long maxLength)
    {
        if (rank == 0 || rank == long.MinValue) throw new ArgumentOutOfRangeException(nameof(rank), rank, "LPOS RANK counts matches from 1 (or from -1 at the tail); 0 is not a rank.");
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "LPOS COUNT is 0 (every match) or more.");
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength, nameof(maxLength));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        builder.Add(element);
        if (rank != 1)
        {
            builder.Add("RANK");
            builder.Add(rank);
        }
        if (count is { } n)
        {
            builder.Add("COUNT");
            builder.Add(n);
        }
        if (maxLength != 0)
        {
            builder.Add("MAXLEN");
            builder.Add(maxLength);
        }
        return builder.Build("LPOS");
    }

    /// <summary><c>NAME key value…</c> with at least one value (pushes, SADD/SREM of many, SMISMEMBER).</summary>
    private static RespCommand KeyAndValues(string name, RedisKey key, RedisArgument[] values, string parameter)
    {
        ArgumentNullException.ThrowIfNull(values, parameter);
        if (values.Length == 0) throw new ArgumentException($"{name} needs at least one value.", parameter);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        foreach (RedisArgument value in values) builder.Add(value);
        return builder.Build(name);
    }
}
