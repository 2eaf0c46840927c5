using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Infrastructure;

/// <summary>
/// Starts one <see cref="LocalRedisServer"/> (no cluster mode: one primary owns every slot) for a test class and stops
/// it afterwards. The class has the server to itself, so its keys meet no other class's.
/// </summary>
public abstract class LocalRedisServerFixture(int replicas) : IAsyncLifetime
{
    private LocalRedisServer? _server;

    /// <summary>The class's server.</summary>
    public LocalRedisServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>What a client is configured with: the primary's endpoint.</summary>
    public string ConfigurationString => Server.ConfigurationString;

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await LocalRedisServer.StartAsync(replicas);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>Runs a command on the primary (the owner of every key), outside any client under test.</summary>
    public Task<string> OnPrimary(params string[] command) => Server.ExecuteAsync(Server.Primary, command);

    /// <summary>Runs a command on every node, the primary first, and returns the replies in that order.</summary>
    public async Task<string[]> OnEveryNode(params string[] command)
    {
        var replies = new List<string> { await OnPrimary(command) };
        foreach (LocalRedisNode replica in Server.Replicas) replies.Add(await Server.ExecuteAsync(replica, command));
        return [.. replies];
    }
}

/// <summary>A single redis-server, no replicas.</summary>
public sealed class StandaloneServerFixture() : LocalRedisServerFixture(replicas: 0);

/// <summary>A primary with two replicas attached by REPLICAOF (ElastiCache's "cluster mode disabled").</summary>
public sealed class ReplicatedServerFixture() : LocalRedisServerFixture(replicas: 2);

/// <summary>The same runs on the shared cluster, for the cluster shape of tests that run on every shape.</summary>
public static class ClusterRuns
{
    /// <summary>Runs a command on the primary that owns <paramref name="key"/>'s slot, outside any client under test.</summary>
    public static async Task<string> OnOwner(this LocalRedisCluster cluster, string key, params string[] command) =>
        await cluster.ExecuteAsync(await cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key)), command);

    /// <summary>Runs a command on every primary and returns the replies.</summary>
    public static async Task<string[]> OnEveryPrimary(this LocalRedisCluster cluster, params string[] command)
    {
        var replies = new List<string>();
        foreach (LocalRedisNode primary in await cluster.GetPrimariesAsync()) replies.Add(await cluster.ExecuteAsync(primary, command));
        return [.. replies];
    }

    /// <summary>Runs a command on every node, replicas included, and returns the replies.</summary>
    public static async Task<string[]> OnEveryNode(this LocalRedisCluster cluster, params string[] command)
    {
        var replies = new List<string>();
        foreach (LocalRedisNode node in cluster.Nodes) replies.Add(await cluster.ExecuteAsync(node, command));
        return [.. replies];
    }
}
