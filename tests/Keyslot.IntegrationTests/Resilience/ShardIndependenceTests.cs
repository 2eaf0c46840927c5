using Keyslot.Testing;
using Xunit.Abstractions;

namespace Keyslot.IntegrationTests.Resilience;

/// <summary>
/// Shards are independent: while one primary is dead, commands for the others neither fail nor wait.
/// The cluster runs with <c>cluster-require-full-coverage no</c>: with the default (yes) Redis itself answers
/// CLUSTERDOWN for every slot between the failure detection and the promotion (measured here: about 0.7 s with a
/// 2 s node timeout), which no client can avoid; Keyslot retries through it without errors.
/// </summary>
public sealed class ShardIndependenceTests
{
    private readonly ITestOutputHelper _output;

    public ShardIndependenceTests(ITestOutputHelper output) => _output = output;

    private static LocalRedisClusterOptions Options
    {
        get
        {
            var options = new LocalRedisClusterOptions { NodeTimeoutMilliseconds = 2000 };
            options.ExtraConfig["cluster-require-full-coverage"] = "no";
            return options;
        }
    }

    [Fact]
    public async Task Other_shards_keep_their_throughput_while_a_primary_is_dead()
    {
        await using var cluster = await LocalRedisCluster.StartAsync(Options);
        await using ClusterClient client = await ClusterClient.ConnectAsync(cluster.ConfigurationString + ",commandTimeout=10000");
        LocalRedisNode victim = (await cluster.GetPrimariesAsync())[0];
        SlotRange[] victimRanges = client.Topology.SlotRanges.Where(r => r.Primary.ToString() == victim.Endpoint).ToArray();
        bool onOtherShards(string key) => !victimRanges.Any(r => r.Contains(ClusterClient.GetSlot(key)));
        var healthy = new VersionedLoad(client, keyFilter: onOtherShards);
        healthy.Start();
        await Task.Delay(500);
        cluster.Kill(victim);
        await cluster.WaitForFailoverAsync(victim, TimeSpan.FromSeconds(30));
        LoadReport report = await healthy.StopAsync();
        _output.WriteLine(report.ToString());
        Assert.Equal(0, report.ErrorCount);
        Assert.Equal(0, report.StaleReads);
        // Commands for the dead shard wait; commands for the others keep completing. The failover takes 3 s or more
        // here; a stall of that size would mean the healthy shards waited for it. (1 s of slack for a loaded CI machine.)
        Assert.True(report.LongestStall < TimeSpan.FromSeconds(1), report.ToString());
        Assert.Equal(0, await healthy.CountLostAcknowledgedWritesAsync());
    }
}
