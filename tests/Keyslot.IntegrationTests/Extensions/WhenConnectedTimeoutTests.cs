using System.Diagnostics;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Extensions;

/// <summary>WhenConnectedAsync with a timeout: in time on a good cluster, a connection error in time on a dead endpoint.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WhenConnectedTimeoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private readonly LocalRedisCluster _cluster;

    public WhenConnectedTimeoutTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    [Fact]
    public async Task Against_an_endpoint_where_nothing_listens_it_throws_a_connection_error_with_the_last_error_in_time()
    {
        int port = Bounded.ClosedPort();
        await using ClusterClient client = ClusterClient.Create(ClusterOptions.Parse($"127.0.0.1:{port},connectTimeout=500"));
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => client.WhenConnectedAsync(Timeout));
        Bounded.WithinTimeout(watch.Elapsed, Timeout, "WhenConnectedAsync");
        Assert.True(watch.Elapsed >= Timeout - TimeSpan.FromMilliseconds(50), $"it gave up after {watch.ElapsedMilliseconds} ms, before its timeout");
        Assert.NotNull(error.InnerException);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        ClusterHealth health = client.GetHealth();
        Assert.False(health.HasSlotMap);
        Assert.False(health.AllSlotsHavePrimary);
        Assert.NotNull(health.LastError);
    }

    [Fact]
    public async Task The_callers_token_still_cancels_it()
    {
        await using ClusterClient client = ClusterClient.Create(ClusterOptions.Parse($"127.0.0.1:{Bounded.ClosedPort()},connectTimeout=500"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.WhenConnectedAsync(TimeSpan.FromSeconds(30), cancel.Token).WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task On_a_good_cluster_it_completes_and_the_snapshot_shows_every_slot_covered()
    {
        await using ClusterClient client = ClusterClient.Create(ClusterOptions.Parse(_cluster.ConfigurationString));
        await client.WhenConnectedAsync(TimeSpan.FromSeconds(10));
        await client.ExecuteOnNodesAsync(NodeSelection.AllPrimaries, "PING", []);
        ClusterHealth health = client.GetHealth();
        Assert.True(health.HasSlotMap);
        Assert.True(health.AllSlotsHavePrimary);
        Assert.True(health.IsHealthy);
        Assert.Equal(3, health.Nodes.Count(n => n.IsPrimary));
        Assert.Equal(16_384, health.Nodes.Sum(n => n.Slots));
        Assert.All(health.Nodes.Where(n => n.IsPrimary), n => Assert.Equal(NodeConnectionState.Connected, n.State));
        Assert.All(health.Nodes.Where(n => !n.IsPrimary), n => Assert.Equal(0, n.Slots));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.WhenConnectedAsync(TimeSpan.Zero));
    }
}
