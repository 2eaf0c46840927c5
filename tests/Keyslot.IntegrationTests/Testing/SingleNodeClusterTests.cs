using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Testing;

/// <summary>
/// A cluster of one node (ElastiCache's smallest cluster-mode setup: one shard, no replica). Its node has never met
/// another, so it does not know its own IP and lists itself without an address: the client takes that as "the node
/// you asked", as the protocol says.
/// </summary>
public sealed class SingleNodeClusterTests : IAsyncLifetime
{
    private LocalRedisCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { Primaries = 1, ReplicasPerPrimary = 0 });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData("")]
    [InlineData(",protocol=resp2")]
    public async Task A_one_node_cluster_connects_and_serves_every_slot(string protocol)
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + protocol);
        SlotRange range = Assert.Single(client.Topology.SlotRanges);
        Assert.Equal((0, 16383), (range.Start, range.End));
        Assert.Equal(_cluster.Primaries[0].Endpoint, range.Primary.ToString());
        await client.StringSetAsync("{a}1", "one");
        await client.StringSetAsync("{b}2", "two");
        Assert.Equal(new string?[] { "one", "two" }, await client.StringGetAsync(["{a}1", "{b}2"]));
        Assert.Equal("one", await _cluster.ExecuteAsync(_cluster.Primaries[0], "GET", "{a}1"));
    }
}
