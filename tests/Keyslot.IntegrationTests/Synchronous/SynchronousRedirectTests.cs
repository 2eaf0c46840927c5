using System.Diagnostics;
using System.Globalization;
using Keyslot.IntegrationTests.Extensions;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Synchronous;

/// <summary>
/// Synchronous commands while the cluster changes under them, on a cluster of this class's own: MOVED, ASK, a
/// connection killed by the server, a hung node. What reached which node is read from the servers.
/// </summary>
public sealed class SynchronousRedirectTests : IClassFixture<ClusterFixture>
{
    private readonly LocalRedisCluster _cluster;

    public SynchronousRedirectTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    private async Task<LocalRedisNode> OtherPrimaryThan(LocalRedisNode owner)
    {
        await _cluster.WaitForConvergenceAsync(TimeSpan.FromSeconds(10));
        return _cluster.Primaries.First(p => p != owner);
    }

    [Fact]
    public async Task A_moved_slot_is_followed_to_its_new_owner()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const string key = "sync-moved:k";
        int slot = ClusterClient.GetSlot(key);
        Assert.True(client.StringSet(key, "before"));
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = await OtherPrimaryThan(owner);
        await _cluster.MoveSlotAsync(slot, target); // the client's map still names the old owner

        Assert.Equal("before", client.StringGet(key)); // MOVED, followed
        Assert.True(client.StringSet(key, "after"));
        Assert.Equal("after", await _cluster.ExecuteAsync(target, "GET", key));
        Assert.Equal(target.Endpoint, client.Topology.GetPrimary(slot)?.ToString()); // MOVED fixed the slot in the map
    }

    [Fact]
    public async Task A_key_already_migrated_is_read_with_ASKING_from_the_importing_node()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const string moved = "{sync-ask}moved", stays = "{sync-ask}stays";
        int slot = ClusterClient.GetSlot(moved);
        client.StringSet(moved, "on-target");
        client.StringSet(stays, "on-source");
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = await OtherPrimaryThan(owner);
        await _cluster.BeginSlotMigrationAsync(slot, target);
        try
        {
            await _cluster.MigrateKeysAsync(slot, target, [moved]);
            Assert.Equal("on-target", client.StringGet(moved)); // ASK → ASKING + GET on the importing node
            Assert.Equal("on-source", client.StringGet(stays));
            await using LocalRedisConnection onTarget = await _cluster.ConnectAsync(target);
            await onTarget.ExecuteAsync("ASKING");
            Assert.Equal("on-target", await onTarget.ExecuteAsync("GET", moved)); // it is there (an importing slot answers only after ASKING)
        }
        finally
        {
            await _cluster.FinishSlotMigrationAsync(slot, target);
        }
    }

    [Fact]
    public async Task A_write_after_the_server_killed_the_connection_is_applied_exactly_once()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",name=keyslot-sync-kill");
        const string key = "sync-kill:n";
        client.KeyDelete(key);
        Assert.Equal(1, client.Execute("INCR", key).AsInt64()); // makes the node's synchronous connection
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key));
        string killed = await _cluster.ExecuteAsync(owner, "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        Assert.NotEqual("0", killed);

        Assert.Equal(2, client.Execute("INCR", key).AsInt64()); // the dead idle connection is noticed before writing
        Assert.Equal("2", await _cluster.ExecuteAsync(owner, "GET", key));
    }

    [Fact]
    public async Task A_hung_node_gives_a_timeout_within_the_command_timeout_and_later_commands_work()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",commandTimeout=1000");
        const string key = "sync-hung:k";
        client.StringSet(key, "v");
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key));
        var watch = Stopwatch.StartNew();
        _cluster.Freeze(owner);
        try
        {
            var error = Assert.Throws<RedisTimeoutException>(() => client.StringGet(key));
            Assert.Contains("GET", error.Message, StringComparison.Ordinal);
            Bounded.WithinTimeout(watch.Elapsed, TimeSpan.FromSeconds(1), "a synchronous GET on a hung node");
        }
        finally
        {
            _cluster.Thaw(owner);
        }
        await _cluster.WaitForConvergenceAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("v", client.StringGet(key)); // the timed-out connection was closed, a new one serves
    }
}
