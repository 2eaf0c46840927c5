using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public ValueTask<bool> SetAddAsync(RedisKey key, RedisArgument value, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("SADD", key, value), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> SetAddAsync(RedisKey key, RedisArgument[] values, CancellationToken cancellationToken = default) =>
        Keyed(KeyAndValues("SADD", key, values, nameof(values)), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> SetRemoveAsync(RedisKey key, RedisArgument value, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("SREM", key, value), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> SetRemoveAsync(RedisKey key, RedisArgument[] values, CancellationToken cancellationToken = default) =>
        Keyed(KeyAndValues("SREM", key, values, nameof(values)), key, Write, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> SetMembersAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("SMEMBERS", key), key, CachedRead, SetReplies.Strings, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[][]> SetMembersBytesAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("SMEMBERS", key), key, CachedRead, SetReplies.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> SetContainsAsync(RedisKey key, RedisArgument value, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("SISMEMBER", key, value), key, CachedRead, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool[]> SetContainsAsync(RedisKey key, RedisArgument[] values, CancellationToken cancellationToken = default) =>
        Keyed(KeyAndValues("SMISMEMBER", key, values, nameof(values)), key, Read, SetReplies.Booleans, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> SetLengthAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("SCARD", key), key, CachedRead, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> SetPopAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("SPOP", key), key, Write, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> SetPopBytesAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("SPOP", key), key, Write, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> SetPopAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(PopCount("SPOP", key, count), key, Write, SetReplies.Strings, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[][]> SetPopBytesAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(PopCount("SPOP", key, count), key, Write, SetReplies.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> SetRandomMemberAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("SRANDMEMBER", key), key, Read, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?> SetRandomMemberBytesAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("SRANDMEMBER", key), key, Read, ReplyParsers.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> SetRandomMembersAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(RandomCount(key, count), key, Read, SetReplies.Strings, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[][]> SetRandomMembersBytesAsync(RedisKey key, long count, CancellationToken cancellationToken = default) =>
        Keyed(RandomCount(key, count), key, Read, SetReplies.Bytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SetScanPage<string>> SetScanPageAsync(RedisKey key, ulong cursor = 0, string? pattern = null, int pageSize = 10, CancellationToken cancellationToken = default) =>
        Keyed(KeyScan.Build("SSCAN", key, cursor, pattern, pageSize), key, Read, SetReplies.ScanPage, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SetScanPage<byte[]>> SetScanPageBytesAsync(RedisKey key, ulong cursor = 0, string? pattern = null, int pageSize = 10, CancellationToken cancellationToken = default) =>
        Keyed(KeyScan.Build("SSCAN", key, cursor, pattern, pageSize), key, Read, SetReplies.ScanPageBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string[]> SetCombineAsync(SetOperation operation, RedisKey[] keys, CancellationToken cancellationToken = default)
    {
        string name = CombineName(operation, store: false);
        ValidateSetKeys(name, keys);
        if (this is ClusterClient client && KeysSpanSlots(keys)) return client.SetCombineAcrossSlotsAsync(operation, keys, SetMerge.AsText, cancellationToken);
        return InSlotKeys(name, keys, SetReplies.Strings, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<byte[][]> SetCombineBytesAsync(SetOperation operation, RedisKey[] keys, CancellationToken cancellationToken = default)
    {
        string name = CombineName(operation, store: false);
        ValidateSetKeys(name, keys);
        if (this is ClusterClient client && KeysSpanSlots(keys)) return client.SetCombineAcrossSlotsAsync(operation, keys, SetMerge.AsBytes, cancellationToken);
        return InSlotKeys(name, keys, SetReplies.Bytes, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> SetCombineAndStoreAsync(SetOperation operation, RedisKey destination, RedisKey[] keys, CancellationToken cancellationToken = default)
    {
        string name = CombineName(operation, store: true);
        ValidateSetKeys(name, keys);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.AddKey(destination);
        foreach (RedisKey key in keys) builder.AddKey(key);
        RespCommand command = builder.Build(name);
        return InSlot(command, builder.Slot, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> SetIntersectionLengthAsync(RedisKey[] keys, long limit = 0, CancellationToken cancellationToken = default)
    {
        ValidateSetKeys("SINTERCARD", keys);
        ArgumentOutOfRangeException.ThrowIfNegative(limit, nameof(limit));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(keys.Length);
        foreach (RedisKey key in keys) builder.AddKey(key);
        if (limit != 0)
        {
            builder.Add("LIMIT");
            builder.Add(limit);
        }
        RespCommand command = builder.Build("SINTERCARD");
        return InSlot(command, builder.Slot, Read, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> SetMoveAsync(RedisKey source, RedisKey destination, RedisArgument value, CancellationToken cancellationToken = default)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.AddKey(source);
        builder.AddKey(destination);
        builder.Add(value);
        RespCommand command = builder.Build("SMOVE");
        return InSlot(command, builder.Slot, Write, ReplyParsers.Boolean, cancellationToken);
    }

    /// <summary>SUNION / SINTER / SDIFF of keys in one slot (else <see cref="RedisCrossSlotException"/> from the builder).</summary>
    private ValueTask<T> InSlotKeys<T>(string name, RedisKey[] keys, Connections.ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        foreach (RedisKey key in keys) builder.AddKey(key);
        RespCommand command = builder.Build(name);
        return InSlot(command, builder.Slot, Read, parser, cancellationToken);
    }

    private static string CombineName(SetOperation operation, bool store) => operation switch
    {
        SetOperation.Union => store ? "SUNIONSTORE" : "SUNION",
        SetOperation.Intersect => store ? "SINTERSTORE" : "SINTER",
        SetOperation.Difference => store ? "SDIFFSTORE" : "SDIFF",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "A set operation is Union, Intersect or Difference."),
    };

    private static void ValidateSetKeys(string name, RedisKey[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0) throw new ArgumentException($"{name} needs at least one key.", nameof(keys));
    }

    private static bool KeysSpanSlots(RedisKey[] keys)
    {
        int first = KeySlot.Of(keys[0]);
        for (int i = 1; i < keys.Length; i++)
        {
            if (KeySlot.Of(keys[i]) != first) return true;
        }
        return false;
    }

    /// <summary>SRANDMEMBER with a count: positive for distinct members, negative for |count| members that may repeat.</summary>
    private static RespCommand RandomCount(RedisKey key, long count)
    {
        if (count == long.MinValue) throw new ArgumentOutOfRangeException(nameof(count), count, "SRANDMEMBER cannot take long.MinValue as a count.");
        return RespCommand.Create("SRANDMEMBER", key, count);
    }

}
