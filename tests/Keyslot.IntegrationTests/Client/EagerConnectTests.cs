using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>connectEagerly: every node of the map gets its connection before its first command.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EagerConnectTests
{
    private readonly LocalRedisCluster _cluster;

    public EagerConnectTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    /// <summary>How many connections named <paramref name="name"/> the node has (CLIENT LIST, seen from the server).</summary>
    private async Task<int> ConnectionsNamedAsync(LocalRedisNode node, string name)
    {
        string list = await _cluster.ExecuteAsync(node, "CLIENT", "LIST");
        return list.Split('\n').Count(line => line.Contains(" name=" + name + " ", StringComparison.Ordinal));
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 50; i++)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return false;
    }

    [Fact]
    public async Task With_connectEagerly_every_primary_is_connected_before_any_command_and_replicas_when_reads_go_there()
    {
        string name = "eager-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + $",name={name},connectEagerly=true,readFrom=replica");
        IReadOnlyList<LocalRedisNode> primaries = await _cluster.GetPrimariesAsync();
        var replicas = new List<LocalRedisNode>();
        foreach (LocalRedisNode primary in primaries) replicas.AddRange(await _cluster.GetReplicasAsync(primary));
        Assert.NotEmpty(replicas);

        foreach (LocalRedisNode node in primaries.Concat(replicas))
        {
            Assert.True(await EventuallyAsync(async () => await ConnectionsNamedAsync(node, name) >= 1), $"{node.Endpoint} has no connection from the eager client");
        }
    }

    [Fact]
    public async Task Without_it_replicas_get_no_connection_until_a_read_goes_there()
    {
        string name = "lazy-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + $",name={name}");
        await Task.Delay(300);
        foreach (LocalRedisNode primary in await _cluster.GetPrimariesAsync())
        {
            foreach (LocalRedisNode replica in await _cluster.GetReplicasAsync(primary))
            {
                Assert.Equal(0, await ConnectionsNamedAsync(replica, name));
            }
        }
    }

    [Fact]
    public async Task A_client_disposed_while_it_connects_in_the_background_leaves_no_connection_behind()
    {
        string name = "gone-" + Guid.NewGuid().ToString("N")[..8];
        ClusterClient client = ClusterClient.Create(ClusterOptions.Parse(_cluster.ConfigurationString + $",name={name},connectEagerly=true"));
        await client.DisposeAsync(); // at once, while the background connect may be anywhere in its work

        await Task.Delay(1500); // long enough for a connect that outlived the client to have happened
        foreach (LocalRedisNode node in _cluster.Nodes.Where(n => n.IsAlive))
        {
            Assert.Equal(0, await ConnectionsNamedAsync(node, name));
        }
    }
}
