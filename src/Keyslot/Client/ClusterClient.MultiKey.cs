using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public sealed partial class ClusterClient
{
    /// <inheritdoc/>
    public ValueTask<string?[]> StringGetAsync(RedisKey[] keys, CancellationToken cancellationToken = default) =>
        MultiGetAsync(keys, ReplyParsers.StringArray, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?[]> StringGetBytesAsync(RedisKey[] keys, CancellationToken cancellationToken = default) =>
        MultiGetAsync(keys, ReplyParsers.BytesArray, cancellationToken);

    /// <summary>
    /// MGET over keys in any slots, each value read by <paramref name="parser"/> (as text or as bytes); values come
    /// back in the order of <paramref name="keys"/>, null where a key does not exist.
    /// </summary>
    private async ValueTask<T?[]> MultiGetAsync<T>(RedisKey[] keys, ReplyParser<T?[]> parser, CancellationToken cancellationToken) where T : class
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0) return [];
        var groups = new SlotGroups(keys);
        if (groups.Count == 1) return await SendSlotCommand("MGET", keys, null, groups.FirstGroup, Read, parser, cancellationToken).ConfigureAwait(false);

        // One MGET per slot, all written at once (grouped by node, one write each); each is an ordinary routed
        // command, so a MOVED or ASK on one re-sends only that part. The parts are merged back in the caller's order.
        ValueTask<T?[]>[] parts = SendPerSlot("MGET", keys, null, groups, Read, parser, cancellationToken);
        var result = new T?[keys.Length];
        int part = 0;
        foreach (KeyValuePair<int, List<int>> group in groups.Groups)
        {
            T?[] partValues = await parts[part++].ConfigureAwait(false);
            for (int i = 0; i < group.Value.Count; i++) result[group.Value[i]] = partValues[i];
        }
        return result;
    }

    /// <inheritdoc/>
    public async ValueTask StringSetAsync(IEnumerable<KeyValuePair<RedisKey, RedisArgument>> values, CancellationToken cancellationToken = default)
    {
        (RedisKey[] keys, RedisArgument[] items) = Unzip(values);
        foreach (ValueTask<bool> part in SendPerSlot("MSET", keys, items, new SlotGroups(keys), IdempotentWrite, ReplyParsers.OkOrNull, cancellationToken))
        {
            await part.ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> StringSetIfNoneExistAsync(IEnumerable<KeyValuePair<RedisKey, RedisArgument>> values, CancellationToken cancellationToken = default)
    {
        (RedisKey[] keys, RedisArgument[] items) = Unzip(values);
        var groups = new SlotGroups(keys);
        if (groups.Count > 1)
        {
            // MSETNX is all-or-nothing; split across nodes it could not be, so refuse before anything is sent.
            (int first, int other) = groups.TwoSlots();
            throw new RedisCrossSlotException("MSETNX", first, other);
        }
        return SendSlotCommand("MSETNX", keys, items, groups.Groups.First(), Write, ReplyParsers.Boolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> KeyTouchAsync(RedisKey[] keys, CancellationToken cancellationToken = default) =>
        SendMultiKey("TOUCH", keys, Read, cancellationToken);

    /// <summary>
    /// DEL/UNLINK/EXISTS/TOUCH over keys in any slots: one sub-command per slot, in parallel, counts summed.
    /// Not atomic across slots (no cluster command is); keys sharing a slot stay one command.
    /// </summary>
    private ValueTask<long> SendMultiKey(string name, RedisKey[] keys, CommandFlags flags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0) throw new ArgumentException($"{name} needs at least one key.", nameof(keys));
        var groups = new SlotGroups(keys);
        if (groups.Count == 1) return SendSlotCommand(name, keys, null, groups.Groups.First(), flags, ReplyParsers.Int64, cancellationToken);
        return SumAsync(name, keys, groups, flags, cancellationToken);
    }

    private async ValueTask<long> SumAsync(string name, RedisKey[] keys, SlotGroups groups, CommandFlags flags, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (ValueTask<long> part in SendPerSlot(name, keys, null, groups, flags, ReplyParsers.Int64, cancellationToken))
        {
            total += await part.ConfigureAwait(false);
        }
        return total;
    }

    /// <summary>One sub-command per slot group, prepared and then written together (grouped by node).</summary>
    private ValueTask<T>[] SendPerSlot<T>(string name, RedisKey[] keys, RedisArgument[]? values, SlotGroups groups, CommandFlags flags,
        ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var parts = new ValueTask<T>[groups.Count];
        var operations = new List<Operation>(groups.Count);
        int index = 0;
        foreach (KeyValuePair<int, List<int>> group in groups.Groups)
        {
            RespCommand command = BuildSlotCommand(name, keys, values, group.Value);
            operations.Add(Operation<T>.Prepare(_router, command, group.Key, flags, parser, cancellationToken, _readPolicy, out parts[index++]));
        }
        _router.DispatchBatch(operations);
        return parts;
    }

    /// <summary>Sends <c>NAME key [value] key [value]…</c> for the keys of one slot group.</summary>
    private ValueTask<T> SendSlotCommand<T>(string name, RedisKey[] keys, RedisArgument[]? values, KeyValuePair<int, List<int>> group,
        CommandFlags flags, ReplyParser<T> parser, CancellationToken cancellationToken) =>
        Send(BuildSlotCommand(name, keys, values, group.Value), group.Key, flags, parser, cancellationToken);

    private static RespCommand BuildSlotCommand(string name, RedisKey[] keys, RedisArgument[]? values, List<int> positions)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        foreach (int position in positions)
        {
            builder.Add(keys[position]);
            if (values is not null) builder.Add(values[position]);
        }
        return builder.Build(name);
    }

    private static (RedisKey[] Keys, RedisArgument[] Values) Unzip(IEnumerable<KeyValuePair<RedisKey, RedisArgument>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var keys = new List<RedisKey>();
        var items = new List<RedisArgument>();
        foreach (KeyValuePair<RedisKey, RedisArgument> pair in values)
        {
            keys.Add(pair.Key);
            items.Add(pair.Value);
        }
        if (keys.Count == 0) throw new ArgumentException("At least one key and value is needed.", nameof(values));
        return ([.. keys], [.. items]);
    }
}
