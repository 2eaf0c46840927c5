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
        Assert.True((set & CommandFlags.Idempotent) != 0);
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
