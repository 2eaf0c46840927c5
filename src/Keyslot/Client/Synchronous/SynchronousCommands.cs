namespace Keyslot;

/// <summary>
/// The fourth surface of <see cref="RedisCommands"/>: each typed command, still written once, runs synchronously on
/// the caller's thread (<see cref="Routing.SyncRunner"/>) and comes back as an already completed task, which
/// <see cref="ClusterClient"/>'s synchronous methods unwrap without waiting.
/// </summary>
internal sealed class SynchronousCommands : RedisCommands
{
    public SynchronousCommands(ClusterClient client) => Client = client;

    public ClusterClient Client { get; }

    /// <summary>The result of a command this surface ran: the task is always complete when a method of it returns.</summary>
    public static T Completed<T>(ValueTask<T> done)
    {
        if (!done.IsCompleted) throw new System.Diagnostics.UnreachableException("a synchronous command returned before it completed");
        return done.GetAwaiter().GetResult(); // complete: no wait, and a failure is rethrown as it was thrown
    }
}
