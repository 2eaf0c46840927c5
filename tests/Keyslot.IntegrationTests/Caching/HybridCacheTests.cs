using Keyslot.Extensions.Caching;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Keyslot.IntegrationTests.Caching;

/// <summary>HybridCache (Microsoft.Extensions.Caching.Hybrid) with KeyslotCache as its second level, in two "app instances".</summary>
[Collection(ClusterCollection.Name)]
public sealed class HybridCacheTests(ClusterFixture fixture)
{
    private readonly LocalRedisCluster _cluster = fixture.Cluster;

    private ServiceProvider AppInstance(string instanceName)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddKeyslot(_cluster.ConfigurationString);
        services.AddKeyslotDistributedCache(o => o.InstanceName = instanceName);
        services.AddHybridCache();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Two_app_instances_share_a_value_through_redis_and_the_second_never_runs_its_factory()
    {
        string instance = $"hybrid{Guid.NewGuid():N}:";
        string key = "product:42";
        await using ServiceProvider first = AppInstance(instance);
        await using ServiceProvider second = AppInstance(instance);
        Assert.IsType<KeyslotCache>(first.GetRequiredService<IDistributedCache>());

        HybridCache a = first.GetRequiredService<HybridCache>();
        HybridCache b = second.GetRequiredService<HybridCache>();
        var options = new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TimeSpan.FromMinutes(1) };

        string made = await a.GetOrCreateAsync(key, _ => ValueTask.FromResult("made by the first instance"), options);
        // HybridCache writes L2 in the background after handing the value back: wait (bounded) for the entry.
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(instance + key));
        await Extensions.Bounded.UntilAsync(async () => await _cluster.ExecuteAsync(owner, "EXISTS", instance + key) == "1",
            TimeSpan.FromSeconds(5), "the first instance's L2 write");
        int secondFactoryRuns = 0;
        string read = await b.GetOrCreateAsync(key, _ =>
        {
            secondFactoryRuns++;
            return ValueTask.FromResult("made by the second instance");
        }, options);

        Assert.Equal("made by the first instance", made);
        Assert.Equal(made, read);
        Assert.Equal(0, secondFactoryRuns);

        // The value went through Redis: an entry in RedisCache's layout under the instance name, with the L2 expiration.
        Assert.Equal("hash", await _cluster.ExecuteAsync(owner, "TYPE", instance + key));
        Assert.InRange(long.Parse(await _cluster.ExecuteAsync(owner, "TTL", instance + key), System.Globalization.CultureInfo.InvariantCulture), 290, 300);
        Assert.NotEqual("0", await _cluster.ExecuteAsync(owner, "HSTRLEN", instance + key, "data"));

        await b.RemoveAsync(key);
        Assert.Equal("0", await _cluster.ExecuteAsync(owner, "EXISTS", instance + key));
    }
}
