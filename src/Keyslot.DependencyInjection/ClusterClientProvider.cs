using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Keyslot.DependencyInjection;

/// <summary>
/// Owns the application's one client: connects once, on first use, with the app's logger factory, and disposes it
/// with the container. Resolution is the one place that waits for the connection: DI factories are synchronous.
/// </summary>
internal sealed class ClusterClientProvider : IAsyncDisposable, IDisposable
{
    private readonly Lazy<Task<ClusterClient>> _client;
    private readonly KeyslotOptions _options;

    public ClusterClientProvider(IOptions<KeyslotOptions> options, ILoggerFactory? loggerFactory = null)
    {
        _options = options.Value;
        _client = new Lazy<Task<ClusterClient>>(() =>
        {
            ClusterOptions clusterOptions = _options.Build();
            clusterOptions.LoggerFactory ??= loggerFactory;
            return ClusterClient.ConnectAsync(clusterOptions);
        });
    }

    public IClusterClient GetClient()
    {
        Task<ClusterClient> connecting = _client.Value;
        // DI resolution is synchronous; this wait happens once per application, on a thread-pool thread of the
        // connect itself (ConfigureAwait(false) throughout), so it cannot deadlock on a synchronization context.
        if (!connecting.Wait(_options.ConnectTimeout))
        {
            throw new TimeoutException($"Connecting to the Redis cluster took longer than {_options.ConnectTimeout.TotalSeconds:0} s.");
        }
        return connecting.GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsValueCreated && _client.Value.IsCompletedSuccessfully)
        {
            await _client.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
