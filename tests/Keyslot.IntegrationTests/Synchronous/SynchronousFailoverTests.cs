using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Synchronous;

/// <summary>
/// A primary killed under synchronous callers (a cluster of this class's own, which it leaves failed over): a write
/// in flight is reported as possibly applied and never sent again; a read waits out the failover and is answered.
/// </summary>
public sealed class SynchronousFailoverTests : IClassFixture<ClusterFixture>
{
    private readonly LocalRedisCluster _cluster;

    public SynchronousFailoverTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    [Fact]
    public async Task A_write_in_flight_when_its_primary_dies_is_not_resent_and_a_read_waits_out_the_failover()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",commandTimeout=20000");
        const string key = "sync-failover:n";
        Assert.Equal(1, client.Execute("INCR", key).AsInt64());
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key));
        await Extensions.Bounded.UntilAsync(() => ReplicaCaughtUpAsync(owner), TimeSpan.FromSeconds(10), "the replica catching up");

        _cluster.Freeze(owner); // the INCR below is written and never answered…
        Exception? writeError = null;
        var writer = new Thread(() => writeError = Record(() => client.Execute("INCR", key)));
        writer.Start();
        await Task.Delay(300);
        _cluster.Kill(owner); // …then its connection is lost: the client cannot know whether it ran
        Assert.True(writer.Join(TimeSpan.FromSeconds(20)), "the write did not end after its connection was lost");
        var lost = Assert.IsType<RedisConnectionException>(writeError);
        Assert.True(lost.MayHaveBeenApplied);
        Assert.Contains("not sent again", lost.Message, StringComparison.Ordinal);

        string? read = null;
        Exception? readError = null;
        var reader = new Thread(() => readError = Record(() => read = client.StringGet(key)));
        reader.Start(); // the primary is dead: the read retries until the replica takes over
        LocalRedisNode promoted = await _cluster.WaitForFailoverAsync(owner, TimeSpan.FromSeconds(30));
        Assert.True(reader.Join(TimeSpan.FromSeconds(25)), "the read did not finish after the failover");
        Assert.Null(readError);
        Assert.Equal("1", read); // the frozen INCR never ran: the replica has what the primary acknowledged
        Assert.Equal("1", await _cluster.ExecuteAsync(promoted, "GET", key));
        Assert.Equal(2, client.Execute("INCR", key).AsInt64()); // writes go to the new primary
    }

    /// <summary>True when the primary's replica has acknowledged everything the primary has (INFO replication offsets).</summary>
    private async Task<bool> ReplicaCaughtUpAsync(LocalRedisNode primary)
    {
        string info = await _cluster.ExecuteAsync(primary, "INFO", "replication");
        string? own = null, replica = null;
        foreach (string line in info.Split('\n', StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("master_repl_offset:", StringComparison.Ordinal)) own = line["master_repl_offset:".Length..];
            if (line.StartsWith("slave0:", StringComparison.Ordinal))
            {
                replica = line.Split(',').FirstOrDefault(part => part.StartsWith("offset=", StringComparison.Ordinal))?["offset=".Length..];
            }
        }
        return own is not null && own == replica;
    }

    private static Exception? Record(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
