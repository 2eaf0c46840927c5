using Keyslot.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Caching.Distributed;

namespace Keyslot.IntegrationTests.Caching;

/// <summary>The distributed-cache cases against KeyslotCache (cross-reads by RedisCache).</summary>
[Collection(ClusterCollection.Name)]
public sealed class KeyslotCacheContractTests(ClusterFixture fixture) : DistributedCacheContract(fixture)
{
    private CacheFactories _caches = null!;

    public override async Task InitializeAsync() => _caches = await CacheFactories.StartAsync(Cluster.ConfigurationString);

    public override async Task DisposeAsync() => await _caches.DisposeAsync();

    protected override IDistributedCache CreateCache(string? instanceName) => _caches.Keyslot(instanceName);

    protected override IDistributedCache CreateOtherCache(string? instanceName) => _caches.Redis(instanceName);
}

/// <summary>The same cases against Microsoft.Extensions.Caching.StackExchangeRedis's RedisCache, the reference (cross-reads by KeyslotCache).</summary>
[Collection(ClusterCollection.Name)]
public sealed class RedisCacheContractTests(ClusterFixture fixture) : DistributedCacheContract(fixture)
{
    private CacheFactories _caches = null!;

    public override async Task InitializeAsync() => _caches = await CacheFactories.StartAsync(Cluster.ConfigurationString);

    public override async Task DisposeAsync() => await _caches.DisposeAsync();

    protected override IDistributedCache CreateCache(string? instanceName) => _caches.Redis(instanceName);

    protected override IDistributedCache CreateOtherCache(string? instanceName) => _caches.Keyslot(instanceName);
}
