using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Keyslot.Protocol;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// Commands the server's tips send to every shard or node (FLUSHALL, FLUSHDB, SCRIPT, CONFIG SET) and per-node
/// commands, checked on each node through the harness. Each test flushes or reconfigures, so each has its own cluster.
/// </summary>
public sealed class FanOutTests : IAsyncLifetime
{
    private LocalRedisCluster _cluster = null!;
    private ClusterClient _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalRedisCluster.StartAsync();
        _client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",topologyRefreshSeconds=0");
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private static string Sha1Of(string source) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));

    private async Task<long> DbSizeAsync(LocalRedisNode node) => long.Parse(await _cluster.ExecuteAsync(node, "DBSIZE"), CultureInfo.InvariantCulture);

    private async Task<IReadOnlyList<LocalRedisNode>> ReplicasAsync()
    {
        var replicas = new List<LocalRedisNode>();
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync()) replicas.AddRange(await _cluster.GetReplicasAsync(primary));
        return replicas;
    }

    /// <summary>Writes keys over all slots and checks that every primary holds some, so a flush that skipped one would show.</summary>
    private async Task FillEveryShardAsync(string prefix)
    {
        await _client.StringSetAsync(Enumerable.Range(0, 300).Select(i => new KeyValuePair<RedisKey, RedisArgument>(prefix + i.ToString(CultureInfo.InvariantCulture), i)));
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync()) Assert.True(await DbSizeAsync(primary) > 50, $"{primary} holds too few keys");
    }

    private async Task AssertEveryNodeEmptyAsync()
    {
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync())
        {
            Assert.Equal(0, await DbSizeAsync(primary));
            await _cluster.ExecuteAsync(primary, "WAIT", "1", "5000"); // the replica has applied the flush too
        }
        foreach (LocalRedisNode replica in await ReplicasAsync()) Assert.Equal(0, await DbSizeAsync(replica));
    }

    [Fact]
    public async Task Flushall_and_flushdb_reach_every_primary()
    {
        await FillEveryShardAsync("flushall:");
        Assert.Equal("OK", (await _client.ExecuteAsync("FLUSHALL")).AsString()); // all_shards, all_succeeded: one OK for all
        await AssertEveryNodeEmptyAsync();

        await FillEveryShardAsync("flushdb:");
        Assert.Equal("OK", (await _client.ExecuteAsync("FLUSHDB")).AsString());
        await AssertEveryNodeEmptyAsync();
        Assert.Equal(0, await _client.DatabaseSizeAsync());
    }

    [Fact]
    public async Task Script_exists_is_0_where_primaries_disagree_and_1_once_script_load_reached_them_all()
    {
        const string Source = "return 'fan-out'";
        string sha = Sha1Of(Source);
        NodeEndpoint one = _client.Topology.Shards[0].Primary.Endpoint;
        Assert.Equal(sha, (await _client.ExecuteOnNodeAsync(one, "SCRIPT", ["LOAD", Source])).AsString());
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync())
        {
            Assert.Equal(primary.Endpoint == one.ToString() ? "1" : "0", await _cluster.ExecuteAsync(primary, "SCRIPT", "EXISTS", sha));
        }

        // agg_logical_and, element by element: a script known everywhere next to one known on a single primary.
        const string Everywhere = "return 'everywhere'";
        Assert.Equal(Sha1Of(Everywhere), (await _client.ExecuteAsync("SCRIPT", "LOAD", Everywhere)).AsString());
        RespValue exists = await _client.ExecuteAsync("SCRIPT", "EXISTS", Sha1Of(Everywhere), sha);
        Assert.Equal([1L, 0L], exists.AsSpan().ToArray().Select(v => v.AsInt64()));

        Assert.Equal(sha, (await _client.ExecuteAsync("SCRIPT", "LOAD", Source)).AsString()); // all_nodes
        Assert.Equal(1, (await _client.ExecuteAsync("SCRIPT", "EXISTS", sha))[0].AsInt64());
        foreach (LocalRedisNode node in _cluster.Nodes) Assert.Equal("1", await _cluster.ExecuteAsync(node, "SCRIPT", "EXISTS", sha)); // replicas too
    }

    [Fact]
    public async Task Ping_on_all_replicas_returns_one_reply_per_replica()
    {
        IReadOnlyList<NodeReply> replies = await _client.ExecuteOnNodesAsync(NodeSelection.AllReplicas, "PING", []);
        IReadOnlyList<LocalRedisNode> replicas = await ReplicasAsync();
        Assert.Equal(3, replicas.Count);
        Assert.Equal(replicas.Select(r => r.Endpoint).Order(), replies.Select(r => r.Node.ToString()).Order());
        Assert.All(replies, r =>
        {
            Assert.True(r.Succeeded);
            Assert.Equal("PONG", r.Value.AsString());
        });
    }

    [Fact]
    public async Task Config_set_reaches_every_node_primaries_and_replicas()
    {
        foreach (LocalRedisNode node in _cluster.Nodes) Assert.NotEqual("slowlog-max-len\n77", await _cluster.ExecuteAsync(node, "CONFIG", "GET", "slowlog-max-len"));
        Assert.Equal("OK", (await _client.ExecuteAsync("CONFIG", "SET", "slowlog-max-len", "77")).AsString()); // tips: all_nodes
        Assert.Equal(6, _cluster.Nodes.Count);
        foreach (LocalRedisNode node in _cluster.Nodes) Assert.Equal("slowlog-max-len\n77", await _cluster.ExecuteAsync(node, "CONFIG", "GET", "slowlog-max-len"));
    }
}
