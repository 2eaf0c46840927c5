using System.Globalization;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Protocol;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>Commands whose keys or effects span shards: split by slot, fanned out by policy, scripts anywhere.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CrossShardTests : IAsyncLifetime
{
    private readonly LocalRedisCluster _cluster;
    private ClusterClient _client = null!;

    public CrossShardTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private static string Key(string prefix, int i) => prefix + i.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Mget_of_1000_keys_over_all_slots_returns_values_in_order_and_equals_single_gets()
    {
        RedisKey[] keys = [.. Enumerable.Range(0, 1000).Select(i => (RedisKey)Key("mget:", i))];
        for (int i = 0; i < keys.Length; i += 3) await _client.StringSetAsync(keys[i], "v" + i); // every third key exists
        string?[] values = await _client.StringGetAsync(keys);
        Assert.Equal(keys.Length, values.Length);
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.Equal(i % 3 == 0 ? "v" + i : null, values[i]);
            Assert.Equal(await _client.StringGetAsync(keys[i]), values[i]);
        }
        Assert.True(keys.Select(k => ClusterClient.GetSlot(k.ToString())).Distinct().Count() > 900);
    }

    [Fact]
    public async Task Mset_across_slots_writes_every_key_and_del_exists_touch_count_across_slots()
    {
        var pairs = Enumerable.Range(0, 200).Select(i => new KeyValuePair<RedisKey, RedisArgument>(Key("mset:", i), "x" + i)).ToArray();
        await _client.StringSetAsync(pairs);
        foreach (var pair in pairs.Take(20))
        {
            LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(pair.Key.ToString()));
            Assert.Equal(pair.Value.ToString(), await _cluster.ExecuteAsync(owner, "GET", pair.Key.ToString()));
        }
        RedisKey[] keys = [.. pairs.Select(p => p.Key), "mset:missing-1", "mset:missing-2"];
        Assert.Equal(200, await _client.KeyExistsAsync(keys));
        Assert.Equal(200, await _client.KeyTouchAsync(keys));
        Assert.Equal(100, await _client.KeyDeleteAsync(keys[..100]));
        Assert.Equal(100, await _client.KeyUnlinkAsync(keys));
        Assert.Equal(0, await _client.KeyExistsAsync(keys));
    }

    [Fact]
    public async Task ExecuteAsync_splits_MSET_MGET_EXISTS_TOUCH_DEL_and_UNLINK_across_slots_like_the_typed_methods()
    {
        var args = new List<RedisArgument>();
        for (int i = 0; i < 50; i++) args.AddRange([Key("raw:", i), "r" + i]);
        Assert.Equal("OK", (await _client.ExecuteAsync("MSET", [.. args])).AsString());

        RedisArgument[] keys = [.. Enumerable.Range(0, 50).Select(i => (RedisArgument)Key("raw:", i)), "raw:missing"];
        RespValue values = await _client.ExecuteAsync("mget", keys); // any case, as with every command
        Assert.Equal(51, values.Count);
        for (int i = 0; i < 50; i++) Assert.Equal("r" + i, values[i].AsString());
        Assert.True(values[50].IsNull);
        Assert.True(keys.Select(k => ClusterClient.GetSlot(k.ToString())).Distinct().Count() > 40);

        Assert.Equal(50, (long)await _client.ExecuteAsync("EXISTS", keys));
        Assert.Equal(50, (long)await _client.ExecuteAsync("TOUCH", keys));
        Assert.Equal(25, (long)await _client.ExecuteAsync("DEL", keys[..25]));
        Assert.Equal(25, (long)await _client.ExecuteAsync("UNLINK", keys));
        Assert.Equal(0, (long)await _client.ExecuteAsync("EXISTS", keys));
    }

    [Fact]
    public async Task A_default_argument_among_keys_is_refused_before_anything_is_sent()
    {
        await _client.StringSetAsync("0", "must stay"); // what a default argument would have been taken for
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await _client.ExecuteAsync("DEL", "raw:a", default(RedisArgument), "raw:b"));
        Assert.Contains("default(RedisArgument)", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(async () => await _client.ExecuteAsync("GET", default(RedisArgument)));
        Assert.Equal("must stay", await _client.StringGetAsync("0"));
        Assert.True(await _client.KeyDeleteAsync("0"));
    }

    [Fact]
    public async Task Msetnx_stays_atomic_and_refuses_keys_in_different_slots_before_sending()
    {
        var error = await Assert.ThrowsAsync<RedisCrossSlotException>(async () =>
            await _client.StringSetIfNoneExistAsync([new("nx:a", "1"), new("nx:b", "2")]));
        Assert.Equal("MSETNX", error.Command);
        Assert.False(await _client.KeyExistsAsync("nx:a"));
        Assert.True(await _client.StringSetIfNoneExistAsync([new("{nx}:a", "1"), new("{nx}:b", "2")]));
        Assert.False(await _client.StringSetIfNoneExistAsync([new("{nx}:a", "3"), new("{nx}:c", "4")]));
        Assert.Equal(new string?[] { "1", "2", null }, await _client.StringGetAsync(["{nx}:a", "{nx}:b", "{nx}:c"]));
        await _client.KeyDeleteAsync(["{nx}:a", "{nx}:b"]);
    }

    [Fact]
    public async Task Dbsize_equals_the_sum_of_each_primarys_dbsize()
    {
        await _client.StringSetAsync(Enumerable.Range(0, 50).Select(i => new KeyValuePair<RedisKey, RedisArgument>(Key("dbsize:", i), i)));
        long expected = 0;
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync()) expected += long.Parse(await _cluster.ExecuteAsync(primary, "DBSIZE"), CultureInfo.InvariantCulture);
        Assert.Equal(expected, await _client.DatabaseSizeAsync());
        Assert.Equal(expected, (await _client.ExecuteAsync("DBSIZE")).AsInt64()); // the server's tips say: all shards, sum
    }

    [Fact]
    public async Task Keys_are_gathered_from_every_shard()
    {
        await _client.StringSetAsync(Enumerable.Range(0, 30).Select(i => new KeyValuePair<RedisKey, RedisArgument>(Key("gather:", i), i)));
        RespValue keys = await _client.ExecuteAsync("KEYS", "gather:*");
        Assert.Equal(Enumerable.Range(0, 30).Select(i => Key("gather:", i)).Order(), keys.AsSpan().ToArray().Select(k => k.AsString()!).Order());
    }

    [Fact]
    public async Task Per_node_commands_return_each_nodes_reply()
    {
        IReadOnlyList<NodeReply> all = await _client.ExecuteOnNodesAsync(NodeSelection.AllNodes, "PING", []);
        Assert.Equal(_cluster.Nodes.Count, all.Count);
        Assert.All(all, r => Assert.Equal("PONG", r.Value.AsString()));
        IReadOnlyList<NodeReply> replicas = await _client.ExecuteOnNodesAsync(NodeSelection.AllReplicas, "ROLE", []);
        Assert.Equal(3, replicas.Count);
        Assert.All(replicas, r => Assert.Equal("slave", r.Value[0].AsString()));
        NodeEndpoint first = _client.Topology.SlotRanges[0].Primary;
        Assert.Equal("master", (await _client.ExecuteOnNodeAsync(first, "ROLE", []))[0].AsString());
    }

    [Fact]
    public async Task A_batch_of_10000_mixed_commands_across_all_slots_completes_each_with_its_own_reply()
    {
        string run = Guid.NewGuid().ToString("N")[..8] + ":";
        ClusterBatch batch = _client.CreateBatch();
        var sets = new List<ValueTask<bool>>();
        var gets = new List<(int I, ValueTask<string?> Value)>();
        var hashes = new List<ValueTask<bool>>();
        var increments = new List<(int I, ValueTask<RespValue> Value)>();
        for (int i = 0; i < 2_500; i++) sets.Add(batch.StringSetAsync(Key("batch:" + run, i), "b" + i));
        for (int i = 0; i < 2_500; i++) gets.Add((i, batch.StringGetAsync(Key("batch:" + run, i))));
        for (int i = 0; i < 2_500; i++) hashes.Add(batch.HashSetAsync(Key("batch:h:" + run, i), "f", i));
        for (int i = 0; i < 2_500; i++) increments.Add((i, batch.ExecuteAsync("INCRBY", Key("batch:n:" + run, i), i)));
        Assert.Equal(10_000, batch.Count);
        batch.Execute();

        foreach (ValueTask<bool> set in sets) Assert.True(await set);
        foreach ((int i, ValueTask<string?> value) in gets) Assert.Equal("b" + i, await value); // queued after its SET, on the same connection
        foreach (ValueTask<bool> hash in hashes) Assert.True(await hash);                       // each field is new
        foreach ((int i, ValueTask<RespValue> value) in increments) Assert.Equal(i, (await value).AsInt64());
        Assert.Equal("7", await _client.HashGetAsync(Key("batch:h:" + run, 7), "f"));
        Assert.Throws<InvalidOperationException>(() => batch.Execute());
    }

    [Fact]
    public async Task A_batch_reads_binary_values_back_exactly()
    {
        byte[] binary = [0xC3, 0x28, 0x00, 0xFF, 0x80];
        ClusterBatch writes = _client.CreateBatch();
        ValueTask<bool> set = writes.StringSetAsync("batchbytes:s", binary);
        ValueTask<bool> hset = writes.HashSetAsync("batchbytes:h", "f", binary);
        writes.Execute();
        Assert.True(await set);
        await hset;

        ClusterBatch reads = _client.CreateBatch();
        ValueTask<byte[]?> value = reads.StringGetBytesAsync("batchbytes:s");
        ValueTask<byte[]?> field = reads.HashGetBytesAsync("batchbytes:h", "f");
        ValueTask<byte[]?> missing = reads.StringGetBytesAsync("batchbytes:missing");
        reads.Execute();
        Assert.Equal(binary, await value);
        Assert.Equal(binary, await field);
        Assert.Null(await missing);
    }

    [Fact]
    public async Task A_script_still_runs_after_SCRIPT_FLUSH_on_every_node()
    {
        const string key = "script:{s}";
        var script = new ClusterScript("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])");
        Assert.Equal("one", (await script.EvaluateAsync(_client, [key], ["one"])).AsString());
        await _client.ExecuteAsync("SCRIPT", "FLUSH"); // to every node, all must succeed
        RespValue exists = await _client.ExecuteAsync("SCRIPT", "EXISTS", script.Sha1);
        Assert.Equal(0, exists[0].AsInt64());
        Assert.Equal("two", (await script.EvaluateAsync(_client, [key], ["two"])).AsString());

        // EVALSHA alone cannot load a script: finding it on the key's owner, and only there, proves the EVAL fallback ran.
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key));
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync())
        {
            Assert.Equal(primary.Endpoint == owner.Endpoint ? "1" : "0", await _cluster.ExecuteAsync(primary, "SCRIPT", "EXISTS", script.Sha1));
        }
        Assert.Equal("two", await _cluster.ExecuteAsync(owner, "GET", key));
        RespValue loaded = await _client.ExecuteAsync("SCRIPT", "LOAD", script.Source); // to every node
        Assert.Equal(script.Sha1, loaded.AsString());
        Assert.Equal(1, (await _client.ExecuteAsync("SCRIPT", "EXISTS", script.Sha1))[0].AsInt64());
    }

    private const string Library = "keyslot_routing";

    // FCALL_RO needs a function flagged no-writes; both read the key they are given.
    private const string LibraryCode = "#!lua name=" + Library + "\n"
        + "redis.register_function('ks_get', function(keys, args) return redis.call('GET', keys[1]) end)\n"
        + "redis.register_function{function_name='ks_get_ro', callback=function(keys, args) return redis.call('GET', keys[1]) end, flags={'no-writes'}}";

    [Fact]
    public async Task Eval_ro_fcall_and_fcall_ro_run_on_the_primary_that_owns_their_key()
    {
        string[] keys = [.. Enumerable.Range(0, 12).Select(i => Key("fcall:", i))];
        foreach (string key in keys) await _client.StringSetAsync(key, "f:" + key);
        bool loaded = false;
        try
        {
            Assert.Equal(Library, (await _client.ExecuteAsync("FUNCTION", "LOAD", "REPLACE", LibraryCode)).AsString()); // tips: all_shards
            loaded = true;
            IReadOnlyList<LocalRedisNode> primaries = await _cluster.GetPrimariesAsync();
            foreach (LocalRedisNode primary in primaries)
            {
                Assert.Contains("ks_get_ro", await _cluster.ExecuteAsync(primary, "FUNCTION", "LIST", "LIBRARYNAME", Library), StringComparison.Ordinal);
            }
            var owners = new Dictionary<string, string>();
            foreach (string key in keys) owners[key] = (await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key))).Endpoint;
            Assert.Equal(primaries.Count, owners.Values.Distinct().Count()); // every shard gets some

            LocalRedisNode[] nodes = [.. _cluster.Nodes];
            string[] commands = ["fcall", "fcall_ro", "eval_ro"];
            var before = new List<IReadOnlyDictionary<string, CommandStats>>();
            foreach (LocalRedisNode node in nodes) before.Add(await CommandStats.ReadAsync(_cluster, node));

            foreach (string key in keys)
            {
                Assert.Equal("f:" + key, (await _client.ExecuteAsync("FCALL", "ks_get", 1, key)).AsString());
                Assert.Equal("f:" + key, (await _client.ExecuteAsync("FCALL_RO", "ks_get_ro", 1, key)).AsString());
                Assert.Equal("f:" + key, (await _client.ExecuteAsync("EVAL_RO", "return redis.call('GET', KEYS[1])", 1, key)).AsString());
            }

            // Each call ran once, on its key's owner, and none was refused with MOVED first (replicas saw none).
            for (int i = 0; i < nodes.Length; i++)
            {
                IReadOnlyDictionary<string, CommandStats> after = await CommandStats.ReadAsync(_cluster, nodes[i]);
                var expected = new CommandStats(keys.Count(k => owners[k] == nodes[i].Endpoint), 0);
                foreach (string command in commands)
                {
                    Assert.Equal(expected, CommandStats.Of(after, command) - CommandStats.Of(before[i], command));
                }
            }
        }
        finally
        {
            // The cluster is shared: leave no library and no keys behind.
            if (loaded) await _client.ExecuteAsync("FUNCTION", "DELETE", Library);
            await _client.KeyDeleteAsync([.. keys.Select(k => (RedisKey)k)]);
        }
    }
}
