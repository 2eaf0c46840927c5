using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Protocol;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// Rare replies forced by a scripted fake node (in addition to the real-cluster tests): ASK to a node outside the map,
/// TRYAGAIN, malformed RESP, pushes, redirects without an address, a dying connection, old servers.
/// </summary>
public sealed class ScriptedReplyTests
{
    private const string Options = ",commandTimeout=3000,connectRetry=1,topologyRefreshSeconds=0";

    [Fact]
    public async Task Ask_sends_ASKING_then_the_command_to_the_named_node_and_keeps_the_map()
    {
        await using var target = FakeRedisNode.Start(c => c[0] == "GET" ? FakeRedisNode.Bulk("from-target") : null);
        int slot = ClusterClient.GetSlot("k");
        await using var owner = FakeRedisNode.Start(c => c[0] == "GET" ? $"-ASK {slot} {target.Endpoint}\r\n" : null);
        await using var client = await ClusterClient.ConnectAsync(owner.Endpoint + Options);

        Assert.Equal("from-target", await client.StringGetAsync("k"));
        string[] sent = target.Received.Where(c => !c.StartsWith("HELLO", StringComparison.Ordinal) && c != "READONLY").ToArray();
        Assert.Equal(["ASKING", "GET k"], sent);
        Assert.Equal(owner.Endpoint, client.Topology.GetPrimary(slot).ToString());
    }

    [Fact]
    public async Task Tryagain_is_retried_with_backoff_until_the_reply_comes()
    {
        int gets = 0;
        await using var node = FakeRedisNode.Start(c => c[0] == "GET"
            ? (Interlocked.Increment(ref gets) <= 2 ? "-TRYAGAIN Multiple keys request during rehashing of slot\r\n" : FakeRedisNode.Bulk("ok"))
            : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        Assert.Equal("ok", await client.StringGetAsync("k"));
        Assert.Equal(3, gets);
    }

    [Fact]
    public async Task A_malformed_reply_fails_with_a_protocol_error_and_the_next_command_uses_a_new_connection()
    {
        await using var node = FakeRedisNode.Start(c => c is ["GET", "bad"] ? "$12x\r\n" : c is ["GET", "good"] ? FakeRedisNode.Bulk("fine") : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        int connectionsBefore = node.ConnectionCount;
        var error = await Assert.ThrowsAsync<RespProtocolException>(async () => await client.StringGetAsync("bad"));
        Assert.Contains("offset", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("fine", await client.StringGetAsync("good"));
        Assert.True(node.ConnectionCount > connectionsBefore);
    }

    [Fact]
    public async Task A_push_before_a_reply_is_not_taken_for_the_reply()
    {
        await using var node = FakeRedisNode.Start(c => c[0] == "GET"
            ? ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$7\r\npayload\r\n" + FakeRedisNode.Bulk("the-value")
            : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        Assert.Equal("the-value", await client.StringGetAsync("k"));
        Assert.Equal("the-value", await client.StringGetAsync("k"));
    }

    [Fact]
    public async Task A_redirect_without_a_usable_address_refreshes_the_map_instead_of_dialing()
    {
        int gets = 0;
        int slot = ClusterClient.GetSlot("k");
        await using var node = FakeRedisNode.Start(c => c[0] == "GET"
            ? (Interlocked.Increment(ref gets) == 1 ? $"-MOVED {slot} ?:0\r\n" : FakeRedisNode.Bulk("after-refresh"))
            : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        Assert.Equal("after-refresh", await client.StringGetAsync("k"));
        string[] sent = node.Received.ToArray();
        int firstGet = Array.IndexOf(sent, "GET k");
        Assert.Contains("CLUSTER SHARDS", sent[(firstGet + 1)..]);
    }

    [Fact]
    public async Task Redirects_stop_at_the_limit_with_an_error_naming_the_slot_and_nodes()
    {
        int slot = ClusterClient.GetSlot("k");
        FakeRedisNode? self = null;
        self = FakeRedisNode.Start(c => c[0] == "GET" ? $"-MOVED {slot} {self!.Endpoint}\r\n" : null);
        await using (self)
        {
            await using var client = await ClusterClient.ConnectAsync(self.Endpoint + Options + ",maxRedirects=3");
            var error = await Assert.ThrowsAsync<RedisRedirectException>(async () => await client.StringGetAsync("k"));
            Assert.Equal(slot, error.Slot);
            Assert.Equal(4, error.NodesTried.Count);
            Assert.Contains(self.Endpoint, error.Message, StringComparison.Ordinal);
            Assert.Equal(4, self.Received.Count(c => c == "GET k"));
        }
    }

    [Fact]
    public async Task A_write_whose_connection_dies_is_not_retried_but_a_read_is()
    {
        int gets = 0;
        await using var node = FakeRedisNode.Start(c => c[0] switch
        {
            "INCR" => FakeRedisNode.Close,
            "GET" => Interlocked.Increment(ref gets) == 1 ? FakeRedisNode.Close : FakeRedisNode.Bulk("v"),
            _ => null,
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.StringIncrementAsync("counter"));
        Assert.True(error.MayHaveBeenApplied);
        Assert.Contains("not retried", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, node.Received.Count(c => c == "INCR counter"));

        Assert.Equal("v", await client.StringGetAsync("k"));
        Assert.Equal(2, gets);
    }

    [Fact]
    public async Task With_retryIdempotentWrites_a_SET_whose_connection_dies_is_retried_but_an_INCR_is_not()
    {
        int sets = 0;
        await using var node = FakeRedisNode.Start(c => c[0] switch
        {
            "SET" => Interlocked.Increment(ref sets) == 1 ? FakeRedisNode.Close : "+OK\r\n",
            "INCR" => FakeRedisNode.Close,
            _ => null,
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options + ",retryIdempotentWrites=true");

        Assert.True(await client.StringSetAsync("k", "v")); // plain SET is idempotent: sent again on a new connection
        Assert.Equal(2, node.Received.Count(c => c == "SET k v"));
        Assert.True(node.ConnectionCount >= 2);

        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.StringIncrementAsync("counter"));
        Assert.True(error.MayHaveBeenApplied); // INCR twice would count twice: the opt-in does not cover it
        Assert.Equal(1, node.Received.Count(c => c == "INCR counter"));
    }

    [Fact]
    public async Task Cancelling_a_command_in_flight_ends_it_at_once_and_its_late_reply_is_not_taken_by_the_next()
    {
        // The first GET is answered only after 1.5 s (a busy server), well after the cancel and well before the 5 s timeout.
        await using var node = FakeRedisNode.Start(c => c switch
        {
            ["GET", "slow"] => FakeRedisNode.Delayed(TimeSpan.FromMilliseconds(1500), FakeRedisNode.Bulk("late")),
            ["GET", var key] => FakeRedisNode.Bulk("value-of-" + key),
            _ => null,
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + ",commandTimeout=5000,connectRetry=1,topologyRefreshSeconds=0");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.StringGetAsync("slow", cancel.Token));
        Assert.InRange(elapsed.ElapsedMilliseconds, 150, 1000); // the token ended it, not the reply nor the command timeout
        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.Contains("GET slow", node.Received); // it was in flight, not cancelled before sending

        // Same connection, queued behind the cancelled GET: its late reply must be dropped, not handed to this one.
        Assert.Equal("value-of-other", await client.StringGetAsync("other"));
        Assert.Equal("value-of-again", await client.StringGetAsync("again"));
        Assert.Equal(1, node.ConnectionCount);
    }

    [Fact]
    public async Task An_old_server_gets_RESP2_AUTH_SETNAME_and_CLUSTER_SLOTS()
    {
        await using var node = FakeRedisNode.Start(c => c[0] == "GET" ? FakeRedisNode.Bulk("old") : null);
        node.SupportsHello = false;
        node.SupportsShards = false;
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options + ",user=app,password=pw,name=svc");
        Assert.Equal("old", await client.StringGetAsync("k"));
        string[] sent = node.Received.ToArray();
        Assert.Contains("AUTH app pw", sent);
        Assert.Contains("CLIENT SETNAME svc", sent);
        Assert.Contains("CLUSTER SLOTS", sent);
        Assert.Equal(16_384, client.Topology.SlotRanges.Sum(r => r.Count));
    }

    [Fact]
    public async Task A_node_that_never_answers_times_out_the_command_alone()
    {
        await using var node = FakeRedisNode.Start(c => c is ["GET", "stuck"] ? FakeRedisNode.Hang : c[0] == "GET" ? FakeRedisNode.Bulk("x") : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + ",commandTimeout=500,connectRetry=1,topologyRefreshSeconds=0");
        var error = await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.StringGetAsync("stuck"));
        Assert.Equal("GET", error.Command);
        Assert.Equal(node.Endpoint, error.Node.ToString());
    }

    [Fact]
    public async Task A_refresh_from_a_node_that_has_not_heard_of_a_move_does_not_undo_the_MOVED_fix()
    {
        await using var owner = FakeRedisNode.Start(c => c[0] == "GET" ? FakeRedisNode.Bulk("from-new-owner") : null);
        int slot = ClusterClient.GetSlot("k");
        int getsOnOld = 0;
        // The old owner still describes itself as owning every slot (its view lags), but answers MOVED for the key.
        await using var old = FakeRedisNode.Start(c =>
        {
            if (c[0] != "GET") return null;
            Interlocked.Increment(ref getsOnOld);
            return $"-MOVED {slot} {owner.Endpoint}\r\n";
        });
        owner.Shards = [(0, 16383, old.Port)]; // whichever node a refresh asks, it answers with the lagging view
        await using var client = await ClusterClient.ConnectAsync(old.Endpoint + ",commandTimeout=3000,connectRetry=1,topologyRefreshSeconds=0,minTopologyRefreshMs=1000");
        int refreshes = client.Router.Refresher.RefreshCount;

        Assert.Equal("from-new-owner", await client.StringGetAsync("k"));
        for (int i = 0; i < 100 && client.Router.Refresher.RefreshCount == refreshes; i++) await Task.Delay(20);
        Assert.True(client.Router.Refresher.RefreshCount > refreshes, "the MOVED asked for a refresh");
        await Task.Delay(100); // the stale refresh has been applied (or found unchanged) by now

        Assert.Equal(owner.Endpoint, client.Topology.GetPrimary(slot).ToString()); // the MOVED fix stands
        Assert.Equal("from-new-owner", await client.StringGetAsync("k"));
        Assert.Equal(1, getsOnOld); // the second GET went straight to the new owner: no second redirect
    }
}
