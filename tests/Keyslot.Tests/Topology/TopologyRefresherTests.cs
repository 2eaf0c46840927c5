using Keyslot.Protocol;
using Keyslot.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keyslot.Tests.Topology;

/// <summary>The refresher's choices, with the cluster replaced by a function that answers (or fails) per node.</summary>
public sealed class TopologyRefresherTests
{
    private static readonly NodeEndpoint Seed = new("clustercfg.my-cache.example.com", 6379);

    private static SlotMap Map(params int[] ports)
    {
        var shards = new List<RespValue>();
        int per = 16_384 / ports.Length;
        for (int i = 0; i < ports.Length; i++)
        {
            int start = i * per, end = i == ports.Length - 1 ? 16_383 : (i + 1) * per - 1;
            shards.Add(RespValue.FromMap(
                RespValue.FromString("slots"), RespValue.FromArray(RespValue.FromInt64(start), RespValue.FromInt64(end)),
                RespValue.FromString("nodes"), RespValue.FromArray(RespValue.FromMap(
                    RespValue.FromString("id"), RespValue.FromString("node" + ports[i]),
                    RespValue.FromString("port"), RespValue.FromInt64(ports[i]),
                    RespValue.FromString("ip"), RespValue.FromString("10.0.0." + (i + 1)),
                    RespValue.FromString("role"), RespValue.FromString("master"),
                    RespValue.FromString("health"), RespValue.FromString("online")))));
        }
        return SlotMap.Build(TopologyParser.ParseShards(RespValue.FromArray([.. shards]), useTlsPort: false));
    }

    private static TopologyRefresher Refresher(Func<NodeEndpoint, Task<SlotMap>> fetch, Func<SlotMap> current, Action<SlotMap> apply, List<NodeEndpoint> asked) =>
        new((node, _) => { lock (asked) asked.Add(node); return fetch(node); }, current, (map, _) => apply(map), _ => false, [Seed],
            TimeSpan.Zero, TimeSpan.FromSeconds(1), NullLogger.Instance);

    [Fact]
    public async Task When_every_known_node_fails_the_configuration_endpoint_is_asked_by_its_name_last()
    {
        SlotMap current = Map(7000, 7001, 7002);
        SlotMap replaced = Map(8000, 8001, 8002); // a managed service replaced every node
        SlotMap? applied = null;
        var asked = new List<NodeEndpoint>();
        await using TopologyRefresher refresher = Refresher(
            node => node == Seed ? Task.FromResult(replaced) : Task.FromException<SlotMap>(new RedisConnectionException("refused", node)),
            () => current, map => applied = map, asked);

        await refresher.RequestAsync("test");

        Assert.Same(replaced, applied);
        Assert.Equal(Seed, asked[^1]);                                   // the name, resolved again on connect
        Assert.Equal(3, asked.Count(n => n.Host.StartsWith("10.0.0.", StringComparison.Ordinal))); // the known nodes first
    }

    [Fact]
    public async Task An_unchanged_topology_is_not_applied_and_only_one_node_is_asked()
    {
        SlotMap current = Map(7000, 7001, 7002);
        int applied = 0;
        var asked = new List<NodeEndpoint>();
        await using TopologyRefresher refresher = Refresher(_ => Task.FromResult(Map(7000, 7001, 7002)), () => current, _ => applied++, asked);

        await refresher.RequestAsync("test");

        Assert.Equal(0, applied);
        Assert.Single(asked);
        Assert.Equal(1, refresher.RefreshCount);
    }

    [Fact]
    public async Task Concurrent_requests_join_the_refresh_in_flight()
    {
        SlotMap current = Map(7000);
        var gate = new TaskCompletionSource<SlotMap>();
        var asked = new List<NodeEndpoint>();
        await using TopologyRefresher refresher = Refresher(_ => gate.Task, () => current, _ => { }, asked);

        Task[] requests = [.. Enumerable.Range(0, 50).Select(_ => refresher.RequestAsync("MOVED"))];
        gate.SetResult(Map(7000, 7001));
        await Task.WhenAll(requests);

        Assert.Single(asked);
        Assert.Equal(1, refresher.RefreshCount);
    }

    [Fact]
    public async Task A_failed_refresh_is_remembered_until_one_succeeds()
    {
        SlotMap current = Map(7000);
        bool fail = true;
        var asked = new List<NodeEndpoint>();
        await using TopologyRefresher refresher = Refresher(
            node => fail ? Task.FromException<SlotMap>(new RedisConnectionException("refused by " + node, node)) : Task.FromResult(Map(7000, 7001)),
            () => current, _ => { }, asked);

        await Assert.ThrowsAsync<RedisConnectionException>(() => refresher.RequestAsync("test"));
        Assert.Contains("refused by", refresher.LastFailure!.Message);
        fail = false;
        await refresher.RequestAsync("test");
        Assert.Null(refresher.LastFailure);
    }

    [Fact]
    public async Task The_periodic_refresh_runs_on_its_own()
    {
        SlotMap current = Map(7000);
        var asked = new List<NodeEndpoint>();
        await using TopologyRefresher refresher = Refresher(_ => Task.FromResult(Map(7000)), () => current, _ => { }, asked);

        refresher.StartPeriodic(TimeSpan.FromMilliseconds(100));
        for (int i = 0; i < 100 && refresher.RefreshCount < 3; i++) await Task.Delay(50);

        Assert.True(refresher.RefreshCount >= 3, $"only {refresher.RefreshCount} periodic refreshes in 5 s");
    }
}
