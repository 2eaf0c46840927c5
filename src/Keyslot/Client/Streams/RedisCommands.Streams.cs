using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public ValueTask<string?> StreamAddAsync(RedisKey key, RedisArgument field, RedisArgument value, string? id = null, StreamTrim? trim = null, bool noMakeStream = false, CancellationToken cancellationToken = default) =>
        Keyed(StreamCommands.Add(key, field, value, id, trim, noMakeStream), key, Write, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> StreamAddAsync(RedisKey key, IEnumerable<KeyValuePair<RedisArgument, RedisArgument>> fields, string? id = null, StreamTrim? trim = null, bool noMakeStream = false, CancellationToken cancellationToken = default) =>
        Keyed(StreamCommands.Add(key, fields, id, trim, noMakeStream), key, Write, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StreamEntry[]> StreamRangeAsync(RedisKey key, string start = "-", string end = "+", long? count = null, Order order = Order.Ascending, CancellationToken cancellationToken = default) =>
        Keyed(StreamCommands.Range(key, start, end, count, order), key, Read, StreamReplies.Entries, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StreamBytesEntry[]> StreamRangeBytesAsync(RedisKey key, string start = "-", string end = "+", long? count = null, Order order = Order.Ascending, CancellationToken cancellationToken = default) =>
        Keyed(StreamCommands.Range(key, start, end, count, order), key, Read, StreamReplies.BytesEntries, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> StreamLengthAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("XLEN", key), key, Read, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> StreamDeleteAsync(RedisKey key, string[] ids, CancellationToken cancellationToken = default)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        StreamCommands.AddIds(ref builder, ids, "XDEL");
        return Keyed(builder.Build("XDEL"), key, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> StreamTrimAsync(RedisKey key, StreamTrim trim, CancellationToken cancellationToken = default) =>
        Keyed(StreamCommands.Trim(key, trim), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StreamEntry[]> StreamReadAsync(RedisKey key, string afterId, long? count = null, CancellationToken cancellationToken = default)
    {
        RespCommand command = StreamCommands.Read([new StreamPosition(key, afterId)], count, blockMilliseconds: null, out int slot);
        return InSlot(command, slot, Read, StreamReplies.ReadSingle, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamBytesEntry[]> StreamReadBytesAsync(RedisKey key, string afterId, long? count = null, CancellationToken cancellationToken = default)
    {
        RespCommand command = StreamCommands.Read([new StreamPosition(key, afterId)], count, blockMilliseconds: null, out int slot);
        return InSlot(command, slot, Read, StreamReplies.ReadSingleBytes, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamReadResult[]> StreamReadAsync(StreamPosition[] positions, long? countPerStream = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        RespCommand command = StreamCommands.Read(positions, countPerStream, blockMilliseconds: null, out int slot);
        return InSlot(command, slot, Read, StreamReplies.Read, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamReadBytesResult[]> StreamReadBytesAsync(StreamPosition[] positions, long? countPerStream = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        RespCommand command = StreamCommands.Read(positions, countPerStream, blockMilliseconds: null, out int slot);
        return InSlot(command, slot, Read, StreamReplies.ReadBytes, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> StreamCreateConsumerGroupAsync(RedisKey key, string group, string position = "$", bool createStream = true, CancellationToken cancellationToken = default) =>
        Keyed(StreamCommands.CreateGroup(key, group, position, createStream), key, Write, ReplyParsers.OkOrNull, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> StreamDeleteConsumerGroupAsync(RedisKey key, string group, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        return Keyed(RespCommand.Create("XGROUP", "DESTROY", key, group), key, Write, ReplyParsers.Boolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> StreamConsumerGroupSetPositionAsync(RedisKey key, string group, string position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(position);
        return Keyed(RespCommand.Create("XGROUP", ["SETID", key, group, position]), key, Write, ReplyParsers.OkOrNull, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> StreamCreateConsumerAsync(RedisKey key, string group, string consumer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        return Keyed(RespCommand.Create("XGROUP", ["CREATECONSUMER", key, group, consumer]), key, Write, ReplyParsers.Boolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> StreamDeleteConsumerAsync(RedisKey key, string group, string consumer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        return Keyed(RespCommand.Create("XGROUP", ["DELCONSUMER", key, group, consumer]), key, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamEntry[]> StreamReadGroupAsync(RedisKey key, string group, string consumer, string position = ">", long? count = null, bool noAck = false, CancellationToken cancellationToken = default)
    {
        RespCommand command = StreamCommands.ReadGroup(group, consumer, [new StreamPosition(key, position)], count, noAck, blockMilliseconds: null, out int slot);
        return InSlot(command, slot, Write, StreamReplies.ReadSingle, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamBytesEntry[]> StreamReadGroupBytesAsync(RedisKey key, string group, string consumer, string position = ">", long? count = null, bool noAck = false, CancellationToken cancellationToken = default)
    {
        RespCommand command = StreamCommands.ReadGroup(group, consumer, [new StreamPosition(key, position)], count, noAck, blockMilliseconds: null, out int slot);
        return InSlot(command, slot, Write, StreamReplies.ReadSingleBytes, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamReadResult[]> StreamReadGroupAsync(StreamPosition[] positions, string group, string consumer, long? countPerStream = null, bool noAck = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        RespCommand command = StreamCommands.ReadGroup(group, consumer, positions, countPerStream, noAck, blockMilliseconds: null, out int slot);
        return InSlot(command, slot, Write, StreamReplies.Read, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamReadBytesResult[]> StreamReadGroupBytesAsync(StreamPosition[] positions, string group, string consumer, long? countPerStream = null, bool noAck = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        RespCommand command = StreamCommands.ReadGroup(group, consumer, positions, countPerStream, noAck, blockMilliseconds: null, out int slot);
        return InSlot(command, slot, Write, StreamReplies.ReadBytes, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> StreamAcknowledgeAsync(RedisKey key, string group, string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Keyed(RespCommand.Create("XACK", key, group, id), key, Write, ReplyParsers.Boolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> StreamAcknowledgeAsync(RedisKey key, string group, string[] ids, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        builder.Add(group);
        StreamCommands.AddIds(ref builder, ids, "XACK");
        return Keyed(builder.Build("XACK"), key, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamPendingInfo> StreamPendingAsync(RedisKey key, string group, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        return Keyed(RespCommand.Create("XPENDING", key, group), key, Read, StreamReplies.PendingSummary, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<StreamPendingEntry[]> StreamPendingMessagesAsync(RedisKey key, string group, long count, string? consumer = null, string start = "-", string end = "+", TimeSpan? minIdle = null, CancellationToken cancellationToken = default) =>
        Keyed(StreamCommands.PendingEntries(key, group, count, consumer, start, end, minIdle), key, Read, StreamReplies.PendingEntries, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StreamEntry[]> StreamClaimAsync(RedisKey key, string group, string consumer, TimeSpan minIdle, string[] ids, StreamClaimOptions options = default, CancellationToken cancellationToken = default) =>
        Keyed(StreamCommands.Claim(key, group, consumer, minIdle, ids, options, justId: false), key, Write, StreamReplies.Entries, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StreamBytesEntry[]> StreamClaimBytesAsync(RedisKey key, string group, string consumer, TimeSpan minIdle, string[] ids, StreamClaimOptions options = default, CancellationToken cancellationToken = default) =>
        Keyed(StreamCommands.Claim(key, group, consumer, minIdle, ids, options, justId: false), key, Write, StreamReplies.BytesEntries, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> StreamClaimIdsOnlyAsync(RedisKey key, string group, string consumer, TimeSpan minIdle, string[] ids, StreamClaimOptions options = default, CancellationToken cancellationToken = default) =>
        Keyed(StreamCommands.Claim(key, group, consumer, minIdle, ids, options, justId: true), key, Write, StreamReplies.Ids, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StreamAutoClaimResult> StreamAutoClaimAsync(RedisKey key, string group, string consumer, TimeSpan minIdle, string start = "0-0", long? count = null, CancellationToken cancellationToken = default) =>
        Keyed(StreamCommands.AutoClaim(key, group, consumer, minIdle, start, count), key, Write, StreamReplies.AutoClaim, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StreamAutoClaimBytesResult> StreamAutoClaimBytesAsync(RedisKey key, string group, string consumer, TimeSpan minIdle, string start = "0-0", long? count = null, CancellationToken cancellationToken = default) =>
        Keyed(StreamCommands.AutoClaim(key, group, consumer, minIdle, start, count), key, Write, StreamReplies.AutoClaimBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StreamInfo> StreamInfoAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("XINFO", "STREAM", key), key, Read, StreamReplies.Info, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StreamGroupInfo[]> StreamGroupInfoAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("XINFO", "GROUPS", key), key, Read, StreamReplies.Groups, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StreamConsumerInfo[]> StreamConsumerInfoAsync(RedisKey key, string group, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        return Keyed(RespCommand.Create("XINFO", "CONSUMERS", key, group), key, Read, StreamReplies.Consumers, cancellationToken);
    }
}
