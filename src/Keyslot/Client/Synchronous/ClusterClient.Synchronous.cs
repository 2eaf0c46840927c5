using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public sealed partial class ClusterClient
{
    private SynchronousCommands? _synchronous;

    private SynchronousCommands Synchronous => _synchronous ??= new SynchronousCommands(this);

    /// <inheritdoc/>
    public RespValue Execute(string command, params RedisArgument[] args)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(args);
        ConnectionStateGuard.ThrowIfRefused(command, args);
        ThrowIfDisposed();
        if (_router.Commands.Find(command, args) is { RequestPolicy: "all_shards" or "all_nodes" })
        {
            throw new RedisCommandRefusedException(command.ToUpperInvariant(),
                $"{command.ToUpperInvariant()} runs on every shard and is not offered synchronously; use ExecuteAsync, which fans it out.");
        }
        if (BlockingCommands.IsBlocking(command, args)) throw BlockingRefused(command);
        int slot = _router.Commands.Route(command, args, out CommandFlags flags); // keys of two slots throw RedisCrossSlotException
        return RunSynchronously(new CommandDefinition<RespValue>(RespCommand.Create(command, args), slot, flags, ReplyParsers.Value));
    }

    /// <inheritdoc/>
    public string? StringGet(RedisKey key) => SynchronousCommands.Completed(Synchronous.StringGetAsync(key));

    /// <inheritdoc/>
    public byte[]? StringGetBytes(RedisKey key) => SynchronousCommands.Completed(Synchronous.StringGetBytesAsync(key));

    /// <inheritdoc/>
    public bool StringSet(RedisKey key, RedisArgument value, TimeSpan? expiry = null, SetCondition when = SetCondition.Always) =>
        SynchronousCommands.Completed(Synchronous.StringSetAsync(key, value, expiry, when));

    /// <inheritdoc/>
    public bool KeyDelete(RedisKey key) => SynchronousCommands.Completed(Synchronous.KeyDeleteAsync(key));

    /// <inheritdoc/>
    public bool KeyExists(RedisKey key) => SynchronousCommands.Completed(Synchronous.KeyExistsAsync(key));

    /// <inheritdoc/>
    public bool KeyExpire(RedisKey key, TimeSpan expiry) => SynchronousCommands.Completed(Synchronous.KeyExpireAsync(key, expiry));

    /// <inheritdoc/>
    public string? HashGet(RedisKey key, RedisArgument field) => SynchronousCommands.Completed(Synchronous.HashGetAsync(key, field));

    /// <inheritdoc/>
    public bool HashSet(RedisKey key, RedisArgument field, RedisArgument value) => SynchronousCommands.Completed(Synchronous.HashSetAsync(key, field, value));

    /// <summary>The one road of every synchronous command: the caller's thread, the owning primary, the command timeout.</summary>
    internal T RunSynchronously<T>(in CommandDefinition<T> command)
    {
        ThrowIfDisposed();
        if ((command.Flags & CommandFlags.Blocking) != 0) throw BlockingRefused(command.Command.Name);
        return _router.Synchronous.Run(command);
    }

    private static RedisCommandRefusedException BlockingRefused(string command) =>
        new(command.ToUpperInvariant(),
            $"{command.ToUpperInvariant()} blocks and is not offered synchronously: a caller's thread would be held for the server's whole wait. Use its async form.");
}
