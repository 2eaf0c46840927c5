namespace Keyslot;

/// <summary>Synchronous disposal, for containers and hosts that dispose synchronously.</summary>
public sealed partial class ClusterClient
{
    /// <summary>How long <see cref="Dispose"/> waits for the connections to close before it returns anyway.</summary>
    public static readonly TimeSpan SyncDisposeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Closes every connection, as <see cref="DisposeAsync"/> does, and waits for that at most
    /// <see cref="SyncDisposeTimeout"/>; never throws. For a <c>using var provider = services.BuildServiceProvider()</c>
    /// or any container disposed synchronously (which would otherwise refuse a client that is only
    /// <see cref="IAsyncDisposable"/>). Prefer <see cref="DisposeAsync"/> where you can await. It cannot deadlock:
    /// the closing runs on the thread pool, never on the caller's synchronization context, and nothing in it needs
    /// the caller's thread; the bound keeps a starved thread pool from holding a shutdown for ever.
    /// </summary>
    public void Dispose()
    {
        if (_owner is not null || Volatile.Read(ref _disposed) != 0) return;
        Task closing = Task.Run(async () => await DisposeAsync().ConfigureAwait(false));
        try
        {
            closing.Wait(SyncDisposeTimeout);
        }
        catch (AggregateException)
        {
            // Closing connections does not throw; should it, a shutdown goes on all the same.
        }
    }
}
