using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Testing;

/// <summary><see cref="LocalRedisClusterOptions.FirstPort"/>/<see cref="LocalRedisClusterOptions.LastPort"/>: everything the cluster binds stays inside the range.</summary>
public sealed class PortRangeTests
{
    // Below the default scheme's 12000-31999, so the other tests' clusters never take these ports.
    private const int First = 11400;
    private const int Last = 11439;

    [Fact]
    public async Task Every_client_and_bus_port_of_the_cluster_lies_in_the_range_also_for_nodes_added_later()
    {
        var options = new LocalRedisClusterOptions { Primaries = 2, ReplicasPerPrimary = 1, FirstPort = First, LastPort = Last };
        await using var cluster = await LocalRedisCluster.StartAsync(options);
        await cluster.AddPrimaryAsync();

        Assert.Equal(5, cluster.Nodes.Count);
        var ports = cluster.Nodes.SelectMany(n => new[] { n.Port, n.BusPort }).ToArray();
        Assert.All(ports, port => Assert.InRange(port, First, Last));
        Assert.Equal(ports.Length, ports.Distinct().Count());

        // The nodes themselves agree: every CLUSTER NODES line reads 127.0.0.1:port@busport with both in the range.
        foreach (var line in (await cluster.ExecuteAsync(cluster.Nodes[0], "CLUSTER", "NODES")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var address = line.Split(' ')[1].Split(',')[0];
            var port = int.Parse(address[(address.IndexOf(':', StringComparison.Ordinal) + 1)..address.IndexOf('@', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            var bus = int.Parse(address[(address.IndexOf('@', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
            Assert.InRange(port, First, Last);
            Assert.InRange(bus, First, Last);
            Assert.Contains(cluster.Nodes, n => n.Port == port && n.BusPort == bus);
        }

        // And it is a working cluster: a key written through its owner reads back.
        var slot = int.Parse(await cluster.ExecuteAsync(cluster.Nodes[0], "CLUSTER", "KEYSLOT", "range:key"), CultureInfo.InvariantCulture);
        var owner = await cluster.GetSlotOwnerAsync(slot);
        Assert.Equal("OK", await cluster.ExecuteAsync(owner, "SET", "range:key", "v"));
        Assert.Equal("v", await cluster.ExecuteAsync(owner, "GET", "range:key"));
    }

    [Fact]
    public async Task A_range_too_small_for_the_cluster_is_refused_before_anything_starts_with_the_count_it_needs()
    {
        var options = new LocalRedisClusterOptions { Primaries = 3, ReplicasPerPrimary = 1, FirstPort = First, LastPort = First + 10 };
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => LocalRedisCluster.StartAsync(options));
        Assert.Contains($"{First}-{First + 10} holds 11 ports", error.Message, StringComparison.Ordinal);
        Assert.Contains("6 nodes need 12", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(11400, null, "Set both FirstPort and LastPort")]
    [InlineData(null, 11439, "Set both FirstPort and LastPort")]
    [InlineData(11439, 11400, "FirstPort must not exceed LastPort")]
    [InlineData(80, 200, "within 1024-65535")]
    public async Task An_incomplete_or_inverted_range_is_refused(int? first, int? last, string expected)
    {
        var options = new LocalRedisClusterOptions { Primaries = 1, ReplicasPerPrimary = 0, FirstPort = first, LastPort = last };
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => LocalRedisCluster.StartAsync(options));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_range_whose_ports_are_all_taken_fails_with_a_clear_message_and_leaves_nothing_running()
    {
        // Another program holds every port of a 4-port range: big enough on paper for one primary and one replica.
        const int first = 11450, last = 11453;
        var squatters = Enumerable.Range(first, last - first + 1).Select(port =>
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return listener;
        }).ToList();
        var root = Path.Combine(Path.GetTempPath(), "keyslot-portrange-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var options = new LocalRedisClusterOptions { Primaries = 1, ReplicasPerPrimary = 1, FirstPort = first, LastPort = last, RootDirectory = root };
            var error = await Assert.ThrowsAsync<LocalRedisClusterException>(() => LocalRedisCluster.StartAsync(options));
            Assert.Contains($"The port range {first}-{last} has no two free ports left", error.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateDirectories(root));
        }
        finally
        {
            squatters.ForEach(l => l.Stop());
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
