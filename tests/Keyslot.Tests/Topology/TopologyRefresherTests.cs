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

    [Fact]
    public async Task A_burst_of_settling_requests_costs_one_refresh_after_they_stop()
    {
        SlotMap current = Map(7000);
        var asked = new List<NodeEndpoint>();
        await using TopologyRefresher refresher = Refresher(_ => Task.FromResult(Map(7000)), () => current, _ => { }, asked);

        for (int i = 0; i < 1000; i++) refresher.RequestWhenSettled("MOVED");
        Assert.Equal(0, refresher.RefreshCount); // nothing starts while they come
        for (int i = 0; i < 200 && refresher.RefreshCount == 0; i++) await Task.Delay(25);
        await Task.Delay(TopologyRefresher.SettleQuiet * 2); // a second refresh would have started by now

        Assert.Equal(1, refresher.RefreshCount);
    }

    [Fact]
    public async Task Settling_requests_that_never_stop_still_refresh_within_the_longest_wait()
    {
        SlotMap current = Map(7000);
        var asked = new List<NodeEndpoint>();
        await using TopologyRefresher refresher = Refresher(_ => Task.FromResult(Map(7000)), () => current, _ => { }, asked);

        // Requests every 50 ms, well inside the quiet time, until the first refresh: it must come although they never
        // stop (a long migration), and only one window's worth of requests was needed for it.
        int requests = 0;
        while (refresher.RefreshCount == 0 && requests < 400)
        {
            refresher.RequestWhenSettled("MOVED");
            requests++;
            await Task.Delay(50);
        }

        Assert.Equal(1, refresher.RefreshCount);
        Assert.True(requests > TopologyRefresher.SettleQuiet / TimeSpan.FromMilliseconds(50), $"refreshed after only {requests} requests: the quiet time was not waited for");
    }

    [Fact]
    public async Task An_ordinary_request_is_not_held_by_a_settling_window()
    {
        SlotMap current = Map(7000);
        var asked = new List<NodeEndpoint>();
        await using TopologyRefresher refresher = Refresher(_ => Task.FromResult(Map(7000)), () => current, _ => { }, asked);

        refresher.RequestWhenSettled("MOVED");
        await refresher.RequestAsync("connection lost");

        Assert.Equal(1, refresher.RefreshCount);
    }
}
