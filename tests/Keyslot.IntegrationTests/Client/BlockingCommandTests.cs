using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// Blocking commands on the shared pipelined connections would hold up every other caller of their node for the
/// blocking time: the client runs them on its blocking pool (<see cref="BlockingPoolTests"/>); the roads that write to
/// the shared connections (a batch, a transaction, a node-level command) refuse them up front, and the servers never
/// see them. WAIT and WAITAOF are refused everywhere: they measure the writes of the connection they run on.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BlockingCommandTests : IAsyncLifetime
{
    private readonly LocalRedisCluster _cluster;
    private ClusterClient _client = null!;

    public BlockingCommandTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    public static TheoryData<string, string[]> BlockingForms => new()
    {
        { "BLPOP", ["{blk}list", "1"] },
        { "BRPOP", ["{blk}list", "1"] },
        { "BLMOVE", ["{blk}list", "{blk}other", "LEFT", "RIGHT", "1"] },
        { "BLMPOP", ["1", "1", "{blk}list", "LEFT"] },
        { "BZPOPMIN", ["{blk}zset", "1"] },
        { "BZMPOP", ["1", "1", "{blk}zset", "MIN"] },
        { "XREAD", ["BLOCK", "1000", "STREAMS", "{blk}stream", "$"] },
        { "WAIT", ["1", "1000"] },
        { "WAITAOF", ["0", "1", "1000"] },
    };

    [Theory]
    [MemberData(nameof(BlockingForms))]
    public async Task A_blocking_command_is_refused_on_every_surface_and_never_reaches_a_server(string command, string[] args)
    {
        RedisArgument[] arguments = [.. args.Select(a => (RedisArgument)a)];
        string stat = command.ToLowerInvariant();
        CommandStats[] before = await CommandStats.ReadAsync(_cluster, _cluster.Primaries, stat);

        var batched = Assert.Throws<RedisCommandRefusedException>(() => { _ = _client.CreateBatch().ExecuteAsync(command, arguments); });
        Assert.Equal(command, batched.Command);
        Assert.Contains(command.StartsWith("WAIT", StringComparison.Ordinal) ? "writes of the connection" : "blocks the connection", batched.Message);
        Assert.Throws<RedisCommandRefusedException>(() => { _ = _client.CreateTransaction().ExecuteAsync(command, arguments); });
        NodeEndpoint node = _client.Topology.GetPrimary(0)!.Value;
        await Assert.ThrowsAsync<RedisCommandRefusedException>(() => _client.ExecuteOnNodeAsync(node, command, arguments));
        if (command.StartsWith("WAIT", StringComparison.Ordinal))
        {
            var direct = await Assert.ThrowsAsync<RedisCommandRefusedException>(async () => await _client.ExecuteAsync(command, arguments));
            Assert.Contains("writes of the connection", direct.Message); // on the client too: it would measure nothing
        }

        CommandStats[] after = await CommandStats.ReadAsync(_cluster, _cluster.Primaries, stat);
        for (int i = 0; i < after.Length; i++) Assert.Equal(before[i], after[i]); // not one call, not one rejection
        // The connections are as good as before: nothing half-sent, nothing blocked.
        await _client.StringSetAsync("{blk}probe", "ok");
        Assert.Equal("ok", await _client.StringGetAsync("{blk}probe"));
    }

    [Fact]
    public async Task The_non_blocking_stream_read_still_runs()
    {
        await _client.ExecuteAsync("XADD", "{blk}s2", "*", "f", "v");
        var reply = await _client.ExecuteAsync("XREAD", "COUNT", "10", "STREAMS", "{blk}s2", "0");
        Assert.False(reply.IsNull);
    }
}
