using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

/// <summary>
/// Commands queued and sent together (a pipeline across the cluster): <see cref="Execute"/> groups them by node and
/// writes each group in one go; each command then completes on its own, with its own reply or error, and a MOVED,
/// ASK or TRYAGAIN re-sends only that command. Not a transaction: other callers' commands may run in between, and
/// nothing is atomic. A batch is used once, from one thread. The returned tasks complete only after Execute.
/// </summary>
public sealed class ClusterBatch
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

    /// <summary>Queues GET.</summary>
    public ValueTask<string?> StringGetAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Queue(RespCommand.Create("GET", key), KeySlot.Of(key), CommandFlags.ReadOnly, ReplyParsers.String, cancellationToken);

    /// <summary>Queues GET, the value as bytes (exact for binary data).</summary>
    public ValueTask<byte[]?> StringGetBytesAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Queue(RespCommand.Create("GET", key), KeySlot.Of(key), CommandFlags.ReadOnly, ReplyParsers.Bytes, cancellationToken);

    /// <summary>Queues SET (with an optional expiry).</summary>
    public ValueTask<bool> StringSetAsync(RedisKey key, RedisArgument value, TimeSpan? expiry = null, CancellationToken cancellationToken = default) =>
        Queue(expiry is { } ttl ? RespCommand.Create("SET", [key, value, "PX", (long)ttl.TotalMilliseconds]) : RespCommand.Create("SET", key, value),
            KeySlot.Of(key), CommandFlags.None, ReplyParsers.OkOrNull, cancellationToken);

    /// <summary>Queues DEL of one key.</summary>
    public ValueTask<bool> KeyDeleteAsync(RedisKey key, CancellationToken cancellationToken = default) =>
        Queue(RespCommand.Create("DEL", key), KeySlot.Of(key), CommandFlags.None, ReplyParsers.Boolean, cancellationToken);

    /// <summary>Queues HSET of one field.</summary>
    public ValueTask<bool> HashSetAsync(RedisKey key, RedisArgument field, RedisArgument value, CancellationToken cancellationToken = default) =>
        Queue(RespCommand.Create("HSET", key, field, value), KeySlot.Of(key), CommandFlags.None, ReplyParsers.Boolean, cancellationToken);

    /// <summary>Queues HGET.</summary>
    public ValueTask<string?> HashGetAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default) =>
        Queue(RespCommand.Create("HGET", key, field), KeySlot.Of(key), CommandFlags.ReadOnly, ReplyParsers.String, cancellationToken);

    /// <summary>Queues HGET, the value as bytes.</summary>
    public ValueTask<byte[]?> HashGetBytesAsync(RedisKey key, RedisArgument field, CancellationToken cancellationToken = default) =>
        Queue(RespCommand.Create("HGET", key, field), KeySlot.Of(key), CommandFlags.ReadOnly, ReplyParsers.Bytes, cancellationToken);

    /// <summary>Queues any command, routed by its keys (which must share a slot).</summary>
    public ValueTask<RespValue> ExecuteAsync(string command, params RedisArgument[] args)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ConnectionStateGuard.ThrowIfRefused(command, args, "a batch is not a transaction; use ClusterClient.CreateTransaction()");
        int slot = _router.Commands.Route(command, args, out CommandFlags flags);
        return Queue(RespCommand.Create(command, args), slot, flags, ReplyParsers.Value, CancellationToken.None);
    }

    /// <summary>Sends everything queued. Await the tasks the queueing methods returned for the results.</summary>
    public void Execute()
    {
        if (_executed) throw new InvalidOperationException("A batch is executed once; create a new one.");
        _executed = true;
        _router.DispatchBatch(_queued);
        _queued.Clear();
    }

    private ValueTask<T> Queue<T>(in RespCommand command, int slot, CommandFlags flags, ReplyParser<T> parser, CancellationToken cancellationToken)
    {
        if (_executed) throw new InvalidOperationException("This batch was already executed; create a new one.");
        _client.EnsureNotDisposed();
        Operation<T> op = Operation<T>.Prepare(_router, command, slot, flags, parser, cancellationToken, _client.ReadPolicy, out ValueTask<T> task);
        _queued.Add(op);
        return task;
    }
}
