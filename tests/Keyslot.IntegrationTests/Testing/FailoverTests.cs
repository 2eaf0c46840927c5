using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Testing;

/// <summary>Killing a primary: its replica is promoted. Own cluster, since it changes the topology for good.</summary>
public sealed class KillFailoverTests
{
    [Fact]
    public async Task Kill_then_WaitForFailoverAsync_returns_the_promoted_replica()
    {
        await using var cluster = await LocalRedisCluster.StartAsync();
        var primary = cluster.Primaries[0];
        var replica = Assert.Single(await cluster.GetReplicasAsync(primary));
        var slot = (await OwnedSlotAsync(cluster, primary));

        cluster.Kill(primary);
        Assert.False(primary.IsAlive);
        Assert.False(Directory.Exists($"/proc/{primary.ProcessId}"));

        var promoted = await cluster.WaitForFailoverAsync(primary, TimeSpan.FromSeconds(30));

        Assert.Equal(replica, promoted);
        Assert.Contains("role:master", await cluster.ExecuteAsync(promoted, "INFO", "replication"), StringComparison.Ordinal);
        Assert.Equal(promoted, await cluster.GetSlotOwnerAsync(slot));
        Assert.DoesNotContain(primary, cluster.Primaries);
        Assert.Contains(promoted, cluster.Primaries);
        foreach (var node in cluster.Nodes.Where(n => n.IsAlive))
        {
            Assert.Contains("cluster_state:ok", await cluster.ExecuteAsync(node, "CLUSTER", "INFO"), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(primary.Endpoint, cluster.ConfigurationString, StringComparison.Ordinal);
    }

    internal static async Task<int> OwnedSlotAsync(LocalRedisCluster cluster, LocalRedisNode primary)
    {
        for (var slot = 0; slot < LocalRedisCluster.SlotCount; slot += 512)
        {
            if (await cluster.GetSlotOwnerAsync(slot) == primary)
            {
                return slot;
            }
        }

        throw new InvalidOperationException($"{primary} owns no slot");
    }
}

/// <summary>Freezing a primary (SIGSTOP) past the node timeout fails it over; thawed, it rejoins as a replica.</summary>
public sealed class FreezeFailoverTests
{
    [Fact]
    public async Task Frozen_primary_is_failed_over_and_rejoins_as_replica_after_thaw()
    {
        await using var cluster = await LocalRedisCluster.StartAsync();
        var primary = cluster.Primaries[1];
        var replica = Assert.Single(await cluster.GetReplicasAsync(primary));

        cluster.Freeze(primary);
        Assert.True(primary.IsFrozen);
        var promoted = await cluster.WaitForFailoverAsync(primary, TimeSpan.FromSeconds(30));
        Assert.Equal(replica, promoted);

        cluster.Thaw(primary);
        Assert.False(primary.IsFrozen);
        // Alone this converges in a few seconds; in the full suite, with other clusters busy on the same two cores, a
        // node once still held the promoted replica for a replica after 30 s (the servers' own gossip, no client here).
        await cluster.WaitForConvergenceAsync(TimeSpan.FromSeconds(60));

        var info = await cluster.ExecuteAsync(primary, "INFO", "replication");
        Assert.Contains("role:slave", info, StringComparison.Ordinal);
        Assert.Contains($"master_port:{promoted.Port}", info, StringComparison.Ordinal);
        Assert.Equal([primary], await cluster.GetReplicasAsync(promoted));
    }
}
