using System.Diagnostics;
using Keyslot.Connections;

namespace Keyslot.Routing;

/// <summary>
/// The waits a <see cref="RetryStep"/> asks for, for the runners that retry with an await instead of the waiting room
/// (transactions, blocking commands): the same backoff and refresh waits as single commands get, bounded by the
/// runner's deadline (<see cref="long.MaxValue"/> for none).
/// </summary>
internal static class RetryWait
{
    /// <summary>Waits as the step says and returns the ASK target for the next attempt (null for none); throws the step's failure.</summary>
    public static async Task<NodeConnector?> ForStepAsync(Router router, RetryStep step, RetryState retry, long deadline, Func<RedisTimeoutException> timeout,
        CancellationToken cancellationToken)
    {
        switch (step.Action)
        {
            case RetryAction.FollowMoved:
                return null;
            case RetryAction.FollowAsk:
                return step.AskTarget;
            case RetryAction.Backoff:
                await BackoffAsync(router, step.Delay, deadline, timeout, cancellationToken).ConfigureAwait(false); // new routes wake it sooner
                return null;
            case RetryAction.RefreshThenRetry:
                try
                {
                    await step.Refresh!.WaitAsync(Remaining(deadline), cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    throw timeout(); // its time ran out waiting; the timeout names why it waited (LastError)
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The refresh failed (or was stopped by disposal): wait a little and try with what there is.
                    ObjectDisposedException.ThrowIf(router.IsDisposed, typeof(ClusterClient));
                    await BackoffAsync(router, Backoff.Retry(++retry.Attempts), deadline, timeout, cancellationToken).ConfigureAwait(false);
                }
                return null;
            default:
                throw step.Failure!;
        }
    }

    /// <summary>Waits <paramref name="delay"/> (less when the routes change), or throws the timeout when the deadline comes first.</summary>
    public static async Task BackoffAsync(Router router, TimeSpan delay, long deadline, Func<RedisTimeoutException> timeout, CancellationToken cancellationToken)
    {
        TimeSpan remaining = Remaining(deadline);
        if (remaining == TimeSpan.Zero) throw timeout();
        TimeSpan wait = remaining == Timeout.InfiniteTimeSpan || delay < remaining ? delay : remaining;
        await router.DelayOrRoutesChangedAsync(wait, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Time left until <paramref name="deadline"/> (Stopwatch ticks): zero once past, infinite for <see cref="long.MaxValue"/>.</summary>
    public static TimeSpan Remaining(long deadline)
    {
        if (deadline == long.MaxValue) return Timeout.InfiniteTimeSpan;
        TimeSpan left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
