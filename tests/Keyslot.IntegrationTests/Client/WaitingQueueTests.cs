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

        Task<string?> first = client.StringGetAsync("k").AsTask(); // its connection closes; being a read, it goes again
        await Task.Delay(200);
        List<Task<string?>> all = [first, .. Enumerable.Range(0, 20).Select(i => client.StringGetAsync("k" + i).AsTask())];
        await Task.Delay(300); // well before any timeout

        // At most 5 NEW commands may wait for the connection (the first, already admitted once, keeps its place when
        // it comes back for another attempt): the rest have already failed, fast, saying so.
        var fastFailures = all.Where(t => t.IsFaulted && t.Exception!.InnerException is RedisQueueFullException).ToList();
        Assert.InRange(fastFailures.Count, all.Count - 6, all.Count - 1);
        Assert.DoesNotContain(first, fastFailures);
        // Whether a command found the limit among those waiting for the new connection or (if it came before the
        // client saw the old one close) among the replies pending on it depends on timing; either way it names the limit.
        Assert.All(fastFailures, t => Assert.Equal(5, ((RedisQueueFullException)t.Exception!.InnerException!).Limit));
        Assert.Contains(fastFailures, t => t.Exception!.InnerException!.Message.Contains("maxPendingPerNode", StringComparison.Ordinal));

        // The reconnect never completes its handshake: it is cut off by the connect timeout, and the commands that
        // waited keep their place across attempts and time out with that as the reason instead of hanging.
        foreach (Task<string?> waited in all.Except(fastFailures))
        {
            var timedOut = await Assert.ThrowsAsync<RedisTimeoutException>(() => waited);
            Assert.True(timedOut.Message.Contains("did not answer the handshake", StringComparison.Ordinal), timedOut.Message);
        }
    }
}
