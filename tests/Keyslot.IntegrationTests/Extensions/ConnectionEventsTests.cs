using System.Collections.Concurrent;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Extensions;

/// <summary>
/// The client's connection-state events and health snapshot against a cluster of each test's own (nodes are killed
/// and connections cut). Every wait is bounded.
/// </summary>
public sealed class ConnectionEventsTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private LocalRedisCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { NodeTimeoutMilliseconds = 2000 });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static TaskCompletionSource<T> Signal<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task Kill_9_of_a_primary_raises_ConnectionFailed_for_it_and_TopologyChanged_once_its_replica_is_promoted()
    {
        await using ClusterClient client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",commandTimeout=5000");
        await client.ExecuteOnNodesAsync(NodeSelection.AllPrimaries, "PING", []); // a connection to every primary
        LocalRedisNode victim = (await _cluster.GetPrimariesAsync())[0];
        var failed = Signal<ConnectionEventArgs>();
        var handlerThreads = new ConcurrentBag<bool>();
        client.ConnectionFailed += (sender, e) =>
        {
            handlerThreads.Add(Thread.CurrentThread.IsThreadPoolThread);
            Assert.Same(client, sender);
            if (e.Endpoint.ToString() == victim.Endpoint) failed.TrySetResult(e);
        };
        var topologies = new ConcurrentQueue<ClusterTopology>();
        client.TopologyChanged += (_, e) => topologies.Enqueue(e.Topology);

        _cluster.Kill(victim);
        ConnectionEventArgs lost = await failed.Task.Within(Bound, "ConnectionFailed for the killed primary");
        Assert.NotNull(lost.Exception);
        Assert.False(string.IsNullOrEmpty(lost.Reason));
        NodeHealth victimHealth = Assert.Single(client.GetHealth().Nodes, n => n.Endpoint.ToString() == victim.Endpoint);
        Assert.Equal(NodeConnectionState.Disconnected, victimHealth.State);
        Assert.NotNull(victimHealth.LastError);

        LocalRedisNode promoted = await _cluster.WaitForFailoverAsync(victim, TimeSpan.FromSeconds(30));
        string onVictim = Infrastructure.SlotKeys.For(client.Topology.SlotRanges.First(r => r.Primary.ToString() == victim.Endpoint).Start);
        // A command for the failed shard makes the client look at the map again, as an application's traffic would.
        await Bounded.UntilAsync(async () =>
        {
            try { await client.StringGetAsync(onVictim); } catch (RedisException) { }
            return topologies.Any(t => t.SlotRanges.Any(r => r.Primary.ToString() == promoted.Endpoint));
        }, Bound, "TopologyChanged naming the promoted replica as a primary");
        Assert.All(handlerThreads, Assert.True);
        ClusterHealth health = client.GetHealth();
        Assert.True(health.AllSlotsHavePrimary);
        Assert.Contains(health.Nodes, n => n.IsPrimary && n.Endpoint.ToString() == promoted.Endpoint && n.Slots > 0);
    }

    [Fact]
    public async Task A_connection_cut_by_the_server_raises_ConnectionFailed_then_ConnectionRestored_in_order_and_a_throwing_handler_hurts_nothing()
    {
        string name = "events-" + Guid.NewGuid().ToString("N")[..8];
        using var logs = new Infrastructure.CapturingLoggerProvider();
        using Microsoft.Extensions.Logging.ILoggerFactory loggerFactory = logs.CreateFactory();
        ClusterOptions options = ClusterOptions.Parse(_cluster.ConfigurationString + $",name={name}");
        options.LoggerFactory = loggerFactory;
        await using ClusterClient client = await ClusterClient.ConnectAsync(options);
        LocalRedisNode node = (await _cluster.GetPrimariesAsync())[1];
        var endpoint = NodeEndpoint.Parse(node.Endpoint);
        await client.ExecuteOnNodeAsync(endpoint, "PING", []);
        var events = new ConcurrentQueue<string>();
        var restored = Signal<ConnectionEventArgs>();
        client.ConnectionFailed += (_, _) => throw new InvalidOperationException("an application bug");
        client.ConnectionFailed += (_, e) => events.Enqueue("failed " + e.Endpoint);
        client.ConnectionRestored += (_, _) => throw new InvalidOperationException("another application bug");
        client.ConnectionRestored += (_, e) =>
        {
            events.Enqueue("restored " + e.Endpoint);
            if (e.Endpoint == endpoint) restored.TrySetResult(e);
        };

        // The server closes the client's connection (CLIENT KILL ID of the connection with the client's name).
        string list = await _cluster.ExecuteAsync(node, "CLIENT", "LIST");
        string id = list.Split('\n').Where(l => l.Contains($" name={name} ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[0]["id=".Length..]).First();
        await _cluster.ExecuteAsync(node, "CLIENT", "KILL", "ID", id);
        await Bounded.UntilAsync(() => Task.FromResult(events.Contains("failed " + endpoint)), Bound, "ConnectionFailed after CLIENT KILL");

        // The next command reconnects.
        Assert.Equal("PONG", (await client.ExecuteOnNodeAsync(endpoint, "PING", [])).AsString());
        ConnectionEventArgs back = await restored.Task.Within(Bound, "ConnectionRestored after the reconnect");
        Assert.Null(back.Exception);
        Assert.Equal(["failed " + endpoint, "restored " + endpoint], events.ToArray());
        Assert.Equal(NodeConnectionState.Connected, Assert.Single(client.GetHealth().Nodes, n => n.Endpoint == endpoint).State);
        // Both throwing handlers were caught and logged, and the client is unharmed by them.
        await logs.WaitForAsync(l => l.EventId.Id == 46 && l.Exception?.Message == "an application bug", TimeSpan.FromSeconds(5));
        await logs.WaitForAsync(l => l.EventId.Id == 46 && l.Exception?.Message == "another application bug", TimeSpan.FromSeconds(5));
        await client.StringSetAsync("events:k", "v");
        Assert.Equal("v", await client.StringGetAsync("events:k"));
    }
}
