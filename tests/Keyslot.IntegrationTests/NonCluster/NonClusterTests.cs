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
        // The promoted primary listed no replicas at first; the map looks again and finds both, the old primary included.
        string[] expectedReplicas = [.. server.Replicas.Select(r => r.Endpoint).Order()];
        await Poll(() => Task.FromResult(client.Topology.Shards[0].Replicas.Select(r => r.Endpoint.ToString()).Order().SequenceEqual(expectedReplicas)));
        Assert.Contains(oldPrimary.Endpoint, expectedReplicas);
        await client.StringSetAsync("nc:after", "on-the-new-primary");
        Assert.Equal("on-the-new-primary", await server.ExecuteAsync(newPrimary, "GET", "nc:after"));
        Assert.Equal("slave", (await server.ExecuteAsync(oldPrimary, "ROLE")).Split('\n')[0]);
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(2, "")]
    [InlineData(0, ",protocol=resp2")]
    public async Task Every_command_family_works_unchanged_without_cluster_mode(int replicas, string protocol)
    {
        await using var server = await LocalRedisServer.StartAsync(replicas);
        await using var client = await ClusterClient.ConnectAsync(server.ConfigurationString + protocol);
        Task<string> OnServer(params string[] command) => server.ExecuteAsync(server.Primary, command);

        Assert.True(await client.StringSetAsync("f:s", "one", TimeSpan.FromMinutes(5)));
        Assert.Equal("one", await client.StringGetAsync("f:s"));
        Assert.Equal(5, await client.StringIncrementAsync("f:n", 5));
        Assert.True(await client.HashSetAsync("f:h", "field", "value"));
        Assert.Equal("value", await client.HashGetAsync("f:h", "field"));
        Assert.Equal(2, await client.ListRightPushAsync("f:l", ["a", "b"]));
        Assert.Equal(["a", "b"], await client.ListRangeAsync("f:l"));
        Assert.Equal(2, await client.SetAddAsync("f:set1", ["x", "y"]));
        Assert.Equal(1, await client.SetAddAsync("f:set2", ["y"]));
        Assert.Equal(["x"], await client.SetCombineAsync(SetOperation.Difference, ["f:set1", "f:set2"])); // keys of two slots, one SDIFF
        Assert.True(await client.SortedSetAddAsync("f:z", "m", 1.5));
        Assert.Equal(["m"], await client.SortedSetRangeByRankAsync("f:z"));
        string? id = await client.StreamAddAsync("f:x", "k", "v");
        Assert.NotNull(id);
        Assert.Equal("1", await OnServer("XLEN", "f:x"));
        Assert.Equal("value", await OnServer("HGET", "f:h", "field"));

        // A transaction and a script, whose keys share a slot as on a cluster.
        ClusterTransaction tx = client.CreateTransaction();
        _ = tx.StringSetAsync("{f}a", "1");
        ValueTask<long> incremented = tx.StringIncrementAsync("{f}b", 2);
        Assert.True(await tx.CommitAsync());
        Assert.Equal(2, await incremented);
        RespValue script = await client.ExecuteAsync("EVAL", "return redis.call('GET', KEYS[1])", "1", "{f}a");
        Assert.Equal("1", script.AsString());

        // A blocking pop woken by a push, and a message through a subscription.
        ValueTask<string?> popped = client.ListBlockingLeftPopAsync("f:bl", TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        await client.ListRightPushAsync("f:bl", "woken");
        Assert.Equal("woken", await popped);
        await using ChannelSubscription subscription = await client.SubscribeAsync("f:channel");
        Assert.Equal(1, await client.PublishAsync("f:channel", "hello"));
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        ChannelMessage message = await subscription.Reader.ReadAsync(wait.Token);
        Assert.Equal("hello", message.Message);
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
