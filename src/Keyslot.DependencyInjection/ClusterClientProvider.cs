using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keyslot.DependencyInjection;

/// <summary>
/// Owns the application's one client: created on first resolution with the app's logger factory, and disposed with
/// the container. DI factories are synchronous, so the client is created without waiting
/// (<see cref="ClusterClient.Create"/>) and connects in the background: no thread blocks on a connect, and a cluster
/// that is briefly unreachable at startup does not leave the application with a permanently failed registration.
/// </summary>
internal sealed class ClusterClientProvider : IAsyncDisposable, IDisposable
{
    private readonly Lazy<ClusterClient> _client;

    public ClusterClientProvider(IOptions<KeyslotOptions> options, ILoggerFactory? loggerFactory = null)
    {
        KeyslotOptions settings = options.Value;
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
    /// For containers disposed synchronously: closing connections is asynchronous and is not waited for here
    /// (waiting would be sync-over-async); it completes in the background.
    /// </summary>
    public void Dispose()
    {
        if (_client.IsValueCreated) _ = _client.Value.DisposeAsync().AsTask();
    }
}
