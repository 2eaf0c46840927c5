using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Testing;

/// <summary>Growing and shrinking a cluster. Each test owns a small cluster (3 primaries, no replicas).</summary>
public sealed class TopologyTests
{
    private static LocalRedisClusterOptions ThreePrimaries() => new() { Primaries = 3, ReplicasPerPrimary = 0 };

    [Fact]
    public async Task AddPrimary_then_RebalanceAsync_gives_the_new_node_its_even_share()
    {
        await using var cluster = await LocalRedisCluster.StartAsync(ThreePrimaries());
        var key = "rebalance:{k}";
        var owner = await cluster.GetSlotOwnerAsync(Slot(await cluster.ExecuteAsync(cluster.Nodes[0], "CLUSTER", "KEYSLOT", key)));
        Assert.Equal("OK", await cluster.ExecuteAsync(owner, "SET", key, "kept"));

        var added = await cluster.AddPrimaryAsync();
        Assert.Equal(4, cluster.Nodes.Count);
        Assert.Contains(added, await cluster.GetPrimariesAsync());
        Assert.Equal(0, await SlotCountAsync(cluster, added));

        await cluster.RebalanceAsync();

        foreach (var primary in await cluster.GetPrimariesAsync())
        {
            Assert.Equal(LocalRedisCluster.SlotCount / 4, await SlotCountAsync(cluster, primary));
        }

        var newOwner = await cluster.GetSlotOwnerAsync(Slot(await cluster.ExecuteAsync(added, "CLUSTER", "KEYSLOT", key)));
        Assert.Equal("kept", await cluster.ExecuteAsync(newOwner, "GET", key));
        foreach (var node in cluster.Nodes)
        {
            Assert.Contains("cluster_known_nodes:4", await cluster.ExecuteAsync(node, "CLUSTER", "INFO"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RemoveNodeAsync_forgets_a_drained_primary_and_a_replica_everywhere_and_stops_them()
    {
        await using var cluster = await LocalRedisCluster.StartAsync(ThreePrimaries());
        var keep = cluster.Primaries[0];
        var drained = cluster.Primaries[2];
        var replica = await cluster.AddReplicaAsync(keep);
        Assert.Equal([replica], await cluster.GetReplicasAsync(keep));

        await Assert.ThrowsAsync<InvalidOperationException>(() => cluster.RemoveNodeAsync(drained));
        await cluster.MoveSlotsAsync(drained, keep, await SlotCountAsync(cluster, drained));
        await cluster.RemoveNodeAsync(drained);
        await cluster.RemoveNodeAsync(replica);

        Assert.Equal(2, cluster.Nodes.Count);
        Assert.DoesNotContain(drained, cluster.Nodes);
        Assert.DoesNotContain(replica, cluster.Nodes);
        Assert.False(drained.IsAlive);
        Assert.False(replica.IsAlive);
        foreach (var node in cluster.Nodes)
        {
            var nodes = await cluster.ExecuteAsync(node, "CLUSTER", "NODES");
            Assert.DoesNotContain(drained.NodeId, nodes, StringComparison.Ordinal);
            Assert.DoesNotContain(replica.NodeId, nodes, StringComparison.Ordinal);
            var info = await cluster.ExecuteAsync(node, "CLUSTER", "INFO");
            Assert.Contains("cluster_state:ok", info, StringComparison.Ordinal);
            Assert.Contains("cluster_known_nodes:2", info, StringComparison.Ordinal);
        }
    }

    private static int Slot(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<int> SlotCountAsync(LocalRedisCluster cluster, LocalRedisNode primary)
    {
        var count = 0;
        var line = (await cluster.ExecuteAsync(primary, "CLUSTER", "NODES")).Split('\n').Single(l => l.StartsWith(primary.NodeId, StringComparison.Ordinal));
        foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(8).Where(t => !t.StartsWith('[')))
        {
            var bounds = token.Split('-').Select(Slot).ToArray();
            count += bounds[^1] - bounds[0] + 1;
        }

        return count;
    }
}
