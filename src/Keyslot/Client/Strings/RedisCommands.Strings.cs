using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public abstract partial class RedisCommands
{

    /// <inheritdoc/>
    public ValueTask<string?> StringGetAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("GET", key), key, CachedRead, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> StringGetBytesAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("GET", key), key, CachedRead, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> StringSetAsync(RedisKey key, RedisArgument value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always,
        bool keepTtl = false, CancellationToken cancellationToken = default)
    {
        RespCommand command = BuildSet(key, value, expiry, when, keepTtl, get: false);
        return Keyed(command, key, Write, ReplyParsers.OkOrNull, cancellationToken); // RetrySafety tells plain SET from SET NX/XX
    }

    /// <inheritdoc/>
    public ValueTask<string?> StringSetAndGetAsync(RedisKey key, RedisArgument value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always,
        bool keepTtl = false, CancellationToken cancellationToken = default) =>
        Keyed(BuildSet(key, value, expiry, when, keepTtl, get: true), key, Write, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> StringSetAndGetBytesAsync(RedisKey key, RedisArgument value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always,
        bool keepTtl = false, CancellationToken cancellationToken = default) =>
        Keyed(BuildSet(key, value, expiry, when, keepTtl, get: true), key, Write, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> StringGetDeleteAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("GETDEL", key), key, Write, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> StringGetDeleteBytesAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("GETDEL", key), key, Write, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> StringGetSetExpiryAsync(RedisKey key, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Keyed(BuildGetEx(key, expiry), key, Write, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> StringGetSetExpiryBytesAsync(RedisKey key, TimeSpan? expiry, CancellationToken cancellationToken = default) =>
        Keyed(BuildGetEx(key, expiry), key, Write, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> StringIncrementAsync(RedisKey key, long by = 1, CancellationToken cancellationToken = default) =>
        Keyed(by == 1 ? RespCommand.Create("INCR", key) : RespCommand.Create("INCRBY", key, by), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> StringDecrementAsync(RedisKey key, long by = 1, CancellationToken cancellationToken = default) =>
        Keyed(by == 1 ? RespCommand.Create("DECR", key) : RespCommand.Create("DECRBY", key, by), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> StringAppendAsync(RedisKey key, RedisArgument value, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("APPEND", key, value), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> StringLengthAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("STRLEN", key), key, CachedRead, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string> StringGetRangeAsync(RedisKey key, long start, long end, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("GETRANGE", key, start, end), key, CachedRead, KeyStringReplies.NonNullString, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]> StringGetRangeBytesAsync(RedisKey key, long start, long end, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("GETRANGE", key, start, end), key, CachedRead, KeyStringReplies.NonNullBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> StringSetRangeAsync(RedisKey key, long offset, RedisArgument value, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return Keyed(RespCommand.Create("SETRANGE", key, offset, value), key, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<double> StringIncrementAsync(RedisKey key, double by, CancellationToken cancellationToken = default)
    {
        if (!double.IsFinite(by)) throw new ArgumentOutOfRangeException(nameof(by), by, "INCRBYFLOAT takes a finite increment.");
        return Keyed(RespCommand.Create("INCRBYFLOAT", key, by), key, Write, ReplyParsers.Double, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<string> StringLongestCommonSubsequenceAsync(RedisKey first, RedisKey second, CancellationToken cancellationToken = default)
    {
        RespCommand command = BuildLcs(first, second, null, -1, out int slot);
        return InSlot(command, slot, Read, KeyStringReplies.NonNullString, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<byte[]> StringLongestCommonSubsequenceBytesAsync(RedisKey first, RedisKey second, CancellationToken cancellationToken = default)
    {
        RespCommand command = BuildLcs(first, second, null, -1, out int slot);
        return InSlot(command, slot, Read, KeyStringReplies.NonNullBytes, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> StringLongestCommonSubsequenceLengthAsync(RedisKey first, RedisKey second, CancellationToken cancellationToken = default)
    {
        RespCommand command = BuildLcs(first, second, "LEN", -1, out int slot);
        return InSlot(command, slot, Read, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<LcsMatchResult> StringLongestCommonSubsequenceWithMatchesAsync(RedisKey first, RedisKey second, long minLength = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minLength);
        RespCommand command = BuildLcs(first, second, "IDX", minLength, out int slot);
        return InSlot(command, slot, Read, KeyStringReplies.LcsMatches, cancellationToken);
    }

    /// <summary><c>LCS first second [LEN | IDX [MINMATCHLEN n] WITHMATCHLEN]</c>; both keys in one slot.</summary>
    private static RespCommand BuildLcs(RedisKey first, RedisKey second, string? mode, long minLength, out int slot)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.AddKey(first);
        builder.AddKey(second);
        if (mode is not null) builder.Add(mode);
        if (mode == "IDX")
        {
            if (minLength > 0)
            {
                builder.Add("MINMATCHLEN");
                builder.Add(minLength);
            }
            builder.Add("WITHMATCHLEN");
        }
        RespCommand command = builder.Build("LCS");
        slot = builder.Slot;
        return command;
    }

    private static RespCommand BuildSet(RedisKey key, RedisArgument value, TimeSpan? expiry, SetCondition when, bool keepTtl, bool get)
    {
        if (keepTtl && expiry is not null) throw new ArgumentException("keepTtl and expiry cannot be combined: KEEPTTL keeps the existing expiry.", nameof(keepTtl));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        builder.Add(value);
        if (expiry is { } ttl)
        {
            // Whole seconds go as EX (what most users write); anything finer as PX.
            long ms = Milliseconds(ttl, nameof(expiry));
            if (ms % 1000 == 0)
            {
                builder.Add("EX");
                builder.Add(ms / 1000);
            }
            else
            {
                builder.Add("PX");
                builder.Add(ms);
            }
        }
        else if (keepTtl)
        {
            builder.Add("KEEPTTL");
        }
        if (when == SetCondition.NotExists) builder.Add("NX");
        else if (when == SetCondition.Exists) builder.Add("XX");
        if (get) builder.Add("GET");
        return builder.Build("SET");
    }

    /// <summary>GETEX with PX, or PERSIST when <paramref name="expiry"/> is null.</summary>
    private static RespCommand BuildGetEx(RedisKey key, TimeSpan? expiry) =>
        expiry is { } ttl
            ? RespCommand.Create("GETEX", key, "PX", Milliseconds(ttl, nameof(expiry)))
            : RespCommand.Create("GETEX", key, "PERSIST");

    private static long Milliseconds(TimeSpan value, string parameter)
    {
        long ms = (long)value.TotalMilliseconds;
        if (ms <= 0) throw new ArgumentOutOfRangeException(parameter, value, "An expiry must be at least 1 ms.");
        return ms;
    }
}
