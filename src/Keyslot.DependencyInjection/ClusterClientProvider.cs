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
    /// For containers disposed synchronously (<c>using var provider = …</c>): closes the connections and waits for
    /// that, bounded (<see cref="ClusterClient.Dispose"/>); never throws. The container also disposes the client it
    /// handed out; disposing twice does nothing.
    /// </summary>
    public void Dispose()
    {
        if (_client.IsValueCreated) _client.Value.Dispose();
    }
}
