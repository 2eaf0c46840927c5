using System.Security.Cryptography;
using System.Text;
using Keyslot.IntegrationTests.Infrastructure;

namespace Keyslot.IntegrationTests.Commands;

/// <summary>
/// The typed set commands, each checked against what the server holds afterwards (read back on the slot's owner over
/// a connection of the test's own), on the client, a batch and a transaction, over RESP3 and RESP2; SUNION, SINTER and
/// SDIFF across slots computed exactly by the client and refused by batches and transactions.
/// </summary>
public abstract class SetCommandTests : IAsyncLifetime
{
    /// <summary>The SHA-1 of each member of a set, computed by the server, sorted: exact bytes, whatever they hold.</summary>
    private const string Sha1OfMembers =
        "local r = {} for i, v in ipairs(redis.call('SMEMBERS', KEYS[1])) do r[i] = redis.sha1hex(v) end table.sort(r) return r";

    private ClusterClient _client = null!;

    /// <summary>What the client is configured with.</summary>
    protected abstract string ConfigurationString { get; }

    /// <summary>Runs a command on the node that owns <paramref name="key"/>, outside the client under test.</summary>
    protected abstract Task<string> OnOwner(string key, params string[] command);

    /// <summary>Runs a command on every node, replicas included, outside the client under test.</summary>
    protected abstract Task<string[]> OnEveryNode(params string[] command);

    /// <summary>How many primaries the keys of many slots spread over.</summary>
    protected abstract int PrimaryCount { get; }

    /// <summary>The port of the primary that owns <paramref name="slot"/>.</summary>
    protected abstract Task<int> OwnerPortAsync(int slot);

    /// <summary>
    /// Whether the client splits SUNION, SINTER and SDIFF of keys in several slots into one command per slot (a
    /// cluster), rather than sending each whole to the one node that owns every slot.
    /// </summary>
    protected abstract bool SplitsBySlot { get; }

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private static string[] Lines(string text) => text.Length == 0 ? [] : text.Split('\n');

    /// <summary>The members the server holds, sorted (ordinal).</summary>
    private async Task<string[]> ServerSet(string key) => Sorted(Lines(await OnOwner(key, "SMEMBERS", key)));

    private async Task<string[]> ServerSha1s(string key) => Lines(await OnOwner(key, "EVAL", Sha1OfMembers, "1", key));

    private async Task<bool> ServerHas(string key) => await OnOwner(key, "EXISTS", key) == "1";

    private async Task Fresh(params string[] keys)
    {
        foreach (string key in keys) await OnOwner(key, "DEL", key);
    }

    private static string[] Sorted(IEnumerable<string> values) => values.Order(StringComparer.Ordinal).ToArray();

    /// <summary>How often the nodes saw each of <paramref name="commands"/> (executed or rejected), summed over every node.</summary>
    private async Task<long[]> SeenByServers(params string[] commands)
    {
        var seen = new long[commands.Length];
        foreach (string info in await OnEveryNode("INFO", "commandstats"))
        {
            IReadOnlyDictionary<string, CommandStats> stats = CommandStats.Parse(info);
            for (int i = 0; i < commands.Length; i++)
            {
                CommandStats one = CommandStats.Of(stats, commands[i]);
                seen[i] += one.Calls + one.Rejected;
            }
        }
        return seen;
    }

    private static string Sha1(byte[] value) => Convert.ToHexStringLower(SHA1.HashData(value));

    private static string[] Sha1s(IEnumerable<byte[]> values) => values.Select(Sha1).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every byte value once, led by 0xC3 0x28 (invalid UTF-8), rotated by <paramref name="seed"/>.</summary>
    private static byte[] Binary(int seed)
    {
        var value = new byte[258];
        value[0] = 0xC3;
        value[1] = 0x28;
        for (int i = 0; i < 256; i++) value[i + 2] = (byte)(i + seed);
        return value;
    }

    [Fact]
    public async Task Add_remove_members_and_membership_match_the_server()
    {
        const string key = "set:{basic}";
        await Fresh(key);

        Assert.True(await _client.SetAddAsync(key, "a"));
        Assert.False(await _client.SetAddAsync(key, "a"));
        Assert.Equal(3, await _client.SetAddAsync(key, ["b", "c", "d", "a"]));
        Assert.Equal(["a", "b", "c", "d"], await ServerSet(key));
        Assert.Equal(["a", "b", "c", "d"], Sorted(await _client.SetMembersAsync(key)));
        Assert.Equal(4, await _client.SetLengthAsync(key));

        Assert.True(await _client.SetContainsAsync(key, "b"));
        Assert.False(await _client.SetContainsAsync(key, "zz"));
        Assert.Equal(new[] { true, false, true }, await _client.SetContainsAsync(key, ["a", "zz", "d"]));

        Assert.True(await _client.SetRemoveAsync(key, "a"));
        Assert.False(await _client.SetRemoveAsync(key, "a"));
        Assert.Equal(2, await _client.SetRemoveAsync(key, ["b", "c", "nope"]));
        Assert.Equal(["d"], await ServerSet(key));
        Assert.Equal(1, await _client.SetRemoveAsync(key, ["d"]));
        Assert.False(await ServerHas(key)); // the last member gone: so is the key
    }

    [Fact]
    public async Task Missing_keys_answer_null_empty_false_and_zero()
    {
        const string key = "set:{missing}", other = "set:{missing}:2", destination = "set:{missing}:dst";
        await Fresh(key, other, destination);

        Assert.Empty(await _client.SetMembersAsync(key));
        Assert.Empty(await _client.SetMembersBytesAsync(key));
        Assert.Equal(0, await _client.SetLengthAsync(key));
        Assert.False(await _client.SetContainsAsync(key, "a"));
        Assert.Equal(new[] { false, false }, await _client.SetContainsAsync(key, ["a", "b"]));
        Assert.Null(await _client.SetPopAsync(key));
        Assert.Null(await _client.SetPopBytesAsync(key));
        Assert.Empty(await _client.SetPopAsync(key, 3));
        Assert.Null(await _client.SetRandomMemberAsync(key));
        Assert.Null(await _client.SetRandomMemberBytesAsync(key));
        Assert.Empty(await _client.SetRandomMembersAsync(key, 3));
        Assert.Empty(await _client.SetRandomMembersBytesAsync(key, -3));
        SetScanPage<string> page = await _client.SetScanPageAsync(key);
        Assert.Equal(0ul, page.Cursor);
        Assert.Empty(page.Members);
        var scanned = new List<string>();
        await foreach (string member in _client.SetScanAsync(key)) scanned.Add(member);
        Assert.Empty(scanned);
        Assert.Empty(await _client.SetCombineAsync(SetOperation.Union, [key, other]));
        Assert.Empty(await _client.SetCombineBytesAsync(SetOperation.Intersect, [key, other]));
        Assert.Equal(0, await _client.SetIntersectionLengthAsync([key, other]));
        Assert.False(await _client.SetMoveAsync(key, destination, "a"));
        Assert.False(await ServerHas(destination));

        // A STORE of nothing deletes the destination it would replace.
        await _client.SetAddAsync(destination, "old");
        Assert.Equal(0, await _client.SetCombineAndStoreAsync(SetOperation.Union, destination, [key, other]));
        Assert.False(await ServerHas(destination));
    }

    [Fact]
    public async Task Pop_removes_and_random_member_reads_without_removing()
    {
        const string key = "set:{pop}";
        await Fresh(key);
        string[] members = ["m1", "m2", "m3", "m4", "m5"];
        await _client.SetAddAsync(key, members.Select(m => (RedisArgument)m).ToArray());

        string? one = await _client.SetRandomMemberAsync(key);
        Assert.Contains(one, members);
        string[] distinct = await _client.SetRandomMembersAsync(key, 3);
        Assert.Equal(3, distinct.Distinct().Count());
        Assert.All(distinct, m => Assert.Contains(m, members));
        Assert.Equal(members, Sorted(await _client.SetRandomMembersAsync(key, 10))); // more than there are: each once
        string[] repeated = await _client.SetRandomMembersAsync(key, -12); // negative: exactly 12, repeats allowed
        Assert.Equal(12, repeated.Length);
        Assert.All(repeated, m => Assert.Contains(m, members));
        Assert.Empty(await _client.SetRandomMembersAsync(key, 0));
        Assert.Equal(members, await ServerSet(key)); // reading removed nothing

        string? popped = await _client.SetPopAsync(key);
        Assert.Contains(popped, members);
        string[] two = await _client.SetPopAsync(key, 2);
        Assert.Equal(2, two.Length);
        string[] left = await ServerSet(key);
        Assert.Equal(2, left.Length);
        Assert.Equal(members, Sorted(left.Concat(two).Append(popped!)));
        Assert.Equal(left, Sorted(await _client.SetPopAsync(key, 10)));
        Assert.False(await ServerHas(key));
    }

    [Fact]
    public async Task Binary_members_round_trip_exactly_through_the_bytes_forms()
    {
        const string key = "set:{bin}", other = "set:{bin}:2", destination = "set:{bin}:dst";
        await Fresh(key, other, destination);
        byte[][] members = [Binary(1), Binary(2), Binary(3), Binary(4)];

        Assert.True(await _client.SetAddAsync(key, Binary(1)));
        Assert.Equal(3, await _client.SetAddAsync(key, [Binary(2), Binary(3), Binary(4), Binary(1)]));
        Assert.Equal(Sha1s(members), await ServerSha1s(key));
        Assert.Equal(Sha1s(members), Sha1s(await _client.SetMembersBytesAsync(key)));
        Assert.True(await _client.SetContainsAsync(key, Binary(3)));
        Assert.Equal(new[] { true, false }, await _client.SetContainsAsync(key, [Binary(4), Binary(5)]));
        Assert.Contains(Sha1((await _client.SetRandomMemberBytesAsync(key))!), Sha1s(members));
        Assert.Equal(Sha1s(members), Sha1s(await _client.SetRandomMembersBytesAsync(key, 10)));

        await _client.SetAddAsync(other, [Binary(3), Binary(4), Binary(9)]);
        Assert.Equal(Sha1s([Binary(3), Binary(4)]), Sha1s(await _client.SetCombineBytesAsync(SetOperation.Intersect, [key, other])));
        Assert.Equal(Sha1s([Binary(1), Binary(2)]), Sha1s(await _client.SetCombineBytesAsync(SetOperation.Difference, [key, other])));
        Assert.Equal(5, (await _client.SetCombineBytesAsync(SetOperation.Union, [key, other])).Length);

        Assert.True(await _client.SetMoveAsync(key, destination, Binary(1)));
        Assert.Equal([Sha1(Binary(1))], await ServerSha1s(destination));
        Assert.True(await _client.SetRemoveAsync(key, Binary(2)));
        Assert.Equal(Sha1s([Binary(3), Binary(4)]), await ServerSha1s(key));

        byte[]? popped = await _client.SetPopBytesAsync(key);
        byte[][] rest = await _client.SetPopBytesAsync(key, 5);
        Assert.Equal(Sha1s([Binary(3), Binary(4)]), Sha1s(rest.Append(popped!)));
        Assert.False(await ServerHas(key));

        // The text form decodes as UTF-8 (lossy for these bytes): that is what the bytes forms are for.
        Assert.NotEqual(Binary(1), Encoding.UTF8.GetBytes((await _client.SetMembersAsync(destination)).Single()));
    }

    [Fact]
    public async Task Sscan_pages_with_a_cursor_and_the_client_enumerates_the_whole_set()
    {
        const string key = "set:{scan}";
        await Fresh(key);
        string[] members = Enumerable.Range(0, 600).Select(i => "member:" + i).ToArray();
        await _client.SetAddAsync(key, members.Select(m => (RedisArgument)m).ToArray());
        Assert.Equal(600, long.Parse(await OnOwner(key, "SCARD", key)));

        // One page at a time on the base surface: several pages (a hashtable set), each with its cursor.
        var paged = new List<string>();
        int pages = 0;
        ulong cursor = 0;
        do
        {
            SetScanPage<string> page = await _client.SetScanPageAsync(key, cursor, pageSize: 50);
            paged.AddRange(page.Members);
            cursor = page.Cursor;
            pages++;
        }
        while (cursor != 0);
        Assert.True(pages > 2, $"600 members at 50 a page should take several pages, not {pages}");
        Assert.Equal(Sorted(members), Sorted(paged.Distinct()));

        // The client's enumeration: everything, or only what matches, whatever the page size.
        var all = new List<string>();
        await foreach (string member in _client.SetScanAsync(key, pageSize: 7)) all.Add(member);
        Assert.Equal(Sorted(members), Sorted(all.Distinct()));
        var matching = new List<string>();
        await foreach (string member in _client.SetScanAsync(key, "member:1?", pageSize: 1000)) matching.Add(member);
        Assert.Equal(Sorted(Lines(await OnOwner(key, "EVAL",
            "local r = {} for _, v in ipairs(redis.call('SMEMBERS', KEYS[1])) do if string.match(v, '^member:1.$') then r[#r + 1] = v end end return r", "1", key))),
            Sorted(matching));
        Assert.Equal(10, matching.Count);

        // Binary members come back exactly through the bytes forms.
        const string binary = "set:{scan}:bin";
        await Fresh(binary);
        await _client.SetAddAsync(binary, [Binary(1), Binary(2), Binary(3)]);
        var bytes = new List<byte[]>();
        await foreach (byte[] member in _client.SetScanBytesAsync(binary, pageSize: 1)) bytes.Add(member);
        Assert.Equal(await ServerSha1s(binary), Sha1s(bytes));
        SetScanPage<byte[]> first = await _client.SetScanPageBytesAsync(binary);
        Assert.Equal(0ul, first.Cursor); // a small set answers in one page
        Assert.Equal(await ServerSha1s(binary), Sha1s(first.Members));
    }

    [Fact]
    public async Task Combine_store_intercard_and_move_within_one_slot_match_the_server()
    {
        const string a = "set:{ops}:a", b = "set:{ops}:b", c = "set:{ops}:c", destination = "set:{ops}:dst";
        await Fresh(a, b, c, destination);
        await _client.SetAddAsync(a, ["1", "2", "3", "4"]);
        await _client.SetAddAsync(b, ["3", "4", "5"]);
        await _client.SetAddAsync(c, ["4", "6"]);

        Assert.Equal(["1", "2", "3", "4", "5", "6"], Sorted(await _client.SetCombineAsync(SetOperation.Union, [a, b, c])));
        Assert.Equal(["4"], await _client.SetCombineAsync(SetOperation.Intersect, [a, b, c]));
        Assert.Equal(["1", "2"], Sorted(await _client.SetCombineAsync(SetOperation.Difference, [a, b, c])));
        Assert.Equal(["5"], Sorted(await _client.SetCombineAsync(SetOperation.Difference, [b, a])));
        Assert.Equal(["3", "4", "5"], Sorted(await _client.SetCombineAsync(SetOperation.Union, [b]))); // one key

        Assert.Equal(6, await _client.SetCombineAndStoreAsync(SetOperation.Union, destination, [a, b, c]));
        Assert.Equal(["1", "2", "3", "4", "5", "6"], await ServerSet(destination));
        Assert.Equal(2, await _client.SetCombineAndStoreAsync(SetOperation.Intersect, destination, [a, b]));
        Assert.Equal(["3", "4"], await ServerSet(destination));
        Assert.Equal(1, await _client.SetCombineAndStoreAsync(SetOperation.Difference, destination, [destination, c])); // a source may be the destination
        Assert.Equal(["3"], await ServerSet(destination));

        Assert.Equal(2, await _client.SetIntersectionLengthAsync([a, b]));
        Assert.Equal(1, await _client.SetIntersectionLengthAsync([a, b], limit: 1));
        Assert.Equal(2, await _client.SetIntersectionLengthAsync([a, b], limit: 100));
        Assert.Equal(4, await _client.SetIntersectionLengthAsync([a]));

        Assert.True(await _client.SetMoveAsync(a, c, "1"));
        Assert.False(await _client.SetMoveAsync(a, c, "1"));
        Assert.Equal(["2", "3", "4"], await ServerSet(a));
        Assert.Equal(["1", "4", "6"], await ServerSet(c));
        Assert.True(await _client.SetMoveAsync(a, c, "4")); // already in the destination: removed from the source only
        Assert.Equal(["2", "3"], await ServerSet(a));
        Assert.Equal(["1", "4", "6"], await ServerSet(c));
    }

    [Fact]
    public async Task Union_intersection_and_difference_across_slots_are_computed_exactly_by_the_client()
    {
        // Keys in many slots, on every primary; the first slot holds two keys (a per-slot SDIFF with a second key).
        string[] keys = ["set:{x1}:first", "set:{x1}:second", "set:{x2}", "set:{x3}", "set:{x4}", "set:{x5}"];
        var owners = new HashSet<int>();
        foreach (string key in keys) owners.Add(await OwnerPortAsync(ClusterClient.GetSlot(key)));
        Assert.Equal(PrimaryCount, owners.Count);
        Assert.Equal(5, keys.Select(ClusterClient.GetSlot).Distinct().Count());
        await Fresh(keys);

        // Two members that are different bytes yet decode to the same text (each invalid byte becomes U+FFFD).
        byte[] lookalike1 = [0xFF, 0x41], lookalike2 = [0xFE, 0x41];
        Assert.Equal(Encoding.UTF8.GetString(lookalike1), Encoding.UTF8.GetString(lookalike2));
        var contents = new byte[][][]
        {
            [[(byte)'a'], [(byte)'b'], [(byte)'c'], [(byte)'d'], [(byte)'e'], Binary(1), Binary(7), lookalike1, lookalike2],
            [[(byte)'b'], [(byte)'c'], [(byte)'d'], Binary(1), lookalike1, Binary(2)],
            [[(byte)'a'], [(byte)'c'], [(byte)'d'], Binary(1), lookalike1],
            [[(byte)'c'], [(byte)'d'], Binary(1), lookalike1, [(byte)'z']],
            [[(byte)'a'], [(byte)'c'], [(byte)'d'], Binary(1), lookalike1, lookalike2],
            [[(byte)'c'], Binary(1), lookalike1, lookalike2, [(byte)'d']],
        };
        for (int i = 0; i < keys.Length; i++) await _client.SetAddAsync(keys[i], contents[i].Select(m => (RedisArgument)m).ToArray());
        RedisKey[] all = keys.Select(k => (RedisKey)k).ToArray();

        HashSet<string> expectedUnion = [], expectedIntersection = [.. contents[0].Select(Sha1)], expectedDifference = [.. contents[0].Select(Sha1)];
        for (int i = 0; i < contents.Length; i++)
        {
            expectedUnion.UnionWith(contents[i].Select(Sha1));
            expectedIntersection.IntersectWith(contents[i].Select(Sha1));
            if (i > 0) expectedDifference.ExceptWith(contents[i].Select(Sha1));
        }
        Assert.Equal(11, expectedUnion.Count);
        Assert.Equal(Sha1s([[(byte)'c'], [(byte)'d'], Binary(1), lookalike1]), Sorted(expectedIntersection));
        Assert.Equal(Sha1s([[(byte)'e'], Binary(7)]), Sorted(expectedDifference));

        // One part per slot (5 slots), each run by the node that owns it: no CROSSSLOT, no redirect.
        long[] before = await SeenByServers("sunion", "sinter", "sdiff");
        Assert.Equal(Sorted(expectedUnion), Sha1s(await _client.SetCombineBytesAsync(SetOperation.Union, all)));
        Assert.Equal(Sorted(expectedIntersection), Sha1s(await _client.SetCombineBytesAsync(SetOperation.Intersect, all)));
        Assert.Equal(Sorted(expectedDifference), Sha1s(await _client.SetCombineBytesAsync(SetOperation.Difference, all)));
        long[] after = await SeenByServers("sunion", "sinter", "sdiff");
        // Split: union, 5 SUNION; intersection, 5 SINTER; difference, 1 SDIFF (the first slot, two keys) and 4 SUNION.
        // Whole (one node owns every slot): one SUNION, one SINTER and one SDIFF.
        long[] expectedCalls = SplitsBySlot ? [5 + 4, 5, 1] : [1, 1, 1];
        Assert.Equal(expectedCalls, after.Zip(before, (x, y) => x - y).ToArray());
        byte[][] difference = await _client.SetCombineBytesAsync(SetOperation.Difference, [all[0], all[2], all[3]]);
        Assert.Equal(Sha1s([[(byte)'b'], [(byte)'e'], Binary(7), lookalike2]), Sha1s(difference));

        // The text forms merge on the bytes too: two distinct members stay two, even though they read the same.
        string[] unionText = await _client.SetCombineAsync(SetOperation.Union, all);
        Assert.Equal(11, unionText.Length);
        Assert.Equal(2, unionText.Count(m => m == "\uFFFDA"));
        Assert.Equal(["a", "b", "c", "d", "e", "z"], Sorted(unionText.Where(m => m.Length == 1)));
        Assert.Equal(["c", "d"], Sorted((await _client.SetCombineAsync(SetOperation.Intersect, all)).Where(m => m.Length == 1)));
        Assert.Equal(["b", "e"], Sorted((await _client.SetCombineAsync(SetOperation.Difference, [all[0], all[2], all[3], all[4]])).Where(m => m.Length == 1)));

        // The same answers as one server computes for the same data in one slot.
        for (int i = 0; i < keys.Length; i++) await Fresh("set:{x-same}:" + i);
        for (int i = 0; i < keys.Length; i++) await _client.SetAddAsync("set:{x-same}:" + i, contents[i].Select(m => (RedisArgument)m).ToArray());
        RedisKey[] same = Enumerable.Range(0, keys.Length).Select(i => (RedisKey)("set:{x-same}:" + i)).ToArray();
        foreach (SetOperation operation in (SetOperation[])[SetOperation.Union, SetOperation.Intersect, SetOperation.Difference])
        {
            Assert.Equal(Sha1s(await _client.SetCombineBytesAsync(operation, same)), Sha1s(await _client.SetCombineBytesAsync(operation, all)));
        }
        // Reads only: every source is as it was.
        for (int i = 0; i < keys.Length; i++) Assert.Equal(Sha1s(contents[i]), await ServerSha1s(keys[i]));
    }

    [Fact]
    public async Task Multi_key_set_commands_across_slots_are_refused_before_anything_is_sent()
    {
        const string a = "set:{cross-a}", b = "set:{cross-b}", destination = "set:{cross-dst}";
        Assert.Equal(3, new[] { a, b, destination }.Select(ClusterClient.GetSlot).Distinct().Count());
        await Fresh(a, b, destination);
        await _client.SetAddAsync(a, ["1", "2"]);
        await _client.SetAddAsync(b, ["2", "3"]);
        string[] refused = ["sunionstore", "sinterstore", "sdiffstore", "sintercard", "smove", "sunion", "sinter", "sdiff"];
        long[] before = await SeenByServers(refused);

        ClusterBatch batch = _client.CreateBatch();
        ClusterTransaction tx = _client.CreateTransaction();
        foreach (IRedisCommands redis in (IRedisCommands[])[_client, batch, tx])
        {
            // Writes and counts are never split: refused on every surface, the client included.
            foreach (SetOperation operation in (SetOperation[])[SetOperation.Union, SetOperation.Intersect, SetOperation.Difference])
            {
                Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SetCombineAndStoreAsync(operation, destination, [a, b]); });
                Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SetCombineAndStoreAsync(operation, destination, [destination, a]); });
            }
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SetIntersectionLengthAsync([a, b]); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SetMoveAsync(a, destination, "1"); });
        }
        // SUNION/SINTER/SDIFF: split by the client, refused by a batch and a transaction (which cannot split them).
        foreach (IRedisCommands redis in (IRedisCommands[])[batch, tx])
        {
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SetCombineAsync(SetOperation.Union, [a, b]); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SetCombineBytesAsync(SetOperation.Intersect, [a, b]); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.SetCombineAsync(SetOperation.Difference, [b, a]); });
        }
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, tx.Count);
        Assert.Equal(before, await SeenByServers(refused)); // no node saw any of them
        Assert.Equal(["1", "2", "3"], Sorted(await _client.SetCombineAsync(SetOperation.Union, [a, b])));
        Assert.Equal(["3"], await _client.SetCombineAsync(SetOperation.Difference, [b, a]));

        // Nothing reached the server: no destination, nothing moved.
        Assert.False(await ServerHas(destination));
        Assert.Equal(["1", "2"], await ServerSet(a));
        Assert.Equal(["2", "3"], await ServerSet(b));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_on_every_surface_before_anything_is_sent()
    {
        const string key = "set:{bad}", destination = "set:{bad}:dst";
        await Fresh(key, destination);
        ClusterBatch batch = _client.CreateBatch();
        ClusterTransaction tx = _client.CreateTransaction();
        foreach (IRedisCommands redis in (IRedisCommands[])[_client, batch, tx])
        {
            Assert.Throws<ArgumentException>(() => { _ = redis.SetAddAsync(key, Array.Empty<RedisArgument>()); });
            Assert.Throws<ArgumentNullException>(() => { _ = redis.SetAddAsync(key, (RedisArgument[])null!); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SetRemoveAsync(key, Array.Empty<RedisArgument>()); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SetContainsAsync(key, Array.Empty<RedisArgument>()); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SetPopAsync(key, 0); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SetPopBytesAsync(key, -2); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SetRandomMembersAsync(key, long.MinValue); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SetScanPageAsync(key, pageSize: 0); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SetScanPageBytesAsync(key, pageSize: -1); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SetCombineAsync((SetOperation)9, [key]); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SetCombineAndStoreAsync((SetOperation)9, destination, [key]); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SetCombineAsync(SetOperation.Union, []); });
            Assert.Throws<ArgumentNullException>(() => { _ = redis.SetCombineBytesAsync(SetOperation.Union, null!); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SetCombineAndStoreAsync(SetOperation.Union, destination, []); });
            Assert.Throws<ArgumentException>(() => { _ = redis.SetIntersectionLengthAsync([]); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.SetIntersectionLengthAsync([key], -1); });
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = _client.SetScanAsync(key, pageSize: 0); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = _client.SetScanBytesAsync(key, pageSize: 0); });
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, tx.Count);
        Assert.False(await ServerHas(key));
        Assert.False(await ServerHas(destination));
    }

    /// <summary>A script of set commands on one hashtag; results that are sets are rendered sorted.</summary>
    private static List<Task<string>> Script(IRedisCommands redis, string tag)
    {
        string a = "set:" + tag + ":a", b = "set:" + tag + ":b", d = "set:" + tag + ":dst";
        return
        [
            Text(redis.SetAddAsync(a, ["1", "2", "3", "4"])),
            Text(redis.SetAddAsync(a, "4")),
            Text(redis.SetAddAsync(b, ["3", "4", "5"])),
            Text(redis.SetRemoveAsync(a, "1")),
            Text(redis.SetLengthAsync(a)),
            Text(redis.SetMembersAsync(a)),
            Text(redis.SetContainsAsync(a, "2")),
            Text(redis.SetContainsAsync(a, ["2", "9"])),
            Text(redis.SetCombineAsync(SetOperation.Union, [a, b])),
            Text(redis.SetCombineAsync(SetOperation.Intersect, [a, b])),
            Text(redis.SetCombineBytesAsync(SetOperation.Difference, [a, b])),
            Text(redis.SetCombineAndStoreAsync(SetOperation.Union, d, [a, b])),
            Text(redis.SetIntersectionLengthAsync([a, b, d])),
            Text(redis.SetIntersectionLengthAsync([a, d], 1)),
            Text(redis.SetMoveAsync(b, a, "5")),
            Text(redis.SetScanPageAsync(d, 0, "[1-4]", 100)),
            Text(redis.SetRandomMembersAsync(b, 5)),
            Text(redis.SetPopAsync(b, 5)),
            Text(redis.SetRemoveAsync(d, ["2", "3", "x"])),
            Text(redis.SetMembersBytesAsync(d)),
        ];
    }

    private static async Task<string> Text<T>(ValueTask<T> result) => Render(await result);

    private static string Render(object? value) => value switch
    {
        null => "(nil)",
        string s => s,
        byte[] b => "0x" + Convert.ToHexString(b),
        SetScanPage<string> page => page.Cursor + ":" + Render(page.Members),
        SetScanPage<byte[]> page => page.Cursor + ":" + Render(page.Members),
        bool[] flags => "[" + string.Join(",", flags) + "]",
        // Sets come in no particular order: rendered sorted.
        System.Collections.IEnumerable many => "[" + string.Join(",", many.Cast<object?>().Select(Render).Order(StringComparer.Ordinal)) + "]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    [Fact]
    public async Task The_same_script_gives_the_same_answers_and_data_on_client_batch_and_transaction()
    {
        string clientTag = "{set-c}", batchTag = "{set-b}", txTag = "{set-t}";
        foreach (string tag in (string[])[clientTag, batchTag, txTag]) await Fresh("set:" + tag + ":a", "set:" + tag + ":b", "set:" + tag + ":dst");

        var fromClient = new List<string>();
        foreach (Task<string> step in Script(_client, clientTag)) fromClient.Add(await step);

        ClusterBatch batch = _client.CreateBatch();
        List<Task<string>> batched = Script(batch, batchTag);
        batch.Execute();
        string[] fromBatch = await Task.WhenAll(batched);

        ClusterTransaction tx = _client.CreateTransaction();
        List<Task<string>> queued = Script(tx, txTag);
        Assert.True(await tx.CommitAsync());
        string[] fromTransaction = await Task.WhenAll(queued);

        Assert.Equal(fromClient, fromBatch);
        Assert.Equal(fromClient, fromTransaction);
        Assert.Equal(
            "4|False|3|True|3|[2,3,4]|True|[True,False]|[2,3,4,5]|[3,4]|[0x32]|4|2|1|True|0:[2,3,4]|[3,4]|[3,4]|2|[0x34,0x35]",
            string.Join("|", fromClient));
        foreach (string tag in (string[])[clientTag, batchTag, txTag])
        {
            Assert.Equal(["2", "3", "4", "5"], await ServerSet("set:" + tag + ":a"));
            Assert.False(await ServerHas("set:" + tag + ":b"));
            Assert.Equal(["4", "5"], await ServerSet("set:" + tag + ":dst"));
        }
    }

    [Fact]
    public async Task Resp2_and_resp3_clients_give_the_same_typed_answers()
    {
        await using ClusterClient resp2 = await ClusterClient.ConnectAsync(ConfigurationString + ",protocol=resp2");
        var answers = new List<string>[2];
        int n = 0;
        foreach (ClusterClient redis in (ClusterClient[])[_client, resp2])
        {
            string a = "set:{proto}:a", b = "set:{proto}:b", far = "set:{proto-far}";
            await Fresh(a, b, far);
            var results = new List<string>();
            async Task Add<T>(ValueTask<T> result) => results.Add(Render(await result));
            await Add(redis.SetAddAsync(a, ["x", "y", "z"]));
            await Add(redis.SetAddAsync(a, Binary(5)));
            await Add(redis.SetAddAsync(b, ["y", "w"]));
            await Add(redis.SetAddAsync(far, ["z", "q"]));
            await Add(redis.SetMembersAsync(b));
            await Add(redis.SetMembersBytesAsync(b));
            await Add(redis.SetContainsAsync(a, "x"));
            await Add(redis.SetContainsAsync(a, [Binary(5), "nope", "z"]));
            await Add(redis.SetLengthAsync(a));
            await Add(redis.SetCombineAsync(SetOperation.Intersect, [a, b]));
            await Add(redis.SetCombineAsync(SetOperation.Union, [b, far])); // split across slots
            await Add(redis.SetCombineBytesAsync(SetOperation.Difference, [a, b, far]));
            await Add(redis.SetIntersectionLengthAsync([a, b], 5));
            await Add(redis.SetScanPageAsync(b, 0, null, 10));
            await Add(redis.SetScanPageBytesAsync(a, 0, "*", 50));
            await Add(redis.SetRandomMembersAsync(b, 2));
            await Add(redis.SetRandomMembersAsync("set:{proto}:missing", -2));
            await Add(redis.SetRandomMemberAsync("set:{proto}:missing"));
            await Add(redis.SetPopAsync(b, 3));
            await Add(redis.SetPopAsync(b));
            await Add(redis.SetMoveAsync(a, b, Binary(5)));
            await Add(redis.SetPopBytesAsync(b));
            var scanned = new List<string>();
            await foreach (string member in redis.SetScanAsync(a, pageSize: 1)) scanned.Add(member);
            results.Add(Render(scanned));
            answers[n++] = results;
        }
        Assert.Equal(answers[0], answers[1]);
        string bin = "0x" + Convert.ToHexString(Binary(5));
        Assert.Equal(
            $"3|True|2|2|[w,y]|[0x77,0x79]|True|[True,False,True]|4|[y]|[q,w,y,z]|[0x78,{bin}]|1|0:[w,y]|0:[0x78,0x79,0x7A,{bin}]|[w,y]|[]|(nil)|[w,y]|(nil)|True|{bin}|[x,y,z]",
            string.Join("|", answers[0]));
    }
}

/// <summary><see cref="SetCommandTests"/> on the shared 3×1 cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterSetCommandTests(ClusterFixture fixture) : SetCommandTests
{
    protected override string ConfigurationString => fixture.Cluster.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.Cluster.OnOwner(key, command);

    protected override Task<string[]> OnEveryNode(params string[] command) => fixture.Cluster.OnEveryNode(command);

    protected override int PrimaryCount => 3;

    protected override async Task<int> OwnerPortAsync(int slot) => (await fixture.Cluster.GetSlotOwnerAsync(slot)).Port;

    protected override bool SplitsBySlot => true;
}

/// <summary><see cref="SetCommandTests"/> on a single redis-server without cluster mode: one node owns every slot.</summary>
public sealed class StandaloneSetCommandTests(StandaloneServerFixture fixture) : SetCommandTests, IClassFixture<StandaloneServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);

    protected override Task<string[]> OnEveryNode(params string[] command) => fixture.OnEveryNode(command);

    protected override int PrimaryCount => 1;

    protected override Task<int> OwnerPortAsync(int slot) => Task.FromResult(fixture.Server.Primary.Port);

    protected override bool SplitsBySlot => false;
}

/// <summary><see cref="SetCommandTests"/> on a primary with two replicas without cluster mode: one node owns every slot.</summary>
public sealed class ReplicatedSetCommandTests(ReplicatedServerFixture fixture) : SetCommandTests, IClassFixture<ReplicatedServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);

    protected override Task<string[]> OnEveryNode(params string[] command) => fixture.OnEveryNode(command);

    protected override int PrimaryCount => 1;

    protected override Task<int> OwnerPortAsync(int slot) => Task.FromResult(fixture.Server.Primary.Port);

    protected override bool SplitsBySlot => false;
}
