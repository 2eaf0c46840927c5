using Keyslot.Testing;
using Xunit.Abstractions;

namespace Keyslot.IntegrationTests.Resilience;

/// <summary>Slots move under load (resharding, scaling out and in): no errors, no lost writes, few refreshes.</summary>
public sealed class ScalingTests
{
    private readonly ITestOutputHelper _output;

    public ScalingTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Resharding_2000_slots_under_load_has_zero_errors_and_costs_few_refreshes()
    {
        await using var cluster = await LocalRedisCluster.StartAsync();
        await using ClusterClient client = await ClusterClient.ConnectAsync(cluster.ConfigurationString);
        IReadOnlyList<LocalRedisNode> primaries = await cluster.GetPrimariesAsync();
        var load = new VersionedLoad(client);
        load.Start();
        await Task.Delay(1000);
        int refreshesBefore = client.Router.Refresher.RefreshCount;
        var moving = System.Diagnostics.Stopwatch.StartNew();
        await cluster.MoveSlotsAsync(primaries[0], primaries[1], 2000);
        moving.Stop();
        await Task.Delay(500);
        // The MOVED replies fixed their slots as they came; the map is read once the moves have settled.
        for (int i = 0; i < 100 && client.Router.Refresher.RefreshCount == refreshesBefore; i++) await Task.Delay(50);
        LoadReport report = await load.StopAsync();
        int refreshes = client.Router.Refresher.RefreshCount - refreshesBefore;
        _output.WriteLine($"{report}; moved 2000 slots in {moving.ElapsedMilliseconds} ms with {refreshes} topology refreshes");

        Assert.Equal(0, report.ErrorCount);
        Assert.Equal(0, report.StaleReads);
        Assert.Equal(0, await load.CountLostAcknowledgedWritesAsync());
        // Every target is a known primary, so the MOVED replies fixed their slots and the map is read again only once
        // the moves settle: one refresh per longest settling wait at most, plus the one after the last move (and a
        // periodic or lost-connection one by chance), however many MOVED replies arrived.
        Assert.InRange(refreshes, 1, (int)(moving.Elapsed / Keyslot.Topology.TopologyRefresher.SettleLongest) + 3);
        await AssertClientMapMatchesServersAsync(client, cluster);
    }

    [Fact]
    public async Task Adding_a_shard_and_rebalancing_under_load_has_zero_errors()
    {
        await using var cluster = await LocalRedisCluster.StartAsync();
        await using ClusterClient client = await ClusterClient.ConnectAsync(cluster.ConfigurationString);
        var load = new VersionedLoad(client);
        load.Start();
        await Task.Delay(700);
        int refreshesBefore = client.Router.Refresher.RefreshCount;
        var scaling = System.Diagnostics.Stopwatch.StartNew();
        LocalRedisNode added = await cluster.AddPrimaryAsync();
        await cluster.AddReplicaAsync(added);
        await cluster.RebalanceAsync();
        scaling.Stop();
        await Task.Delay(700);
        LoadReport report = await load.StopAsync();
        int refreshes = client.Router.Refresher.RefreshCount - refreshesBefore;
        _output.WriteLine($"{report}; scaled out in {scaling.ElapsedMilliseconds} ms with {refreshes} topology refreshes");

        Assert.Equal(0, report.ErrorCount);
        Assert.Equal(0, report.StaleReads);
        Assert.Equal(0, await load.CountLostAcknowledgedWritesAsync());
        // Thousands of MOVED replies during the rebalance: the first to the new primary reads the map at once (it did
        // not know the node), the rest settle (one refresh per longest settling wait at most), never one per reply.
        Assert.InRange(refreshes, 1, (int)((scaling.Elapsed + TimeSpan.FromMilliseconds(700)) / Keyslot.Topology.TopologyRefresher.SettleLongest) + 4);
        await client.Router.Refresher.RequestAsync("test");
        Assert.Contains(client.Topology.SlotRanges, r => r.Primary.ToString() == added.Endpoint);
        await AssertClientMapMatchesServersAsync(client, cluster);
    }

    [Fact]
    public async Task Removing_a_shard_under_load_has_zero_errors_and_closes_its_connections()
    {
        await using var cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { Primaries = 4, ReplicasPerPrimary = 0 });
        await using ClusterClient client = await ClusterClient.ConnectAsync(cluster.ConfigurationString);
        IReadOnlyList<LocalRedisNode> primaries = await cluster.GetPrimariesAsync();
        LocalRedisNode leaving = primaries[3];
        int owned = client.Topology.SlotRanges.Where(r => r.Primary.ToString() == leaving.Endpoint).Sum(r => r.Count);
        var load = new VersionedLoad(client);
        load.Start();
        await Task.Delay(700);
        await cluster.MoveSlotsAsync(leaving, primaries[0], owned);
        // As an operator does: let clients see the node drained before shutting it down. Without the pause, a write
        // sent to the node just before its last MOVED reached the client dies with the process, and is reported as such.
        await Task.Delay(1000);
        await cluster.RemoveNodeAsync(leaving);
        await Task.Delay(700);
        LoadReport report = await load.StopAsync();
        _output.WriteLine(report.ToString());

        Assert.Equal(0, report.ErrorCount);
        Assert.Equal(0, report.StaleReads);
        Assert.Equal(0, await load.CountLostAcknowledgedWritesAsync());
        await client.Router.Refresher.RequestAsync("test");
        Assert.DoesNotContain(client.Topology.Shards, s => s.Primary.Endpoint.ToString() == leaving.Endpoint);
        Assert.DoesNotContain(client.Router.KnownNodes, n => n.ToString() == leaving.Endpoint);
    }

    private static async Task AssertClientMapMatchesServersAsync(ClusterClient client, LocalRedisCluster cluster)
    {
        await client.Router.Refresher.RequestAsync("test");
        foreach (SlotRange range in client.Topology.SlotRanges)
        {
            Assert.Equal((await cluster.GetSlotOwnerAsync(range.Start)).Endpoint, range.Primary.ToString());
            Assert.Equal((await cluster.GetSlotOwnerAsync(range.End)).Endpoint, range.Primary.ToString());
        }
    }
}
