using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Protocol;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// Transaction replies a real server gives only by accident of timing, forced by a scripted fake node (in addition
/// to the real-cluster transaction tests): a connection dying at EXEC or during WATCH, TRYAGAIN inside MULTI, and
/// EXEC results of mixed shapes.
/// </summary>
public sealed class ScriptedTransactionTests
{
    private const string Options = ",commandTimeout=3000,connectRetry=1,topologyRefreshSeconds=0";

    private static int Count(FakeRedisNode node, string command) => node.Received.Count(c => c == command || c.StartsWith(command + " ", StringComparison.Ordinal));

    [Fact]
    public async Task A_connection_lost_after_EXEC_was_written_is_reported_as_maybe_applied_and_never_retried()
    {
        await using var node = FakeRedisNode.Start(c => c[0] switch
        {
            "MULTI" => "+OK\r\n",
            "SET" => "+QUEUED\r\n",
            "EXEC" => FakeRedisNode.Close,
            _ => null,
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        ClusterTransaction tx = client.CreateTransaction();
        ValueTask<bool> set = tx.StringSetAsync("{t}a", "1");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => tx.CommitAsync());
        Assert.True(error.MayHaveBeenApplied);
        Assert.Contains("may have run", error.Message);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await set);
        await Task.Delay(200); // a retry, if there were one, would have reached the node by now
        Assert.Equal(1, Count(node, "EXEC"));
    }

    [Fact]
    public async Task Tryagain_inside_MULTI_aborts_that_attempt_and_the_whole_transaction_goes_again()
    {
        int multis = 0;
        await using var node = FakeRedisNode.Start(c =>
        {
            if (c[0] == "MULTI")
            {
                Interlocked.Increment(ref multis);
                return "+OK\r\n";
            }
            bool firstAttempt = Volatile.Read(ref multis) == 1;
            return c[0] switch
            {
                "SET" => firstAttempt ? "-TRYAGAIN Multiple keys request during rehashing of slot\r\n" : "+QUEUED\r\n",
                "EXEC" => firstAttempt ? "-EXECABORT Transaction discarded because of previous errors.\r\n" : "*1\r\n+OK\r\n",
                _ => null,
            };
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        ClusterTransaction tx = client.CreateTransaction();
        ValueTask<bool> set = tx.StringSetAsync("{t}a", "1");

        Assert.True(await tx.CommitAsync());
        Assert.True(await set);
        Assert.Equal(2, Count(node, "MULTI"));
        Assert.Equal(2, Count(node, "EXEC"));
    }

    [Fact]
    public async Task A_connection_lost_during_WATCH_is_retried_because_nothing_ran()
    {
        int watches = 0;
        await using var node = FakeRedisNode.Start(c => c[0] switch
        {
            "WATCH" => Interlocked.Increment(ref watches) == 1 ? FakeRedisNode.Close : "+OK\r\n",
            "EXISTS" => ":0\r\n",
            "MULTI" => "+OK\r\n",
            "SET" => "+QUEUED\r\n",
            "EXEC" => "*1\r\n+OK\r\n",
            _ => null,
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        ClusterTransaction tx = client.CreateTransaction();
        tx.AddCondition(TransactionCondition.KeyNotExists("{t}lock"));
        _ = tx.StringSetAsync("{t}lock", "me");

        Assert.True(await tx.CommitAsync());
        Assert.Equal(2, Count(node, "WATCH"));
        Assert.Equal(1, Count(node, "EXEC"));
    }

    [Fact]
    public async Task Each_queued_command_gets_its_own_element_of_EXEC_even_after_a_nested_or_unexpected_one()
    {
        await using var node = FakeRedisNode.Start(c => c[0] switch
        {
            "MULTI" => "+OK\r\n",
            "LRANGE" or "INCRBY" or "GET" => "+QUEUED\r\n",
            // LRANGE → a nested array; INCRBY → (unexpectedly) an array too; GET → a bulk string.
            "EXEC" => "*3\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n*1\r\n:7\r\n" + FakeRedisNode.Bulk("after"),
            _ => null,
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        ClusterTransaction tx = client.CreateTransaction();
        ValueTask<RespValue> range = tx.ExecuteAsync("LRANGE", "{t}l", 0, -1);
        ValueTask<long> odd = tx.StringIncrementAsync("{t}n");
        ValueTask<string?> last = tx.StringGetAsync("{t}s");

        Assert.True(await tx.CommitAsync());
        Assert.Equal(["a", "b"], (await range).AsSpan().ToArray().Select(v => v.AsString()));
        await Assert.ThrowsAsync<RedisUnexpectedReplyException>(async () => await odd);
        Assert.Equal("after", await last);
    }

    [Fact]
    public async Task Cancelling_after_EXEC_was_written_still_reports_whether_the_transaction_ran()
    {
        await using var node = FakeRedisNode.Start(c => c[0] switch
        {
            "MULTI" => "+OK\r\n",
            "SET" => "+QUEUED\r\n",
            "EXEC" => FakeRedisNode.Delayed(TimeSpan.FromMilliseconds(600), "*1\r\n+OK\r\n"),
            _ => null,
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        ClusterTransaction tx = client.CreateTransaction();
        ValueTask<bool> set = tx.StringSetAsync("{t}a", "1");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(150)); // fires while EXEC's answer is on its way

        Assert.True(await tx.CommitAsync(cancel.Token)); // it ran: the caller is told so, not "canceled"
        Assert.True(cancel.IsCancellationRequested);
        Assert.True(await set);
    }

    [Fact]
    public async Task Cancelling_before_anything_is_written_cancels_and_sends_nothing()
    {
        await using var node = FakeRedisNode.Start(_ => null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        ClusterTransaction tx = client.CreateTransaction();
        ValueTask<bool> set = tx.StringSetAsync("{t}a", "1");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tx.CommitAsync(new CancellationToken(canceled: true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await set);
        Assert.Equal(0, Count(node, "MULTI"));
    }
}
