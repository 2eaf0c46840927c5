using Keyslot.Extensions.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Keyslot.IntegrationTests.Caching;

/// <summary>
/// Both caches over one cluster: KeyslotCache over a Keyslot client, and RedisCache (Microsoft.Extensions.Caching.
/// StackExchangeRedis) over a StackExchange.Redis multiplexer pointed at the cluster's nodes (it discovers the rest).
/// </summary>
internal sealed class CacheFactories : IAsyncDisposable
{
    private readonly ClusterClient _client;
    private readonly ConnectionMultiplexer _multiplexer;

    private CacheFactories(ClusterClient client, ConnectionMultiplexer multiplexer) => (_client, _multiplexer) = (client, multiplexer);

    public static async Task<CacheFactories> StartAsync(string configuration)
    {
        ClusterClient client = await ClusterClient.ConnectAsync(configuration);
        ConnectionMultiplexer multiplexer = await ConnectionMultiplexer.ConnectAsync(ConfigurationOptions.Parse(configuration));
        return new CacheFactories(client, multiplexer);
    }

    public IClusterClient Client => _client;

    public KeyslotCache Keyslot(string? instanceName) => new(_client, instanceName);

    /// <summary>
    /// A RedisCache on the shared multiplexer. Never disposed: RedisCache.Dispose closes the multiplexer it was given,
    /// which the other caches of the class still use; <see cref="DisposeAsync"/> closes it once.
    /// </summary>
    public RedisCache Redis(string? instanceName) => new(Options.Create(new RedisCacheOptions
    {
        InstanceName = instanceName,
        ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(_multiplexer),
    }));

    public async ValueTask DisposeAsync()
    {
        await _multiplexer.CloseAsync();
        await _multiplexer.DisposeAsync();
        await _client.DisposeAsync();
    }
}
