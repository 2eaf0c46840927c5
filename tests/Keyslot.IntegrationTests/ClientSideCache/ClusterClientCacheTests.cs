using Keyslot.ClientSideCache;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.ClientSideCache;

/// <summary>
/// The client-side cache on a real cluster: reads of many slots, a slot moving away from the node that tracked its
/// keys, and a primary killed with -9. The checker under resharding and failover is <see cref="ClientCacheCheckerTests"/>.
/// </summary>
public sealed class ClusterClientCacheTests
{
    private static ClientCache CacheOf(ClusterClient client) => client.ClientCache ?? throw new InvalidOperationException("The cache is off.");

    private static async Task WarmAsync(ClusterClient client, RedisKey key, string expected)
    {
        for (int i = 0; i < 100; i++)
        {
            long hits = CacheOf(client).Hits;
            Assert.Equal(expected, await client.StringGetAsync(key));
            if (CacheOf(client).Hits > hits) return;
            await Task.Delay(10);
        }
        throw new Xunit.Sdk.XunitException($"{key} was never answered from the cache.");
    }

    [Fact]
    public async Task Mget_over_every_primary_is_cached_key_by_key()
    {
        await using LocalRedisCluster cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { ReplicasPerPrimary = 0 });
        await using ClusterClient client = await ClusterClient.ConnectAsync(cluster.ConfigurationString + ",clientCache=1mb,topologyRefreshSeconds=0");
        RedisKey[] keys = [.. Enumerable.Range(0, 30).Select(i => (RedisKey)("mget:" + i))];
        Assert.Equal(3, keys.Select(k => client.Topology.GetPrimary(ClusterClient.GetSlot(k.ToString())).ToString()).Distinct().Count());
        for (int i = 0; i < keys.Length; i += 2) await client.StringSetAsync(keys[i], "v" + i);
        string?[] expected = [.. Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? "v" + i : null)];
        foreach (RedisKey key in keys) await WarmAsync(client, key, expected[Array.IndexOf(keys, key)]!);

        LocalRedisNode[] primaries = [.. await cluster.GetPrimariesAsync()];
        long Reads(IReadOnlyDictionary<string, CommandStats> s) => CommandStats.Of(s, "get").Calls + CommandStats.Of(s, "mget").Calls;
        long[] before = [.. await Task.WhenAll(primaries.Select(async p => Reads(await CommandStats.ReadAsync(cluster, p))))];
        long hits = CacheOf(client).Hits;
        for (int round = 0; round < 10; round++) Assert.Equal(expected, await client.StringGetAsync(keys));
        long[] after = [.. await Task.WhenAll(primaries.Select(async p => Reads(await CommandStats.ReadAsync(cluster, p))))];
        Assert.Equal(before, after); // no primary was asked
        Assert.Equal(hits + 10 * keys.Length, CacheOf(client).Hits);

        // One key changed by another client: only its entry goes; the next MGET asks for that key alone.
        await using ClusterClient writer = await ClusterClient.ConnectAsync(cluster.ConfigurationString);
        await writer.StringSetAsync(keys[3], "changed");
        expected[3] = "changed";
        for (int i = 0; i < 500 && (await client.StringGetAsync(keys))[3] != "changed"; i++) await Task.Delay(10);
        Assert.Equal(expected, await client.StringGetAsync(keys));
    }

    [Fact]
    public async Task A_slot_moving_away_retires_its_entries_and_the_new_owners_value_is_read()
    {
        await using LocalRedisCluster cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { ReplicasPerPrimary = 0 });
        await using ClusterClient client = await ClusterClient.ConnectAsync(cluster.ConfigurationString + ",clientCache=1mb,topologyRefreshSeconds=0");
        const string key = "moving:{m}";
        int slot = ClusterClient.GetSlot(key);
        await client.StringSetAsync(key, "before");
        await WarmAsync(client, key, "before");
        LocalRedisNode source = await cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = (await cluster.GetPrimariesAsync()).First(p => p.Endpoint != source.Endpoint);

        long invalidations = CacheOf(client).Invalidations;
        await cluster.MoveSlotAsync(slot, target); // MIGRATE deletes the key on the source: that is an invalidation
        for (int i = 0; i < 500 && CacheOf(client).Invalidations == invalidations; i++) await Task.Delay(10);
        Assert.True(CacheOf(client).Invalidations > invalidations, "the source's tracking sent no invalidation for the migrated key");
        await cluster.ExecuteAsync(target, "SET", key, "after"); // on the new owner, which has never tracked it

        Assert.Equal("after", await client.StringGetAsync(key)); // MOVED from the source, then the new owner
        Assert.Equal(target.Endpoint, client.Topology.GetPrimary(slot).ToString());
        await WarmAsync(client, key, "after"); // cached again, now over the new owner's tracking connection
    }

    [Fact]
    public async Task After_a_primary_is_killed_nothing_it_tracked_is_served()
    {
        await using LocalRedisCluster cluster = await LocalRedisCluster.StartAsync();
        await using ClusterClient client = await ClusterClient.ConnectAsync(cluster.ConfigurationString + ",clientCache=1mb,commandTimeout=20000");
        const string key = "killed:{k}";
        int slot = ClusterClient.GetSlot(key);
        await client.StringSetAsync(key, "before");
        await cluster.ExecuteAsync(await cluster.GetSlotOwnerAsync(slot), "WAIT", "1", "2000"); // on the replica too
        await WarmAsync(client, key, "before");
        LocalRedisNode primary = await cluster.GetSlotOwnerAsync(slot);

        cluster.Kill(primary);
        LocalRedisNode promoted = await cluster.WaitForFailoverAsync(primary, TimeSpan.FromSeconds(30));
        await cluster.ExecuteAsync(promoted, "SET", key, "after"); // the dead node can send no invalidation for it

        Assert.Equal("after", await client.StringGetAsync(key));
        Assert.Equal(promoted.Endpoint, client.Topology.GetPrimary(slot).ToString());
    }
}
