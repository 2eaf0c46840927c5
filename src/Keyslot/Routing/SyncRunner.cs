using System.Diagnostics;
using Keyslot.Connections;
using Keyslot.Protocol;
using Microsoft.Extensions.Logging;

namespace Keyslot.Routing;

/// <summary>
/// Runs a command synchronously, all of it on the caller's thread: a connection of the owning primary's
/// <see cref="SyncConnectionPool"/>, the write, the reply, and any redirects and retries, within the command timeout.
/// Error replies are followed by the same decision as every other command (<see cref="Router.FollowError"/>: MOVED
/// fixes the slot at once, ASK goes once with ASKING, busy-cluster errors back off); after a lost connection the
/// command goes again only when <see cref="RetrySafety"/> allows. Waits are sleeps of this thread, and a topology
/// refresh is watched, never waited on, so nothing here needs another thread to make progress.
/// </summary>
internal sealed class SyncRunner
{
    private static readonly TimeSpan RefreshPoll = TimeSpan.FromMilliseconds(10);

    private readonly Router _router;
    private readonly SyncConnectionPool _pool;
    private readonly ILogger _logger;

    public SyncRunner(Router router, SyncConnectionPool pool, ILogger logger)
    {
        _router = router;
        _pool = pool;
        _logger = logger;
    }

    public T Run<T>(in CommandDefinition<T> command)
    {
        Activity? activity = KeyslotTelemetry.StartCommand(command.Command.Name);
        long started = Stopwatch.GetTimestamp();
        NodeEndpoint node = default;
        bool write = (command.Flags & CommandFlags.ReadOnly) == 0;
        if (write) _router.Cache?.OnLocalWrite(command.Slot);
        try
        {
            T result = RunCore(command, ref node);
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

    private T RunCore<T>(in CommandDefinition<T> command, ref NodeEndpoint lastNode)
    {
        string name = command.Command.Name;
        long deadline = Stopwatch.GetTimestamp() + _router.CommandTimeoutTicks;
        var retry = new RetryState();
        NodeConnector? askTarget = null;
        while (true)
        {
            ObjectDisposedException.ThrowIf(_router.IsDisposed, typeof(ClusterClient));
            if (RetryWait.Remaining(deadline) == TimeSpan.Zero) throw Timeout(name, lastNode, command.Slot, retry.LastError);
            NodeEndpoint? target = askTarget?.Endpoint ?? _router.PrimaryConnectorFor(command.Slot)?.Endpoint;
            bool asking = askTarget is not null;
            askTarget = null; // an ASK applies to one attempt
            Attempt<T> attempt;
            if (target is { } node)
            {
                lastNode = node;
                attempt = AttemptOn(node, asking, command, deadline, retry);
            }
            else
            {
                attempt = Attempt<T>.Again($"slot {command.Slot} has no owner in the current map");
            }
            if (attempt.Done) return attempt.Value!;
            if (attempt.Error is { } error)
            {
                retry.LastError = error.Message;
                RetryStep step = _router.FollowError(retry, error, lastNode, name, command.Slot);
                askTarget = WaitFor(step, retry, deadline, name, lastNode, command.Slot);
                continue;
            }
            ObjectDisposedException.ThrowIf(_router.IsDisposed, typeof(ClusterClient));
            if (attempt.Written && !RetrySafety.CanResend(command.Command, command.Flags, _router.RetryIdempotentWrites))
            {
                throw new RedisConnectionException(
                    $"{attempt.Reason} after {name} was written; the server may have applied it, so it was not sent again. " +
                    "Retry it yourself if it is idempotent, or set retryIdempotentWrites=true.", lastNode, mayHaveBeenApplied: true);
            }
            retry.LastError = attempt.Reason;
            retry.Attempts++;
            Log.SyncRetried(_logger, name, lastNode, retry.Attempts, retry.LastError ?? "");
            KeyslotTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("keyslot.retry.reason", attempt.Written ? "connection_lost" : "not_sent"));
            _router.RequestRefresh("synchronous command's connection lost or node unknown");
            Sleep(Backoff.Retry(retry.Attempts), deadline, name, lastNode, command.Slot, retry);
        }
    }

    private Attempt<T> AttemptOn<T>(NodeEndpoint node, bool asking, in CommandDefinition<T> command, long deadline, RetryState retry)
    {
        string name = command.Command.Name;
        SyncConnection? connection;
        bool made;
        try
        {
            connection = _pool.Rent(node, deadline, out made);
        }
        catch (RedisConnectionException ex) when (!_router.IsDisposed)
        {
            return Attempt<T>.Again(ex.Message); // nothing was written
        }
        if (connection is null)
        {
            throw Timeout(name, node, command.Slot, $"all {_pool.PerNode} synchronous connections to {node} stayed in use (synchronousConnectionsPerNode)");
        }
        try
        {
            if (RetryWait.Remaining(deadline) == TimeSpan.Zero)
            {
                throw Timeout(name, node, command.Slot, $"its time ran out waiting for one of the {_pool.PerNode} synchronous connections to {node}");
            }
            T value = connection.Execute(command.Command, command.Parser, asking, deadline, out ServerError? error);
            return error is null ? Attempt<T>.Success(value) : Attempt<T>.Redirected(error);
        }
        catch (SyncTimeoutException)
        {
            throw Timeout(name, node, command.Slot, retry.LastError);
        }
        catch (SyncWriteException ex)
        {
            ObjectDisposedException.ThrowIf(_router.IsDisposed, typeof(ClusterClient));
            // A connection taken from the idle stack may have died while idle; one just made failing is news too.
            return Attempt<T>.Again($"writing to {node} failed ({ex.Message}){(made ? "" : " on a connection that was idle")}");
        }
        catch (IOException ex)
        {
            ObjectDisposedException.ThrowIf(_router.IsDisposed, typeof(ClusterClient));
            return Attempt<T>.Lost(ex.Message);
        }
        catch (RespProtocolException ex)
        {
            connection.Abort(); // out of step: never reused
            throw ex.While(name, node.ToString());
        }
        finally
        {
            _pool.Return(connection);
        }
    }

    /// <summary>Carries out a retry step on this thread; returns the ASK target for the next attempt (null for none).</summary>
    private NodeConnector? WaitFor(RetryStep step, RetryState retry, long deadline, string name, NodeEndpoint node, int slot)
    {
        switch (step.Action)
        {
            case RetryAction.FollowMoved:
                return null;
            case RetryAction.FollowAsk:
                return step.AskTarget;
            case RetryAction.Backoff:
                Sleep(step.Delay, deadline, name, node, slot, retry);
                return null;
            case RetryAction.RefreshThenRetry:
                // The refresh runs on the pool; it is watched, not waited on, so a starved pool delays it but never
                // this thread past its deadline. A failed refresh leaves the map as it was: try with it.
                while (!step.Refresh!.IsCompleted) Sleep(RefreshPoll, deadline, name, node, slot, retry);
                return null;
            default:
                throw step.Failure!;
        }
    }

    private void Sleep(TimeSpan delay, long deadline, string name, NodeEndpoint node, int slot, RetryState retry)
    {
        TimeSpan remaining = RetryWait.Remaining(deadline);
        if (remaining == TimeSpan.Zero) throw Timeout(name, node, slot, retry.LastError);
        Thread.Sleep(delay < remaining ? delay : remaining);
        ObjectDisposedException.ThrowIf(_router.IsDisposed, typeof(ClusterClient));
    }

    private RedisTimeoutException Timeout(string command, NodeEndpoint node, int slot, string? lastError) =>
        new(command, node, slot, _router.CommandTimeout, 0, lastError);
}
