using System.Diagnostics;
using System.Threading.Tasks.Sources;
using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// An <see cref="Operation"/> whose result is a <typeparamref name="T"/>: a pooled <see cref="IValueTaskSource{TResult}"/>.
/// Continuations run asynchronously, so user code never runs on a connection's read loop. It returns to the pool only
/// after a reply completed it; one completed early (timeout, cancellation) may still sit in a queue and is left to the GC.
/// </summary>
internal sealed class Operation<T> : Operation, IValueTaskSource<T>
{
    private static readonly ObjectPool<Operation<T>> Pool = new(static () => new Operation<T>());
    private static readonly Action<object?, CancellationToken> CancelCallback = static (state, token) =>
        ((Operation<T>)state!).Fail(new OperationCanceledException(token));

    private ManualResetValueTaskSourceCore<T> _core = new() { RunContinuationsAsynchronously = true };
    private ReplyParser<T> _parser = null!;
    private Router _router = null!;
    private CancellationTokenRegistration _cancellation;
    private bool _reusable;
    private RedisKey _writtenKey; // a write's only key while the client-side cache is on (default otherwise)

    private Operation() { }

    public static ValueTask<T> Start(Router router, in RespCommand command, int slot, CommandFlags flags, ReplyParser<T> parser, CancellationToken cancellationToken,
        ReadPolicy readPolicy = ReadPolicy.Primary, RedisKey key = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<T>(cancellationToken);
        Operation<T> op = Prepare(router, command, slot, flags, parser, cancellationToken, readPolicy, out ValueTask<T> task, key);
        router.Dispatch(op);
        return task;
    }

    /// <summary>
    /// Makes the operation without sending it (a batch sends its operations together). <paramref name="key"/> is the
    /// command's only key when it has exactly one: a write then retires only that key's cached reads.
    /// </summary>
    public static Operation<T> Prepare(Router router, in RespCommand command, int slot, CommandFlags flags, ReplyParser<T> parser,
        CancellationToken cancellationToken, ReadPolicy readPolicy, out ValueTask<T> task, RedisKey key = default)
    {
        Operation<T> op = Pool.Rent();
        op._router = router;
        op._command.CopyFrom(command);
        op._parser = parser;
        op.Slot = slot;
        op.Flags = flags;
        op.Timeout = router.CommandTimeout;
        op.CreatedAt = Stopwatch.GetTimestamp();
        op.OperationDeadline = op.CreatedAt + router.CommandTimeoutTicks;
        op.Deadline = op.OperationDeadline;
        op.Token = cancellationToken;
        op.ReadPolicy = readPolicy;
        op.Activity = KeyslotTelemetry.StartCommand(command.Name);
        if ((flags & CommandFlags.ReadOnly) == 0 && router.Cache is { } cache)
        {
            op._writtenKey = key;
            cache.OnLocalWrite(slot, key); // read-your-writes: at send…
        }
        task = new(op, op._core.Version);
        if (cancellationToken.CanBeCanceled)
        {
            op._cancellation = cancellationToken.UnsafeRegister(CancelCallback, op);
        }
        return op;
    }

    public override void OnReply(ref RespReader reader)
    {
        if (IsDone) return;
        if (reader.IsError)
        {
            _router.OnErrorReply(this, ServerError.Read(ref reader));
            return;
        }
        T value;
        try
        {
            value = _parser(ref reader);
        }
        catch (Exception ex)
        {
            // A reply of an unexpected shape fails this command only; the frame was whole, the connection stays in step.
            Fail(RedisUnexpectedReplyException.From(ex, CommandName, LastNode));
            return;
        }
        if (!TryComplete()) return;
        _cancellation.Dispose();
        OnWriteEnded();
        KeyslotTelemetry.EndCommand(Activity, CommandName, LastNode, CreatedAt, null);
        _reusable = true;
        _core.SetResult(value);
    }

    public override void OnConnectionLost(NodeConnection connection, Exception cause) => _router.OnConnectionLost(this, connection, cause);

    protected override void OnTimedOut(NodeConnection connection) => _router?.OnTimedOut(connection);

    public override void Fail(Exception error)
    {
        if (!TryComplete()) return;
        _cancellation.Unregister();
        OnWriteEnded();
        KeyslotTelemetry.EndCommand(Activity, CommandName, LastNode, CreatedAt, error);
        _core.SetException(error);
    }

    /// <summary>…and again before a write's task completes: a cached read may have run on the server before the write.</summary>
    private void OnWriteEnded()
    {
        if ((Flags & CommandFlags.ReadOnly) == 0) _router.Cache?.OnLocalWrite(Slot, _writtenKey);
    }

    public T GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            if (_reusable) Recycle();
        }
    }

    private void Recycle()
    {
        _core.Reset();
        _reusable = false;
        _cancellation = default;
        _parser = null!;
        _router = null!;
        _command = default;
        _writtenKey = default;
        AskTarget = null;
        LastNode = default;
        Admitted = false;
        Retry.Reset();
        Token = default;
        ForcePrimary = false;
        SentToReplica = false;
        ParkSequence = 0;
        Parked = false;
        WaitsForRefresh = false;
        WaitingOn = null;
        Activity = null;
        ResetCompletion();
        Pool.Return(this);
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
