using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Protocol;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// Core correctness against replies a real server rarely sends, forced by a scripted node: writes that must never be
/// sent twice, a node stuck in the middle of a reply, a redirect to nowhere, a push behind an attribute, replies of
/// the wrong shape and an unusable COMMAND table. Each must end in a typed Keyslot exception or the right result,
/// and leave the client serving the next command.
/// </summary>
public sealed class ScriptedCorrectnessTests
{
    private const string Options = ",commandTimeout=2000,connectRetry=1,topologyRefreshSeconds=0";

    /// <summary>Writes whose second application changes the data again, or whose reply would differ: never re-sent.</summary>
    public static TheoryData<string, string[]> UnsafeWrites => new()
    {
        { "GETDEL", ["k"] }, { "GETSET", ["k", "v"] }, { "SET", ["k", "v", "NX"] }, { "SET", ["k", "v", "XX"] },
        { "SET", ["k", "v", "EX", "10", "GET"] }, { "SETNX", ["k", "v"] }, { "HSETNX", ["h", "f", "v"] }, { "MSETNX", ["k", "v"] },
        { "INCR", ["k"] }, { "DECR", ["k"] }, { "INCRBY", ["k", "2"] }, { "DECRBY", ["k", "2"] }, { "INCRBYFLOAT", ["k", "1.5"] },
        { "HINCRBY", ["h", "f", "1"] }, { "APPEND", ["k", "v"] }, { "LPUSH", ["l", "a"] }, { "RPUSH", ["l", "a"] },
        { "LPOP", ["l"] }, { "RPOP", ["l"] }, { "SPOP", ["s"] }, { "XADD", ["s", "*", "f", "v"] }, { "SETBIT", ["k", "7", "1"] },
        { "ZADD", ["z", "INCR", "1", "m"] }, { "ZINCRBY", ["z", "1", "m"] }, { "EXPIRE", ["k", "10", "NX"] }, { "PEXPIRE", ["k", "10", "GT"] },
        { "RENAME", ["{a}k", "{a}l"] }, { "LMOVE", ["{a}l", "{a}m", "LEFT", "RIGHT"] }, { "SOMEFUTURECOMMAND", ["k"] },
    };

    /// <summary>Writes that leave the same data when applied twice: re-sent after a lost connection when the user opted in.</summary>
    public static TheoryData<string, string[]> RepeatableWrites => new()
    {
        { "SET", ["k", "v"] }, { "SET", ["k", "v", "EX", "10"] }, { "SET", ["k", "NX"] }, { "DEL", ["k"] }, { "UNLINK", ["k"] },
        { "HSET", ["h", "f", "v"] }, { "HDEL", ["h", "f"] }, { "SADD", ["s", "m"] }, { "SREM", ["s", "m"] }, { "ZADD", ["z", "1", "INCR"] },
        { "ZREM", ["z", "m"] }, { "EXPIRE", ["k", "10"] }, { "PEXPIREAT", ["k", "99999999999"] }, { "PERSIST", ["k"] }, { "MSET", ["k", "v"] },
    };

    /// <summary>A node that closes the connection the first time it receives <paramref name="name"/>, and answers it after that.</summary>
    private static FakeRedisNode DropsFirst(string name, Func<int> received, Action count) => FakeRedisNode.Start(c =>
    {
        if (!c[0].Equals(name, StringComparison.OrdinalIgnoreCase)) return null;
        count();
        return received() == 1 ? FakeRedisNode.Close : name == "SET" || name == "MSET" ? "+OK\r\n" : ":1\r\n";
    });

    [Theory]
    [MemberData(nameof(UnsafeWrites))]
    public async Task A_write_that_is_unsafe_to_repeat_is_never_sent_again_after_its_connection_died_even_with_the_opt_in(string command, string[] args)
    {
        int received = 0;
        await using var node = DropsFirst(command, () => Volatile.Read(ref received), () => Interlocked.Increment(ref received));
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options + ",retryIdempotentWrites=true");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () => await client.ExecuteAsync(command, [.. args.Select(a => (RedisArgument)a)]));
        Assert.True(error.MayHaveBeenApplied, error.Message);
        await Task.Delay(200); // a retry, if there were one, would have been sent by now
        Assert.Equal(1, Volatile.Read(ref received));
    }

    [Theory]
    [MemberData(nameof(RepeatableWrites))]
    public async Task A_repeatable_write_is_sent_again_after_its_connection_died_with_the_opt_in_and_only_then(string command, string[] args)
    {
        int received = 0;
        await using var node = DropsFirst(command, () => Volatile.Read(ref received), () => Interlocked.Increment(ref received));
        RedisArgument[] arguments = [.. args.Select(a => (RedisArgument)a)];
        await using (var optedIn = await ClusterClient.ConnectAsync(node.Endpoint + Options + ",retryIdempotentWrites=true"))
        {
            await optedIn.ExecuteAsync(command, arguments);
            Assert.Equal(2, Volatile.Read(ref received));
        }

        Volatile.Write(ref received, 0);
        await using var plain = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        var error = await Assert.ThrowsAsync<RedisConnectionException>(async () => await plain.ExecuteAsync(command, arguments));
        Assert.True(error.MayHaveBeenApplied);
        Assert.Equal(1, Volatile.Read(ref received)); // without the opt-in no write is sent twice
    }

    public static TheoryData<string, Func<ClusterClient, Task>> UnsafeTypedWrites => new()
    {
        { "GETDEL", c => c.StringGetDeleteAsync("k").AsTask() },
        { "SET", c => c.StringSetAsync("k", "v", when: SetCondition.NotExists).AsTask() },
        { "SET", c => c.StringSetAndGetAsync("k", "v").AsTask() },
        { "INCR", c => c.StringIncrementAsync("k").AsTask() },
        { "INCRBY", c => c.StringIncrementAsync("k", 5).AsTask() },
        { "APPEND", c => c.StringAppendAsync("k", "v").AsTask() },
        { "MSETNX", c => c.StringSetIfNoneExistAsync([new("k", "v")]).AsTask() },
    };

    [Theory]
    [MemberData(nameof(UnsafeTypedWrites))]
    public async Task The_typed_methods_follow_the_same_rule(string command, Func<ClusterClient, Task> call)
    {
        int received = 0;
        await using var node = DropsFirst(command, () => Volatile.Read(ref received), () => Interlocked.Increment(ref received));
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options + ",retryIdempotentWrites=true");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => call(client));
        Assert.True(error.MayHaveBeenApplied);
        await Task.Delay(200);
        Assert.Equal(1, Volatile.Read(ref received));
    }

    [Fact]
    public async Task A_node_stuck_in_the_middle_of_a_reply_is_replaced_once_the_oldest_command_times_out()
    {
        await using var node = FakeRedisNode.Start(c => c switch
        {
            ["GET", "stuck"] => FakeRedisNode.Stalled("$10\r\nhel"), // 3 of 10 bytes, then silence on an open socket
            ["GET", var key] => FakeRedisNode.Bulk("value-of-" + key),
            _ => null,
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + ",commandTimeout=1000,connectRetry=1,topologyRefreshSeconds=0");
        Task<string?> stuck = client.StringGetAsync("stuck").AsTask();
        await Task.Delay(400);
        Task<string?> behind = client.StringGetAsync("queued-behind").AsTask(); // written after it on the same connection

        await Assert.ThrowsAsync<RedisTimeoutException>(() => stuck);
        // The read queued behind the partial reply cannot be answered on that connection: once the connection is
        // declared broken it goes again on a fresh one (a read is safe to send twice).
        Assert.Equal("value-of-queued-behind", await behind);
        // And every later command is served by the fresh connection, not stuck behind the partial frame.
        Assert.Equal("value-of-next", await client.StringGetAsync("next"));
        Assert.True(node.ConnectionCount >= 2);
    }

    [Fact]
    public async Task A_redirect_to_a_target_that_is_no_endpoint_fails_that_command_at_once_and_no_other()
    {
        await using var node = FakeRedisNode.Start(c => c switch
        {
            ["GET", "nowhere"] => "-MOVED 3999 \t:7000\r\n", // a blank host: nowhere to send it
            ["GET", var key] => FakeRedisNode.Bulk("value-of-" + key),
            _ => null,
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + ",commandTimeout=5000,connectRetry=1,topologyRefreshSeconds=0");
        Task<string?> failing = client.StringGetAsync("nowhere").AsTask();
        Task<string?> beside = client.StringGetAsync("other").AsTask(); // pipelined behind it on the same connection

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RedisRedirectException>(() => failing.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(2), $"took {elapsed.ElapsedMilliseconds} ms"); // at once, not at its timeout
        Assert.Contains("not a usable endpoint", error.Message);
        Assert.Equal("value-of-other", await beside);
        Assert.Equal("value-of-after", await client.StringGetAsync("after"));
        Assert.Equal(1, node.ConnectionCount); // the connection stayed in step and in use
    }

    [Fact]
    public async Task A_push_preceded_by_an_attribute_is_taken_as_one_push_and_not_as_the_reply()
    {
        await using var node = FakeRedisNode.Start(c => c[0] == "GET"
            ? "|1\r\n+key-popularity\r\n:7\r\n>2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n" + FakeRedisNode.Bulk("the-value")
            : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + ",commandTimeout=2000,connectRetry=1,topologyRefreshSeconds=0");
        Assert.Equal("the-value", await client.StringGetAsync("k"));
        Assert.Equal("the-value", await client.StringGetAsync("k"));
        Assert.Equal(1, node.ConnectionCount);
    }

    [Fact]
    public async Task A_reply_of_the_wrong_shape_fails_that_command_with_a_typed_error_naming_command_and_node()
    {
        await using var node = FakeRedisNode.Start(c => c switch
        {
            ["INCR", _] => FakeRedisNode.Bulk("not-a-number"),
            ["STRLEN", _] => "*2\r\n:1\r\n:2\r\n",
            ["GET", var key] => FakeRedisNode.Bulk("value-of-" + key),
            _ => null,
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);

        var incr = await Assert.ThrowsAsync<RedisUnexpectedReplyException>(async () => await client.StringIncrementAsync("k"));
        Assert.Equal("INCR", incr.Command);
        Assert.Contains(node.Endpoint, incr.Message);
        var strlen = await Assert.ThrowsAsync<RedisUnexpectedReplyException>(async () => await client.StringLengthAsync("k"));
        Assert.Equal("STRLEN", strlen.Command);
        Assert.Equal("value-of-x", await client.StringGetAsync("x"));
        Assert.Equal(1, node.ConnectionCount);
    }

    [Fact]
    public async Task A_large_scalar_where_a_map_or_array_belongs_costs_no_more_than_its_size()
    {
        string big = FakeRedisNode.Bulk(new string('x', 20_000_000)); // read as a map's length: 10 million entries
        await using var node = FakeRedisNode.Start(c => c[0] is "HGETALL" or "HMGET" ? big : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + ",commandTimeout=10000,connectRetry=1,topologyRefreshSeconds=0");

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var map = await Assert.ThrowsAsync<RedisUnexpectedReplyException>(async () => await client.HashGetAllAsync("h"));
        var array = await Assert.ThrowsAsync<RedisUnexpectedReplyException>(async () => await client.HashGetAsync("h", ["a", "b"]));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Contains("a map", map.Message);
        Assert.Contains("an array", array.Message);
        // The fake node (same process) encodes each 20 MB reply; nothing is allocated for 10 million entries (a map or
        // an array sized by the string's length would be hundreds of MB).
        Assert.True(allocated < 120_000_000, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task READONLY_from_a_demoted_primary_waits_for_refreshed_maps_instead_of_spending_the_redirect_budget_at_once()
    {
        // The node says READONLY to writes for 700 ms from the first write it sees (a primary being demoted).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long demotedFrom = -1;
        bool Demoted()
        {
            long now = clock.ElapsedMilliseconds;
            long from = Interlocked.CompareExchange(ref demotedFrom, now, -1);
            return now - (from == -1 ? now : from) < 700;
        }
        await using var node = FakeRedisNode.Start(c => c[0] is "SET" or "MULTI"
            ? Demoted() ? "-READONLY You can't write against a read only replica.\r\n" : "+OK\r\n"
            : c[0] switch { "INCR" => "+QUEUED\r\n", "EXEC" => "*1\r\n:1\r\n", _ => null });
        // At most one refresh every 250 ms, and each READONLY waits for one: five redirects cannot all be spent within
        // the 700 ms (backing off 10, 20, 40… ms instead, they would be spent in about 300 ms and the command would fail).
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + ",commandTimeout=5000,connectRetry=1,topologyRefreshSeconds=0,minTopologyRefreshMs=250");

        Assert.True(await client.StringSetAsync("k", "v"));
        int sets = node.Received.Count(c => c.StartsWith("SET", StringComparison.Ordinal));
        Assert.True(sets is >= 2 and <= 5, $"{sets} SETs were sent");

        Interlocked.Exchange(ref demotedFrom, -1); // demoted again, now for the transaction
        ClusterTransaction tx = client.CreateTransaction();
        ValueTask<long> incremented = tx.StringIncrementAsync("k");
        Assert.True(await tx.CommitAsync());
        Assert.Equal(1, await incremented);
    }

    [Fact]
    public async Task A_huge_error_reply_is_kept_short_and_the_connection_goes_on()
    {
        string hugeError = "!10000000\r\nERR " + new string('x', 10_000_000 - 4) + "\r\n"; // a 10 MB bulk error
        await using var node = FakeRedisNode.Start(c => c switch
        {
            ["GET", "bad"] => hugeError,
            ["GET", var key] => FakeRedisNode.Bulk("value-of-" + key),
            _ => null,
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + ",commandTimeout=10000,connectRetry=1,topologyRefreshSeconds=0");
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await client.StringGetAsync("bad"));
        Assert.StartsWith("ERR xxx", error.ServerMessage, StringComparison.Ordinal);
        Assert.True(error.ServerMessage.Length < 5_000, $"{error.ServerMessage.Length} characters kept");
        Assert.Contains("10,000,000 bytes", error.ServerMessage);
        Assert.Equal("value-of-next", await client.StringGetAsync("next"));
    }

    [Fact]
    public async Task A_protocol_error_names_the_command_and_the_node()
    {
        await using var node = FakeRedisNode.Start(c => c is ["GET", "bad"] ? "$12x\r\n" : null);
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        var error = await Assert.ThrowsAsync<RespProtocolException>(async () => await client.StringGetAsync("bad"));
        Assert.IsAssignableFrom<RedisException>(error);
        Assert.Contains("GET", error.Message);
        Assert.Contains(node.Endpoint, error.Message);
    }

    public static TheoryData<string, string> MalformedCommandTables => new()
    {
        // An index-type key spec without its "index", and a keyword spec without its keyword.
        { "missing fields", CommandReply(Entry("get", KeySpec("index", "", "range", "$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n"))) },
        // A keynum spec whose count sits before the command name.
        { "negative index", CommandReply(Entry("eval", KeySpec("index", "$5\r\nindex\r\n:2\r\n", "keynum", "$9\r\nkeynumidx\r\n:-3\r\n$8\r\nfirstkey\r\n:1\r\n$7\r\nkeystep\r\n:1\r\n"))) },
        // An entry whose fields are of the wrong types.
        { "wrong types", "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n:1\r\n$1\r\nx\r\n:1\r\n:1\r\n*0\r\n*0\r\n*0\r\n*0\r\n" },
    };

    [Theory]
    [MemberData(nameof(MalformedCommandTables))]
    public async Task An_unusable_COMMAND_table_leaves_the_built_in_one_in_use(string what, string reply)
    {
        await using var node = FakeRedisNode.Start(c => c switch
        {
            ["COMMAND"] => reply,
            ["EVAL", ..] => ":1\r\n",
            ["GET", var key] => FakeRedisNode.Bulk("value-of-" + key),
            _ => null,
        });
        await using var client = await ClusterClient.ConnectAsync(node.Endpoint + Options);
        Assert.Contains("COMMAND", node.Received); // it was asked for, and refused
        Assert.Same(Keyslot.Routing.CommandTable.BuiltIn, client.Router.Commands);
        Assert.Equal("value-of-k", (string?)await client.ExecuteAsync("GET", "k"));
        Assert.Equal(1, (long)await client.ExecuteAsync("EVAL", "return 1", "1", "k"));
        Assert.False(string.IsNullOrEmpty(what));
    }

    private static string CommandReply(string entry) => "*1\r\n" + entry;

    /// <summary>A Redis 7 COMMAND entry (10 fields) with one key spec.</summary>
    private static string Entry(string name, string keySpec) =>
        "*10\r\n" + FakeRedisNode.Bulk(name) + ":-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*0\r\n*0\r\n*1\r\n" + keySpec + "*0\r\n";

    private static string KeySpec(string beginType, string beginFields, string findType, string findFields) =>
        "*4\r\n" + FakeRedisNode.Bulk("begin_search") + "*4\r\n" + FakeRedisNode.Bulk("type") + FakeRedisNode.Bulk(beginType) +
        FakeRedisNode.Bulk("spec") + "*" + (beginFields.Length == 0 ? 0 : 2) + "\r\n" + beginFields +
        FakeRedisNode.Bulk("find_keys") + "*4\r\n" + FakeRedisNode.Bulk("type") + FakeRedisNode.Bulk(findType) +
        FakeRedisNode.Bulk("spec") + "*" + CountPairs(findFields) + "\r\n" + findFields;

    private static int CountPairs(string fields) => fields.Split("\r\n").Count(l => l.StartsWith('$') || l.StartsWith(':')) / 2 * 2;
}
