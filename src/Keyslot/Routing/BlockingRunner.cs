using System.Diagnostics;
using Keyslot.Connections;
using Keyslot.Protocol;
using Microsoft.Extensions.Logging;

namespace Keyslot.Routing;

/// <summary>
/// Runs blocking commands (BLPOP, BZPOPMIN, XREAD BLOCK, WAIT…) on dedicated connections of the owning node's
/// <see cref="BlockingPool"/>, never on the shared pipelined one. Each waits at most the server's timeout plus the
/// command timeout (none for a timeout of 0), follows MOVED, ASK and busy-cluster errors as any command does
/// (<see cref="Router.FollowError"/>), and resumes at the new owner after a lost connection (a failover). A caller
/// that gives up (its token, or the client's bound) ends the command with CLIENT UNBLOCK from the node's interactive
/// connection, so the server cannot pop an element later for nobody: whatever the server answers is then read, and an
/// element it had already taken is handed over instead of the cancellation.
/// </summary>
internal sealed class BlockingRunner
{
    private readonly Router _router;
    private readonly BlockingPool _pool;
    private readonly ILogger _logger;

    public BlockingRunner(Router router, BlockingPool pool, ILogger logger)
    {
        _router = router;
        _pool = pool;
        _logger = logger;
    }

    public async ValueTask<T> RunAsync<T>(CommandDefinition<T> command, CancellationToken cancellationToken)
    {
        Activity? activity = KeyslotTelemetry.StartCommand(command.Command.Name);
        long started = Stopwatch.GetTimestamp();
        NodeEndpoint node = default;
        bool write = (command.Flags & CommandFlags.ReadOnly) == 0;
        if (write) _router.Cache?.OnLocalWrite(command.Slot);
        try
        {
            T result = await RunCoreAsync(command, n => node = n, cancellationToken).ConfigureAwait(false);
            KeyslotTelemetry.EndCommand(activity, command.Command.Name, node, started, null);
            return result;
        }
        catch (Exception ex)
        {
            KeyslotTelemetry.EndCommand(activity, command.Command.Name, node, started, ex);
            throw;
        }
        finally
        {
            if (write) _router.Cache?.OnLocalWrite(command.Slot); // read-your-writes, before the caller sees the result
        }
    }

    private async Task<T> RunCoreAsync<T>(CommandDefinition<T> command, Action<NodeEndpoint> sentTo, CancellationToken cancellationToken)
    {
        string name = command.Command.Name;
        TimeSpan? serverTimeout = BlockingCommands.ServerTimeout(command.Command);
        long deadline = Deadline(serverTimeout);
        var retry = new RetryState();
        NodeEndpoint lastNode = default;
        NodeConnector? askTarget = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_router.IsDisposed, typeof(ClusterClient));
            if (RetryWait.Remaining(deadline) == TimeSpan.Zero) throw Timeout(name, lastNode, command.Slot, retry.LastError);
            NodeEndpoint? target = askTarget?.Endpoint ?? _router.PrimaryConnectorFor(command.Slot)?.Endpoint;
            bool asking = askTarget is not null;
            askTarget = null; // an ASK applies to one attempt
            Attempt<T> attempt;
            if (target is { } node)
            {
                lastNode = node;
                sentTo(node);
                attempt = await AttemptAsync(node, asking, command, deadline, retry, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                attempt = Attempt<T>.Again($"slot {command.Slot} has no owner in the current map");
            }
            if (attempt.Done) return attempt.Value!;
            Func<RedisTimeoutException> timeout = () => Timeout(name, lastNode, command.Slot, retry.LastError);
            if (attempt.Error is { } error && !IsForcedUnblock(error))
            {
                retry.LastError = error.Message;
                RetryStep step = _router.FollowError(retry, error, lastNode, name, command.Slot);
                askTarget = await RetryWait.ForStepAsync(_router, step, retry, deadline, timeout, cancellationToken).ConfigureAwait(false);
                continue;
            }
            // Not written, or written and its connection lost (a failover, a restart): the command goes again where the
            // map says, once the map has been looked at again.
            ObjectDisposedException.ThrowIf(_router.IsDisposed, typeof(ClusterClient));
            if (attempt.Written && !RetrySafety.CanResend(command.Command, command.Flags, retryRepeatableWrites: false))
            {
                throw new RedisConnectionException(
                    $"{attempt.Reason}; {name} may have taken its element before that, so it was not sent again (see RetrySafety).", lastNode, mayHaveBeenApplied: true);
            }
            retry.LastError = attempt.Reason ?? attempt.Error?.Message;
            retry.Attempts++;
            Log.BlockingResumed(_logger, name, lastNode, retry.Attempts, retry.LastError ?? "");
            _router.RequestRefresh("blocking command's connection lost");
            await RetryWait.BackoffAsync(_router, Backoff.Retry(retry.Attempts), deadline, timeout, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Attempt<T>> AttemptAsync<T>(NodeEndpoint node, bool asking, CommandDefinition<T> command, long deadline, RetryState retry,
        CancellationToken cancellationToken)
    {
        string name = command.Command.Name;
        using BlockingLease? lease = await _pool.RentAsync(node, RetryWait.Remaining(deadline), cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            throw Timeout(name, node, command.Slot, $"all {_pool.PerNode} blocking connections to {node} stayed in use (blockingConnectionsPerNode)");
        }
        NodeConnection connection;
        try
        {
            connection = await lease.Connector.ConnectAsync(cancellationToken).WaitAsync(RetryWait.Remaining(deadline), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (RedisAuthenticationException or OperationCanceledException) && !(ex is ObjectDisposedException && _router.IsDisposed))
        {
            if (ex is TimeoutException) throw Timeout(name, node, command.Slot, $"connecting to {node} did not finish in time");
            return Attempt<T>.Again(ex.Message); // nothing was written
        }
        var reply = new BlockingReply<T>(name, command.Parser, node);
        switch (connection.Send(command.Command, reply, asking))
        {
            case SendResult.Sent:
                break;
            case SendResult.QueueFull:
                throw new RedisQueueFullException(node, connection.MaxPendingCommands);
            default:
                return Attempt<T>.Again($"the connection to {node} closed before {name} could be written");
        }
        if (!reply.IsDone)
        {
            try
            {
                await reply.Completion.WaitAsync(RetryWait.Remaining(deadline), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await EndEarlyAsync(connection, reply).ConfigureAwait(false);
                if (Taken(reply)) return Attempt<T>.Success(reply.Value!);
                throw new OperationCanceledException($"{name} was cancelled; nothing was taken (CLIENT UNBLOCK ended it on {node}).", cancellationToken);
            }
            catch (TimeoutException)
            {
                // The server's own timeout plus the command timeout passed without a reply (counted from the first
                // attempt: a wait that resumed after a failover or a wait for a free connection used part of it), or
                // the node is hung. What the server answers the unblock with is the answer: an element it took, or
                // nothing, as at its own timeout. Only a node that does not answer at all is a timeout.
                await EndEarlyAsync(connection, reply).ConfigureAwait(false);
                if (Taken(reply) || (reply.WasNull && reply.Error is null && reply.Lost is null && reply.Failure is null)) return Attempt<T>.Success(reply.Value!);
                throw Timeout(name, node, command.Slot, retry.LastError);
            }
        }
        if (reply.Failure is { } failure) throw failure;
        if (reply.Error is { } error) return Attempt<T>.Redirected(error);
        if (reply.Lost is { } lost)
        {
            if (lost is RespProtocolException protocolError) throw protocolError.While(name, node.ToString());
            return Attempt<T>.Lost($"the connection to {node} was lost while {name} waited: {lost.Message}");
        }
        return Attempt<T>.Success(reply.Value!);
    }

    /// <summary>
    /// Redis and Valkey answer the commands blocked on a primary that a manual failover (CLUSTER FAILOVER) demotes
    /// with <c>-UNBLOCKED … (master -&gt; replica?)</c> and close them: nothing was taken, so the command resumes where
    /// the map says. Keyslot's own CLIENT UNBLOCK never causes it (it asks for the timeout's null answer).
    /// </summary>
    private static bool IsForcedUnblock(ServerError error) => error.Message.StartsWith("UNBLOCKED", StringComparison.Ordinal);

    /// <summary>The server's timeout plus the command timeout from now; <see cref="long.MaxValue"/> for none (or too far to count).</summary>
    private long Deadline(TimeSpan? serverTimeout)
    {
        if (serverTimeout is not { } wait) return long.MaxValue;
        long now = Stopwatch.GetTimestamp();
        double ticks = (wait + _router.CommandTimeout).TotalSeconds * Stopwatch.Frequency;
        return ticks >= long.MaxValue - now ? long.MaxValue : now + (long)ticks;
    }

    /// <summary>A reply that took something (a popped element, a moved one) must reach the caller even after it gave up.</summary>
    private static bool Taken<T>(BlockingReply<T> reply) => reply.Failure is null && reply.Error is null && reply.Lost is null && !reply.WasNull;

    /// <summary>
    /// Ends a blocking command the caller no longer waits for: CLIENT UNBLOCK from the node's interactive connection
    /// (the server then answers it as if its timeout had come), repeated while the command has not reached the
    /// server yet. Should the node not answer within the command timeout, the connection is closed, which ends the
    /// command on the server too.
    /// </summary>
    private async Task EndEarlyAsync<T>(NodeConnection connection, BlockingReply<T> reply)
    {
        long id = connection.Session.ClientId;
        long until = Stopwatch.GetTimestamp() + _router.CommandTimeoutTicks;
        RespCommand unblock = RespCommand.Create("CLIENT", "UNBLOCK", id);
        while (!reply.IsDone && id != 0 && RetryWait.Remaining(until) > TimeSpan.Zero && !_router.IsDisposed)
        {
            long unblocked;
            try
            {
                unblocked = await _router.ExecuteOnNodeAsync(connection.Endpoint, unblock, ReplyParsers.Int64, CancellationToken.None)
                    .WaitAsync(RetryWait.Remaining(until)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                break;
            }
            // 1: it was blocked and now answers at once. 0: it has answered already, or has not reached the server yet.
            TimeSpan settle = unblocked == 1 ? RetryWait.Remaining(until) : TimeSpan.FromMilliseconds(20);
            try
            {
                await reply.Completion.WaitAsync(settle).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // not in yet: unblock again
            }
        }
        if (!reply.IsDone)
        {
            connection.Abort(new RedisConnectionException(
                $"{reply.CommandName} on {connection.Endpoint} was given up by its caller and could not be unblocked in time; its connection was closed to end it.",
                connection.Endpoint));
            await reply.Completion.ConfigureAwait(false); // the close fails it at once
        }
    }

    private RedisTimeoutException Timeout(string command, NodeEndpoint node, int slot, string? lastError) =>
        new(command, node, slot, _router.CommandTimeout, 0, lastError);
}
