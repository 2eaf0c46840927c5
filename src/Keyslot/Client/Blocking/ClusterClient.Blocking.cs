using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public sealed partial class ClusterClient
{
    /// <inheritdoc/>
    public ValueTask<string?> ListBlockingLeftPopAsync(RedisKey key, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        Blocking(RespCommand.Create("BLPOP", key, Seconds(timeout)), KeySlot.Of(key), BlockingReplies.ElementOnly, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> ListBlockingRightPopAsync(RedisKey key, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        Blocking(RespCommand.Create("BRPOP", key, Seconds(timeout)), KeySlot.Of(key), BlockingReplies.ElementOnly, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ListPopResult<string>?> ListBlockingLeftPopAsync(RedisKey[] keys, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        KeysThenTimeout("BLPOP", keys, timeout, BlockingReplies.KeyAndString, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ListPopResult<byte[]>?> ListBlockingLeftPopBytesAsync(RedisKey[] keys, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        KeysThenTimeout("BLPOP", keys, timeout, BlockingReplies.KeyAndBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ListPopResult<string>?> ListBlockingRightPopAsync(RedisKey[] keys, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        KeysThenTimeout("BRPOP", keys, timeout, BlockingReplies.KeyAndString, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ListPopResult<byte[]>?> ListBlockingRightPopBytesAsync(RedisKey[] keys, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        KeysThenTimeout("BRPOP", keys, timeout, BlockingReplies.KeyAndBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ListPopResult<string>?> ListBlockingMultiPopAsync(RedisKey[] keys, ListSide side, long count, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        BlockingMultiPop(keys, side, count, timeout, ListReplies.MultiPop, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ListPopResult<byte[]>?> ListBlockingMultiPopBytesAsync(RedisKey[] keys, ListSide side, long count, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        BlockingMultiPop(keys, side, count, timeout, ListReplies.MultiPopBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> ListBlockingMoveAsync(RedisKey source, RedisKey destination, ListSide sourceSide, ListSide destinationSide, TimeSpan? timeout,
        CancellationToken cancellationToken = default) =>
        BlockingMove(source, destination, sourceSide, destinationSide, timeout, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> ListBlockingMoveBytesAsync(RedisKey source, RedisKey destination, ListSide sourceSide, ListSide destinationSide, TimeSpan? timeout,
        CancellationToken cancellationToken = default) =>
        BlockingMove(source, destination, sourceSide, destinationSide, timeout, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetPopResult<string>?> SortedSetBlockingPopAsync(RedisKey[] keys, Order order, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        KeysThenTimeout(MinOrMax(order), keys, timeout, SortedSetReplies.KeyAndEntry, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetPopResult<byte[]>?> SortedSetBlockingPopBytesAsync(RedisKey[] keys, Order order, TimeSpan? timeout, CancellationToken cancellationToken = default) =>
        KeysThenTimeout(MinOrMax(order), keys, timeout, SortedSetReplies.KeyAndEntryBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SortedSetPopResult<string>?> SortedSetBlockingMultiPopAsync(RedisKey[] keys, long count, Order order, TimeSpan? timeout, CancellationToken cancellationToken = default)
    {
        RespCommand command = ZMPop(keys, count, order, out int slot, Seconds(timeout));
        return Blocking(command, slot, SortedSetReplies.MultiPop, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<SortedSetPopResult<byte[]>?> SortedSetBlockingMultiPopBytesAsync(RedisKey[] keys, long count, Order order, TimeSpan? timeout, CancellationToken cancellationToken = default)
    {
        RespCommand command = ZMPop(keys, count, order, out int slot, Seconds(timeout));
        return Blocking(command, slot, SortedSetReplies.MultiPopBytes, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamEntry[]> StreamReadBlockingAsync(RedisKey key, string afterId, TimeSpan? timeout, long? count = null, CancellationToken cancellationToken = default)
    {
        RespCommand command = StreamCommands.Read([new StreamPosition(key, afterId)], count, Milliseconds(timeout), out int slot);
        return Blocking(command, slot, StreamReplies.ReadSingle, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamBytesEntry[]> StreamReadBlockingBytesAsync(RedisKey key, string afterId, TimeSpan? timeout, long? count = null, CancellationToken cancellationToken = default)
    {
        RespCommand command = StreamCommands.Read([new StreamPosition(key, afterId)], count, Milliseconds(timeout), out int slot);
        return Blocking(command, slot, StreamReplies.ReadSingleBytes, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamReadResult[]> StreamReadBlockingAsync(StreamPosition[] positions, TimeSpan? timeout, long? countPerStream = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        RespCommand command = StreamCommands.Read(positions, countPerStream, Milliseconds(timeout), out int slot);
        return Blocking(command, slot, StreamReplies.Read, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamEntry[]> StreamReadGroupBlockingAsync(RedisKey key, string group, string consumer, TimeSpan? timeout, string position = ">", long? count = null,
        bool noAck = false, CancellationToken cancellationToken = default)
    {
        RespCommand command = StreamCommands.ReadGroup(group, consumer, [new StreamPosition(key, position)], count, noAck, Milliseconds(timeout), out int slot);
        return Blocking(command, slot, StreamReplies.ReadSingle, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamBytesEntry[]> StreamReadGroupBlockingBytesAsync(RedisKey key, string group, string consumer, TimeSpan? timeout, string position = ">", long? count = null,
        bool noAck = false, CancellationToken cancellationToken = default)
    {
        RespCommand command = StreamCommands.ReadGroup(group, consumer, [new StreamPosition(key, position)], count, noAck, Milliseconds(timeout), out int slot);
        return Blocking(command, slot, StreamReplies.ReadSingleBytes, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamReadResult[]> StreamReadGroupBlockingAsync(StreamPosition[] positions, string group, string consumer, TimeSpan? timeout, long? countPerStream = null,
        bool noAck = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        RespCommand command = StreamCommands.ReadGroup(group, consumer, positions, countPerStream, noAck, Milliseconds(timeout), out int slot);
        return Blocking(command, slot, StreamReplies.Read, cancellationToken);
    }

    private static string MinOrMax(Order order) => order switch
    {
        Order.Ascending => "BZPOPMIN",
        Order.Descending => "BZPOPMAX",
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, "Ascending (BZPOPMIN) or Descending (BZPOPMAX)."),
    };

    private ValueTask<T> BlockingMove<T>(RedisKey source, RedisKey destination, ListSide sourceSide, ListSide destinationSide, TimeSpan? timeout,
        ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.AddKey(source);
        builder.AddKey(destination);
        builder.Add(ListReplies.SideName(sourceSide, nameof(sourceSide)));
        builder.Add(ListReplies.SideName(destinationSide, nameof(destinationSide)));
        builder.Add(Seconds(timeout));
        return Blocking(builder.Build("BLMOVE"), builder.Slot, parser, cancellationToken);
    }

    private ValueTask<T> BlockingMultiPop<T>(RedisKey[] keys, ListSide side, long count, TimeSpan? timeout, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(Seconds(timeout));
        ListReplies.AddMultiPopArguments(ref builder, keys, side, count, "BLMPOP");
        return Blocking(builder.Build("BLMPOP"), builder.Slot, parser, cancellationToken);
    }

    /// <summary><c>NAME key… timeout</c> (BLPOP, BRPOP, BZPOPMIN, BZPOPMAX), the keys checked to share a slot.</summary>
    private ValueTask<T> KeysThenTimeout<T>(string name, RedisKey[] keys, TimeSpan? timeout, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0) throw new ArgumentException($"{name} needs at least one key.", nameof(keys));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        foreach (RedisKey key in keys) builder.AddKey(key);
        builder.Add(Seconds(timeout));
        return Blocking(builder.Build(name), builder.Slot, parser, cancellationToken);
    }

    /// <summary>Sends a blocking command (it writes: pops and moves; XREAD's BLOCK form is read-only but blocks just the same) to its slot's primary.</summary>
    private ValueTask<T> Blocking<T>(in RespCommand command, int slot, ReplyParser<T> parser, CancellationToken cancellationToken) =>
        Send(new CommandDefinition<T>(command, slot, CommandFlags.Blocking, parser), cancellationToken);

    /// <summary>XREAD's BLOCK in milliseconds; null waits for ever (0).</summary>
    private static long Milliseconds(TimeSpan? timeout)
    {
        if (timeout is not { } value) return 0;
        if (value < TimeSpan.FromMilliseconds(1)) throw new ArgumentOutOfRangeException(nameof(timeout), value, "A blocking timeout must be at least 1 ms; pass null to wait without one.");
        return (long)Math.Ceiling(value.TotalMilliseconds);
    }

    /// <summary>A blocking timeout in seconds as the server reads it (fractions allowed); null waits for ever (0).</summary>
    private static RedisArgument Seconds(TimeSpan? timeout, string parameter = "timeout")
    {
        if (timeout is not { } value) return 0;
        // A timeout under a millisecond would be sent as 0, which the server reads as "wait for ever".
        if (value < TimeSpan.FromMilliseconds(1)) throw new ArgumentOutOfRangeException(parameter, value, "A blocking timeout must be at least 1 ms; pass null to wait without one.");
        return Math.Ceiling(value.TotalMilliseconds) / 1000.0;
    }
}
