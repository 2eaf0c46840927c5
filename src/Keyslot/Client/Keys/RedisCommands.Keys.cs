using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public ValueTask<bool> KeyDeleteAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("DEL", key), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> KeyUnlinkAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("UNLINK", key), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> KeyExistsAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("EXISTS", key), key, CachedRead, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> KeyExpireAsync(RedisKey key, TimeSpan expiry, CancellationToken cancellationToken = default) =>
        Keyed(BuildExpire(key, expiry, ExpireWhen.Always), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> KeyExpireAsync(RedisKey key, TimeSpan expiry, ExpireWhen when, CancellationToken cancellationToken = default) =>
        Keyed(BuildExpire(key, expiry, when), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> KeyExpireAsync(RedisKey key, DateTimeOffset expireAt, ExpireWhen when = ExpireWhen.Always, CancellationToken cancellationToken = default)
    {
        long ms = expireAt.ToUnixTimeMilliseconds();
        string? condition = Condition(when);
        // Whole seconds go as EXPIREAT, anything finer as PEXPIREAT, as the relative form does.
        RespCommand command = ms % 1000 == 0
            ? condition is null ? RespCommand.Create("EXPIREAT", key, ms / 1000) : RespCommand.Create("EXPIREAT", key, ms / 1000, condition)
            : condition is null ? RespCommand.Create("PEXPIREAT", key, ms) : RespCommand.Create("PEXPIREAT", key, ms, condition);
        return Keyed(command, key, Write, ReplyParsers.Boolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<DateTimeOffset?> KeyExpireTimeAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("PEXPIRETIME", key), key, Read, KeyStringReplies.ExpireTime, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> KeyCopyAsync(RedisKey source, RedisKey destination, bool replace = false, CancellationToken cancellationToken = default)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.AddKey(source);
        builder.AddKey(destination);
        if (replace) builder.Add("REPLACE");
        RespCommand command = builder.Build("COPY");
        return InSlot(command, builder.Slot, Write, ReplyParsers.Boolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> KeyRenameAsync(RedisKey key, RedisKey newKey, SetCondition when = SetCondition.Always, CancellationToken cancellationToken = default)
    {
        string name = when switch
        {
            SetCondition.Always => "RENAME",
            SetCondition.NotExists => "RENAMENX",
            _ => throw new ArgumentOutOfRangeException(nameof(when), when, "RENAME (Always) or RENAMENX (NotExists)."),
        };
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.AddKey(key);
        builder.AddKey(newKey);
        RespCommand command = builder.Build(name);
        return InSlot(command, builder.Slot, Write, KeyStringReplies.OkOrBoolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<string?> KeyEncodingAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("OBJECT", "ENCODING", key), key, Read, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long?> KeyFrequencyAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("OBJECT", "FREQ", key), key, Read, ReplyParsers.NullableInt64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<TimeSpan?> KeyIdleTimeAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("OBJECT", "IDLETIME", key), key, Read, KeyStringReplies.IdleSeconds, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> KeyDumpAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("DUMP", key), key, Read, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> KeyRestoreAsync(RedisKey key, byte[] value, TimeSpan? expiry = null, bool replace = false, TimeSpan? idleTime = null, long? frequency = null, CancellationToken cancellationToken = default)
    {
        long ttl = expiry is { } e ? Milliseconds(e, nameof(expiry)) : 0;
        return Keyed(BuildRestore(key, value, ttl, absolute: false, replace, idleTime, frequency), key, Write, ReplyParsers.OkOrNull, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> KeyRestoreAsync(RedisKey key, byte[] value, DateTimeOffset expireAt, bool replace = false, TimeSpan? idleTime = null, long? frequency = null, CancellationToken cancellationToken = default)
    {
        long at = expireAt.ToUnixTimeMilliseconds();
        if (at <= 0) throw new ArgumentOutOfRangeException(nameof(expireAt), expireAt, "An absolute expiry must be after the Unix epoch.");
        return Keyed(BuildRestore(key, value, at, absolute: true, replace, idleTime, frequency), key, Write, ReplyParsers.OkOrNull, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<string?[]> KeySortAsync(RedisKey key, SortOptions options = default, CancellationToken cancellationToken = default) =>
        Keyed(BuildSort(key, options, destination: null, out _), key, Read, ReplyParsers.StringArray, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?[]> KeySortBytesAsync(RedisKey key, SortOptions options = default, CancellationToken cancellationToken = default) =>
        Keyed(BuildSort(key, options, destination: null, out _), key, Read, ReplyParsers.BytesArray, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> KeySortAndStoreAsync(RedisKey key, RedisKey destination, SortOptions options = default, CancellationToken cancellationToken = default)
    {
        RespCommand command = BuildSort(key, options, destination, out int slot);
        return InSlot(command, slot, Write, ReplyParsers.Int64, cancellationToken);
    }

    private static RespCommand BuildExpire(RedisKey key, TimeSpan expiry, ExpireWhen when)
    {
        long ms = Milliseconds(expiry, nameof(expiry));
        string? condition = Condition(when);
        if (ms % 1000 == 0)
        {
            return condition is null ? RespCommand.Create("EXPIRE", key, ms / 1000) : RespCommand.Create("EXPIRE", key, ms / 1000, condition);
        }
        return condition is null ? RespCommand.Create("PEXPIRE", key, ms) : RespCommand.Create("PEXPIRE", key, ms, condition);
    }

    private static string? Condition(ExpireWhen when) => when switch
    {
        ExpireWhen.Always => null,
        ExpireWhen.HasNoExpiry => "NX",
        ExpireWhen.HasExpiry => "XX",
        ExpireWhen.GreaterThanCurrentExpiry => "GT",
        ExpireWhen.LessThanCurrentExpiry => "LT",
        _ => throw new ArgumentOutOfRangeException(nameof(when), when, "Always, HasNoExpiry, HasExpiry, GreaterThanCurrentExpiry or LessThanCurrentExpiry."),
    };

    /// <summary><c>RESTORE key ttl value [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f]</c>.</summary>
    private static RespCommand BuildRestore(RedisKey key, byte[] value, long ttl, bool absolute, bool replace, TimeSpan? idleTime, long? frequency)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0) throw new ArgumentException("A DUMP payload is not empty.", nameof(value));
        if (idleTime is not null && frequency is not null) throw new ArgumentException("RESTORE takes IDLETIME or FREQ, not both.", nameof(frequency));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        builder.Add(ttl);
        builder.Add(value);
        if (replace) builder.Add("REPLACE");
        if (absolute) builder.Add("ABSTTL");
        if (idleTime is { } idle)
        {
            if (idle < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(idleTime), idle, "An idle time cannot be negative.");
            builder.Add("IDLETIME");
            builder.Add((long)idle.TotalSeconds);
        }
        if (frequency is { } freq)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(freq, nameof(frequency));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(freq, 255, nameof(frequency));
            builder.Add("FREQ");
            builder.Add(freq);
        }
        return builder.Build("RESTORE");
    }

    /// <summary>
    /// <c>SORT_RO key [BY p] [LIMIT o c] [GET p]… [ASC|DESC] [ALPHA]</c>, or <c>SORT … STORE destination</c> when a
    /// destination is given (it must share the key's slot; the patterns' keys the server checks).
    /// </summary>
    private static RespCommand BuildSort(RedisKey key, in SortOptions options, RedisKey? destination, out int slot)
    {
        if (options.Order is not (Order.Ascending or Order.Descending)) throw new ArgumentOutOfRangeException(nameof(options), options.Order, "Ascending or Descending.");
        ArgumentOutOfRangeException.ThrowIfNegative(options.Offset, nameof(options));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.AddKey(key);
        if (options.By is { } by)
        {
            if (by.Length == 0) throw new ArgumentException("A BY pattern is not empty.", nameof(options));
            builder.Add("BY");
            builder.Add(by);
        }
        if (options.Count is not null || options.Offset != 0)
        {
            long count = options.Count ?? -1;
            if (count < 0 && options.Count is not null) throw new ArgumentOutOfRangeException(nameof(options), options.Count, "A LIMIT count cannot be negative.");
            builder.Add("LIMIT");
            builder.Add(options.Offset);
            builder.Add(count);
        }
        if (options.Get is { } patterns)
        {
            foreach (string pattern in patterns)
            {
                if (string.IsNullOrEmpty(pattern)) throw new ArgumentException("A GET pattern is not empty.", nameof(options));
                builder.Add("GET");
                builder.Add(pattern);
            }
        }
        if (options.Order == Order.Descending) builder.Add("DESC");
        if (options.Alpha) builder.Add("ALPHA");
        if (destination is { } store)
        {
            builder.Add("STORE");
            builder.AddKey(store);
        }
        RespCommand command = builder.Build(destination is null ? "SORT_RO" : "SORT");
        slot = builder.Slot;
        return command;
    }

    /// <inheritdoc/>
    public ValueTask<TimeSpan?> KeyTimeToLiveAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("PTTL", key), key, Read, ReplyParsers.TimeToLive, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> KeyTimeToLiveSecondsAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("TTL", key), key, Read, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> KeyPersistAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("PERSIST", key), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> KeyTypeAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("TYPE", key), key, Read, ReplyParsers.String, cancellationToken);
}
