using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public sealed partial class ClusterClient
{
    /// <inheritdoc/>
    public ValueTask<string?[]> StringGetAsync(RedisKey[] keys, CancellationToken cancellationToken = default) => _cache is null
        ? MultiGetAsync(keys, ReplyParsers.StringArray, cancellationToken)
        : CachedMultiGetAsync(keys, ReplyParsers.String, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<byte[]?[]> StringGetBytesAsync(RedisKey[] keys, CancellationToken cancellationToken = default) => _cache is null
        ? MultiGetAsync(keys, ReplyParsers.BytesArray, cancellationToken)
        : CachedMultiGetAsync(keys, ReplyParsers.Bytes, cancellationToken);

    /// <summary>
    /// MGET with the client-side cache on: each key read as its own cached GET (sharing entries with GET), so every
    /// key's value is cached and invalidated on its own, across slots; when all are cached nothing leaves the process.
    /// The misses are sent together, each over its primary's tracking connection.
    /// </summary>
    private ValueTask<T?[]> CachedMultiGetAsync<T>(RedisKey[] keys, ReplyParser<T?> parser, CancellationToken cancellationToken) where T : class
    {
        ArgumentNullException.ThrowIfNull(keys);
        var result = new T?[keys.Length];
        List<(int Index, ValueTask<T?> Value)>? pending = null;
        for (int i = 0; i < keys.Length; i++)
        {
            ValueTask<T?> value = Send(new CommandDefinition<T?>(RespCommand.Create("GET", keys[i]), KeySlot.Of(keys[i]), CachedRead, parser), cancellationToken);
            if (value.IsCompletedSuccessfully) result[i] = value.Result;
            else (pending ??= []).Add((i, value));
        }
        return pending is null ? new ValueTask<T?[]>(result) : AwaitMisses(result, pending);
    }

    private static async ValueTask<T?[]> AwaitMisses<T>(T?[] result, List<(int Index, ValueTask<T?> Value)> pending) where T : class
    {
        foreach ((int index, ValueTask<T?> value) in pending) result[index] = await value.ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// MGET over keys in any slots, each value read by <paramref name="parser"/> (as text or as bytes); values come
    /// back in the order of <paramref name="keys"/>, null where a key does not exist.
    /// </summary>
    private async ValueTask<T?[]> MultiGetAsync<T>(RedisKey[] keys, ReplyParser<T?[]> parser, CancellationToken cancellationToken) where T : class
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0) return [];
        var groups = SplitBySlot(keys);
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
        foreach (ValueTask<bool> part in SendPerSlot("MSET", keys, items, SplitBySlot(keys), Write, ReplyParsers.OkOrNull, cancellationToken))
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
        return SendSlotCommand("MSETNX", keys, items, groups.FirstGroup, Write, ReplyParsers.Boolean, cancellationToken);
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
        var groups = SplitBySlot(keys);
        if (groups.Count == 1) return SendSlotCommand(name, keys, null, groups.FirstGroup, flags, ReplyParsers.Int64, cancellationToken);
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

    /// <summary>
    /// <c>ExecuteAsync</c> of MGET, MSET, DEL, UNLINK, EXISTS or TOUCH whose keys span slots: split as the typed
    /// methods do, and merged into the reply the single command would have given. Null when the command is not one of
    /// those or its keys share a slot (then it is sent as it is).
    /// </summary>
    private ValueTask<RespValue>? TrySplitRaw(string command, RedisArgument[] args, CancellationToken cancellationToken)
    {
        int step = SplitStep(command); // no allocation: this runs for every ExecuteAsync
        if (step == 0 || args.Length < 2 * step || args.Length % step != 0 || !SpansSlots(args, step)) return null;
        string name = command.ToUpperInvariant();
        var keys = new RedisKey[args.Length / step];
        RedisArgument[]? values = step == 2 ? new RedisArgument[keys.Length] : null;
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = AsKey(args[i * step]);
            if (values is not null) values[i] = args[i * step + 1];
        }
        var groups = SplitBySlot(keys);
        return name switch
        {
            "MGET" => MergeValuesAsync(keys.Length, groups, SendPerSlot(name, keys, null, groups, Read, ReplyParsers.Value, cancellationToken)),
            "MSET" => AllOkAsync(SendPerSlot(name, keys, values, groups, Write, ReplyParsers.Value, cancellationToken)),
            "EXISTS" or "TOUCH" => CountAsync(SumAsync(name, keys, groups, Read, cancellationToken)),
            _ => CountAsync(SumAsync(name, keys, groups, Write, cancellationToken)),
        };
    }

    /// <summary>
    /// The keys of a command the client splits (MGET, MSET, DEL…) grouped for sending: by slot in a cluster, as one
    /// group where one node holds every slot. Commands whose keys must share a slot (MSETNX, stores, transactions)
    /// group by slot everywhere, so what runs against a single local server also runs against a cluster.
    /// </summary>
    private SlotGroups SplitBySlot(RedisKey[] keys) => new(keys, _router.CurrentMap.IsCluster);

    /// <summary>1 for the key-list commands that split, 2 for MSET's key-value pairs, 0 for everything else.</summary>
    private static int SplitStep(string command)
    {
        if (command.Length is < 3 or > 6) return 0;
        if (command.Equals("MSET", StringComparison.OrdinalIgnoreCase)) return 2;
        return command.Equals("MGET", StringComparison.OrdinalIgnoreCase) || command.Equals("DEL", StringComparison.OrdinalIgnoreCase)
            || command.Equals("UNLINK", StringComparison.OrdinalIgnoreCase) || command.Equals("EXISTS", StringComparison.OrdinalIgnoreCase)
            || command.Equals("TOUCH", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
    }

    /// <summary>An argument as the key the server will see: numbers in the exact form the writer sends ("inf", not "Infinity").</summary>
    private static RedisKey AsKey(RedisArgument argument)
    {
        switch (argument.Kind)
        {
            case ArgumentKind.Text: return new RedisKey(argument.Text);
            case ArgumentKind.Bytes: return new RedisKey(argument.Memory);
        }
        Span<byte> text = stackalloc byte[RespWriter.MaxNumberLength];
        return new RedisKey(text[..RespWriter.FormatNumber(argument, text)].ToArray());
    }

    private static bool SpansSlots(RedisArgument[] args, int step)
    {
        int first = KeySlot.Of(args[0]);
        for (int i = step; i < args.Length; i += step)
        {
            if (KeySlot.Of(args[i]) != first) return true;
        }
        return false;
    }

    private static async ValueTask<RespValue> MergeValuesAsync(int count, SlotGroups groups, ValueTask<RespValue>[] parts)
    {
        var merged = new RespValue[count];
        int part = 0;
        foreach (KeyValuePair<int, List<int>> group in groups.Groups)
        {
            RespValue values = await parts[part++].ConfigureAwait(false);
            for (int i = 0; i < group.Value.Count; i++) merged[group.Value[i]] = values[i];
        }
        return RespValue.FromArray(merged);
    }

    private static async ValueTask<RespValue> AllOkAsync(ValueTask<RespValue>[] parts)
    {
        foreach (ValueTask<RespValue> part in parts) await part.ConfigureAwait(false);
        return RespValue.FromSimpleString("OK");
    }

    private static async ValueTask<RespValue> CountAsync(ValueTask<long> total) => RespValue.FromInt64(await total.ConfigureAwait(false));

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
