using System.Globalization;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>Read policies over a 3 × 2 cluster; who served what is read from each server's INFO commandstats.</summary>
public sealed class ReplicaReadTests : IAsyncLifetime
{
    private const int Keys = 300;
    private LocalRedisCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { ReplicasPerPrimary = 2 });
        await using var writer = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        for (int i = 0; i < Keys; i++) await writer.StringSetAsync(Key(i), "v" + i);
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync())
        {
            // Both replicas must have every key before reads go to them; on a busy machine a fresh replica may still
            // be finishing its first sync, so wait longer rather than let a read see a key that is not there yet.
            string acknowledged = await _cluster.ExecuteAsync(primary, "WAIT", "2", "8000"); // within the harness's 10 s command timeout
            if (acknowledged != "2") throw new InvalidOperationException($"Only {acknowledged} replica(s) of {primary.Endpoint} acknowledged the test data.");
        }
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static string Key(int i) => "replica:" + i.ToString(CultureInfo.InvariantCulture);

    private async Task ResetStatsAsync()
    {
        foreach (LocalRedisNode node in _cluster.Nodes.Where(n => n.IsAlive)) await _cluster.ExecuteAsync(node, "CONFIG", "RESETSTAT");
    }

    private async Task<long> GetsServedAsync(LocalRedisNode node)
    {
        string stats = await _cluster.ExecuteAsync(node, "INFO", "commandstats");
        string? line = stats.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_get:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split("calls=")[1].Split(',')[0], CultureInfo.InvariantCulture);
    }

    private async Task ReadAllAsync(IClusterClient client)
    {
        for (int i = 0; i < Keys; i++) Assert.Equal("v" + i, await client.StringGetAsync(Key(i)));
    }

    [Fact]
    public async Task Replica_policy_reads_every_replica_in_turn_and_never_the_primaries()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",readFrom=replica");
        await ResetStatsAsync();
        await ReadAllAsync(client);
        await client.StringSetAsync(Key(0), "v0"); // writes still go to the primary

        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync())
        {
            Assert.Equal(0, await GetsServedAsync(primary));
            foreach (LocalRedisNode replica in await _cluster.GetReplicasAsync(primary))
            {
                Assert.True(await GetsServedAsync(replica) > 20, $"replica {replica} served too few reads");
                Assert.Contains("flags=r", await _cluster.ExecuteAsync(replica, "CLIENT", "LIST"), StringComparison.Ordinal); // READONLY
            }
        }
    }

    [Fact]
    public async Task A_per_call_override_reads_from_replicas_while_the_default_stays_primary()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        await ResetStatsAsync();
        await ReadAllAsync(client.WithReadPolicy(ReadPolicy.PreferReplica));
        long onReplicas = 0, onPrimaries = 0;
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync())
        {
            onPrimaries += await GetsServedAsync(primary);
            foreach (LocalRedisNode replica in await _cluster.GetReplicasAsync(primary)) onReplicas += await GetsServedAsync(replica);
        }
        Assert.Equal(Keys, onReplicas);
        Assert.Equal(0, onPrimaries);

        await ResetStatsAsync();
        await ReadAllAsync(client);
        onPrimaries = 0;
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync()) onPrimaries += await GetsServedAsync(primary);
        Assert.Equal(Keys, onPrimaries);
        Assert.Same(client.WithReadPolicy(ReadPolicy.Replica), client.WithReadPolicy(ReadPolicy.Replica));
    }

    [Fact]
    public async Task Availability_zone_affinity_keeps_reads_in_the_clients_zone()
    {
        ClusterOptions options = ClusterOptions.Parse(_cluster.ConfigurationString + ",readFrom=preferReplica,clientAz=az-a");
        var sameZone = new List<LocalRedisNode>();
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync())
        {
            options.NodeAvailabilityZones[primary.Endpoint] = "az-b";
            IReadOnlyList<LocalRedisNode> replicas = await _cluster.GetReplicasAsync(primary);
            options.NodeAvailabilityZones[replicas[0].Endpoint] = "az-a";
            options.NodeAvailabilityZones[replicas[1].Endpoint] = "az-b";
            sameZone.Add(replicas[0]);
        }
        await using var client = await ClusterClient.ConnectAsync(options);
        await ResetStatsAsync();
        await ReadAllAsync(client);
        long inZone = 0;
        foreach (LocalRedisNode node in sameZone) inZone += await GetsServedAsync(node);
        Assert.Equal(Keys, inZone);
    }

    [Fact]
    public async Task Reads_fall_back_to_the_primary_when_a_shards_replicas_are_gone()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",readFrom=replica");
        await ReadAllAsync(client); // connections to every replica exist
        LocalRedisNode primary = (await _cluster.GetPrimariesAsync())[0];
        foreach (LocalRedisNode replica in await _cluster.GetReplicasAsync(primary)) _cluster.Kill(replica);
        await ResetStatsAsync();

        await ReadAllAsync(client); // no errors: the dead shard's reads go to its primary
        Assert.True(await GetsServedAsync(primary) > 0);
    }

    [Fact]
    public async Task Lowest_latency_steers_reads_away_from_a_stalled_replica()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",readFrom=lowestLatency");
        for (int round = 0; round < 3; round++) await ReadAllAsync(client); // every node measured
        LocalRedisNode primary = (await _cluster.GetPrimariesAsync())[0];
        LocalRedisNode stalled = (await _cluster.GetReplicasAsync(primary))[0];
        string[] shardKeys = Enumerable.Range(0, Keys).Select(Key)
            .Where(k => client.Topology.GetPrimary(ClusterClient.GetSlot(k))?.ToString() == primary.Endpoint).ToArray();
        await ResetStatsAsync();

        await _cluster.ExecuteAsync(stalled, "CLIENT", "PAUSE", "1500", "ALL");
        var reads = new List<Task>();
        for (int worker = 0; worker < 8; worker++)
        {
            reads.Add(Task.Run(async () =>
            {
                foreach (string key in shardKeys) Assert.NotNull(await client.StringGetAsync(key));
            }));
        }
        await Task.WhenAll(reads);
        await Task.Delay(1600); // the pause ends; what was sent to the stalled replica is served now
        long toStalled = await GetsServedAsync(stalled);
        long total = 8L * shardKeys.Length;
        Assert.True(toStalled < total / 10, $"{toStalled} of {total} reads went to the stalled replica");
    }
}
