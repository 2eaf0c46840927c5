using Keyslot.IntegrationTests.Extensions;
using Keyslot.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using static Keyslot.IntegrationTests.DataProtection.DataProtectionApps;

namespace Keyslot.IntegrationTests.DataProtection;

/// <summary>
/// The ring's list lives in one slot; when that slot moves to another primary or its primary fails over, a new app
/// instance still reads the ring through the same client (the synchronous path follows MOVED and the new map).
/// Each test runs its own cluster, since it changes who owns what.
/// </summary>
public sealed class KeyRingInAChangingClusterTests : IAsyncLifetime
{
    private LocalRedisCluster _cluster = null!;

    // Three primaries with a replica each: a failover needs a majority of the primaries to vote.
    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_new_instance_reads_the_ring_after_its_slot_moved_to_another_primary()
    {
        string listKey = NewListKey();
        int slot = ClusterClient.GetSlot(listKey);
        await using ClusterClient client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",commandTimeout=10000");
        await using ServiceProvider first = OverKeyslot(client, listKey);
        string token = Protector(first).Protect("before the move");
        LocalRedisNode before = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode other = (await _cluster.GetPrimariesAsync()).First(p => p.NodeId != before.NodeId);

        await _cluster.MoveSlotAsync(slot, other); // keys included; the client's map still names the old owner

        await using ServiceProvider second = OverKeyslot(client, listKey);
        Assert.Equal("before the move", Protector(second).Unprotect(token));
        Assert.Equal(KeyIdOf(token), KeyIdOf(Protector(second).Protect("after the move")));
        Assert.Equal("1", await _cluster.ExecuteAsync(other, "LLEN", listKey));
        Assert.Equal("0", await _cluster.ExecuteAsync(before, "DBSIZE")); // the ring is the only key, and it left
    }

    [Fact]
    public async Task A_new_instance_reads_the_ring_after_its_primary_failed_over()
    {
        string listKey = NewListKey();
        await using ClusterClient client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",commandTimeout=10000");
        await using ServiceProvider first = OverKeyslot(client, listKey);
        string token = Protector(first).Protect("before the failover");
        LocalRedisNode primary = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(listKey));
        LocalRedisNode replica = Assert.Single(await _cluster.GetReplicasAsync(primary));
        // Replication is asynchronous: kill only once the replica holds the ring, or Redis itself would lose it.
        await using (LocalRedisConnection onReplica = await _cluster.ConnectAsync(replica))
        {
            await onReplica.ExecuteAsync("READONLY"); // a replica answers reads of its slots only after READONLY
            await Bounded.UntilAsync(async () => await onReplica.ExecuteAsync("LLEN", listKey) == "1", TimeSpan.FromSeconds(10),
                "the replica receiving the key ring");
        }

        _cluster.Kill(primary);
        LocalRedisNode promoted = await _cluster.WaitForFailoverAsync(primary, TimeSpan.FromSeconds(30));

        await using ServiceProvider second = OverKeyslot(client, listKey);
        Assert.Equal("before the failover", Protector(second).Unprotect(token));
        Assert.Equal(KeyIdOf(token), KeyIdOf(Protector(second).Protect("after the failover")));
        Assert.Equal("1", await _cluster.ExecuteAsync(promoted, "LLEN", listKey));
    }
}
