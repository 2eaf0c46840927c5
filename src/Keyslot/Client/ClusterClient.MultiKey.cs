using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public sealed partial class ClusterClient
{
    /// <inheritdoc/>
    public async ValueTask<string?[]> StringGetAsync(RedisKey[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0) return [];
        var groups = new SlotGroups(keys);
        if (groups.Count == 1) return await SendSlotCommand("MGET", keys, null, groups.Groups.First(), Read, ReplyParsers.StringArray, cancellationToken).ConfigureAwait(false);

        // One MGET per slot, all in flight at once; each is an ordinary routed command, so a MOVED or ASK on one
        // re-sends only that part. The parts are merged back in the caller's order.
        var parts = new List<(List<int> Positions, Task<string?[]> Values)>(groups.Count);
        foreach (KeyValuePair<int, List<int>> group in groups.Groups)
        {
            parts.Add((group.Value, SendSlotCommand("MGET", keys, null, group, Read, ReplyParsers.StringArray, cancellationToken).AsTask()));
        }
        var result = new string?[keys.Length];
        foreach ((List<int> positions, Task<string?[]> values) in parts)
        {
            string?[] partValues = await values.ConfigureAwait(false);
            for (int i = 0; i < positions.Count; i++) result[positions[i]] = partValues[i];
        }
        return result;
    }

    /// <inheritdoc/>
    public async ValueTask StringSetAsync(IEnumerable<KeyValuePair<RedisKey, RedisArgument>> values, CancellationToken cancellationToken = default)
    {
        (RedisKey[] keys, RedisArgument[] items) = Unzip(values);
        var groups = new SlotGroups(keys);
        var parts = new List<Task<bool>>(groups.Count);
        foreach (KeyValuePair<int, List<int>> group in groups.Groups)
        {
            parts.Add(SendSlotCommand("MSET", keys, items, group, IdempotentWrite, ReplyParsers.OkOrNull, cancellationToken).AsTask());
        }
        await Task.WhenAll(parts).ConfigureAwait(false);
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
        var parts = new List<Task<long>>(groups.Count);
        foreach (KeyValuePair<int, List<int>> group in groups.Groups)
        {
            parts.Add(SendSlotCommand(name, keys, null, group, flags, ReplyParsers.Int64, cancellationToken).AsTask());
        }
        long total = 0;
        foreach (long count in await Task.WhenAll(parts).ConfigureAwait(false)) total += count;
        return total;
    }

    /// <summary>Sends <c>NAME key [value] key [value]…</c> for the keys of one slot group.</summary>
    private ValueTask<T> SendSlotCommand<T>(string name, RedisKey[] keys, RedisArgument[]? values, KeyValuePair<int, List<int>> group,
        CommandFlags flags, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        foreach (int position in group.Value)
        {
            builder.Add(keys[position]);
            if (values is not null) builder.Add(values[position]);
        }
        return Send(builder.Build(name), group.Key, flags, parser, cancellationToken);
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
