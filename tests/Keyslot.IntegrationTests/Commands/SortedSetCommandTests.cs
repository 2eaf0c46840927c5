using System.Text;
using Keyslot.IntegrationTests.Infrastructure;

namespace Keyslot.IntegrationTests.Commands;

/// <summary>The typed sorted-set commands, each checked against what the server holds.</summary>
public abstract class SortedSetCommandTests : IAsyncLifetime
{
    private ClusterClient _client = null!;

    /// <summary>What the client is configured with.</summary>
    protected abstract string ConfigurationString { get; }

    /// <summary>Runs a command on the node that owns <paramref name="key"/>, outside the client under test.</summary>
    protected abstract Task<string> OnOwner(string key, params string[] command);

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    /// <summary>What the server holds at <paramref name="key"/>: "member score" lines, members hex-encoded by the server itself.</summary>
    private async Task<string[]> ServerEntriesHex(RedisKey key)
    {
        const string script = "local r = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES') local o = {} " +
            "for i = 1, #r, 2 do o[#o + 1] = string.gsub(r[i], '.', function(c) return string.format('%02x', string.byte(c)) end) .. ' ' .. r[i + 1] end return o";
        // The key goes through the harness as text, so these tests keep binary data in members, not keys.
        string reply = await OnOwner(key.ToString(), "EVAL", script, "1", key.ToString());
        return reply.Length == 0 ? [] : reply.Split('\n');
    }

    private static string Hex(byte[] value) => Convert.ToHexString(value).ToLowerInvariant();

    /// <summary>A member holding every byte value once, led by 0xC3 0x28 (invalid UTF-8 that a text round trip would replace).</summary>
    private static byte[] Binary(int seed)
    {
        var value = new byte[258];
        value[0] = 0xC3;
        value[1] = 0x28;
        for (int i = 0; i < 256; i++) value[i + 2] = (byte)(i + seed);
        return value;
    }

    private static string Render(object? value) => value switch
    {
        null => "(nil)",
        string s => s,
        byte[] b => "0x" + Hex(b),
        SortedSetEntry<string> e => e.Member + "=" + Render(e.Score),
        SortedSetEntry<byte[]> e => "0x" + Hex(e.Member) + "=" + Render(e.Score),
        SortedSetPopResult<string> p => p.Key + ":" + Render(p.Entries),
        SortedSetScanPage<string> page => page.Cursor + ":" + Render(page.Entries),
        double d => double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        System.Collections.IEnumerable many => "[" + string.Join(",", many.Cast<object?>().Select(Render)) + "]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    [Fact]
    public async Task Zadd_conditions_change_and_incr_leave_the_scores_the_server_holds()
    {
        const string key = "zs:add:{a}";
        await _client.KeyDeleteAsync(key);
        Assert.True(await _client.SortedSetAddAsync(key, "a", 1));
        Assert.False(await _client.SortedSetAddAsync(key, "a", 2)); // updated, not added
        Assert.Equal("2", await OnOwner(key, "ZSCORE", key, "a"));
        Assert.True(await _client.SortedSetAddAsync(key, "a", 3, change: true));
        Assert.False(await _client.SortedSetAddAsync(key, "a", 9, SortedSetWhen.NotExists, change: true));
        Assert.False(await _client.SortedSetAddAsync(key, "new", 9, SortedSetWhen.Exists, change: true));
        Assert.False(await _client.SortedSetAddAsync(key, "a", 1, SortedSetWhen.GreaterThan, change: true));
        Assert.True(await _client.SortedSetAddAsync(key, "a", 5, SortedSetWhen.GreaterThan | SortedSetWhen.Exists, change: true));
        Assert.True(await _client.SortedSetAddAsync(key, "a", 4, SortedSetWhen.LessThan, change: true));
        Assert.Equal("4", await OnOwner(key, "ZSCORE", key, "a"));
        Assert.Equal("", await OnOwner(key, "ZSCORE", key, "new"));

        long added = await _client.SortedSetAddAsync(key, new Dictionary<RedisArgument, double> { ["b"] = 2, ["c"] = double.PositiveInfinity, ["d"] = double.NegativeInfinity, ["a"] = 4.5 });
        Assert.Equal(3, added);
        Assert.Equal(3, await _client.SortedSetAddAsync(key, new Dictionary<RedisArgument, double> { ["b"] = 2.5, ["e"] = 0.25, ["f"] = -1.5, ["a"] = 4.5 }, change: true)); // b changed, e and f added
        Assert.Equal("d\n-inf\nf\n-1.5\ne\n0.25\nb\n2.5\na\n4.5\nc\ninf", await OnOwner(key, "ZRANGE", key, "0", "-1", "WITHSCORES"));

        Assert.Equal(6.0, await _client.SortedSetAddIncrementAsync(key, "a", 1.5));
        Assert.Null(await _client.SortedSetAddIncrementAsync(key, "a", 1, SortedSetWhen.NotExists));
        Assert.Null(await _client.SortedSetAddIncrementAsync(key, "a", -1, SortedSetWhen.GreaterThan));
        Assert.Null(await _client.SortedSetAddIncrementAsync(key, "zz", 1, SortedSetWhen.Exists));
        Assert.Equal(10.0, await _client.SortedSetIncrementAsync(key, "a", 4));
        Assert.Equal(-3.0, await _client.SortedSetIncrementAsync(key, "brand-new", -3));
        Assert.Equal("10", await OnOwner(key, "ZSCORE", key, "a"));
        Assert.Equal("-3", await OnOwner(key, "ZSCORE", key, "brand-new"));

        Assert.Equal(double.PositiveInfinity, await _client.SortedSetScoreAsync(key, "c"));
        Assert.Equal(double.NegativeInfinity, await _client.SortedSetScoreAsync(key, "d"));
        Assert.Null(await _client.SortedSetScoreAsync(key, "missing"));
        Assert.Null(await _client.SortedSetScoreAsync("zs:add:{missing}", "a"));
        Assert.Equal(new double?[] { 10, null, 0.25, double.PositiveInfinity }, await _client.SortedSetScoresAsync(key, ["a", "missing", "e", "c"]));
        Assert.Equal(new double?[] { null, null }, await _client.SortedSetScoresAsync("zs:add:{missing}", ["a", "b"]));

        Assert.Equal(7, await _client.SortedSetLengthAsync(key));
        Assert.Equal(0, await _client.SortedSetLengthAsync("zs:add:{missing}"));
        Assert.Equal(0, await _client.SortedSetRankAsync(key, "d"));
        Assert.Equal(6, await _client.SortedSetRankAsync(key, "c"));
        Assert.Equal(0, await _client.SortedSetRankAsync(key, "c", Order.Descending));
        Assert.Equal(long.Parse(await OnOwner(key, "ZREVRANK", key, "b")), await _client.SortedSetRankAsync(key, "b", Order.Descending));
        Assert.Null(await _client.SortedSetRankAsync(key, "missing"));
        Assert.Null(await _client.SortedSetRankAsync("zs:add:{missing}", "a", Order.Descending));
    }

    private async Task SeedScores(string key)
    {
        await _client.KeyDeleteAsync(key);
        await OnOwner(key, "ZADD", key, "-inf", "ninf", "1", "one", "2", "two", "2", "two-b", "3", "three", "4", "four", "+inf", "pinf");
    }

    [Fact]
    public async Task Ranges_by_rank_score_and_lex_with_rev_limit_and_exclusive_bounds()
    {
        const string key = "zs:range:{r}";
        await SeedScores(key);
        Assert.Equal(["ninf", "one", "two", "two-b", "three", "four", "pinf"], await _client.SortedSetRangeByRankAsync(key));
        Assert.Equal(["one", "two"], await _client.SortedSetRangeByRankAsync(key, 1, 2));
        Assert.Equal(["pinf", "four"], await _client.SortedSetRangeByRankAsync(key, 0, 1, Order.Descending));
        Assert.Equal(["four", "pinf"], await _client.SortedSetRangeByRankAsync(key, -2));
        Assert.Empty(await _client.SortedSetRangeByRankAsync("zs:range:{missing}"));
        Assert.Equal([new("ninf", double.NegativeInfinity), new("one", 1), new SortedSetEntry<string>("pinf", double.PositiveInfinity)],
            (await _client.SortedSetRangeByRankWithScoresAsync(key)).Where(e => e.Member is "ninf" or "one" or "pinf"));
        Assert.Equal([new SortedSetEntry<string>("pinf", double.PositiveInfinity), new("four", 4)], await _client.SortedSetRangeByRankWithScoresAsync(key, 0, 1, Order.Descending));
        Assert.Empty(await _client.SortedSetRangeByRankWithScoresAsync("zs:range:{missing}"));

        Assert.Equal(["two", "two-b", "three"], await _client.SortedSetRangeByScoreAsync(key, 2, 3));
        Assert.Equal(["three"], await _client.SortedSetRangeByScoreAsync(key, ScoreBound.Exclusive(2), ScoreBound.Exclusive(4)));
        Assert.Equal(["ninf", "one", "two", "two-b", "three", "four", "pinf"], await _client.SortedSetRangeByScoreAsync(key, ScoreBound.NegativeInfinity, ScoreBound.PositiveInfinity));
        Assert.Equal(["one", "two", "two-b", "three", "four"], await _client.SortedSetRangeByScoreAsync(key, ScoreBound.Exclusive(double.NegativeInfinity), ScoreBound.Exclusive(double.PositiveInfinity)));
        Assert.Equal(["four", "three", "two-b"], await _client.SortedSetRangeByScoreAsync(key, 2, 4, Order.Descending, offset: 0, count: 3));
        Assert.Equal(["two-b", "three"], await _client.SortedSetRangeByScoreAsync(key, 1, 10, offset: 2, count: 2));
        Assert.Equal(["three", "four"], await _client.SortedSetRangeByScoreAsync(key, 1, 10, offset: 3, count: -1));
        Assert.Empty(await _client.SortedSetRangeByScoreAsync(key, 5, 6));
        Assert.Equal([new SortedSetEntry<string>("pinf", double.PositiveInfinity), new("four", 4)],
            await _client.SortedSetRangeByScoreWithScoresAsync(key, ScoreBound.Exclusive(3), ScoreBound.PositiveInfinity, Order.Descending));
        Assert.Equal([new SortedSetEntry<string>("ninf", double.NegativeInfinity)], await _client.SortedSetRangeByScoreWithScoresAsync(key, double.NegativeInfinity, 0));

        Assert.Equal(3, await _client.SortedSetLengthAsync(key, 2, 3));
        Assert.Equal(1, await _client.SortedSetLengthAsync(key, ScoreBound.Exclusive(2), ScoreBound.Exclusive(4)));
        Assert.Equal(7, await _client.SortedSetLengthAsync(key, ScoreBound.NegativeInfinity, ScoreBound.PositiveInfinity));
        Assert.Equal(long.Parse(await OnOwner(key, "ZCOUNT", key, "(1", "+inf")), await _client.SortedSetLengthAsync(key, ScoreBound.Exclusive(1), ScoreBound.PositiveInfinity));

        const string lex = "zs:lex:{r}";
        await _client.KeyDeleteAsync(lex);
        await OnOwner(lex, "ZADD", lex, "0", "a", "0", "b", "0", "c", "0", "d", "0", "e");
        Assert.Equal(["b", "c"], await _client.SortedSetRangeByValueAsync(lex, LexBound.Inclusive("b"), LexBound.Exclusive("d")));
        Assert.Equal(["e", "d", "c"], await _client.SortedSetRangeByValueAsync(lex, LexBound.Exclusive("b"), LexBound.Max, Order.Descending));
        Assert.Equal(["b", "c"], await _client.SortedSetRangeByValueAsync(lex, LexBound.Min, LexBound.Max, offset: 1, count: 2));
        Assert.Empty(await _client.SortedSetRangeByValueAsync("zs:lex:{missing}", LexBound.Min, LexBound.Max));
        Assert.Equal(5, await _client.SortedSetLengthByValueAsync(lex, LexBound.Min, LexBound.Max));
        Assert.Equal(2, await _client.SortedSetLengthByValueAsync(lex, LexBound.Exclusive("a"), LexBound.Inclusive("c")));

        // ZRANGESTORE: the destination holds the range, as the server shows.
        Assert.Equal(2, await _client.SortedSetRangeByRankAndStoreAsync(key, "zs:range:{r}:dst1", 0, 1, Order.Descending));
        Assert.Equal("four\n4\npinf\ninf", await OnOwner(key, "ZRANGE", "zs:range:{r}:dst1", "0", "-1", "WITHSCORES"));
        Assert.Equal(2, await _client.SortedSetRangeByScoreAndStoreAsync(key, "zs:range:{r}:dst2", ScoreBound.Exclusive(1), 4, Order.Descending, 1, 2));
        Assert.Equal("two-b\n2\nthree\n3", await OnOwner(key, "ZRANGE", "zs:range:{r}:dst2", "0", "-1", "WITHSCORES"));
        Assert.Equal(3, await _client.SortedSetRangeByValueAndStoreAsync(lex, "zs:range:{r}:dst3", LexBound.Inclusive("c"), LexBound.Max));
        Assert.Equal("c\nd\ne", await OnOwner(key, "ZRANGE", "zs:range:{r}:dst3", "0", "-1"));
        Assert.Equal(0, await _client.SortedSetRangeByRankAndStoreAsync("zs:range:{r}:none", "zs:range:{r}:dst1"));
        Assert.Equal("0", await OnOwner(key, "EXISTS", "zs:range:{r}:dst1"));
    }

    [Fact]
    public async Task Removes_and_pops_take_what_the_server_no_longer_holds()
    {
        const string key = "zs:rem:{p}";
        await SeedScores(key);
        Assert.True(await _client.SortedSetRemoveAsync(key, "two-b"));
        Assert.False(await _client.SortedSetRemoveAsync(key, "two-b"));
        Assert.Equal(2, await _client.SortedSetRemoveAsync(key, ["ninf", "pinf", "missing"]));
        Assert.Equal("one\ntwo\nthree\nfour", await OnOwner(key, "ZRANGE", key, "0", "-1"));
        Assert.Equal(0, await _client.SortedSetRemoveAsync("zs:rem:{missing}", ["a"]));

        Assert.Equal(new SortedSetEntry<string>("one", 1), await _client.SortedSetPopAsync(key));
        Assert.Equal(new SortedSetEntry<string>("four", 4), await _client.SortedSetPopAsync(key, Order.Descending));
        Assert.Equal("two\nthree", await OnOwner(key, "ZRANGE", key, "0", "-1"));
        Assert.Equal([new SortedSetEntry<string>("three", 3), new("two", 2)], await _client.SortedSetPopAsync(key, 5, Order.Descending));
        Assert.Equal("0", await OnOwner(key, "EXISTS", key));
        Assert.Null(await _client.SortedSetPopAsync(key));
        Assert.Empty(await _client.SortedSetPopAsync(key, 3));
        Assert.Null(await _client.SortedSetPopBytesAsync(key, Order.Descending));

        await SeedScores(key);
        Assert.Equal(2, await _client.SortedSetRemoveRangeByRankAsync(key, 0, 1));
        Assert.Equal(2, await _client.SortedSetRemoveRangeByScoreAsync(key, ScoreBound.Exclusive(2), ScoreBound.Inclusive(4)));
        Assert.Equal("two\ntwo-b\npinf", await OnOwner(key, "ZRANGE", key, "0", "-1"));
        await OnOwner(key, "ZADD", key, "0", "la", "0", "lb", "0", "lc");
        Assert.Equal(2, await _client.SortedSetRemoveRangeByValueAsync(key, LexBound.Inclusive("la"), LexBound.Exclusive("lc")));
        Assert.Equal("lc\ntwo\ntwo-b\npinf", await OnOwner(key, "ZRANGE", key, "0", "-1"));
        Assert.Equal(0, await _client.SortedSetRemoveRangeByRankAsync("zs:rem:{missing}", 0, -1));

        // ZMPOP: the first non-empty key of the list, in one slot.
        RedisKey[] keys = ["zs:mpop:{p}:1", "zs:mpop:{p}:2", "zs:mpop:{p}:3"];
        await _client.KeyDeleteAsync(keys);
        Assert.Null(await _client.SortedSetPopAsync(keys));
        await OnOwner(key, "ZADD", "zs:mpop:{p}:2", "1", "x", "2", "y", "3", "z");
        await OnOwner(key, "ZADD", "zs:mpop:{p}:3", "1", "other");
        SortedSetPopResult<string>? popped = await _client.SortedSetPopAsync(keys, 2, Order.Descending);
        Assert.NotNull(popped);
        Assert.Equal("zs:mpop:{p}:2", popped.Value.Key.ToString());
        Assert.Equal([new SortedSetEntry<string>("z", 3), new("y", 2)], popped.Value.Entries);
        Assert.Equal("x", await OnOwner(key, "ZRANGE", "zs:mpop:{p}:2", "0", "-1"));
        popped = await _client.SortedSetPopAsync(keys);
        Assert.Equal([new SortedSetEntry<string>("x", 1)], popped!.Value.Entries);
        Assert.Equal("0", await OnOwner(key, "EXISTS", "zs:mpop:{p}:2"));
        Assert.Equal("zs:mpop:{p}:3", (await _client.SortedSetPopAsync(keys, 10))!.Value.Key.ToString());
        Assert.Null(await _client.SortedSetPopAsync(keys));
    }

    [Fact]
    public async Task Random_members_and_scans_return_what_the_server_holds()
    {
        const string key = "zs:rand:{s}";
        await _client.KeyDeleteAsync(key);
        var expected = new Dictionary<string, double>();
        var entries = new Dictionary<RedisArgument, double>();
        for (int i = 0; i < 300; i++)
        {
            string member = (i % 3 == 0 ? "m3:" : "m:") + i;
            expected[member] = i / 4.0;
            entries[member] = i / 4.0;
        }
        Assert.Equal(300, await _client.SortedSetAddAsync(key, entries));
        Assert.Equal("300", await OnOwner(key, "ZCARD", key));

        string? one = await _client.SortedSetRandomMemberAsync(key);
        Assert.Contains(one!, expected.Keys);
        Assert.Null(await _client.SortedSetRandomMemberAsync("zs:rand:{missing}"));
        Assert.Null(await _client.SortedSetRandomMemberBytesAsync("zs:rand:{missing}"));
        string[] distinct = await _client.SortedSetRandomMembersAsync(key, 50);
        Assert.Equal(50, distinct.Distinct().Count());
        Assert.All(distinct, m => Assert.Contains(m, expected.Keys));
        Assert.Equal(400, (await _client.SortedSetRandomMembersAsync(key, -400)).Length); // negative: repeats allowed
        SortedSetEntry<string>[] scored = await _client.SortedSetRandomMembersWithScoresAsync(key, 20);
        Assert.Equal(20, scored.Length);
        Assert.All(scored, e => Assert.Equal(expected[e.Member], e.Score));
        Assert.Empty(await _client.SortedSetRandomMembersAsync("zs:rand:{missing}", 5));
        Assert.Empty(await _client.SortedSetRandomMembersWithScoresAsync("zs:rand:{missing}", 5));

        // One page at a time, then the client's enumeration: every entry, with its score.
        var paged = new Dictionary<string, double>();
        ulong cursor = 0;
        int pages = 0;
        do
        {
            SortedSetScanPage<string> page = await _client.SortedSetScanPageAsync(key, cursor, pageSize: 40);
            foreach (SortedSetEntry<string> e in page.Entries) paged[e.Member] = e.Score;
            cursor = page.Cursor;
            pages++;
        }
        while (cursor != 0);
        Assert.True(pages > 1, "300 entries come in several pages");
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), paged.OrderBy(p => p.Key, StringComparer.Ordinal));

        var all = new Dictionary<string, double>();
        await foreach (SortedSetEntry<string> e in _client.SortedSetScanAsync(key, pageSize: 25)) all[e.Member] = e.Score;
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), all.OrderBy(p => p.Key, StringComparer.Ordinal));
        var matching = new List<string>();
        await foreach (SortedSetEntry<string> e in _client.SortedSetScanAsync(key, "m3:*")) matching.Add(e.Member);
        Assert.Equal(expected.Keys.Where(k => k.StartsWith("m3:", StringComparison.Ordinal)).Order(StringComparer.Ordinal), matching.Distinct().Order(StringComparer.Ordinal));
        await foreach (SortedSetEntry<string> e in _client.SortedSetScanAsync("zs:rand:{missing}")) Assert.Fail("a missing key has no entries: " + e.Member);
        Assert.Equal(new SortedSetScanPage<string>(0, []).Cursor, (await _client.SortedSetScanPageAsync("zs:rand:{missing}")).Cursor);
        Assert.Empty((await _client.SortedSetScanPageAsync("zs:rand:{missing}")).Entries);
    }

    [Fact]
    public async Task Union_intersection_difference_with_weights_aggregates_and_stores()
    {
        RedisKey a = "zs:comb:{c}:a", b = "zs:comb:{c}:b", missing = "zs:comb:{c}:missing";
        await _client.KeyDeleteAsync([a, b, missing, "zs:comb:{c}:dst"]);
        await OnOwner("zs:comb:{c}:a", "ZADD", "zs:comb:{c}:a", "1", "x", "2", "y", "3", "z");
        await OnOwner("zs:comb:{c}:a", "ZADD", "zs:comb:{c}:b", "10", "y", "20", "z", "30", "w");

        Assert.Equal(["x", "y", "z", "w"], await _client.SortedSetCombineAsync(SetOperation.Union, [a, b]));
        Assert.Equal([new SortedSetEntry<string>("x", 1), new("y", 12), new("z", 23), new("w", 30)], await _client.SortedSetCombineWithScoresAsync(SetOperation.Union, [a, b]));
        Assert.Equal([new SortedSetEntry<string>("y", 10), new("z", 20)], await _client.SortedSetCombineWithScoresAsync(SetOperation.Intersect, [a, b], aggregate: Aggregate.Max));
        Assert.Equal([new SortedSetEntry<string>("y", 2), new("z", 3)], await _client.SortedSetCombineWithScoresAsync(SetOperation.Intersect, [a, b], aggregate: Aggregate.Min));
        Assert.Equal([new SortedSetEntry<string>("w", 1.5), new("x", 2), new("y", 4.5), new("z", 7)], await _client.SortedSetCombineWithScoresAsync(SetOperation.Union, [a, b], [2, 0.05]));
        Assert.Equal([new SortedSetEntry<string>("x", 1)], await _client.SortedSetCombineWithScoresAsync(SetOperation.Difference, [a, b]));
        Assert.Equal(["x", "y", "z"], await _client.SortedSetCombineAsync(SetOperation.Difference, [a, missing]));
        Assert.Empty(await _client.SortedSetCombineAsync(SetOperation.Intersect, [a, missing]));
        Assert.Empty(await _client.SortedSetCombineWithScoresAsync(SetOperation.Union, [missing]));

        Assert.Equal(4, await _client.SortedSetCombineAndStoreAsync(SetOperation.Union, "zs:comb:{c}:dst", [a, b], [1, 2], Aggregate.Sum));
        Assert.Equal("x\n1\ny\n22\nz\n43\nw\n60", await OnOwner("zs:comb:{c}:a", "ZRANGE", "zs:comb:{c}:dst", "0", "-1", "WITHSCORES"));
        Assert.Equal(2, await _client.SortedSetCombineAndStoreAsync(SetOperation.Intersect, "zs:comb:{c}:dst", [a, b], aggregate: Aggregate.Min));
        Assert.Equal("y\n2\nz\n3", await OnOwner("zs:comb:{c}:a", "ZRANGE", "zs:comb:{c}:dst", "0", "-1", "WITHSCORES"));
        Assert.Equal(1, await _client.SortedSetCombineAndStoreAsync(SetOperation.Difference, "zs:comb:{c}:dst", [b, a]));
        Assert.Equal("w\n30", await OnOwner("zs:comb:{c}:a", "ZRANGE", "zs:comb:{c}:dst", "0", "-1", "WITHSCORES"));
        Assert.Equal(0, await _client.SortedSetCombineAndStoreAsync(SetOperation.Intersect, "zs:comb:{c}:dst", [a, missing]));
        Assert.Equal("0", await OnOwner("zs:comb:{c}:a", "EXISTS", "zs:comb:{c}:dst"));

        Assert.Equal(2, await _client.SortedSetIntersectionLengthAsync([a, b]));
        Assert.Equal(1, await _client.SortedSetIntersectionLengthAsync([a, b], limit: 1));
        Assert.Equal(3, await _client.SortedSetIntersectionLengthAsync([a]));
        Assert.Equal(0, await _client.SortedSetIntersectionLengthAsync([a, missing]));
    }

    [Fact]
    public async Task Binary_members_round_trip_exactly_through_the_bytes_variants()
    {
        const string key = "zs:bin:{b}";
        RedisKey k = key;
        await _client.KeyDeleteAsync(key);
        byte[] m1 = Binary(1), m2 = Binary(2), m3 = Binary(3);
        // 0xFF and 0xFE both decode to U+FFFD: as text they would be one member.
        byte[] ff = [0xFF], fe = [0xFE];
        Assert.Equal(5, await _client.SortedSetAddAsync(k, new Dictionary<RedisArgument, double> { [m1] = 1, [m2] = 2, [m3] = 3, [ff] = 4, [fe] = 4 }));
        string[] server = await ServerEntriesHex(key);
        Assert.Equal([Hex(m1) + " 1", Hex(m2) + " 2", Hex(m3) + " 3", "fe 4", "ff 4"], server);

        Assert.Equal([m1, m2, m3, fe, ff], await _client.SortedSetRangeByRankBytesAsync(k));
        SortedSetEntry<byte[]>[] withScores = await _client.SortedSetRangeByRankWithScoresBytesAsync(k, 0, 1, Order.Descending);
        Assert.Equal([ff, fe], withScores.Select(e => e.Member));
        Assert.Equal([4.0, 4.0], withScores.Select(e => e.Score));
        Assert.Equal([m2, m3], await _client.SortedSetRangeByScoreBytesAsync(k, ScoreBound.Exclusive(1), 3));
        Assert.Equal([m3, m2], (await _client.SortedSetRangeByScoreWithScoresBytesAsync(k, 2, 3, Order.Descending)).Select(e => e.Member));
        Assert.Equal([fe, ff], await _client.SortedSetRangeByValueBytesAsync(k, LexBound.Inclusive(fe), LexBound.Inclusive(ff)));
        Assert.Equal([ff], await _client.SortedSetRangeByValueBytesAsync(k, LexBound.Exclusive(fe), LexBound.Max));
        Assert.Equal(2.0, await _client.SortedSetScoreAsync(k, m2));
        Assert.Equal(new double?[] { 4, 4, null }, await _client.SortedSetScoresAsync(k, [ff, fe, Binary(9)]));
        Assert.Equal(1, await _client.SortedSetRankAsync(k, m2));

        byte[][] random = await _client.SortedSetRandomMembersBytesAsync(k, 5);
        Assert.Equal(5, random.Length);
        Assert.Equal(new[] { m1, m2, m3, fe, ff }.Select(Hex).Order(), random.Select(Hex).Order());
        Assert.Contains(Hex((await _client.SortedSetRandomMemberBytesAsync(k))!), server.Select(s => s.Split(' ')[0]));
        Assert.All(await _client.SortedSetRandomMembersWithScoresBytesAsync(k, -3), e => Assert.Contains(Hex(e.Member) + " " + Render(e.Score), server));

        var scanned = new List<string>();
        ulong cursor = 0;
        do
        {
            SortedSetScanPage<byte[]> page = await _client.SortedSetScanPageBytesAsync(k, cursor);
            scanned.AddRange(page.Entries.Select(e => Hex(e.Member) + " " + Render(e.Score)));
            cursor = page.Cursor;
        }
        while (cursor != 0);
        Assert.Equal(server.Order(), scanned.Order());
        var enumerated = new List<string>();
        await foreach (SortedSetEntry<byte[]> e in _client.SortedSetScanBytesAsync(k)) enumerated.Add(Hex(e.Member) + " " + Render(e.Score));
        Assert.Equal(server.Order(), enumerated.Order());

        const string other = "zs:bin:{b}:other";
        await _client.KeyDeleteAsync(other);
        await _client.SortedSetAddAsync(other, m2, 10);
        Assert.Equal([m1, m3, fe, ff], await _client.SortedSetCombineBytesAsync(SetOperation.Difference, [k, other]));
        Assert.Equal([m2], (await _client.SortedSetCombineWithScoresBytesAsync(SetOperation.Intersect, [k, other])).Select(e => e.Member));

        Assert.Equal(m1, (await _client.SortedSetPopBytesAsync(k))!.Value.Member);
        Assert.Equal([ff, fe], (await _client.SortedSetPopBytesAsync(k, 2, Order.Descending)).Select(e => e.Member));
        SortedSetPopResult<byte[]>? popped = await _client.SortedSetPopBytesAsync([k, other], 1, Order.Descending);
        Assert.Equal(Encoding.UTF8.GetBytes(key), popped!.Value.Key.ToArray());
        Assert.Equal([m3], popped.Value.Entries.Select(e => e.Member));
        Assert.Equal([Hex(m2) + " 2"], await ServerEntriesHex(key));
        Assert.True(await _client.SortedSetRemoveAsync(k, m2));
        Assert.Empty(await ServerEntriesHex(key));
    }

    /// <summary>One script of sorted-set commands on keys of one slot, each result rendered as text.</summary>
    private static List<Task<string>> Script(IRedisCommands redis, string tag)
    {
        async Task<string> Text<T>(ValueTask<T> result) => Render(await result);
        RedisKey z = tag + ":z", w = tag + ":w", dst = tag + ":dst", lex = tag + ":lex";
        return
        [
            Text(redis.KeyDeleteAsync(z)),
            Text(redis.KeyDeleteAsync(w)),
            Text(redis.KeyDeleteAsync(lex)),
            Text(redis.SortedSetAddAsync(z, new Dictionary<RedisArgument, double> { ["a"] = 1, ["b"] = 2.5, ["c"] = double.PositiveInfinity, ["d"] = -0.125 })),
            Text(redis.SortedSetAddAsync(z, "a", 1.5, SortedSetWhen.GreaterThan, change: true)),
            Text(redis.SortedSetAddIncrementAsync(z, "a", 1, SortedSetWhen.NotExists)),
            Text(redis.SortedSetAddIncrementAsync(z, "e", 2)),
            Text(redis.SortedSetIncrementAsync(z, "b", 0.5)),
            Text(redis.SortedSetScoreAsync(z, "c")),
            Text(redis.SortedSetScoresAsync(z, ["a", "zz", "d"])),
            Text(redis.SortedSetRankAsync(z, "b", Order.Descending)),
            Text(redis.SortedSetLengthAsync(z)),
            Text(redis.SortedSetLengthAsync(z, ScoreBound.Exclusive(1.5), ScoreBound.PositiveInfinity)),
            Text(redis.SortedSetRangeByRankWithScoresAsync(z)),
            Text(redis.SortedSetRangeByRankAsync(z, 0, 1, Order.Descending)),
            Text(redis.SortedSetRangeByScoreWithScoresAsync(z, 0, ScoreBound.PositiveInfinity, Order.Descending, 1, 2)),
            Text(redis.SortedSetRangeByScoreAsync(z, ScoreBound.NegativeInfinity, 2)),
            Text(redis.SortedSetAddAsync(lex, new Dictionary<RedisArgument, double> { ["a"] = 0, ["b"] = 0, ["c"] = 0 })),
            Text(redis.SortedSetRangeByValueAsync(lex, LexBound.Min, LexBound.Exclusive("c"))),
            Text(redis.SortedSetLengthByValueAsync(lex, LexBound.Inclusive("b"), LexBound.Max)),
            Text(redis.SortedSetRemoveRangeByValueAsync(lex, LexBound.Min, LexBound.Max)),
            Text(redis.SortedSetRangeByRankAndStoreAsync(z, dst, 0, 2)),
            Text(redis.SortedSetAddAsync(w, "a", 100)),
            Text(redis.SortedSetCombineWithScoresAsync(SetOperation.Union, [z, w], [1, 0.5], Aggregate.Max)),
            Text(redis.SortedSetCombineAsync(SetOperation.Difference, [z, w])),
            Text(redis.SortedSetCombineAndStoreAsync(SetOperation.Intersect, dst, [z, w])),
            Text(redis.SortedSetIntersectionLengthAsync([z, dst])),
            Text(redis.SortedSetRandomMembersAsync(w, 3)),
            Text(redis.SortedSetScanPageAsync(w)),
            Text(redis.SortedSetPopAsync(z)),
            Text(redis.SortedSetPopAsync(z, 2, Order.Descending)),
            Text(redis.SortedSetPopAsync([tag + ":none", z], 5)),
            Text(redis.SortedSetRemoveAsync(w, ["a", "zz"])),
            Text(redis.SortedSetRemoveRangeByScoreAsync(dst, ScoreBound.NegativeInfinity, ScoreBound.PositiveInfinity)),
            Text(redis.SortedSetPopAsync(z)),
            Text(redis.SortedSetPopAsync([z, w])),
        ];
    }

    private const string ScriptAnswer =
        "False|False|False|4|True|(nil)|2|3|inf|[1.5,(nil),-0.125]|1|5|3|[d=-0.125,a=1.5,e=2,b=3,c=inf]|[c,b]|[b=3,e=2]|[d,a,e]|3|[a,b]|2|3|3|True" +
        "|[d=-0.125,e=2,b=3,a=50,c=inf]|[d,e,b,c]|1|1|[a]|0:[a=100]|d=-0.125|[c=inf,b=3]|{TAG}:z:[a=1.5,e=2]|1|1|(nil)|(nil)";

    private static string Expected(string tag) => ScriptAnswer.Replace("{TAG}", tag, StringComparison.Ordinal);

    [Fact]
    public async Task The_same_script_gives_the_same_answers_on_client_batch_transaction_and_resp2()
    {
        var fromClient = new List<string>();
        foreach (Task<string> step in Script(_client, "{zs-c}")) fromClient.Add(await step);
        Assert.Equal(Expected("{zs-c}"), string.Join("|", fromClient));

        ClusterBatch batch = _client.CreateBatch();
        List<Task<string>> batched = Script(batch, "{zs-b}");
        batch.Execute();
        Assert.Equal(Expected("{zs-b}"), string.Join("|", await Task.WhenAll(batched)));

        ClusterTransaction tx = _client.CreateTransaction();
        List<Task<string>> queued = Script(tx, "{zs-t}");
        Assert.True(await tx.CommitAsync());
        Assert.Equal(Expected("{zs-t}"), string.Join("|", await Task.WhenAll(queued)));

        await using ClusterClient resp2 = await ClusterClient.ConnectAsync(ConfigurationString + ",protocol=resp2");
        var fromResp2 = new List<string>();
        foreach (Task<string> step in Script(resp2, "{zs-2}")) fromResp2.Add(await step);
        Assert.Equal(Expected("{zs-2}"), string.Join("|", fromResp2));

        // What every surface left behind, as the server shows: z and w popped empty, dst and lex emptied by ZREMRANGEBY*.
        foreach (string tag in (string[])["{zs-c}", "{zs-b}", "{zs-t}", "{zs-2}"])
        {
            Assert.Equal("0", await OnOwner(tag, "EXISTS", tag + ":z", tag + ":w", tag + ":dst", tag + ":lex"));
        }
    }

    [Fact]
    public async Task Resp2_reads_binary_members_and_infinite_scores_alike()
    {
        await using ClusterClient resp2 = await ClusterClient.ConnectAsync(ConfigurationString + ",protocol=resp2");
        const string key = "zs:r2:{bin}";
        await resp2.KeyDeleteAsync(key);
        await resp2.SortedSetAddAsync(key, new Dictionary<RedisArgument, double> { [Binary(1)] = double.NegativeInfinity, [Binary(2)] = 0.5, [Binary(3)] = double.PositiveInfinity });
        SortedSetEntry<byte[]>[] three = await resp2.SortedSetRangeByRankWithScoresBytesAsync(key);
        Assert.Equal([Binary(1), Binary(2), Binary(3)], three.Select(e => e.Member));
        Assert.Equal([double.NegativeInfinity, 0.5, double.PositiveInfinity], three.Select(e => e.Score));
        Assert.Equal(Render(three), Render(await _client.SortedSetRangeByRankWithScoresBytesAsync(key)));
        Assert.Equal(Render(await _client.SortedSetScanPageBytesAsync(key)), Render(await resp2.SortedSetScanPageBytesAsync(key)));
        Assert.Equal(double.PositiveInfinity, await resp2.SortedSetScoreAsync(key, Binary(3)));
        Assert.Equal(new double?[] { double.NegativeInfinity, null }, await resp2.SortedSetScoresAsync(key, [Binary(1), Binary(4)]));
        Assert.Equal(Binary(3), (await resp2.SortedSetPopBytesAsync(key, Order.Descending))!.Value.Member);
        SortedSetPopResult<byte[]>? popped = await resp2.SortedSetPopBytesAsync([(RedisKey)key], 2);
        Assert.Equal([Binary(1), Binary(2)], popped!.Value.Entries.Select(e => e.Member));
        Assert.Equal([double.NegativeInfinity, 0.5], popped.Value.Entries.Select(e => e.Score));
        Assert.Equal("0", await OnOwner(key, "EXISTS", key));
    }

    [Fact]
    public async Task Keys_in_different_slots_are_refused_on_every_surface_before_anything_is_sent()
    {
        RedisKey a = "zs:x:{one}", b = "zs:x:{two}";
        Assert.NotEqual(ClusterClient.GetSlot("zs:x:{one}"), ClusterClient.GetSlot("zs:x:{two}"));
        await _client.KeyDeleteAsync(a);
        await _client.KeyDeleteAsync(b);
        await _client.SortedSetAddAsync(a, "m", 1);
        await _client.SortedSetAddAsync(b, "m", 2);
        IRedisCommands[] surfaces = [_client, _client.CreateBatch(), _client.CreateTransaction()];
        foreach (IRedisCommands redis in surfaces)
        {
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SortedSetRangeByRankAndStoreAsync(a, b); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SortedSetRangeByScoreAndStoreAsync(a, "zs:x:{two}:dst", 0, 10); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SortedSetRangeByValueAndStoreAsync(a, "zs:x:{two}:dst", LexBound.Min, LexBound.Max); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SortedSetCombineAsync(SetOperation.Union, [a, b]); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SortedSetCombineWithScoresBytesAsync(SetOperation.Intersect, [a, b]); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SortedSetCombineAndStoreAsync(SetOperation.Union, "zs:x:{one}:dst", [a, b]); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SortedSetCombineAndStoreAsync(SetOperation.Difference, "zs:x:{two}:dst", [a]); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SortedSetIntersectionLengthAsync([a, b]); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SortedSetPopAsync([a, b], 1); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SortedSetPopBytesAsync([b, a], 1); });
        }
        Assert.Equal(0, ((ClusterBatch)surfaces[1]).Count);
        Assert.True(await ((ClusterTransaction)surfaces[2]).CommitAsync()); // nothing was queued: an empty transaction
        // Nothing reached the server: no destination was written, nothing was popped.
        Assert.Equal("0", await OnOwner("zs:x:{two}", "EXISTS", "zs:x:{two}:dst"));
        Assert.Equal("0", await OnOwner("zs:x:{one}", "EXISTS", "zs:x:{one}:dst"));
        Assert.Equal("m\n1", await OnOwner("zs:x:{one}", "ZRANGE", "zs:x:{one}", "0", "-1", "WITHSCORES"));
        Assert.Equal("m\n2", await OnOwner("zs:x:{two}", "ZRANGE", "zs:x:{two}", "0", "-1", "WITHSCORES"));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_on_every_surface_before_anything_is_sent()
    {
        const string key = "zs:bad:{b}";
        await _client.KeyDeleteAsync(key);
        IRedisCommands[] surfaces = [_client, _client.CreateBatch(), _client.CreateTransaction()];
        foreach (IRedisCommands redis in surfaces)
        {
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetAddAsync(key, "m", 1, SortedSetWhen.Exists | SortedSetWhen.NotExists); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetAddAsync(key, "m", 1, SortedSetWhen.GreaterThan | SortedSetWhen.LessThan); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetAddAsync(key, "m", 1, SortedSetWhen.NotExists | SortedSetWhen.GreaterThan); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SortedSetAddAsync(key, "m", 1, (SortedSetWhen)64); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetAddAsync(key, "m", double.NaN); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetAddAsync(key, new Dictionary<RedisArgument, double>()); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetAddAsync(key, new Dictionary<RedisArgument, double> { ["a"] = 1, ["b"] = double.NaN }); });
            Assert.Throws<ArgumentNullException>(() => { _ = redis.SortedSetAddAsync(key, (IEnumerable<KeyValuePair<RedisArgument, double>>)null!); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetAddIncrementAsync(key, "m", 1, SortedSetWhen.Exists | SortedSetWhen.NotExists); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetIncrementAsync(key, "m", double.NaN); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetRemoveAsync(key, Array.Empty<RedisArgument>()); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetScoresAsync(key, []); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SortedSetRankAsync(key, "m", (Order)7); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SortedSetRangeByScoreAsync(key, 0, 1, offset: -1, count: 2); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SortedSetRangeByValueAsync(key, LexBound.Min, LexBound.Max, count: -2); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetRangeByValueAsync(key, default, LexBound.Max); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetLengthByValueAsync(key, LexBound.Min, default); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetRemoveRangeByValueAsync(key, default, default); });
            Assert.Throws<ArgumentException>(() => ScoreBound.Exclusive(double.NaN));
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SortedSetPopAsync(key, -1); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SortedSetPopAsync([(RedisKey)key], 0); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetPopAsync(Array.Empty<RedisKey>(), 1); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SortedSetScanPageAsync(key, pageSize: 0); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetCombineAsync(SetOperation.Union, []); });
            Assert.Throws<ArgumentNullException>(() => { _ = redis.SortedSetCombineAsync(SetOperation.Union, null!); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetCombineAsync(SetOperation.Union, [key, key + "2"], [1]); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetCombineAsync(SetOperation.Difference, [key], [1]); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetCombineAndStoreAsync(SetOperation.Difference, key + ":dst", [key], aggregate: Aggregate.Max); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SortedSetCombineAsync((SetOperation)9, [key]); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SortedSetCombineAsync(SetOperation.Union, [key], aggregate: (Aggregate)9); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SortedSetCombineAsync(SetOperation.Union, [key], [double.NaN]); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SortedSetIntersectionLengthAsync([key], -1); });
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = _client.SortedSetScanAsync(key, pageSize: 0); });
        Assert.Equal(0, ((ClusterBatch)surfaces[1]).Count);
        Assert.True(await ((ClusterTransaction)surfaces[2]).CommitAsync());
        Assert.Equal("0", await OnOwner(key, "EXISTS", key, key + ":dst"));
    }
}

/// <summary><see cref="SortedSetCommandTests"/> on the shared 3×1 cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterSortedSetCommandTests(ClusterFixture fixture) : SortedSetCommandTests
{
    protected override string ConfigurationString => fixture.Cluster.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.Cluster.OnOwner(key, command);
}

/// <summary><see cref="SortedSetCommandTests"/> on a single redis-server without cluster mode: one node owns every slot.</summary>
public sealed class StandaloneSortedSetCommandTests(StandaloneServerFixture fixture) : SortedSetCommandTests, IClassFixture<StandaloneServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);
}

/// <summary><see cref="SortedSetCommandTests"/> on a primary with two replicas without cluster mode: one node owns every slot.</summary>
public sealed class ReplicatedSortedSetCommandTests(ReplicatedServerFixture fixture) : SortedSetCommandTests, IClassFixture<ReplicatedServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);
}
