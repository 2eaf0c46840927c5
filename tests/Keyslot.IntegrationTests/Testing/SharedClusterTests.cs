using System.Globalization;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Xunit.Abstractions;

namespace Keyslot.IntegrationTests.Testing;

/// <summary>Checks of the shared 3×1 cluster; every test leaves it converged and fully alive.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SharedClusterTests
{
    private readonly ClusterFixture _fixture;
    private readonly ITestOutputHelper _output;

    public SharedClusterTests(ClusterFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    private LocalRedisCluster Cluster => _fixture.Cluster;

    [Fact]
    public async Task Cluster_of_three_primaries_and_three_replicas_forms()
    {
        _output.WriteLine($"3x1 cluster started in {_fixture.StartDuration.TotalMilliseconds:0} ms");
        Assert.Equal(6, Cluster.Nodes.Count);
        Assert.Equal(3, (await Cluster.GetPrimariesAsync()).Count);
        Assert.All(Cluster.Nodes, n => Assert.True(n.IsAlive));
        Assert.All(Cluster.Nodes, n => Assert.Matches("^[0-9a-f]{40}$", n.NodeId));
        Assert.Equal(6, Cluster.Nodes.Select(n => n.Port).Distinct().Count());
        foreach (var node in Cluster.Nodes)
        {
            var info = await Cluster.ExecuteAsync(node, "CLUSTER", "INFO");
            Assert.Contains("cluster_state:ok", info, StringComparison.Ordinal);
            Assert.Contains("cluster_known_nodes:6", info, StringComparison.Ordinal);
            Assert.Contains("cluster_size:3", info, StringComparison.Ordinal);
            Assert.Equal(node.Endpoint, $"127.0.0.1:{node.Port}");
            Assert.True(File.Exists(node.LogPath));
        }

        Assert.StartsWith(Cluster.Nodes[0].Endpoint, Cluster.ConfigurationString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_node_reports_all_16384_slots_covered_by_the_same_map()
    {
        string? first = null;
        foreach (var node in Cluster.Nodes)
        {
            await using var connection = await Cluster.ConnectAsync(node);
            var slots = ParseClusterSlots(await connection.ExecuteAsync("CLUSTER", "SLOTS"));
            var covered = new bool[LocalRedisCluster.SlotCount];
            foreach (var (start, end, _) in slots)
            {
                for (var s = start; s <= end; s++)
                {
                    Assert.False(covered[s], $"slot {s} is listed twice by {node}");
                    covered[s] = true;
                }
            }

            Assert.All(covered, Assert.True);
            var map = string.Join(";", slots.OrderBy(s => s.Start).Select(s => $"{s.Start}-{s.End}@{s.Primary}"));
            first ??= map;
            Assert.Equal(first, map);
        }
    }

    [Fact]
    public async Task Each_primary_has_exactly_one_attached_replica()
    {
        var primaries = await Cluster.GetPrimariesAsync();
        Assert.Equal(3, primaries.Count);
        foreach (var primary in primaries)
        {
            var replicas = await Cluster.GetReplicasAsync(primary);
            var replica = Assert.Single(replicas);
            var info = await Cluster.ExecuteAsync(replica, "INFO", "replication");
            Assert.Contains("role:slave", info, StringComparison.Ordinal);
            Assert.Contains("master_link_status:up", info, StringComparison.Ordinal);
            Assert.Contains($"master_port:{primary.Port}", info, StringComparison.Ordinal);
            var primaryInfo = await Cluster.ExecuteAsync(primary, "INFO", "replication");
            Assert.Contains("connected_slaves:1", primaryInfo, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MoveSlotsAsync_moves_slots_and_their_keys_stay_readable_on_the_new_owner()
    {
        var primaries = await Cluster.GetPrimariesAsync();
        var from = primaries[0];
        var to = primaries[1];
        var slotsBefore = await OwnedSlotsAsync(from);
        var moving = slotsBefore.Take(5).ToArray();
        var keys = await WriteKeysAsync(from, moving, "move");

        await Cluster.MoveSlotsAsync(from, to, 5);

        foreach (var slot in moving)
        {
            Assert.Equal(to, await Cluster.GetSlotOwnerAsync(slot));
        }

        Assert.Equal(slotsBefore.Count - 5, (await OwnedSlotsAsync(from)).Count);
        foreach (var (key, value) in keys)
        {
            Assert.Equal(value, await Cluster.ExecuteAsync(to, "GET", key));
            var moved = await Assert.ThrowsAsync<LocalRedisCommandException>(() => Cluster.ExecuteAsync(from, "GET", key));
            Assert.StartsWith("MOVED", moved.ServerError, StringComparison.Ordinal);
        }

        // Put the slots back so other tests see the original layout.
        foreach (var slot in moving)
        {
            await Cluster.MoveSlotAsync(slot, from);
        }

        Assert.Equal(slotsBefore.Count, (await OwnedSlotsAsync(from)).Count);
        Assert.Equal(keys[0].Value, await Cluster.ExecuteAsync(from, "GET", keys[0].Key));
    }

    [Fact]
    public async Task Begin_and_finish_slot_migration_show_importing_migrating_then_the_final_owner()
    {
        var primaries = await Cluster.GetPrimariesAsync();
        var owner = primaries[2];
        var target = primaries[0];
        var slot = (await OwnedSlotsAsync(owner))[10];
        var keys = await WriteKeysAsync(owner, [slot], "ask", perSlot: 4);

        await Cluster.BeginSlotMigrationAsync(slot, target);
        Assert.Contains($"[{slot}->-{target.NodeId}]", await Cluster.ExecuteAsync(owner, "CLUSTER", "NODES"), StringComparison.Ordinal);
        Assert.Contains($"[{slot}-<-{owner.NodeId}]", await Cluster.ExecuteAsync(target, "CLUSTER", "NODES"), StringComparison.Ordinal);

        await Cluster.MigrateKeysAsync(slot, target, [keys[0].Key]);
        var ask = await Assert.ThrowsAsync<LocalRedisCommandException>(() => Cluster.ExecuteAsync(owner, "GET", keys[0].Key));
        Assert.Equal($"ASK {slot} {target.Endpoint}", ask.ServerError);
        Assert.Equal(keys[1].Value, await Cluster.ExecuteAsync(owner, "GET", keys[1].Key));
        Assert.Equal(owner, await Cluster.GetSlotOwnerAsync(slot));

        await Cluster.FinishSlotMigrationAsync(slot, target);
        Assert.Equal(target, await Cluster.GetSlotOwnerAsync(slot));
        Assert.DoesNotContain("->-", await Cluster.ExecuteAsync(owner, "CLUSTER", "NODES"), StringComparison.Ordinal);
        Assert.DoesNotContain("-<-", await Cluster.ExecuteAsync(target, "CLUSTER", "NODES"), StringComparison.Ordinal);
        foreach (var (key, value) in keys)
        {
            Assert.Equal(value, await Cluster.ExecuteAsync(target, "GET", key));
        }

        Assert.Equal("0", await Cluster.ExecuteAsync(owner, "CLUSTER", "COUNTKEYSINSLOT", slot.ToString(CultureInfo.InvariantCulture)));
        await Cluster.MoveSlotAsync(slot, owner);
        Assert.Equal(owner, await Cluster.GetSlotOwnerAsync(slot));
    }

    [Fact]
    public async Task Freeze_makes_a_replica_stop_answering_and_thaw_brings_it_back()
    {
        var replica = Cluster.Nodes.Last();
        Assert.Contains("role:slave", await Cluster.ExecuteAsync(replica, "INFO", "replication"), StringComparison.Ordinal);

        Cluster.Freeze(replica);
        try
        {
            Assert.True(replica.IsFrozen);
            Assert.True(replica.IsAlive);
            Assert.Equal('T', ProcessState(replica.ProcessId));
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Cluster.ExecuteAsync(replica, ["PING"], cts.Token));
        }
        finally
        {
            Cluster.Thaw(replica);
        }

        Assert.False(replica.IsFrozen);
        Assert.NotEqual('T', ProcessState(replica.ProcessId));
        Assert.Equal("PONG", await Cluster.ExecuteAsync(replica, "PING"));
        await Cluster.WaitForConvergenceAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task ExecuteAsync_renders_replies_and_reports_server_errors_typed()
    {
        var node = Cluster.Nodes[0];
        Assert.Equal("PONG", await Cluster.ExecuteAsync(node, "PING"));
        Assert.Equal("hello", await Cluster.ExecuteAsync(node, "ECHO", "hello"));
        Assert.Equal("0", await Cluster.ExecuteAsync(node, "CLUSTER", "COUNT-FAILURE-REPORTS", node.NodeId));
        Assert.Contains("myself", await Cluster.ExecuteAsync(node, "CLUSTER", "NODES"), StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<LocalRedisCommandException>(() => Cluster.ExecuteAsync(node, "NOSUCHCOMMAND"));
        Assert.StartsWith("ERR unknown command", error.ServerError, StringComparison.Ordinal);
        Assert.Equal(node.Endpoint, error.Endpoint);
    }

    private static char ProcessState(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[stat.LastIndexOf(')') + 2];
    }

    private async Task<List<int>> OwnedSlotsAsync(LocalRedisNode primary)
    {
        var nodes = await Cluster.ExecuteAsync(primary, "CLUSTER", "NODES");
        var line = nodes.Split('\n').Single(l => l.StartsWith(primary.NodeId, StringComparison.Ordinal));
        var slots = new List<int>();
        foreach (var token in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(8).Where(t => !t.StartsWith('[')))
        {
            var bounds = token.Split('-').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            for (var s = bounds[0]; s <= bounds[^1]; s++)
            {
                slots.Add(s);
            }
        }

        return slots;
    }

    /// <summary>Writes <paramref name="perSlot"/> keys into each slot (finding names with CLUSTER KEYSLOT).</summary>
    private async Task<List<(string Key, string Value)>> WriteKeysAsync(LocalRedisNode owner, IReadOnlyCollection<int> slots, string prefix, int perSlot = 3)
    {
        var wanted = slots.ToDictionary(s => s, _ => perSlot);
        var keys = new List<(string, string)>();
        await using var connection = await Cluster.ConnectAsync(owner);
        for (var i = 0; wanted.Values.Any(v => v > 0); i++)
        {
            var key = $"{prefix}:{Guid.NewGuid():N}:{i}";
            var slot = int.Parse(await connection.ExecuteAsync("CLUSTER", "KEYSLOT", key), CultureInfo.InvariantCulture);
            if (wanted.TryGetValue(slot, out var left) && left > 0)
            {
                wanted[slot] = left - 1;
                var value = "v-" + key;
                Assert.Equal("OK", await connection.ExecuteAsync("SET", key, value));
                keys.Add((key, value));
            }
        }

        return keys;
    }

    /// <summary>
    /// Parses CLUSTER SLOTS as rendered by ExecuteAsync (arrays flattened, one element per line): each range is
    /// start, end, then host, port, id for the primary and each replica.
    /// </summary>
    private static List<(int Start, int End, string Primary)> ParseClusterSlots(string flattened)
    {
        var lines = flattened.Split('\n');
        var result = new List<(int, int, string)>();
        for (var i = 0; i + 3 < lines.Length; i++)
        {
            if (int.TryParse(lines[i], CultureInfo.InvariantCulture, out var start)
                && int.TryParse(lines[i + 1], CultureInfo.InvariantCulture, out var end)
                && lines[i + 2] == "127.0.0.1")
            {
                result.Add((start, end, lines[i + 3]));
                i += 4;
            }
        }

        return result;
    }
}
