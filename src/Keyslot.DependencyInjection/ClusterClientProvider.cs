using Microsoft.Extensions.Logging;

namespace Keyslot.DependencyInjection;

/// <summary>
/// Owns one registered client: created on first resolution with the app's logger factory, and disposed with the
/// container. DI factories are synchronous, so the client is created without waiting
/// (<see cref="ClusterClient.Create"/>) and connects in the background: no thread blocks on a connect, and a cluster
/// that is briefly unreachable at startup does not leave the application with a permanently failed registration.
/// </summary>
internal sealed class ClusterClientProvider : IAsyncDisposable, IDisposable
{
    /// <summary>How long a synchronous <see cref="Dispose"/> waits for the connections to close.</summary>
    internal static readonly TimeSpan SyncDisposeTimeout = TimeSpan.FromSeconds(10);

    private readonly Lazy<ClusterClient> _client;

    public ClusterClientProvider(KeyslotOptions settings, ILoggerFactory? loggerFactory)
    {
        _client = new Lazy<ClusterClient>(() =>
        {
            ClusterOptions clusterOptions = settings.Build();
            clusterOptions.LoggerFactory ??= loggerFactory;
            return ClusterClient.Create(clusterOptions);
        });
    }

    public IClusterClient GetClient() => _client.Value;

    public async ValueTask DisposeAsync()
    {
        if (_client.IsValueCreated) await _client.Value.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// For containers disposed synchronously (<c>using var provider = …</c>, hosts that call Dispose): closes the
    /// connections and waits for that, at most <see cref="SyncDisposeTimeout"/>; never throws. Disposal runs on the
    /// thread pool, never on the caller's synchronization context, and the client's completions never need the
    /// caller's thread, so the wait cannot deadlock; the bound keeps a starved pool from holding shutdown for ever.
    /// </summary>
    public void Dispose()
    {
        if (!_client.IsValueCreated) return;
        ClusterClient client = _client.Value;
        Task closing = Task.Run(async () => await client.DisposeAsync().ConfigureAwait(false));
        try
        {
            closing.Wait(SyncDisposeTimeout);
        }
        catch (AggregateException)
        {
            // Disposal never throws for what it closes; should it, shutdown goes on all the same.
        }
    }
}
