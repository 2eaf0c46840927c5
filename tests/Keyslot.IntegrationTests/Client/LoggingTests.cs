using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Microsoft.Extensions.Logging;

namespace Keyslot.IntegrationTests.Client;

/// <summary>What the client logs on a stable cluster: the first topology, and each node it connects to.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LoggingTests
{
    private readonly LocalRedisCluster _cluster;

    public LoggingTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    [Fact]
    public async Task Connect_logs_the_topology_and_each_node_it_connects_to()
    {
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory factory = logs.CreateFactory();
        ClusterOptions options = ClusterOptions.Parse(_cluster.ConfigurationString);
        options.LoggerFactory = factory;
        await using var client = await ClusterClient.ConnectAsync(options);

        // The first topology is logged once, at connect, with the cluster's shape (3 primaries, 1 replica each).
        CapturedLog topology = Assert.Single(logs.Entries, e => e.EventId.Id == 10 && e.Message.Contains("(connect)", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, topology.Level);
        Assert.Equal("Keyslot", topology.Category);
        Assert.Contains("3 shards, 6 nodes", topology.Message, StringComparison.Ordinal);

        // Use every primary, then each must have been logged as connected, naming its endpoint and the protocol.
        foreach (SlotRange range in client.Topology.SlotRanges) Assert.True(await client.StringSetAsync(SlotKeys.For(range.Start), "v"));
        string[] primaries = [.. client.Topology.SlotRanges.Select(r => r.Primary.ToString()).Distinct()];
        Assert.Equal(3, primaries.Length);
        CapturedLog[] connected = [.. logs.Entries.Where(e => e.EventId.Id == 1)];
        foreach (string primary in primaries)
        {
            // The endpoint is logged as what it is (a NodeEndpoint, formatted only when a line is written).
            CapturedLog entry = Assert.Single(connected, e => Value(e, "Endpoint") is NodeEndpoint endpoint && endpoint.ToString() == primary);
            Assert.Equal(LogLevel.Information, entry.Level);
            Assert.Equal($"Connected to {primary} (RESP3, TLS False)", entry.Message);
        }
        // Nothing claims a connection to a node outside the cluster.
        string[] nodes = [.. _cluster.Nodes.Select(n => n.Endpoint)];
        Assert.All(connected, e => Assert.Contains(Value(e, "Endpoint")!.ToString(), nodes));
        // A healthy connect warns about nothing.
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    internal static object? Value(CapturedLog entry, string name) => entry.State.FirstOrDefault(p => p.Key == name).Value;
}

/// <summary>A MOVED reply is logged at debug level, naming the slot and its new owner (own cluster: a slot moves).</summary>
public sealed class MovedLoggingTests : IAsyncLifetime
{
    private LocalRedisCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_moved_slot_is_logged_at_debug_level()
    {
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory factory = logs.CreateFactory();
        ClusterOptions options = ClusterOptions.Parse(_cluster.ConfigurationString);
        options.LoggerFactory = factory;
        await using var client = await ClusterClient.ConnectAsync(options);
        const string key = "logged:{moved}";
        int slot = ClusterClient.GetSlot(key);
        await client.StringSetAsync(key, "v");
        LocalRedisNode source = await _cluster.GetSlotOwnerAsync(slot);
        LocalRedisNode target = (await _cluster.GetPrimariesAsync()).First(p => p.Endpoint != source.Endpoint);
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Id == 20); // nothing has moved yet

        await _cluster.MoveSlotAsync(slot, target);
        Assert.Equal("v", await client.StringGetAsync(key)); // the client follows MOVED

        CapturedLog moved = await logs.WaitForAsync(e => e.EventId.Id == 20, TimeSpan.FromSeconds(5));
        Assert.Equal(LogLevel.Debug, moved.Level);
        Assert.Equal($"MOVED: slot {slot} is now served by {target.Endpoint}", moved.Message);
        Assert.Equal(slot, LoggingTests.Value(moved, "Slot"));
        // Only the one slot moved, so only one MOVED is logged however many commands follow.
        for (int i = 0; i < 20; i++) Assert.Equal("v", await client.StringGetAsync(key));
        Assert.Single(logs.Entries, e => e.EventId.Id == 20);
    }
}

/// <summary>Passwords never reach the logs: not in messages, structured values or exceptions, on success or failure.</summary>
public sealed class PasswordLoggingTests : IAsyncLifetime
{
    // Distinctive, so a substring match cannot be a coincidence.
    private const string DefaultPassword = "dflt-Pw-3q9ZkT";
    private const string AppPassword = "app-Pw-7mXv2R";
    private const string WrongPassword = "wrong-Pw-5hJc8N";

    private LocalRedisCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var options = new LocalRedisClusterOptions { DefaultUserPassword = DefaultPassword };
        options.Users.Add(new LocalRedisUser("app", AppPassword));
        _cluster = await LocalRedisCluster.StartAsync(options);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private string Nodes => string.Join(',', _cluster.Nodes.Select(n => n.Endpoint));

    [Fact]
    public async Task No_log_entry_or_exception_contains_a_password()
    {
        var logs = new CapturingLoggerProvider();
        using ILoggerFactory factory = logs.CreateFactory();

        // 1. An ACL user connects, uses every primary, loses its connections and reconnects (handshakes again).
        ClusterOptions options = ClusterOptions.Parse(Nodes + ",user=app,password=" + AppPassword);
        options.LoggerFactory = factory;
        await using (var client = await ClusterClient.ConnectAsync(options))
        {
            foreach (SlotRange range in client.Topology.SlotRanges) await client.StringSetAsync(SlotKeys.For(range.Start), "v");
            foreach (LocalRedisNode node in _cluster.Primaries) await _cluster.ExecuteAsync(node, "CLIENT", "KILL", "USER", "app");
            await logs.WaitForAsync(e => e.EventId.Id == 2, TimeSpan.FromSeconds(10)); // ConnectionLost, with its exception
            foreach (SlotRange range in client.Topology.SlotRanges) Assert.Equal("v", await client.StringGetAsync(SlotKeys.For(range.Start)));
        }

        // 2. The default user by password alone.
        ClusterOptions byDefault = ClusterOptions.Parse(Nodes + ",password=" + DefaultPassword);
        byDefault.LoggerFactory = factory;
        await using (var client = await ClusterClient.ConnectAsync(byDefault))
        {
            Assert.Equal("PONG", (await client.ExecuteAsync("PING")).AsString());
        }

        // 3. A wrong password, after a seed that refuses connections (so a seed failure is logged first).
        ClusterOptions wrong = ClusterOptions.Parse("127.0.0.1:1," + Nodes + ",user=app,password=" + WrongPassword);
        wrong.LoggerFactory = factory;
        wrong.ConnectRetry = 1;
        var error = await Assert.ThrowsAsync<RedisAuthenticationException>(() => ClusterClient.ConnectAsync(wrong));
        Assert.Contains("WRONGPASS", error.Message, StringComparison.Ordinal);

        IReadOnlyList<CapturedLog> entries = logs.Entries;
        // The scenario really logged the paths that handle credentials and failures, so the check below is not vacuous.
        Assert.True(entries.Count(e => e.EventId.Id == 1) >= 6, "connects and reconnects are logged");
        Assert.Contains(entries, e => e.EventId.Id == 2 && e.Exception is not null);
        Assert.Contains(entries, e => e.EventId.Id == 12 && e.Message.Contains("from 127.0.0.1:1 failed", StringComparison.Ordinal));
        foreach (CapturedLog entry in entries)
        {
            foreach (string password in new[] { DefaultPassword, AppPassword, WrongPassword })
            {
                Assert.False(entry.AllText.Contains(password, StringComparison.Ordinal), $"[{entry.Level} {entry.EventId.Id}] logged a password: {entry.Message}");
            }
        }
        Assert.DoesNotContain(WrongPassword, error.ToString(), StringComparison.Ordinal);
    }
}
