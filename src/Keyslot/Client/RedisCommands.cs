using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

/// <summary>
/// The typed commands, each written once: its name, arguments and their validation, flags and reply parser form one
/// <see cref="CommandDefinition{T}"/>, and the four surfaces differ only in what they do with it:
/// <see cref="ClusterClient"/> sends it, <see cref="ClusterBatch"/> queues it for one write per node,
/// <see cref="ClusterTransaction"/> queues it for MULTI/EXEC, and the client's synchronous methods run it on the
/// caller's thread. Not meant to be derived from outside Keyslot.
/// </summary>
public abstract partial class RedisCommands : IRedisCommands
{
    private protected const CommandFlags Read = CommandFlags.ReadOnly;
    private protected const CommandFlags Write = CommandFlags.None;
    /// <summary>A read the client-side cache may answer (see <see cref="ClusterOptions.ClientCacheSize"/>): its key first, one key only.</summary>
    private protected const CommandFlags CachedRead = CommandFlags.ReadOnly | CommandFlags.Cacheable;

    private protected RedisCommands()
    {
    }

    /// <summary>
    /// Sends or queues one command: the one thing each surface does its own way. The surfaces are a closed set (the
    /// constructor is not visible outside Keyslot), so this is a type switch on sealed classes, not a generic virtual
    /// method, whose runtime lookup would cost every command on the hot path.
    /// </summary>
    private protected ValueTask<T> RunAsync<T>(in CommandDefinition<T> command, CancellationToken cancellationToken) => this switch
    {
        ClusterClient client => client.Send(command, cancellationToken),
        ClusterBatch batch => batch.Queue(command, cancellationToken),
        ClusterTransaction transaction => transaction.Queue(command),
        SynchronousCommands synchronous => new ValueTask<T>(synchronous.Client.RunSynchronously(command)),
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    /// <summary>A command on one key: routed by that key's slot.</summary>
    private protected ValueTask<T> Keyed<T>(in RespCommand command, RedisKey key, CommandFlags flags, ReplyParser<T> parser, CancellationToken cancellationToken) =>
        RunAsync(new CommandDefinition<T>(command, KeySlot.Of(key), flags, parser, key), cancellationToken);

    /// <summary>
    /// A command on several keys already checked to share <paramref name="slot"/> (a <see cref="CommandBuilder"/>
    /// with <see cref="CommandBuilder.AddKey"/> checks and throws <see cref="RedisCrossSlotException"/> before anything
    /// is sent), or on a key given by position.
    /// </summary>
    private protected ValueTask<T> InSlot<T>(in RespCommand command, int slot, CommandFlags flags, ReplyParser<T> parser, CancellationToken cancellationToken) =>
        RunAsync(new CommandDefinition<T>(command, slot, flags, parser), cancellationToken);
}
