using Keyslot.Protocol;
using Keyslot.Routing;
using V = Keyslot.RespValue;

namespace Keyslot.Tests.Routing;

/// <summary>Merging the replies of a command sent to several nodes, by its <c>response_policy</c> tip.</summary>
public sealed class FanOutAggregatorTests
{
    private static readonly NodeEndpoint A = new("10.0.0.1", 7000);
    private static readonly NodeEndpoint B = new("10.0.0.2", 7001);
    private static readonly NodeEndpoint C = new("10.0.0.3", 7002);

    private static NodeReply Ok(NodeEndpoint node, V value) => new(node, value, null);

    private static NodeReply Failed(NodeEndpoint node, string message) =>
        new(node, V.Null, new RedisServerException(RedisErrorKind.Other, message, "TEST", node));

    private static V Ints(params long[] values) => V.FromArray([.. values.Select(V.FromInt64)]);

    [Fact]
    public void Agg_sum_adds_every_node_s_integer()
    {
        V sum = FanOutAggregator.Aggregate("DBSIZE", "agg_sum", [Ok(A, V.FromInt64(3)), Ok(B, V.FromInt64(0)), Ok(C, V.FromInt64(39))]);
        Assert.Equal(V.FromInt64(42), sum);
        // Integers sent as text (RESP2 scripts, proxies) count too.
        Assert.Equal(5, FanOutAggregator.Aggregate("DBSIZE", "agg_sum", [Ok(A, V.FromString("2")), Ok(B, V.FromInt64(3))]).AsInt64());
        Assert.Equal(-1, FanOutAggregator.Aggregate("X", "agg_sum", [Ok(A, V.FromInt64(-4)), Ok(B, V.FromInt64(3))]).AsInt64());
    }

    [Fact]
    public void Agg_sum_refuses_a_reply_that_is_not_an_integer()
    {
        var error = Assert.Throws<RedisUnexpectedReplyException>(() =>
            FanOutAggregator.Aggregate("DBSIZE", "agg_sum", [Ok(A, V.FromInt64(1)), Ok(B, V.FromSimpleString("OK"))]));
        Assert.Equal("DBSIZE", error.Command);
        Assert.Contains("SimpleString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Agg_min_and_agg_max_pick_the_extreme()
    {
        NodeReply[] replies = [Ok(A, V.FromInt64(5)), Ok(B, V.FromInt64(-2)), Ok(C, V.FromInt64(9))];
        Assert.Equal(-2, FanOutAggregator.Aggregate("WAIT", "agg_min", replies).AsInt64());
        Assert.Equal(9, FanOutAggregator.Aggregate("X", "agg_max", replies).AsInt64());
        Assert.Equal(7, FanOutAggregator.Aggregate("WAIT", "agg_min", [Ok(A, V.FromInt64(7))]).AsInt64());
    }

    [Fact]
    public void All_succeeded_returns_the_reply_when_every_node_succeeded()
    {
        V ok = V.FromSimpleString("OK");
        Assert.Equal(ok, FanOutAggregator.Aggregate("FLUSHALL", "all_succeeded", [Ok(A, ok), Ok(B, ok), Ok(C, ok)]));
    }

    [Fact]
    public void All_succeeded_with_a_failed_node_raises_the_fan_out_error_naming_it()
    {
        V ok = V.FromSimpleString("OK");
        NodeReply[] replies = [Ok(A, ok), Failed(B, "READONLY You can't write against a read only replica."), Ok(C, ok)];
        var error = Assert.Throws<RedisFanOutException>(() => FanOutAggregator.Aggregate("FLUSHALL", "all_succeeded", replies));
        Assert.Equal("FLUSHALL", error.Command);
        Assert.Same(replies, error.Replies);
        Assert.StartsWith("FLUSHALL failed on 1 of 3 node(s): ", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.2:7001", error.Message, StringComparison.Ordinal);
        Assert.Contains("READONLY", error.Message, StringComparison.Ordinal);
        // Only the failing node is named as failing.
        Assert.DoesNotContain("10.0.0.1:7000", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.3:7002", error.Message, StringComparison.Ordinal);
        Assert.Same(replies[1].Error, error.InnerException);
        Assert.IsAssignableFrom<RedisException>(error);
    }

    [Fact]
    public void Several_failed_nodes_are_all_named_and_counted()
    {
        NodeReply[] replies = [Failed(A, "ERR one"), Ok(B, V.FromSimpleString("OK")), Failed(C, "ERR three")];
        var error = Assert.Throws<RedisFanOutException>(() => FanOutAggregator.Aggregate("CONFIG", "all_succeeded", replies));
        Assert.StartsWith("CONFIG failed on 2 of 3 node(s): ", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.1:7000: ERR one", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.3:7002: ERR three", error.Message, StringComparison.Ordinal);
        Assert.Same(replies[0].Error, error.InnerException); // the first failure is the cause
    }

    [Theory]
    [InlineData("agg_sum")]
    [InlineData("agg_min")]
    [InlineData("agg_max")]
    [InlineData("agg_logical_and")]
    [InlineData("agg_logical_or")]
    [InlineData(null)]
    public void Every_policy_but_one_succeeded_fails_when_any_node_failed(string? policy)
    {
        // A partial sum or a partial KEYS listing would be silently wrong, so a failure is never merged away.
        NodeReply[] replies = [Ok(A, V.FromInt64(1)), Failed(B, "LOADING Redis is loading the dataset in memory")];
        var error = Assert.Throws<RedisFanOutException>(() => FanOutAggregator.Aggregate("CMD", policy, replies));
        Assert.Contains("10.0.0.2:7001: LOADING", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Agg_logical_and_of_scalars_is_1_only_when_every_node_says_1()
    {
        Assert.Equal(V.FromInt64(1), FanOutAggregator.Aggregate("X", "agg_logical_and", [Ok(A, V.FromInt64(1)), Ok(B, V.FromInt64(1))]));
        Assert.Equal(V.FromInt64(0), FanOutAggregator.Aggregate("X", "agg_logical_and", [Ok(A, V.FromInt64(1)), Ok(B, V.FromInt64(0)), Ok(C, V.FromInt64(1))]));
        // Booleans (RESP3) count as 0/1.
        Assert.Equal(V.FromInt64(1), FanOutAggregator.Aggregate("X", "agg_logical_and", [Ok(A, V.FromBoolean(true)), Ok(B, V.FromInt64(1))]));
    }

    [Fact]
    public void Script_exists_is_anded_element_wise_across_nodes()
    {
        // Three scripts: the first is loaded everywhere, the second on A only, the third nowhere.
        NodeReply[] replies = [Ok(A, Ints(1, 1, 0)), Ok(B, Ints(1, 0, 0)), Ok(C, Ints(1, 0, 0))];
        V merged = FanOutAggregator.Aggregate("SCRIPT", "agg_logical_and", replies);
        Assert.Equal(RespType.Array, merged.Type);
        Assert.Equal(Ints(1, 0, 0), merged);
        // RESP3 booleans inside the arrays are read as 0/1 too, and the result stays integers.
        V bools = FanOutAggregator.Aggregate("SCRIPT", "agg_logical_and",
            [Ok(A, V.FromArray(V.FromBoolean(true), V.FromBoolean(true))), Ok(B, V.FromArray(V.FromBoolean(true), V.FromBoolean(false)))]);
        Assert.Equal(Ints(1, 0), bools);
    }

    [Fact]
    public void Agg_logical_or_is_1_where_any_node_says_1()
    {
        Assert.Equal(V.FromInt64(1), FanOutAggregator.Aggregate("X", "agg_logical_or", [Ok(A, V.FromInt64(0)), Ok(B, V.FromInt64(1))]));
        Assert.Equal(V.FromInt64(0), FanOutAggregator.Aggregate("X", "agg_logical_or", [Ok(A, V.FromInt64(0)), Ok(B, V.FromInt64(0))]));
        Assert.Equal(Ints(1, 1, 0), FanOutAggregator.Aggregate("X", "agg_logical_or", [Ok(A, Ints(1, 0, 0)), Ok(B, Ints(0, 1, 0))]));
    }

    [Fact]
    public void An_empty_array_reply_stays_an_empty_array_for_logical_policies()
    {
        V merged = FanOutAggregator.Aggregate("SCRIPT", "agg_logical_and", [Ok(A, Ints()), Ok(B, Ints())]);
        Assert.Equal(RespType.Array, merged.Type);
        Assert.Equal(0, merged.Count);
    }

    [Fact]
    public void One_succeeded_returns_the_first_success_and_ignores_failures()
    {
        V pong = V.FromSimpleString("PONG");
        Assert.Equal(pong, FanOutAggregator.Aggregate("SCRIPT", "one_succeeded", [Failed(A, "ERR down"), Ok(B, pong), Failed(C, "ERR down")]));
        Assert.Equal(V.FromString("first"), FanOutAggregator.Aggregate("X", "one_succeeded", [Ok(A, V.FromString("first")), Ok(B, V.FromString("second"))]));
    }

    [Fact]
    public void One_succeeded_fails_when_every_node_failed_naming_them_all()
    {
        NodeReply[] replies = [Failed(A, "ERR a"), Failed(B, "ERR b")];
        var error = Assert.Throws<RedisFanOutException>(() => FanOutAggregator.Aggregate("SCRIPT", "one_succeeded", replies));
        Assert.StartsWith("SCRIPT failed on 2 of 2 node(s): ", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.1:7000: ERR a", error.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.2:7001: ERR b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_policy_array_replies_are_concatenated_in_node_order()
    {
        // KEYS: each node lists its own keys; the caller wants them all.
        NodeReply[] replies =
        [
            Ok(A, V.FromArray(V.FromString("a1"), V.FromString("a2"))),
            Ok(B, V.FromArray()),
            Ok(C, V.FromArray(V.FromString("c1"))),
        ];
        V merged = FanOutAggregator.Aggregate("KEYS", null, replies);
        Assert.Equal(V.FromArray(V.FromString("a1"), V.FromString("a2"), V.FromString("c1")), merged);
        // Duplicates are kept: each node's elements are its own.
        Assert.Equal(Ints(1, 1), FanOutAggregator.Aggregate("X", null, [Ok(A, Ints(1)), Ok(B, Ints(1))]));
    }

    [Fact]
    public void Without_a_policy_a_scalar_reply_is_returned_as_is()
    {
        V ok = V.FromSimpleString("OK");
        Assert.Equal(ok, FanOutAggregator.Aggregate("SCRIPT", null, [Ok(A, ok), Ok(B, ok), Ok(C, ok)]));
        Assert.Equal(ok, FanOutAggregator.Aggregate("SCRIPT", "some_future_policy", [Ok(A, ok), Ok(B, ok)]));
    }

    [Fact]
    public void No_nodes_give_null()
    {
        foreach (string? policy in new[] { null, "agg_sum", "all_succeeded", "agg_logical_and" })
        {
            Assert.True(FanOutAggregator.Aggregate("X", policy, []).IsNull);
        }
        Assert.Throws<RedisFanOutException>(() => FanOutAggregator.Aggregate("X", "one_succeeded", []));
    }
}
