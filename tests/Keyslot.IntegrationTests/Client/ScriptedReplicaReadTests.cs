using Keyslot.IntegrationTests.Infrastructure;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// Replica reads against scripted nodes, for what a real replica does not do on demand: answer LOADING, or report an
/// availability zone in HELLO (Valkey 8+). One fake primary owns every slot; its replicas are fakes too.
/// </summary>
public sealed class ScriptedReplicaReadTests
{
    private const string Options = ",commandTimeout=3000,connectRetry=1,topologyRefreshSeconds=0";

    /// <summary>Makes every node report the same shard: <paramref name="primary"/> owning all slots, with <paramref name="replicas"/>.</summary>
    private static void FormShard(FakeRedisNode primary, params FakeRedisNode[] replicas)
    {
        foreach (FakeRedisNode node in (FakeRedisNode[])[primary, .. replicas])
        {
            node.Shards = [(0, 16383, primary.Port)];
            node.Replicas = new Dictionary<int, int[]> { [primary.Port] = [.. replicas.Select(r => r.Port)] };
        }
    }

    [Fact]
    public async Task A_replica_still_loading_its_dataset_sends_the_read_to_the_primary()
    {
        await using var replica = FakeRedisNode.Start(c => c[0] == "GET" ? "-LOADING Redis is loading the dataset in memory\r\n" : null);
        await using var primary = FakeRedisNode.Start(c => c[0] == "GET" ? FakeRedisNode.Bulk("from-primary") : null);
        FormShard(primary, replica);
        await using var client = await ClusterClient.ConnectAsync(primary.Endpoint + Options + ",readFrom=replica");
        Assert.Equal(replica.Endpoint, Assert.Single(client.Topology.Shards[0].Replicas).Endpoint.ToString());

        Assert.Equal("from-primary", await client.StringGetAsync("k"));
        Assert.Contains("READONLY", replica.Received);                  // the read really went to the replica first…
        Assert.Equal(1, replica.Received.Count(c => c == "GET k"));     // …which refused it once,
        Assert.Equal(1, primary.Received.Count(c => c == "GET k"));     // and the primary served it
        Assert.Equal(primary.Endpoint, client.Topology.GetPrimary(ClusterClient.GetSlot("k")).ToString()); // LOADING is no topology change
    }

    [Fact]
    public async Task A_replica_whose_HELLO_names_the_clients_zone_serves_the_reads()
    {
        await using var primary = FakeRedisNode.Start(c => c[0] == "GET" ? FakeRedisNode.Bulk("primary") : null);
        await using var near = FakeRedisNode.Start(c => c[0] == "GET" ? FakeRedisNode.Bulk("az-1") : null);
        await using var far = FakeRedisNode.Start(c => c[0] == "GET" ? FakeRedisNode.Bulk("az-2") : null);
        near.AvailabilityZone = "az-1";
        far.AvailabilityZone = "az-2";
        FormShard(primary, near, far);
        await using var client = await ClusterClient.ConnectAsync(primary.Endpoint + Options + ",readFrom=replica," + ConfigurationKeys.ClientAz + "=az-1");

        var served = new List<string?>();
        for (int i = 0; i < 40; i++) served.Add(await client.StringGetAsync("k" + i));

        // A zone is known once the replica's HELLO was read: until the near replica is connected, round robin may pick
        // the far one (at most once, as the two alternate); from then on every read stays in the client's zone.
        int first = served.IndexOf("az-1");
        Assert.InRange(first, 0, 1);
        Assert.All(served.Skip(first), s => Assert.Equal("az-1", s));
        Assert.True(served.Count(s => s == "az-2") <= 1);
        Assert.Equal(0, primary.Received.Count(c => c.StartsWith("GET ", StringComparison.Ordinal)));
    }
}
