namespace Keyslot;

/// <summary>
/// Starts the client's own long-lived work (read loops, the waiting room's drain, refresh loops, timers) without the
/// caller's ExecutionContext: otherwise the first request that happened to create a connection or a timer would lend
/// its Activity, logging scopes and AsyncLocals to that work for the client's whole life.
/// </summary>
internal static class BackgroundWork
{
    public static Task Run(Func<Task> work)
    {
        if (ExecutionContext.IsFlowSuppressed()) return Task.Run(work);
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(work);
        }
    }

    public static Timer Timer(TimerCallback callback, object state, TimeSpan dueTime, TimeSpan period)
    {
        if (ExecutionContext.IsFlowSuppressed()) return new Timer(callback, state, dueTime, period);
        using (ExecutionContext.SuppressFlow())
        {
            return new Timer(callback, state, dueTime, period);
        }
    }
}
