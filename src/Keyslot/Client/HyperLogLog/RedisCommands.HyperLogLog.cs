using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public ValueTask<bool> HyperLogLogAddAsync(RedisKey key, RedisArgument element, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("PFADD", key, element), key, Write, ReplyParsers.Boolean, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> HyperLogLogAddAsync(RedisKey key, RedisArgument[] elements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(elements);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        foreach (RedisArgument element in elements) builder.Add(element);
        return Keyed(builder.Build("PFADD"), key, Write, ReplyParsers.Boolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> HyperLogLogLengthAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("PFCOUNT", key), key, Read, ReplyParsers.Int64, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> HyperLogLogLengthAsync(RedisKey[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0) throw new ArgumentException("PFCOUNT needs at least one key.", nameof(keys));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        foreach (RedisKey key in keys) builder.AddKey(key);
        RespCommand command = builder.Build("PFCOUNT");
        return InSlot(command, builder.Slot, Read, ReplyParsers.Int64, cancellationToken); // readonly in the server's table, replicas answer it
    }

    /// <inheritdoc/>
    public ValueTask<bool> HyperLogLogMergeAsync(RedisKey destination, RedisKey[] sourceKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceKeys);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.AddKey(destination);
        foreach (RedisKey key in sourceKeys) builder.AddKey(key);
        RespCommand command = builder.Build("PFMERGE");
        return InSlot(command, builder.Slot, Write, ReplyParsers.OkOrNull, cancellationToken);
    }
}
