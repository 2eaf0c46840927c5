using System.Diagnostics;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>A frozen primary (SIGSTOP) delays only its own slots; its commands time out alone, with a useful message.</summary>
public sealed class TimeoutTests : IAsyncLifetime
{
    private LocalRedisCluster _cluster = null!;

    // A long node timeout so that the freeze does not trigger a failover during the test.
    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { NodeTimeoutMilliseconds = 15_000 });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_frozen_primary_times_out_its_commands_while_other_shards_keep_working()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",commandTimeout=800");
        IReadOnlyList<LocalRedisNode> primaries = await _cluster.GetPrimariesAsync();
        LocalRedisNode frozen = primaries[0];
        SlotRange frozenRange = client.Topology.SlotRanges.First(r => r.Primary.ToString() == frozen.Endpoint);
        SlotRange healthyRange = client.Topology.SlotRanges.First(r => r.Primary.ToString() != frozen.Endpoint);
        string frozenKey = SlotKeys.For(frozenRange.Start);
        string healthyKey = SlotKeys.For(healthyRange.Start);
        await client.StringSetAsync(healthyKey, "ok");

        _cluster.Freeze(frozen);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            Task<string?> stuck = client.StringGetAsync(frozenKey).AsTask();
            // While it waits, the other shard answers, many times over.
            int completed = 0;
            while (!stuck.IsCompleted && stopwatch.Elapsed < TimeSpan.FromSeconds(5))
            {
                Assert.Equal("ok", await client.StringGetAsync(healthyKey));
                completed++;
            }
            var timeout = await Assert.ThrowsAsync<RedisTimeoutException>(() => stuck);
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(700), TimeSpan.FromSeconds(3));
            Assert.True(completed > 10, $"only {completed} commands completed on the healthy shard during the freeze");
            Assert.Equal("GET", timeout.Command);
            Assert.Equal(frozenRange.Start, timeout.Slot);
            Assert.Equal(frozen.Endpoint, timeout.Node.ToString());
            Assert.True(timeout.InFlight >= 1);
            Assert.Contains(frozen.Endpoint, timeout.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(frozenKey, timeout.Message, StringComparison.Ordinal);
        }
        finally
        {
            _cluster.Thaw(frozen);
        }
        // After the thaw the same connection works again (the late reply was dropped, the stream stayed in step).
        await client.StringSetAsync(frozenKey, "back");
        Assert.Equal("back", await client.StringGetAsync(frozenKey));
    }
}
