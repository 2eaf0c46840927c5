using System.Diagnostics;
using Keyslot.Connections;
using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// What the router does with what comes back: error replies (redirects, busy-cluster errors, a replica that cannot
/// serve), a connection lost after the command was written, and retries parked in the <see cref="WaitingRoom"/>.
/// The decision itself is <see cref="RetryPolicy"/>'s (error replies) and <see cref="RetrySafety"/>'s (lost connections).
/// </summary>
internal sealed partial class Router
{
    /// <summary>Decides about an error reply (called on the read loop of the connection that got it).</summary>
    public void OnErrorReply(Operation op, ServerError error)
    {
        try
        {
            FollowErrorReply(op, error);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or RedisException)
        {
            // Disposed while following a redirect, or a redirect to nowhere: the operation is in no queue, so it fails here.
            op.Fail(ex);
        }
    }

    private void FollowErrorReply(Operation op, ServerError error)
    {
        if (op.SentToReplica && error.Kind is RedisErrorKind.Moved or RedisErrorKind.Ask or RedisErrorKind.Loading or RedisErrorKind.TryAgain
                or RedisErrorKind.ClusterDown or RedisErrorKind.MasterDown or RedisErrorKind.ReadOnly)
        {
            op.Retry.Redirects++;
            if (op.Retry.Redirects <= _maxRedirects && FallBackToPrimary(op)) return;
        }
        RetryStep step = FollowError(op.Retry, error, op.LastNode, op.CommandName, op.Slot);
        switch (step.Action)
        {
            case RetryAction.FollowMoved:
                Dispatch(op);
                return;
            case RetryAction.FollowAsk:
                op.AskTarget = step.AskTarget;
                Dispatch(op);
                return;
            case RetryAction.Backoff:
                RetryLater(op, step.Delay, error.Message); // new routes, when they come, wake it sooner
                return;
            case RetryAction.RefreshThenRetry:
                // It waits for the refresh to end (changed map or not), at most the fallback delay, and for nothing else.
                // Parked first: a refresh that has already ended reports at once, and must find it waiting.
                op.WaitsForRefresh = true;
                RetryLater(op, step.Delay, error.Message);
                step.Refresh!.ContinueWith(static (_, room) => ((WaitingRoom)room!).RefreshEnded(), _room,
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return;
            default:
                op.Fail(step.Failure!);
                return;
        }
    }

    /// <summary>
    /// The one way to follow an error reply, for single commands and for transactions: decides with
    /// <see cref="RetryPolicy"/>, keeps <paramref name="state"/>, and does what the decision needs done at once (the
    /// MOVED slot fixed and one refresh asked for, the ASK target found, a refresh asked for).
    /// </summary>
    public RetryStep FollowError(RetryState state, ServerError error, NodeEndpoint answeredBy, string command, int slot)
    {
        RetryAction action = RetryPolicy.Decide(error, state.Redirects, _maxRedirects);
        state.RecordTried(answeredBy);
        switch (action)
        {
            case RetryAction.FollowMoved:
            {
                state.Redirects++;
                KeyslotTelemetry.Redirects.Add(1, new KeyValuePair<string, object?>("keyslot.redirect.kind", "moved"));
                Redirect redirect = error.Redirect!.Value;
                ApplyMoved(redirect.Slot, TargetOf(redirect, answeredBy, command));
                return new RetryStep(action, null, TimeSpan.Zero, null);
            }
            case RetryAction.FollowAsk:
            {
                state.Redirects++;
                KeyslotTelemetry.Redirects.Add(1, new KeyValuePair<string, object?>("keyslot.redirect.kind", "ask"));
                Redirect redirect = error.Redirect!.Value;
                NodeEndpoint target = TargetOf(redirect, answeredBy, command);
                Log.Ask(_logger, redirect.Slot, command, target);
                return new RetryStep(action, _nodes.Get(target), TimeSpan.Zero, null);
            }
            case RetryAction.Backoff:
                if (error.Kind is RedisErrorKind.ClusterDown or RedisErrorKind.MasterDown) Refresher.Request(error.Kind.ToString());
                // The server said "wait", not "go elsewhere": a slot migrating slowly (ASK from the source, TRYAGAIN from
                // the target for a multi-key command) is waited out within the deadline; the redirect budget only
                // counts redirects since the last wait, so it still stops a loop of redirects with no wait in between.
                state.Redirects = 0;
                state.Attempts++;
                state.LastError = error.Message;
                KeyslotTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("keyslot.retry.reason", error.Kind.ToString()));
                Log.Retry(_logger, command, slot, error.Kind, state.Attempts);
                return new RetryStep(action, null, Backoff.Retry(state.Attempts), null);
            case RetryAction.RefreshThenRetry:
            {
                // The reply cannot say where to go (READONLY from a demoted primary, a redirect without an address): the
                // next attempt waits for a refreshed map, whether or not it differs, and at most the fallback delay.
                state.Redirects++;
                state.LastError = error.Message;
                Task refresh = Refresher.RequestAsync("redirect without address or READONLY");
                refresh.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return new RetryStep(action, null, CommandTimeout, null, refresh);
            }
            case RetryAction.GiveUp:
                Log.RedirectLimit(_logger, command, slot, string.Join(", ", state.Tried!));
                return new RetryStep(action, null, TimeSpan.Zero, new RedisRedirectException(command, slot, state.Tried!, error.Message));
            default:
                return new RetryStep(action, null, TimeSpan.Zero, new RedisServerException(error.Kind, error.Message, command, answeredBy));
        }
    }

    /// <summary>
    /// The connection died after the command was written. Reads (and idempotent writes, when allowed) go again;
    /// other writes may have been applied, so they fail with an error that says so instead of running twice.
    /// </summary>
    public void OnConnectionLost(Operation op, NodeConnection connection, Exception cause)
    {
        if (op.IsDone) return;
        if (cause is RespProtocolException protocolError)
        {
            // The node broke the protocol: not a transient fault, and sending again would only repeat it.
            op.Fail(protocolError.While(op.CommandName, connection.Endpoint.ToString()));
            return;
        }
        if (!_disposed && FallBackToPrimary(op)) return; // only reads go to replicas, and reads are safe to send again
        bool safe = RetrySafety.CanResend(op.Command, op.Flags, _retryIdempotentWrites);
        if (!safe || _disposed)
        {
            op.Fail(new RedisConnectionException(
                $"The connection to {connection.Endpoint} was lost after {op.CommandName} was written; the server may have applied it, so it was not retried. " +
                "Retry it yourself if it is idempotent, or set retryIdempotentWrites=true.",
                connection.Endpoint, mayHaveBeenApplied: true, cause));
            return;
        }
        op.Retry.Attempts++;
        op.RecordTried(connection.Endpoint);
        KeyslotTelemetry.Retries.Add(1, new KeyValuePair<string, object?>("keyslot.retry.reason", "connection_lost"));
        Refresher.Request("connection lost");
        RetryLater(op, Backoff.Retry(op.Retry.Attempts), cause.Message, cause);
    }

    /// <summary>Parks the operation for <paramref name="delay"/> (less when the routes change), or fails it when its time is up.</summary>
    private void RetryLater(Operation op, TimeSpan delay, string lastError, Exception? cause = null)
    {
        op.LastError = lastError;
        TimeSpan remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), op.OperationDeadline);
        if (remaining <= TimeSpan.Zero)
        {
            op.Fail(new RedisTimeoutException(op.CommandName, op.LastNode, op.Slot, op.Timeout, 0, lastError, cause));
            return;
        }
        TimeSpan wait = delay < remaining ? delay : remaining;
        _room.Park(op, Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>
    /// A redirect's target; an empty host means "the host of the node that answered". A target that is no endpoint
    /// at all (a blank host) fails the command at once with <see cref="RedisRedirectException"/>: there is nowhere to send it.
    /// </summary>
    private static NodeEndpoint TargetOf(Redirect redirect, NodeEndpoint answeredBy, string command)
    {
        string host = string.IsNullOrEmpty(redirect.Host) ? answeredBy.Host : redirect.Host;
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new RedisRedirectException(command, redirect.Slot, [answeredBy],
                $"{redirect.Kind.ToString().ToUpperInvariant()} to a target that is not a usable endpoint (host \"{host}\", port {redirect.Port})");
        }
        return new NodeEndpoint(host, redirect.Port);
    }
}
