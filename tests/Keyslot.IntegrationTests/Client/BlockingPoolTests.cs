using System.Diagnostics;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Xunit.Abstractions;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// Blocking commands run on dedicated connections of the owning node's pool: they never hold up the shared pipelined
/// connection, a cancelled one loses no element (CLIENT UNBLOCK ends it, and an element it took is handed over), and
/// the pool is bounded per node.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BlockingPoolTests : IAsyncLifetime
{
    private readonly LocalRedisCluster _cluster;
    private readonly ITestOutputHelper _output;
    private ClusterClient _client = null!;

    public BlockingPoolTests(ClusterFixture fixture, ITestOutputHelper output)
    {
        _cluster = fixture.Cluster;
        _output = output;
    }

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",blockingConnectionsPerNode=60");

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private async Task<LocalRedisNode> OwnerOf(string key) => await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key));

    /// <summary>The clients blocked in <paramref name="command"/> on <paramref name="node"/>, from CLIENT LIST (flags "b").</summary>
    private async Task<int> BlockedOn(LocalRedisNode node, string command)
    {
        string list = await _cluster.ExecuteAsync(node, "CLIENT", "LIST");
        int count = 0;
        foreach (string line in list.Split('\n'))
        {
            if (line.Contains(" flags=b ", StringComparison.Ordinal) && line.Contains($" cmd={command} ", StringComparison.Ordinal)) count++;
        }
        return count;
    }

    private async Task WaitUntilBlocked(LocalRedisNode node, string command, int count)
    {
        var waited = Stopwatch.StartNew();
        while (await BlockedOn(node, command) < count)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"fewer than {count} clients blocked in {command} on {node.Endpoint} after 10 s");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Blpop_waits_for_an_element_pushed_later_and_times_out_with_null()
    {
        const string key = "{bpool}wait";
        await _client.KeyDeleteAsync(key);
        ValueTask<RespValue> waiting = _client.ExecuteAsync("BLPOP", key, "0");
        await WaitUntilBlocked(await OwnerOf(key), "blpop", 1);
        await _client.ExecuteAsync("RPUSH", key, "first");
        RespValue popped = await waiting;
        Assert.Equal(new string?[] { "{bpool}wait", "first" }, popped.AsArray().Select(v => v.AsString()).ToArray());

        RespValue timedOut = await _client.ExecuteAsync("BLPOP", key, "0.1");
        Assert.True(timedOut.IsNull);
        Assert.Equal("0", await _cluster.ExecuteAsync(await OwnerOf(key), "LLEN", key));
    }

    [Fact]
    public async Task Fifty_blocked_callers_on_one_node_hold_up_none_of_ten_thousand_gets_and_sets_there()
    {
        const string tag = "{bpool-busy}";
        LocalRedisNode owner = await OwnerOf(tag);
        var blocked = new List<Task<RespValue>>();
        for (int i = 0; i < 50; i++) blocked.Add(_client.ExecuteAsync("BLPOP", $"{tag}q{i}", "30").AsTask());
        await WaitUntilBlocked(owner, "blpop", 50);

        var latencies = new double[10_000];
        var operations = new Task[10_000];
        for (int i = 0; i < operations.Length; i++)
        {
            int n = i;
            operations[i] = Timed(n, i % 2 == 0 ? _client.StringSetAsync($"{tag}k{n % 100}", n).AsTask() : _client.StringGetAsync($"{tag}k{n % 100}").AsTask());
        }
        async Task Timed(int n, Task operation)
        {
            long start = Stopwatch.GetTimestamp();
            await operation;
            latencies[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        await Task.WhenAll(operations);

        // All 10,000 completed while the 50 were still blocked on the same node: none waited behind them.
        Assert.Equal(50, await BlockedOn(owner, "blpop"));
        Assert.All(blocked, t => Assert.False(t.IsCompleted));
        Array.Sort(latencies);
        _output.WriteLine($"GET/SET beside 50 blocked BLPOPs: p50 {latencies[5_000]:0.00} ms, p99 {latencies[9_900]:0.00} ms, max {latencies[^1]:0.00} ms");

        for (int i = 0; i < 50; i++) await _client.ExecuteAsync("RPUSH", $"{tag}q{i}", $"v{i}");
        RespValue[] results = await Task.WhenAll(blocked);
        for (int i = 0; i < 50; i++) Assert.Equal($"v{i}", results[i].AsArray()[1].AsString());
    }

    [Fact]
    public async Task A_cancelled_blpop_pops_nothing_later_and_its_connection_serves_the_next()
    {
        const string key = "{bpool}cancel";
        await _client.KeyDeleteAsync(key);
        LocalRedisNode owner = await OwnerOf(key);
        using var cancel = new CancellationTokenSource();
        ValueTask<RespValue> waiting = _client.ExecuteAsync("BLPOP", [key, "0"], cancel.Token);
        await WaitUntilBlocked(owner, "blpop", 1);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        Assert.Equal(0, await BlockedOn(owner, "blpop")); // unblocked on the server, not just abandoned by the client

        await _cluster.ExecuteAsync(owner, "RPUSH", key, "kept");
        await Task.Delay(50); // a BLPOP left behind on the server would take it now
        Assert.Equal("1", await _cluster.ExecuteAsync(owner, "LLEN", key));
        RespValue next = await _client.ExecuteAsync("BLPOP", key, "1");
        Assert.Equal("kept", next.AsArray()[1].AsString());
    }

    [Fact]
    public async Task Cancelling_while_elements_arrive_loses_none_of_them()
    {
        const string key = "{bpool}race";
        await _client.KeyDeleteAsync(key);
        LocalRedisNode owner = await OwnerOf(key);
        int received = 0, cancelled = 0;
        const int rounds = 60;
        for (int round = 0; round < rounds; round++)
        {
            using var cancel = new CancellationTokenSource();
            ValueTask<RespValue> waiting = _client.ExecuteAsync("BLPOP", [key, "0"], cancel.Token);
            await WaitUntilBlocked(owner, "blpop", 1);
            // The push and the cancellation race: either the caller gets the element or the element stays in the list.
            Task push = _cluster.ExecuteAsync(owner, "RPUSH", key, $"e{round}");
            if (round % 3 == 0) await Task.Yield(); else if (round % 3 == 1) await push;
            cancel.Cancel();
            await push;
            try
            {
                RespValue popped = await waiting;
                Assert.Equal($"e{round}", popped.AsArray()[1].AsString());
                received++;
            }
            catch (OperationCanceledException)
            {
                cancelled++;
                Assert.Equal($"e{round}", await _cluster.ExecuteAsync(owner, "LPOP", key)); // still there
            }
            Assert.Equal("0", await _cluster.ExecuteAsync(owner, "LLEN", key));
        }
        _output.WriteLine($"{received} handed over after the cancellation raced the push, {cancelled} cancelled with the element left in the list");
        Assert.Equal(rounds, received + cancelled);
    }

    [Fact]
    public async Task The_pool_is_bounded_per_node_and_a_caller_beyond_it_waits_its_turn()
    {
        await using var small = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",blockingConnectionsPerNode=2");
        const string tag = "{bpool-small}";
        LocalRedisNode owner = await OwnerOf(tag);
        Task<RespValue>[] waiting = [.. Enumerable.Range(0, 3).Select(i => small.ExecuteAsync("BLPOP", $"{tag}q{i}", "20").AsTask())];
        await WaitUntilBlocked(owner, "blpop", 2);
        await Task.Delay(200);
        Assert.Equal(2, await BlockedOn(owner, "blpop")); // the third waits for a connection, not on the server
        await small.ExecuteAsync("RPUSH", $"{tag}q0", "a");
        await small.ExecuteAsync("RPUSH", $"{tag}q1", "b");
        await small.ExecuteAsync("RPUSH", $"{tag}q2", "c");
        RespValue[] results = await Task.WhenAll(waiting);
        Assert.Equal(new string?[] { "a", "b", "c" }, results.Select(r => r.AsArray()[1].AsString()).ToArray());
    }

    [Fact]
    public async Task A_blocking_command_on_a_wrong_type_fails_with_the_servers_error()
    {
        const string key = "{bpool}str";
        await _client.StringSetAsync(key, "x");
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.ExecuteAsync("BLPOP", key, "1"));
        Assert.Contains("WRONGTYPE", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",protocol=resp2")]
    public async Task Typed_blocking_list_commands_wait_take_and_leave_the_server_as_expected(string protocol)
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + protocol);
        string tag = "{bpool-typed" + protocol.Length + "}";
        RedisKey a = tag + "a", b = tag + "b", dest = tag + "dest";
        await client.KeyDeleteAsync(a);
        await client.KeyDeleteAsync(b);
        await client.KeyDeleteAsync(dest);
        LocalRedisNode owner = await OwnerOf(tag);

        // Waiting on two keys; the element arrives on the second.
        ValueTask<ListPopResult<string>?> waiting = client.ListBlockingLeftPopAsync([a, b], null);
        await WaitUntilBlocked(owner, "blpop", 1);
        await _cluster.ExecuteAsync(owner, "RPUSH", tag + "b", "x1", "x2");
        ListPopResult<string>? popped = await waiting;
        Assert.Equal(tag + "b", popped!.Value.Key.ToString());
        Assert.Equal(["x1"], popped.Value.Values);
        Assert.Equal("x2", await client.ListBlockingRightPopAsync(b, TimeSpan.FromSeconds(1)));
        Assert.Null(await client.ListBlockingRightPopAsync(b, TimeSpan.FromMilliseconds(50))); // timed out on the server
        Assert.Null(await client.ListBlockingLeftPopAsync([a, b], TimeSpan.FromMilliseconds(50)));

        // BLMPOP takes up to the count from the first non-empty list.
        await _cluster.ExecuteAsync(owner, "RPUSH", tag + "a", "1", "2", "3");
        ListPopResult<string>? many = await client.ListBlockingMultiPopAsync([b, a], ListSide.Right, 2, TimeSpan.FromSeconds(1));
        Assert.Equal(tag + "a", many!.Value.Key.ToString());
        Assert.Equal(["3", "2"], many.Value.Values);
        Assert.Equal("1", await _cluster.ExecuteAsync(owner, "LLEN", tag + "a"));

        // BLMOVE waits, then moves exactly one element; binary values come back exactly.
        await client.KeyDeleteAsync(a);
        byte[] binary = [0xC3, 0x28, 0x00, 0xFF];
        ValueTask<byte[]?> moving = client.ListBlockingMoveBytesAsync(a, dest, ListSide.Left, ListSide.Right, TimeSpan.FromSeconds(10));
        await WaitUntilBlocked(owner, "blmove", 1);
        await client.ListRightPushAsync(a, binary);
        Assert.Equal(binary, await moving);
        Assert.Equal("0", await _cluster.ExecuteAsync(owner, "LLEN", tag + "a"));
        Assert.Equal("1", await _cluster.ExecuteAsync(owner, "LLEN", tag + "dest"));
        ListPopResult<byte[]>? bytes = await client.ListBlockingLeftPopBytesAsync([dest], TimeSpan.FromSeconds(1));
        Assert.Equal(binary, bytes!.Value.Values[0]);
    }

    [Fact]
    public async Task Typed_blocking_commands_refuse_bad_arguments_and_keys_of_several_slots_before_sending()
    {
        CommandStats[] before = await CommandStats.ReadAsync(_cluster, _cluster.Primaries, "blpop");
        Assert.Throws<RedisCrossSlotException>(() => { _ = _client.ListBlockingLeftPopAsync(["{x}a", "{y}b"], TimeSpan.FromSeconds(1)); });
        Assert.Throws<RedisCrossSlotException>(() => { _ = _client.ListBlockingMoveAsync("{x}a", "{y}b", ListSide.Left, ListSide.Right, null); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = _client.ListBlockingLeftPopAsync("{x}a", TimeSpan.FromTicks(10)); });
        Assert.Throws<ArgumentException>(() => { _ = _client.ListBlockingLeftPopAsync(Array.Empty<RedisKey>(), null); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = _client.ListBlockingMultiPopAsync(["{x}a"], ListSide.Left, 0, null); });
        CommandStats[] after = await CommandStats.ReadAsync(_cluster, _cluster.Primaries, "blpop");
        for (int i = 0; i < after.Length; i++) Assert.Equal(before[i], after[i]);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",protocol=resp2")]
    public async Task Typed_blocking_sorted_set_pops_wait_and_take_the_lowest_or_highest(string protocol)
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + protocol);
        string tag = "{bpool-z" + protocol.Length + "}";
        RedisKey a = tag + "a", b = tag + "b";
        await client.KeyDeleteAsync(a);
        await client.KeyDeleteAsync(b);
        LocalRedisNode owner = await OwnerOf(tag);

        ValueTask<SortedSetPopResult<string>?> waiting = client.SortedSetBlockingPopAsync([a, b], Order.Ascending, null);
        await WaitUntilBlocked(owner, "bzpopmin", 1);
        await _cluster.ExecuteAsync(owner, "ZADD", tag + "b", "2", "two", "1", "one", "3", "three");
        SortedSetPopResult<string>? lowest = await waiting;
        Assert.Equal(tag + "b", lowest!.Value.Key.ToString());
        Assert.Equal("one", lowest.Value.Entries.Single().Member);
        Assert.Equal(1, lowest.Value.Entries.Single().Score);

        SortedSetPopResult<string>? highest = await client.SortedSetBlockingMultiPopAsync([a, b], 5, Order.Descending, TimeSpan.FromSeconds(1));
        Assert.Equal(["three", "two"], highest!.Value.Entries.Select(e => e.Member));
        Assert.Equal("0", await _cluster.ExecuteAsync(owner, "EXISTS", tag + "b"));
        Assert.Null(await client.SortedSetBlockingPopAsync([a, b], Order.Descending, TimeSpan.FromMilliseconds(50)));
        Assert.Null(await client.SortedSetBlockingMultiPopBytesAsync([a], 1, Order.Ascending, TimeSpan.FromMilliseconds(50)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(",protocol=resp2")]
    public async Task Typed_blocking_stream_reads_wait_for_new_entries_and_a_cancelled_group_read_takes_none(string protocol)
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + protocol);
        string stream = "{bpool-x" + protocol.Length + "}s";
        await client.KeyDeleteAsync(stream);
        await client.StreamCreateConsumerGroupAsync(stream, "g", "$", createStream: true);
        LocalRedisNode owner = await OwnerOf(stream);

        ValueTask<StreamEntry[]> reading = client.StreamReadBlockingAsync(stream, "$", null);
        ValueTask<StreamEntry[]> grouped = client.StreamReadGroupBlockingAsync(stream, "g", "c1", TimeSpan.FromSeconds(20));
        await WaitUntilBlocked(owner, "xread", 1);
        await WaitUntilBlocked(owner, "xreadgroup", 1);
        string? id = await client.StreamAddAsync(stream, "field", "value");
        StreamEntry read = Assert.Single(await reading);
        StreamEntry delivered = Assert.Single(await grouped);
        Assert.Equal(id, read.Id);
        Assert.Equal(id, delivered.Id);
        Assert.Equal("value", delivered["field"]);
        Assert.True(await client.StreamAcknowledgeAsync(stream, "g", id!));

        Assert.Empty(await client.StreamReadGroupBlockingAsync(stream, "g", "c1", TimeSpan.FromMilliseconds(50))); // nothing new: the server's timeout

        // Cancelled while waiting: unblocked on the server, so an entry added afterwards stays undelivered.
        using var cancel = new CancellationTokenSource();
        ValueTask<StreamEntry[]> abandoned = client.StreamReadGroupBlockingAsync(stream, "g", "c2", null, cancellationToken: cancel.Token);
        await WaitUntilBlocked(owner, "xreadgroup", 1);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await abandoned);
        await client.StreamAddAsync(stream, "field", "later");
        await Task.Delay(50);
        StreamPendingInfo pending = await client.StreamPendingAsync(stream, "g");
        Assert.Equal(0, pending.Count); // nobody took it
        StreamEntry later = Assert.Single(await client.StreamReadGroupAsync(stream, "g", "c3"));
        Assert.Equal("later", later["field"]);
    }
}
