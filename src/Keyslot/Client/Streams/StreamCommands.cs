using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

/// <summary>
/// The stream commands whose arguments take more than a line to build, checked as they are built. XREAD and
/// XREADGROUP are built here for every caller: the non-blocking typed methods pass null for BLOCK, the blocking ones
/// (on their own connections) a timeout.
/// </summary>
internal static class StreamCommands
{
    /// <summary><c>XREAD [COUNT n] [BLOCK ms] STREAMS key… id…</c>; the keys must share a slot (<paramref name="slot"/>).</summary>
    public static RespCommand Read(ReadOnlySpan<StreamPosition> positions, long? count, long? blockMilliseconds, out int slot)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        AddCountAndBlock(ref builder, count, blockMilliseconds);
        AddStreams(ref builder, positions);
        RespCommand command = builder.Build("XREAD");
        slot = builder.Slot;
        return command;
    }

    /// <summary><c>XREADGROUP GROUP g c [COUNT n] [BLOCK ms] [NOACK] STREAMS key… id…</c>; the keys must share a slot.</summary>
    public static RespCommand ReadGroup(string group, string consumer, ReadOnlySpan<StreamPosition> positions, long? count, bool noAck,
        long? blockMilliseconds, out int slot)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add("GROUP");
        builder.Add(group);
        builder.Add(consumer);
        AddCountAndBlock(ref builder, count, blockMilliseconds);
        if (noAck) builder.Add("NOACK");
        AddStreams(ref builder, positions);
        RespCommand command = builder.Build("XREADGROUP");
        slot = builder.Slot;
        return command;
    }

    /// <summary><c>XADD key [NOMKSTREAM] [trim] id|* field value</c>: one field, nothing allocated for it.</summary>
    public static RespCommand Add(RedisKey key, RedisArgument field, RedisArgument value, string? id, StreamTrim? trim, bool noMakeStream)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        AddHead(ref builder, key, id, trim, noMakeStream);
        builder.Add(field);
        builder.Add(value);
        return builder.Build("XADD");
    }

    /// <summary><c>XADD key [NOMKSTREAM] [trim] id|* field value …</c>.</summary>
    public static RespCommand Add(RedisKey key, IEnumerable<KeyValuePair<RedisArgument, RedisArgument>> fields, string? id, StreamTrim? trim, bool noMakeStream)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        AddHead(ref builder, key, id, trim, noMakeStream);
        int pairs = 0;
        foreach (KeyValuePair<RedisArgument, RedisArgument> pair in fields)
        {
            builder.Add(pair.Key);
            builder.Add(pair.Value);
            pairs++;
        }
        if (pairs == 0) throw new ArgumentException("XADD needs at least one field.", nameof(fields));
        return builder.Build("XADD");
    }

    private static void AddHead(ref CommandBuilder builder, RedisKey key, string? id, StreamTrim? trim, bool noMakeStream)
    {
        if (id is not null) ArgumentException.ThrowIfNullOrWhiteSpace(id);
        builder.Add(key);
        if (noMakeStream) builder.Add("NOMKSTREAM");
        if (trim is { } t) AddTrim(ref builder, t, nameof(trim));
        builder.Add(id ?? "*");
    }

    /// <summary><c>XTRIM key MAXLEN|MINID =|~ threshold [LIMIT n]</c>.</summary>
    public static RespCommand Trim(RedisKey key, StreamTrim trim)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        AddTrim(ref builder, trim, nameof(trim));
        return builder.Build("XTRIM");
    }

    /// <summary><c>XRANGE key start end [COUNT n]</c>, or XREVRANGE (which takes the end first).</summary>
    public static RespCommand Range(RedisKey key, string start, string end, long? count, Order order)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(start);
        ArgumentException.ThrowIfNullOrWhiteSpace(end);
        CheckCount(count);
        bool reverse = order == Order.Descending;
        if (!reverse && order != Order.Ascending) throw new ArgumentOutOfRangeException(nameof(order), order, "Ascending or Descending.");
        string name = reverse ? "XREVRANGE" : "XRANGE";
        return count is { } n
            ? RespCommand.Create(name, [key, reverse ? end : start, reverse ? start : end, "COUNT", n])
            : RespCommand.Create(name, key, reverse ? end : start, reverse ? start : end);
    }

    /// <summary><c>NAME key first-arguments… id…</c> for XDEL / XACK / XCLAIM's ID list.</summary>
    public static void AddIds(ref CommandBuilder builder, string[] ids, string name)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Length == 0) throw new ArgumentException($"{name} needs at least one ID.", nameof(ids));
        foreach (string id in ids)
        {
            if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException($"{name}: an ID is null or empty.", nameof(ids));
            builder.Add(id);
        }
    }

    /// <summary><c>XPENDING key group [[IDLE ms] start end count [consumer]]</c>, the extended form.</summary>
    public static RespCommand PendingEntries(RedisKey key, string group, long count, string? consumer, string start, string end, TimeSpan? minIdle)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(start);
        ArgumentException.ThrowIfNullOrWhiteSpace(end);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (consumer is not null) ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        builder.Add(group);
        if (minIdle is { } idle)
        {
            builder.Add("IDLE");
            builder.Add(NonNegativeMilliseconds(idle, nameof(minIdle)));
        }
        builder.Add(start);
        builder.Add(end);
        builder.Add(count);
        if (consumer is not null) builder.Add(consumer);
        return builder.Build("XPENDING");
    }

    /// <summary><c>XCLAIM key group consumer min-idle id… [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID]</c>.</summary>
    public static RespCommand Claim(RedisKey key, string group, string consumer, TimeSpan minIdle, string[] ids, StreamClaimOptions options, bool justId)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        builder.Add(group);
        builder.Add(consumer);
        builder.Add(NonNegativeMilliseconds(minIdle, nameof(minIdle)));
        AddIds(ref builder, ids, "XCLAIM");
        if (options.Idle is not null && options.Time is not null) throw new ArgumentException("XCLAIM takes IDLE or TIME, not both.", nameof(options));
        if (options.Idle is { } idle)
        {
            builder.Add("IDLE");
            builder.Add(NonNegativeMilliseconds(idle, nameof(options)));
        }
        if (options.Time is { } time)
        {
            builder.Add("TIME");
            builder.Add(time.ToUnixTimeMilliseconds());
        }
        if (options.RetryCount is { } retries)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(retries, nameof(options));
            builder.Add("RETRYCOUNT");
            builder.Add(retries);
        }
        if (options.Force) builder.Add("FORCE");
        if (justId) builder.Add("JUSTID");
        return builder.Build("XCLAIM");
    }

    /// <summary><c>XAUTOCLAIM key group consumer min-idle start [COUNT n]</c>.</summary>
    public static RespCommand AutoClaim(RedisKey key, string group, string consumer, TimeSpan minIdle, string start, long? count)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentException.ThrowIfNullOrWhiteSpace(start);
        CheckCount(count);
        long idle = NonNegativeMilliseconds(minIdle, nameof(minIdle));
        return count is { } n
            ? RespCommand.Create("XAUTOCLAIM", [key, group, consumer, idle, start, "COUNT", n])
            : RespCommand.Create("XAUTOCLAIM", [key, group, consumer, idle, start]);
    }

    /// <summary><c>XGROUP CREATE key group id [MKSTREAM]</c>.</summary>
    public static RespCommand CreateGroup(RedisKey key, string group, string position, bool createStream)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(position);
        return createStream
            ? RespCommand.Create("XGROUP", ["CREATE", key, group, position, "MKSTREAM"])
            : RespCommand.Create("XGROUP", ["CREATE", key, group, position]);
    }

    public static long NonNegativeMilliseconds(TimeSpan value, string parameter)
    {
        if (value < TimeSpan.Zero) throw new ArgumentOutOfRangeException(parameter, value, "A time cannot be negative.");
        return (long)value.TotalMilliseconds;
    }

    public static void CheckCount(long? count)
    {
        if (count is { } n) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n, nameof(count));
    }

    private static void AddCountAndBlock(ref CommandBuilder builder, long? count, long? blockMilliseconds)
    {
        CheckCount(count);
        if (count is { } n)
        {
            builder.Add("COUNT");
            builder.Add(n);
        }
        if (blockMilliseconds is { } block)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(block, nameof(blockMilliseconds));
            builder.Add("BLOCK");
            builder.Add(block);
        }
    }

    private static void AddStreams(ref CommandBuilder builder, ReadOnlySpan<StreamPosition> positions)
    {
        if (positions.IsEmpty) throw new ArgumentException("Read at least one stream.", nameof(positions));
        builder.Add("STREAMS");
        foreach (StreamPosition position in positions)
        {
            if (string.IsNullOrWhiteSpace(position.Id)) throw new ArgumentException("A stream position needs an ID (\"0\", \">\", \"$\" or an entry ID).", nameof(positions));
            builder.AddKey(position.Key);
        }
        foreach (StreamPosition position in positions) builder.Add(position.Id);
    }

    private static void AddTrim(ref CommandBuilder builder, StreamTrim trim, string parameter)
    {
        switch (trim.Strategy)
        {
            case StreamTrimStrategy.MaxLength:
                builder.Add("MAXLEN");
                builder.Add(trim.Approximate ? "~" : "=");
                builder.Add(trim.MaxLengthValue);
                break;
            case StreamTrimStrategy.MinId:
                builder.Add("MINID");
                builder.Add(trim.Approximate ? "~" : "=");
                builder.Add(trim.MinIdValue!);
                break;
            default:
                throw new ArgumentException("Make the trim with StreamTrim.MaxLength or StreamTrim.MinId.", parameter);
        }
        if (trim.Limit is { } limit)
        {
            builder.Add("LIMIT");
            builder.Add(limit);
        }
    }
}
