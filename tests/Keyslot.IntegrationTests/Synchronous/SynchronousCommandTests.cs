using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Synchronous;

/// <summary>Synchronous commands on the shared cluster: round trips checked against what the servers hold, and the refusals.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SynchronousCommandTests
{
    private readonly LocalRedisCluster _cluster;

    public SynchronousCommandTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    [Fact]
    public async Task Typed_synchronous_commands_reach_the_owner_of_every_slot_they_touch()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        for (int slot = 0; slot < 16_384; slot += 1_021)
        {
            string key = "{" + SlotKeys.For(slot) + "}:sync"; // the hashtag keeps the slot
            Assert.True(client.StringSet(key, "v" + slot));
            Assert.Equal("v" + slot, client.StringGet(key));
            Assert.Equal("v" + slot, System.Text.Encoding.UTF8.GetString(client.StringGetBytes(key)!));
            LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(slot);
            Assert.Equal("v" + slot, await _cluster.ExecuteAsync(owner, "GET", key)); // the owner has it, not merely the client
            Assert.True(client.KeyExists(key));
            Assert.True(client.KeyExpire(key, TimeSpan.FromSeconds(100)));
            long ttl = long.Parse(await _cluster.ExecuteAsync(owner, "PTTL", key), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(ttl, 1, 100_000);
            Assert.True(client.KeyDelete(key));
            Assert.False(client.KeyExists(key));
            Assert.Null(client.StringGet(key));
        }
    }

    [Fact]
    public async Task Execute_routes_any_command_by_its_keys_and_returns_the_reply()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const string key = "sync:counter";
        client.KeyDelete(key);
        Assert.Equal(1, client.Execute("INCR", key).AsInt64());
        Assert.Equal(11, client.Execute("INCRBY", key, 10).AsInt64());
        Assert.Equal("11", await client.StringGetAsync(key)); // what the async road sees is the same value
        Assert.True(client.HashSet("sync:hash", "f", "x"));
        Assert.Equal("x", client.HashGet("sync:hash", "f"));
        Assert.Equal("hello", client.Execute("ECHO", "hello").AsString()); // no key: any primary
        RespValue both = client.Execute("MGET", "{sync}a", "{sync}b"); // two keys, one slot: fine
        Assert.Equal(2, both.AsArray().Count);
        client.KeyDelete(key);
        client.KeyDelete("sync:hash");
    }

    [Fact]
    public async Task Cross_slot_blocking_and_fan_out_commands_are_refused_before_anything_is_sent()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        Assert.NotEqual(ClusterClient.GetSlot("a"), ClusterClient.GetSlot("b"));
        Assert.Throws<RedisCrossSlotException>(() => client.Execute("MGET", "a", "b"));
        var blocking = Assert.Throws<RedisCommandRefusedException>(() => client.Execute("BLPOP", "sync:list", 1));
        Assert.Contains("async", blocking.Message, StringComparison.Ordinal);
        var fanOut = Assert.Throws<RedisCommandRefusedException>(() => client.Execute("DBSIZE"));
        Assert.Contains("every shard", fanOut.Message, StringComparison.Ordinal);
        Assert.Throws<RedisCommandRefusedException>(() => client.Execute("SUBSCRIBE", "ch"));
        Assert.Throws<ArgumentException>(() => client.Execute(" "));
    }

    [Fact]
    public async Task A_server_error_reply_is_a_typed_exception_and_the_connection_stays_in_step()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const string key = "sync:wrongtype";
        Assert.True(client.HashSet(key, "f", "v"));
        var error = Assert.Throws<RedisServerException>(() => client.StringGet(key));
        Assert.Equal(RedisErrorKind.WrongType, error.Kind);
        Assert.Equal("v", client.HashGet(key, "f")); // the next reply is the next command's
        client.KeyDelete(key);
    }

    [Fact]
    public async Task Resp2_clients_get_the_same_answers()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",protocol=resp2,name=keyslot-sync-resp2");
        Assert.True(client.StringSet("sync:resp2", "two"));
        Assert.Equal("two", client.StringGet("sync:resp2"));
        Assert.True(client.HashSet("sync:resp2h", "f", "v"));
        Assert.Equal("v", client.HashGet("sync:resp2h", "f"));
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot("sync:resp2"));
        string clients = await _cluster.ExecuteAsync(owner, "CLIENT", "LIST");
        Assert.Contains(clients.Split('\n'), line => line.Contains("name=keyslot-sync-resp2", StringComparison.Ordinal) && line.Contains("resp=2", StringComparison.Ordinal));
        client.KeyDelete("sync:resp2");
        client.KeyDelete("sync:resp2h");
    }

    [Fact]
    public async Task After_disposal_a_synchronous_command_throws_ObjectDisposedException()
    {
        var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        client.StringSet("sync:disposed", "v");
        await client.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => client.StringGet("sync:disposed"));
    }

    [Fact]
    public async Task Many_threads_share_a_nodes_few_synchronous_connections()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",synchronousConnectionsPerNode=2,name=keyslot-sync-share");
        const int threads = 16, each = 50;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int id = t;
            workers[t] = new Thread(() =>
            {
                try
                {
                    for (int i = 0; i < each; i++) client.Execute("INCR", "{sync-share}n");
                }
                catch (Exception ex)
                {
                    errors.Enqueue(ex);
                }
            });
            workers[t].Start();
        }
        foreach (Thread worker in workers) Assert.True(worker.Join(TimeSpan.FromSeconds(60)), "a synchronous caller did not finish within 60 s");
        Assert.Empty(errors);
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot("{sync-share}n"));
        Assert.Equal((threads * each).ToString(System.Globalization.CultureInfo.InvariantCulture), await _cluster.ExecuteAsync(owner, "GET", "{sync-share}n"));
        string list = await _cluster.ExecuteAsync(owner, "CLIENT", "LIST");
        int connections = list.Split('\n').Count(line => line.Contains("name=keyslot-sync-share ", StringComparison.Ordinal));
        Assert.InRange(connections, 2, 3); // at most 2 synchronous ones, plus the async interactive one
        await client.KeyDeleteAsync("{sync-share}n");
    }
}
