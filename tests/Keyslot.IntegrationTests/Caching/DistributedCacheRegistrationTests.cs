using Keyslot.Extensions.Caching;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Keyslot.IntegrationTests.Caching;

/// <summary>
/// <c>AddKeyslotDistributedCache</c>: over the default client, over a keyed client of another cluster, and the
/// startup validation of its options.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DistributedCacheRegistrationTests(ClusterFixture fixture) : IAsyncLifetime
{
    private readonly LocalRedisCluster _shared = fixture.Cluster;
    private LocalRedisCluster _sessions = null!;

    // One shard (with a replica: a lone node does not know its own address for CLUSTER SHARDS).
    public async Task InitializeAsync() => _sessions = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { Primaries = 1, ReplicasPerPrimary = 1 });

    public async Task DisposeAsync() => await _sessions.DisposeAsync();

    private static async Task<bool> ExistsOn(LocalRedisCluster cluster, string key) =>
        await cluster.ExecuteAsync(await cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key)), "EXISTS", key) == "1";

    [Fact]
    public async Task The_default_registration_replaces_the_memory_cache_with_one_KeyslotCache_over_the_default_client()
    {
        string instance = $"di{Guid.NewGuid():N}:";
        var services = new ServiceCollection().AddLogging();
        services.AddDistributedMemoryCache(); // registered first, as templates do: replaced
        services.AddKeyslot(_shared.ConfigurationString);
        services.AddKeyslotDistributedCache(o => o.InstanceName = instance);
        await using ServiceProvider provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        KeyslotCache cache = Assert.IsType<KeyslotCache>(provider.GetRequiredService<IDistributedCache>());
        Assert.Same(cache, provider.GetRequiredService<IBufferDistributedCache>());
        Assert.Same(cache, provider.GetRequiredService<KeyslotCache>());
        Assert.Equal(instance, cache.InstanceName);
        Assert.Single(services, d => d.ServiceType == typeof(IDistributedCache));

        await cache.SetAsync("k", [1, 2], new DistributedCacheEntryOptions());
        Assert.True(await ExistsOn(_shared, instance + "k"));
        Assert.Equal([1, 2], await cache.GetAsync("k"));
    }

    [Fact]
    public async Task The_keyed_overload_uses_the_keyed_client_and_so_its_cluster()
    {
        string instance = $"keyed{Guid.NewGuid():N}:";
        var services = new ServiceCollection().AddLogging();
        services.AddKeyslot(_shared.ConfigurationString);
        services.AddKeyedKeyslot("sessions", o => o.Configuration = _sessions.ConfigurationString);
        services.AddKeyslotDistributedCache("sessions", o => o.InstanceName = instance);
        await using ServiceProvider provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal("sessions", provider.GetRequiredService<IOptions<KeyslotCacheOptions>>().Value.ClientServiceKey);

        IDistributedCache cache = provider.GetRequiredService<IDistributedCache>();
        await cache.SetAsync("cart", [7], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(20) });

        Assert.True(await ExistsOn(_sessions, instance + "cart"));
        Assert.False(await ExistsOn(_shared, instance + "cart")); // not on the default client's cluster
        Assert.Equal([7], await cache.GetAsync("cart"));
    }

    [Fact]
    public void Startup_validation_names_a_missing_keyed_client_a_missing_default_client_and_a_hash_tag_prefix()
    {
        static string Failure(Action<IServiceCollection> register)
        {
            var services = new ServiceCollection().AddLogging();
            register(services);
            using ServiceProvider provider = services.BuildServiceProvider();
            return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate()).Message;
        }

        string keyed = Failure(s => s.AddKeyslot(_shared.ConfigurationString).AddKeyslotDistributedCache("billing"));
        Assert.Contains("'billing'", keyed, StringComparison.Ordinal);
        Assert.Contains("AddKeyedKeyslot(\"billing\")", keyed, StringComparison.Ordinal);

        string none = Failure(s => s.AddKeyslotDistributedCache());
        Assert.Contains("no", none, StringComparison.Ordinal);
        Assert.Contains("AddKeyslot", none, StringComparison.Ordinal);

        string tagged = Failure(s => s.AddKeyslot(_shared.ConfigurationString).AddKeyslotDistributedCache(o => o.InstanceName = "{shop}:"));
        Assert.Contains("InstanceName", tagged, StringComparison.Ordinal);
        Assert.Contains("'{shop}'", tagged, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddKeyslotDistributedCache(" "));
    }
}
