using Keyslot.Testing;

namespace Keyslot.IntegrationTests.NonCluster;

/// <summary>
/// The same client against servers without cluster mode: a single redis-server, and a primary with two replicas
/// (ElastiCache's "cluster mode disabled"), failed over by hand with REPLICAOF while writers run.
/// </summary>
public sealed class NonClusterTests
{
    private static async Task<long> CallsOf(LocalRedisServer server, LocalRedisNode node, string command)
    {
        string stats = await server.ExecuteAsync(node, "INFO", "commandstats");
        string? line = stats.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_" + command + ":", StringComparison.Ordinal));
        if (line is null) return 0;
        string calls = line.Split(':')[1].Split(',')[0];
        return long.Parse(calls["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_single_server_is_one_shard_holding_every_slot_and_multi_key_commands_go_whole()
    {
        await using var server = await LocalRedisServer.StartAsync();
        await using var client = await ClusterClient.ConnectAsync(server.ConfigurationString);

        ClusterTopology topology = client.Topology;
        Assert.False(topology.IsClusterMode);
        ClusterShard shard = Assert.Single(topology.Shards);
        Assert.Equal(server.Primary.Endpoint, shard.Primary.Endpoint.ToString());
        Assert.Empty(shard.Replicas);
        Assert.Equal([(0, 16383)], shard.Slots);

        // Keys of many slots: split in a cluster, one command each here.
        RedisKey[] keys = [.. Enumerable.Range(0, 20).Select(i => (RedisKey)("nc:key" + i))];
        await client.StringSetAsync(keys.Select((k, i) => new KeyValuePair<RedisKey, RedisArgument>(k, "v" + i)));
        string?[] values = await client.StringGetAsync(keys);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "v" + i), values);
        Assert.Equal(20, await client.KeyExistsAsync(keys));
        Assert.Equal(1, await CallsOf(server, server.Primary, "mset"));
        Assert.Equal(1, await CallsOf(server, server.Primary, "mget"));
        Assert.Equal(1, await CallsOf(server, server.Primary, "exists"));

        // Commands whose keys must share a slot keep that rule, so what runs here also runs on a cluster.
        await Assert.ThrowsAsync<RedisCrossSlotException>(async () => await client.StringSetIfNoneExistAsync(
            [new KeyValuePair<RedisKey, RedisArgument>("nc:a", "1"), new KeyValuePair<RedisKey, RedisArgument>("nc:b", "2")]));

        // SCAN over the whole key space, without CLUSTER NODES.
        var scanned = new List<string>();
        await foreach (string key in client.ScanAsync("nc:key*")) scanned.Add(key);
        Assert.Equal(keys.Select(k => k.ToString()).Order(), scanned.Order());

        Assert.Equal(20, await client.KeyDeleteAsync(keys));
        Assert.Equal(1, await CallsOf(server, server.Primary, "del"));
        Assert.Equal(0, await CallsOf(server, server.Primary, "readonly"));
    }

    [Fact]
    public async Task Replicas_are_found_from_ROLE_serve_replica_reads_and_a_manual_failover_costs_no_errors()
    {
        await using var server = await LocalRedisServer.StartAsync(replicas: 2);
        await using var client = await ClusterClient.ConnectAsync(server.ConfigurationString + ",readFrom=replica");

        ClusterShard shard = Assert.Single(client.Topology.Shards);
        Assert.Equal(server.Replicas.Select(r => r.Endpoint).Order(), shard.Replicas.Select(r => r.Endpoint.ToString()).Order());

        await client.StringSetAsync("nc:read", "from-primary");
        await Poll(async () => await server.ExecuteAsync(server.Replicas[0], "GET", "nc:read") == "from-primary"
            && await server.ExecuteAsync(server.Replicas[1], "GET", "nc:read") == "from-primary");
        for (int i = 0; i < 20; i++) Assert.Equal("from-primary", await client.StringGetAsync("nc:read"));
        long replicaGets = await CallsOf(server, server.Replicas[0], "get") + await CallsOf(server, server.Replicas[1], "get");
        Assert.True(replicaGets >= 20, $"replica reads reached the replicas {replicaGets} times");
        Assert.Equal(0, await CallsOf(server, server.Primary, "get"));

        // Writers run through a manual failover: the old primary turns replica, its READONLY leads to a refresh.
        LocalRedisNode oldPrimary = server.Primary, newPrimary = server.Replicas[0];
        using var stop = new CancellationTokenSource();
        long written = 0;
        var errors = new List<Exception>();
        async Task WriteLoop(int worker)
        {
            for (int n = 0; !stop.IsCancellationRequested; n++)
            {
                try
                {
                    await client.StringSetAsync($"nc:w{worker}", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Interlocked.Increment(ref written);
                }
                catch (Exception ex)
                {
                    lock (errors) errors.Add(ex);
                }
            }
        }
        Task[] writers = [.. Enumerable.Range(0, 8).Select(WriteLoop)];
        await Task.Delay(300);
        await server.FailoverAsync(newPrimary);
        await Poll(() => Task.FromResult(client.Topology.Shards[0].Primary.Endpoint.ToString() == newPrimary.Endpoint));
        long atSwitch = Interlocked.Read(ref written);
        await Poll(() => Task.FromResult(Interlocked.Read(ref written) > atSwitch + 500));
        stop.Cancel();
        await Task.WhenAll(writers);

        Assert.Empty(errors);
        Assert.Contains(oldPrimary.Endpoint, client.Topology.Shards[0].Replicas.Select(r => r.Endpoint.ToString()));
        await client.StringSetAsync("nc:after", "on-the-new-primary");
        Assert.Equal("on-the-new-primary", await server.ExecuteAsync(newPrimary, "GET", "nc:after"));
        Assert.Equal("slave", (await server.ExecuteAsync(oldPrimary, "ROLE")).Split('\n')[0]);
    }

    private static async Task Poll(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 20 s");
            await Task.Delay(20);
        }
    }
}
