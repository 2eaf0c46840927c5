using System.Diagnostics;
using Keyslot.Testing;
using Xunit.Abstractions;

namespace Keyslot.IntegrationTests.Resilience;

/// <summary>
/// A blocking command follows its slot: across a failover of its shard its connection dies with the primary and it
/// resumes at the promoted replica by itself; when its slot moves to another shard the server answers it MOVED and it
/// goes to the new owner. Either way it receives the next element pushed there.
/// </summary>
public sealed class BlockingFailoverTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private LocalRedisCluster _cluster = null!;

    public BlockingFailoverTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { NodeTimeoutMilliseconds = 2000 });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_blpop_across_kill_9_of_its_primary_resumes_on_the_promoted_replica()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",commandTimeout=5000");
        const string key = "{bfail}queue";
        LocalRedisNode victim = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key));
        ValueTask<RespValue> waiting = client.ExecuteAsync("BLPOP", key, "0");
        var blockedSince = Stopwatch.StartNew();
        while (!(await _cluster.ExecuteAsync(victim, "CLIENT", "LIST")).Contains(" cmd=blpop ", StringComparison.Ordinal))
        {
            Assert.True(blockedSince.Elapsed < TimeSpan.FromSeconds(10), "BLPOP never reached its primary");
            await Task.Delay(10);
        }

        _cluster.Kill(victim);
        LocalRedisNode promoted = await _cluster.WaitForFailoverAsync(victim, TimeSpan.FromSeconds(30));
        var resumed = Stopwatch.StartNew();
        while (!(await _cluster.ExecuteAsync(promoted, "CLIENT", "LIST")).Contains(" cmd=blpop ", StringComparison.Ordinal))
        {
            Assert.True(resumed.Elapsed < TimeSpan.FromSeconds(15), "BLPOP did not resume on the promoted replica within 15 s");
            await Task.Delay(20);
        }
        _output.WriteLine($"BLPOP blocked again on {promoted.Endpoint} {resumed.ElapsedMilliseconds} ms after the promotion was visible");
        Assert.False(waiting.IsCompleted);

        await _cluster.ExecuteAsync(promoted, "RPUSH", key, "after-failover");
        RespValue popped = await waiting;
        Assert.Equal("after-failover", popped.AsArray()[1].AsString());
        Assert.Equal("0", await _cluster.ExecuteAsync(promoted, "LLEN", key));
    }

    [Fact]
    public async Task A_blpop_whose_slot_moves_away_follows_moved_to_the_new_owner()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const string key = "{bmove}queue";
        int slot = ClusterClient.GetSlot(key);
        LocalRedisNode source = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = (await _cluster.GetPrimariesAsync()).First(p => p.Endpoint != source.Endpoint);
        ValueTask<RespValue> waiting = client.ExecuteAsync("BLPOP", key, "0");
        await WaitForBlpopAsync(source, TimeSpan.FromSeconds(10));

        await _cluster.MoveSlotAsync(slot, target);
        await WaitForBlpopAsync(target, TimeSpan.FromSeconds(15)); // the server redirected it (MOVED), and it blocks at the new owner
        Assert.False(waiting.IsCompleted);

        await _cluster.ExecuteAsync(target, "RPUSH", key, "after-move");
        RespValue popped = await waiting;
        Assert.Equal("after-move", popped.AsArray()[1].AsString());
        // The MOVED fixed the client's map too: the slot is routed to the new owner.
        Assert.Contains(client.Topology.SlotRanges, r => r.Start <= slot && slot <= r.End && r.Primary.ToString() == target.Endpoint);
    }

    private async Task WaitForBlpopAsync(LocalRedisNode node, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (!(await _cluster.ExecuteAsync(node, "CLIENT", "LIST")).Contains(" cmd=blpop ", StringComparison.Ordinal))
        {
            Assert.True(waited.Elapsed < limit, $"BLPOP did not block on {node.Endpoint} within {limit.TotalSeconds} s");
            await Task.Delay(20);
        }
    }
}
