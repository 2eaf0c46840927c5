using Keyslot.Protocol;
using Keyslot.Routing;
using Keyslot.Slots;

namespace Keyslot.Tests.Routing;

public sealed class CommandTableTests
{
    private static int Route(string name, params RedisArgument[] args) => CommandTable.BuiltIn.Route(name, args, out _);

    [Fact]
    public void A_single_key_command_routes_by_its_key()
    {
        Assert.Equal(HashSlot.Of("foo"), Route("GET", "foo"));
        Assert.Equal(HashSlot.Of("foo"), Route("get", "foo")); // names are case-insensitive
    }

    [Fact]
    public void Keys_sharing_a_hashtag_route_together_and_other_keys_fail_before_sending()
    {
        Assert.Equal(HashSlot.Of("a"), Route("MGET", "{a}1", "{a}2", "{a}3"));
        var error = Assert.Throws<RedisCrossSlotException>(() => Route("MGET", "k1", "k2"));
        Assert.Equal("MGET", error.Command);
        Assert.Equal(HashSlot.Of("k1"), error.FirstSlot);
        Assert.Equal(HashSlot.Of("k2"), error.OtherSlot);
    }

    [Fact]
    public void Mset_values_are_not_keys()
    {
        // The values hash elsewhere; only every other argument is a key (step 2).
        Assert.Equal(HashSlot.Of("a"), Route("MSET", "{a}1", "value-x", "{a}2", "value-y"));
    }

    [Fact]
    public void Eval_finds_its_keys_after_numkeys()
    {
        Assert.Equal(HashSlot.Of("a"), Route("EVAL", "return 1", 2, "{a}k1", "{a}k2", "not-a-key"));
        Assert.Equal(KeySlot.None, Route("EVAL", "return 1", 0, "arg"));
        Assert.Throws<ArgumentException>(() => Route("EVAL", "return 1", "two", "k"));
    }

    [Fact]
    public void Xread_keys_follow_the_STREAMS_keyword()
    {
        Assert.Equal(HashSlot.Of("s"), Route("XREAD", "COUNT", 1, "STREAMS", "{s}1", "{s}2", "0", "0"));
    }

    [Fact]
    public void Unknown_commands_are_keyless_and_flags_say_what_reads()
    {
        Assert.Equal(KeySlot.None, CommandTable.BuiltIn.Route("MODULE.THING", [RedisArgument.FromString("k")], out CommandFlags unknown));
        Assert.Equal(CommandFlags.None, unknown);
        CommandTable.BuiltIn.Route("GET", [RedisArgument.FromString("k")], out CommandFlags get);
        CommandTable.BuiltIn.Route("SET", [RedisArgument.FromString("k"), RedisArgument.FromString("v")], out CommandFlags set);
        Assert.True((get & CommandFlags.ReadOnly) != 0);
        Assert.True((set & CommandFlags.ReadOnly) == 0);
    }

    [Fact]
    public void A_Redis_7_COMMAND_reply_drives_routing_through_key_specs_subcommands_and_tips()
    {
        RespValue reply = RespValue.FromArray(
            Entry("get", 2, ["readonly", "fast"], 1, 1, 1, [], [IndexRange(1, 0, 1, 0)]),
            Entry("mset", -3, ["write"], 1, -1, 2, ["request_policy:multi_shard"], [IndexRange(1, -1, 2, 0)]),
            Entry("eval", -3, ["noscript"], 0, 0, 0, [], [KeyNum(2, 0, 1, 1)]),
            Entry("xread", -4, ["readonly"], 0, 0, 0, [], [KeywordRange("STREAMS", 1, -1, 1, 2)]),
            Entry("dbsize", 1, ["readonly"], 0, 0, 0, ["request_policy:all_shards", "response_policy:agg_sum"], []),
            Entry("object", -2, [], 0, 0, 0, [], [], [Entry("object|encoding", 3, ["readonly"], 2, 2, 1, [], [IndexRange(2, 0, 1, 0)])]));
        CommandTable table = CommandTable.FromCommandReply(reply);

        Assert.Equal(HashSlot.Of("k"), table.Route("get", [RedisArgument.FromString("k")], out CommandFlags flags));
        Assert.True((flags & CommandFlags.ReadOnly) != 0);
        Assert.Equal(HashSlot.Of("a"), table.Route("mset", ["{a}1", "x", "{a}2", "y"], out _));
        Assert.Equal(HashSlot.Of("a"), table.Route("eval", ["s", 2, "{a}1", "{a}2", "arg"], out _));
        Assert.Equal(HashSlot.Of("s"), table.Route("xread", ["COUNT", 5, "STREAMS", "{s}a", "{s}b", "0", "0"], out _));
        Assert.Equal(HashSlot.Of("obj"), table.Route("OBJECT", ["ENCODING", "obj"], out _));
        Assert.Equal(KeySlot.None, table.Route("dbsize", [], out _));
        CommandInfo dbsize = table.Find("DBSIZE", [])!;
        Assert.Equal("all_shards", dbsize.RequestPolicy);
        Assert.Equal("agg_sum", dbsize.ResponsePolicy);
        Assert.Equal("multi_shard", table.Find("mset", [])!.RequestPolicy);
    }

    public static TheoryData<string, RespValue> MalformedEntries => new()
    {
        { "negative begin index", Entry("get", 2, ["readonly"], 1, 1, 1, [], [IndexRange(-1, 0, 1, 0)]) },
        { "key count before the command name", Entry("eval", -3, [], 0, 0, 0, [], [KeyNum(2, -3, 1, 1)]) },
        { "first key before the count", Entry("eval", -3, [], 0, 0, 0, [], [KeyNum(2, 0, -2, 1)]) },
        { "zero key step", Entry("mset", -3, ["write"], 1, -1, 2, [], [IndexRange(1, -1, 0, 0)]) },
        { "index beyond int", Entry("get", 2, ["readonly"], 1, 1, 1, [], [IndexRange(1, 0, 1, 0).WithIndex(long.MaxValue)]) },
        { "keyword without keyword", Entry("xread", -4, ["readonly"], 0, 0, 0, [], [Map(
            ("begin_search", Map(("type", RespValue.FromString("keyword")), ("spec", Map(("startfrom", RespValue.FromInt64(1)))))),
            ("find_keys", Map(("type", RespValue.FromString("range")), ("spec", Map(("lastkey", RespValue.FromInt64(-1)), ("keystep", RespValue.FromInt64(1)), ("limit", RespValue.FromInt64(2)))))))]) },
        { "range without lastkey", Entry("get", 2, ["readonly"], 1, 1, 1, [], [Map(
            ("begin_search", Map(("type", RespValue.FromString("index")), ("spec", Map(("index", RespValue.FromInt64(1)))))),
            ("find_keys", Map(("type", RespValue.FromString("range")), ("spec", Map(("keystep", RespValue.FromInt64(1)))))))]) },
        { "entry not a list", RespValue.FromString("get") },
        { "name not text", RespValue.FromArray(RespValue.FromArray(), RespValue.FromInt64(2), RespValue.FromSet(),
            RespValue.FromInt64(1), RespValue.FromInt64(1), RespValue.FromInt64(1)) },
        { "positions not numbers", RespValue.FromArray(RespValue.FromString("get"), RespValue.FromInt64(2), RespValue.FromSet(),
            RespValue.FromString("one"), RespValue.FromInt64(1), RespValue.FromInt64(1)) },
        { "first key beyond int", RespValue.FromArray(RespValue.FromString("get"), RespValue.FromInt64(2), RespValue.FromSet(),
            RespValue.FromInt64(1L << 40), RespValue.FromInt64(1), RespValue.FromInt64(1)) },
    };

    [Theory]
    [MemberData(nameof(MalformedEntries))]
    public void A_COMMAND_reply_the_server_would_never_send_is_refused_whole_with_a_protocol_error(string what, RespValue entry)
    {
        var error = Assert.Throws<RespProtocolException>(() => CommandTable.FromCommandReply(RespValue.FromArray(entry)));
        Assert.IsAssignableFrom<RedisException>(error);
        Assert.Contains("COMMAND", error.Message);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void Key_positions_past_the_arguments_find_no_key_instead_of_reading_outside_them()
    {
        CommandTable table = CommandTable.FromCommandReply(RespValue.FromArray(
            Entry("eval", -3, [], 0, 0, 0, [], [KeyNum(2, 0, 1, 1)]), Entry("get", 2, ["readonly"], 1, 1, 1, [], [IndexRange(5, 0, 1, 0)])));
        Assert.Equal(KeySlot.None, table.Route("get", ["k"], out _));
        Assert.Equal(HashSlot.Of("k"), table.Route("eval", ["s", 3, "k"], out _)); // claims 3 keys, has 1
    }

    private static RespValue Entry(string name, int arity, string[] flags, int first, int last, int step, string[] tips, RespValue[] keySpecs, RespValue[]? subcommands = null) =>
        RespValue.FromArray(
            RespValue.FromString(name), RespValue.FromInt64(arity),
            RespValue.FromSet([.. flags.Select(RespValue.FromSimpleString)]),
            RespValue.FromInt64(first), RespValue.FromInt64(last), RespValue.FromInt64(step),
            RespValue.FromSet(),
            RespValue.FromArray([.. tips.Select(RespValue.FromString)]),
            RespValue.FromArray(keySpecs),
            RespValue.FromArray(subcommands ?? []));

    private static RespValue Map(params (string Key, RespValue Value)[] entries) =>
        RespValue.FromMap([.. entries.SelectMany(e => new[] { RespValue.FromString(e.Key), e.Value })]);

    private static RespValue IndexRange(int index, int lastKey, int keyStep, int limit) => Map(
        ("flags", RespValue.FromArray()),
        ("begin_search", Map(("type", RespValue.FromString("index")), ("spec", Map(("index", RespValue.FromInt64(index)))))),
        ("find_keys", Map(("type", RespValue.FromString("range")),
            ("spec", Map(("lastkey", RespValue.FromInt64(lastKey)), ("keystep", RespValue.FromInt64(keyStep)), ("limit", RespValue.FromInt64(limit)))))));

    private static RespValue KeyNum(int index, int keyNumIndex, int firstKey, int keyStep) => Map(
        ("begin_search", Map(("type", RespValue.FromString("index")), ("spec", Map(("index", RespValue.FromInt64(index)))))),
        ("find_keys", Map(("type", RespValue.FromString("keynum")),
            ("spec", Map(("keynumidx", RespValue.FromInt64(keyNumIndex)), ("firstkey", RespValue.FromInt64(firstKey)), ("keystep", RespValue.FromInt64(keyStep)))))));

    private static RespValue KeywordRange(string keyword, int startFrom, int lastKey, int keyStep, int limit) => Map(
        ("begin_search", Map(("type", RespValue.FromString("keyword")),
            ("spec", Map(("keyword", RespValue.FromString(keyword)), ("startfrom", RespValue.FromInt64(startFrom)))))),
        ("find_keys", Map(("type", RespValue.FromString("range")),
            ("spec", Map(("lastkey", RespValue.FromInt64(lastKey)), ("keystep", RespValue.FromInt64(keyStep)), ("limit", RespValue.FromInt64(limit)))))));
}

internal static class KeySpecValueExtensions
{
    /// <summary>The key spec with its begin_search index replaced (for values no server sends).</summary>
    public static RespValue WithIndex(this RespValue spec, long index)
    {
        RespValue[] fields = spec.AsSpan().ToArray();
        for (int i = 0; i < fields.Length; i += 2)
        {
            if (fields[i].AsString() != "begin_search") continue;
            fields[i + 1] = RespValue.FromMap(RespValue.FromString("type"), RespValue.FromString("index"),
                RespValue.FromString("spec"), RespValue.FromMap(RespValue.FromString("index"), RespValue.FromInt64(index)));
        }
        return RespValue.FromMap(fields);
    }
}
