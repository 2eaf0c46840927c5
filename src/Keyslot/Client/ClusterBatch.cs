using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

/// <summary>
/// Commands queued and sent together (a pipeline across the cluster): <see cref="Execute"/> groups them by node and
/// writes each group in one go; each command then completes on its own, with its own reply or error, and a MOVED,
/// ASK or TRYAGAIN re-sends only that command. Not a transaction: other callers' commands may run in between, and
/// nothing is atomic. It offers every typed command of <see cref="RedisCommands"/>. A batch is used once, from one
/// thread. The returned tasks complete only after Execute.
/// </summary>
public sealed class ClusterBatch : RedisCommands
{
    private readonly ClusterClient _client;
    private readonly Router _router;
    private readonly List<Operation> _queued = [];
    private bool _executed;

    internal ClusterBatch(ClusterClient client, Router router)
    {
        _client = client;
        _router = router;
    }

    /// <summary>How many commands are queued.</summary>
    public int Count => _queued.Count;

    /// <summary>Queues any command, routed by its keys (which must share a slot).</summary>
    public ValueTask<RespValue> ExecuteAsync(string command, params RedisArgument[] args) => ExecuteAsync(command, args, CancellationToken.None);

    /// <summary>Queues any command, routed by its keys (which must share a slot); the token cancels waiting for its reply.</summary>
    public ValueTask<RespValue> ExecuteAsync(string command, RedisArgument[] args, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ConnectionStateGuard.ThrowIfRefused(command, args, "a batch is not a transaction; use ClusterClient.CreateTransaction()");
        ConnectionStateGuard.ThrowIfBlocking(command, args, "send it with ClusterClient.ExecuteAsync, which runs it on a connection of the node's blocking pool");
        int slot = _router.Commands.Route(command, args, out CommandFlags flags);
        return Queue(RespCommand.Create(command, args), slot, flags, ReplyParsers.Value, cancellationToken);
    }

    /// <summary>Sends everything queued. Await the tasks the queueing methods returned for the results.</summary>
    public void Execute()
    {
        if (_executed) throw new InvalidOperationException("A batch is executed once; create a new one.");
        _executed = true;
        _router.DispatchBatch(_queued);
        _queued.Clear();
    }

    /// <summary>The typed commands (every one of <see cref="RedisCommands"/>) are queued, to be written at <see cref="Execute"/>.</summary>
    internal ValueTask<T> Queue<T>(in CommandDefinition<T> command, CancellationToken cancellationToken) =>
        Queue(command.Command, command.Slot, command.Flags, command.Parser, cancellationToken, command.Key);

    private ValueTask<T> Queue<T>(in RespCommand command, int slot, CommandFlags flags, ReplyParser<T> parser, CancellationToken cancellationToken, RedisKey key = default)
    {
        if (_executed) throw new InvalidOperationException("This batch was already executed; create a new one.");
        _client.EnsureNotDisposed();
        Operation<T> op = Operation<T>.Prepare(_router, command, slot, flags, parser, cancellationToken, _client.ReadPolicy, out ValueTask<T> task, key);
        _queued.Add(op);
        return task;
    }
}
