using Keyslot.IntegrationTests.Infrastructure;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// Commands for a node whose connection is being remade: bounded in number (the rest fail fast), and the remaking is
/// bounded in time even when the node accepts TCP and then never answers the handshake (forced by a fake node).
/// </summary>
public sealed class WaitingQueueTests
{
    [Fact]
    public async Task Commands_beyond_the_limit_fail_fast_while_a_node_reconnects_and_a_silent_handshake_times_out()
    {
        int closed = 0;
        await using var node = FakeRedisNode.Start(c =>
        {
            if (c[0] == "GET" && Interlocked.CompareExchange(ref closed, 1, 0) == 0) return FakeRedisNode.Close; // drop the connection once
            if (c[0] == "HELLO" && Volatile.Read(ref closed) == 1) return FakeRedisNode.Hang; // then never answer a new handshake
            return c[0] == "GET" ? FakeRedisNode.Bulk("v") : null;
        });
        await using var client = await ClusterClient.ConnectAsync(
            node.Endpoint + ",commandTimeout=3000,connectTimeout=800,connectRetry=1,topologyRefreshSeconds=0,maxPendingPerNode=5");

        Task<string?> first = client.StringGetAsync("k").AsTask(); // its connection closes; being a read, it waits to go again
        await Task.Delay(200);
        var waiting = Enumerable.Range(0, 20).Select(i => client.StringGetAsync("k" + i).AsTask()).ToList();
        await Task.Delay(300); // well before any timeout

        var fastFailures = waiting.Where(t => t.IsFaulted && t.Exception!.InnerException is RedisQueueFullException).ToList();
        Assert.InRange(fastFailures.Count, 15, 20); // at most 5 may wait for the connection
        Assert.Contains("5", fastFailures[0].Exception!.InnerException!.Message);

        // The reconnect never completes its handshake: it is cut off by the connect timeout, and the commands that
        // waited time out with that as the reason instead of hanging.
        var timedOut = await Assert.ThrowsAsync<RedisTimeoutException>(() => first);
        Assert.True(timedOut.Message.Contains("did not answer the handshake", StringComparison.Ordinal), timedOut.Message);
    }
}
