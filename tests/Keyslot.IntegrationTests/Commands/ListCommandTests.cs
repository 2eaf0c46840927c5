using System.Security.Cryptography;
using System.Text;
using Keyslot.IntegrationTests.Infrastructure;

namespace Keyslot.IntegrationTests.Commands;

/// <summary>
/// The typed list commands, each checked against what the server holds afterwards (read back on the slot's owner
/// over a connection of the test's own), on the client, a batch and a transaction, over RESP3 and RESP2.
/// </summary>
public abstract class ListCommandTests : IAsyncLifetime
{
    /// <summary>The SHA-1 of each element of a list, computed by the server: exact bytes, whatever they hold.</summary>
    private const string Sha1OfElements =
        "local r = {} for i, v in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do r[i] = redis.sha1hex(v) end return r";

    private ClusterClient _client = null!;

    /// <summary>What the client is configured with.</summary>
    protected abstract string ConfigurationString { get; }

    /// <summary>Runs a command on the node that owns <paramref name="key"/>, outside the client under test.</summary>
    protected abstract Task<string> OnOwner(string key, params string[] command);

    /// <summary>Runs a command on every node, replicas included, outside the client under test.</summary>
    protected abstract Task<string[]> OnEveryNode(params string[] command);

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private static string[] Lines(string text) => text.Length == 0 ? [] : text.Split('\n');

    /// <summary>The list as the server holds it (text elements, none empty).</summary>
    private async Task<string[]> ServerList(string key) => Lines(await OnOwner(key, "LRANGE", key, "0", "-1"));

    private async Task<bool> ServerHas(string key) => await OnOwner(key, "EXISTS", key) == "1";

    private async Task Fresh(params string[] keys)
    {
        foreach (string key in keys) await OnOwner(key, "DEL", key);
    }

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
    public async Task Push_pop_and_range_leave_the_list_the_server_holds()
    {
        const string key = "lst:{push}";
        await Fresh(key);

        Assert.Equal(1, await _client.ListRightPushAsync(key, "b"));
        Assert.Equal(3, await _client.ListRightPushAsync(key, ["c", "d"]));
        Assert.Equal(4, await _client.ListLeftPushAsync(key, "a"));
        Assert.Equal(6, await _client.ListLeftPushAsync(key, ["y", "x"])); // each at the head in turn: x ends first
        Assert.Equal(["x", "y", "a", "b", "c", "d"], await ServerList(key));

        Assert.Equal(["x", "y", "a", "b", "c", "d"], await _client.ListRangeAsync(key));
        Assert.Equal(["a", "b"], await _client.ListRangeAsync(key, 2, 3));
        Assert.Equal(["c", "d"], await _client.ListRangeAsync(key, -2));
        Assert.Empty(await _client.ListRangeAsync(key, 10, 20));
        Assert.Equal(6, await _client.ListLengthAsync(key));

        Assert.Equal("x", await _client.ListLeftPopAsync(key));
        Assert.Equal("d", await _client.ListRightPopAsync(key));
        Assert.Equal(["y", "a"], await _client.ListLeftPopAsync(key, 2));
        Assert.Equal(["c"], await _client.ListRightPopAsync(key, 1));
        Assert.Equal(["b"], await ServerList(key));
        Assert.Equal(["b"], await _client.ListRightPopAsync(key, 5)); // more than there is: what there is, and the key goes
        Assert.False(await ServerHas(key));
    }

    [Fact]
    public async Task Missing_and_emptied_keys_answer_null_empty_and_zero()
    {
        const string key = "lst:{missing}";
        await Fresh(key);

        Assert.Null(await _client.ListLeftPopAsync(key));
        Assert.Null(await _client.ListRightPopBytesAsync(key));
        Assert.Empty(await _client.ListLeftPopAsync(key, 3));
        Assert.Empty(await _client.ListRightPopBytesAsync(key, 3));
        Assert.Empty(await _client.ListRangeAsync(key));
        Assert.Empty(await _client.ListRangeBytesAsync(key));
        Assert.Null(await _client.ListGetByIndexAsync(key, 0));
        Assert.Equal(0, await _client.ListLengthAsync(key));
        Assert.Equal(0, await _client.ListRemoveAsync(key, "a"));
        Assert.Equal(0, await _client.ListInsertBeforeAsync(key, "a", "b"));
        Assert.Null(await _client.ListPositionAsync(key, "a"));
        Assert.Empty(await _client.ListPositionsAsync(key, "a", 0));
        Assert.Null(await _client.ListMoveAsync(key, "lst:{missing}:dst", ListSide.Left, ListSide.Right));
        Assert.Null(await _client.ListLeftPopAsync(["lst:{missing}", "lst:{missing}:2"]));
        Assert.True(await _client.ListTrimAsync(key, 0, 1));

        // LPUSHX / RPUSHX create nothing.
        Assert.Equal(0, await _client.ListLeftPushAsync(key, "a", ListPushCondition.Exists));
        Assert.Equal(0, await _client.ListRightPushAsync(key, ["a", "b"], ListPushCondition.Exists));
        Assert.False(await ServerHas(key));
        Assert.False(await ServerHas("lst:{missing}:dst"));

        // LSET on a missing key is the server's error, surfaced as such.
        await Assert.ThrowsAsync<RedisServerException>(() => _client.ListSetByIndexAsync(key, 0, "v").AsTask());

        // The X forms push once the list exists.
        await _client.ListRightPushAsync(key, "a");
        Assert.Equal(2, await _client.ListLeftPushAsync(key, "z", ListPushCondition.Exists));
        Assert.Equal(4, await _client.ListRightPushAsync(key, ["b", "c"], ListPushCondition.Exists));
        Assert.Equal(["z", "a", "b", "c"], await ServerList(key));
    }

    [Fact]
    public async Task Index_set_insert_remove_and_trim_change_what_the_server_holds()
    {
        const string key = "lst:{edit}";
        await Fresh(key);
        await _client.ListRightPushAsync(key, ["a", "b", "a", "c", "a", "d"]);

        Assert.Equal("b", await _client.ListGetByIndexAsync(key, 1));
        Assert.Equal("d", await _client.ListGetByIndexAsync(key, -1));
        Assert.Null(await _client.ListGetByIndexAsync(key, 99));

        Assert.True(await _client.ListSetByIndexAsync(key, 1, "B"));
        Assert.True(await _client.ListSetByIndexAsync(key, -1, "D"));
        Assert.Equal(["a", "B", "a", "c", "a", "D"], await ServerList(key));
        await Assert.ThrowsAsync<RedisServerException>(() => _client.ListSetByIndexAsync(key, 99, "v").AsTask());

        Assert.Equal(7, await _client.ListInsertBeforeAsync(key, "c", "before-c"));
        Assert.Equal(8, await _client.ListInsertAfterAsync(key, "c", "after-c"));
        Assert.Equal(-1, await _client.ListInsertAfterAsync(key, "nope", "x"));
        Assert.Equal(["a", "B", "a", "before-c", "c", "after-c", "a", "D"], await ServerList(key));

        Assert.Equal(1, await _client.ListRemoveAsync(key, "a", -1)); // the last one
        Assert.Equal(["a", "B", "a", "before-c", "c", "after-c", "D"], await ServerList(key));
        Assert.Equal(1, await _client.ListRemoveAsync(key, "a", 1)); // the first one
        Assert.Equal(["B", "a", "before-c", "c", "after-c", "D"], await ServerList(key));
        await _client.ListRightPushAsync(key, ["a", "a"]);
        Assert.Equal(3, await _client.ListRemoveAsync(key, "a")); // count 0: all of them
        Assert.Equal(["B", "before-c", "c", "after-c", "D"], await ServerList(key));

        Assert.True(await _client.ListTrimAsync(key, 1, -2));
        Assert.Equal(["before-c", "c", "after-c"], await ServerList(key));
        Assert.True(await _client.ListTrimAsync(key, 5, 10)); // an empty range deletes the key
        Assert.False(await ServerHas(key));
    }

    [Fact]
    public async Task Lpos_finds_one_or_many_positions_with_rank_count_and_maxlen()
    {
        const string key = "lst:{lpos}";
        await Fresh(key);
        await _client.ListRightPushAsync(key, ["a", "b", "c", "b", "d", "b", "e"]); // b at 1, 3, 5

        Assert.Equal(1, await _client.ListPositionAsync(key, "b"));
        Assert.Equal(3, await _client.ListPositionAsync(key, "b", rank: 2));
        Assert.Equal(5, await _client.ListPositionAsync(key, "b", rank: -1));
        Assert.Equal(3, await _client.ListPositionAsync(key, "b", rank: -2));
        Assert.Null(await _client.ListPositionAsync(key, "b", rank: 4));
        Assert.Null(await _client.ListPositionAsync(key, "zzz"));
        Assert.Null(await _client.ListPositionAsync(key, "d", maxLength: 4)); // d is at 4: beyond the first 4 compared
        Assert.Equal(4, await _client.ListPositionAsync(key, "d", maxLength: 5));

        Assert.Equal(new long[] { 1, 3, 5 }, await _client.ListPositionsAsync(key, "b", 0));
        Assert.Equal(new long[] { 1, 3 }, await _client.ListPositionsAsync(key, "b", 2));
        Assert.Equal(new long[] { 3, 5 }, await _client.ListPositionsAsync(key, "b", 0, rank: 2));
        Assert.Equal(new long[] { 5, 3, 1 }, await _client.ListPositionsAsync(key, "b", 0, rank: -1));
        Assert.Equal(new long[] { 1 }, await _client.ListPositionsAsync(key, "b", 0, maxLength: 3));
        Assert.Empty(await _client.ListPositionsAsync(key, "zzz", 0));
        Assert.Equal(7, long.Parse(await OnOwner(key, "LLEN", key))); // reads change nothing
    }

    [Fact]
    public async Task Lmove_moves_between_lists_of_one_slot()
    {
        const string source = "lst:{move}:src", destination = "lst:{move}:dst";
        await Fresh(source, destination);
        await _client.ListRightPushAsync(source, ["1", "2", "3"]);

        Assert.Equal("1", await _client.ListMoveAsync(source, destination, ListSide.Left, ListSide.Right));
        Assert.Equal("3", await _client.ListMoveAsync(source, destination, ListSide.Right, ListSide.Left));
        Assert.Equal(["2"], await ServerList(source));
        Assert.Equal(["3", "1"], await ServerList(destination));
        Assert.Equal("1", await _client.ListMoveAsync(destination, destination, ListSide.Right, ListSide.Left)); // rotate
        Assert.Equal(["1", "3"], await ServerList(destination));
        Assert.Equal("2", await _client.ListMoveAsync(source, destination, ListSide.Left, ListSide.Left));
        Assert.False(await ServerHas(source));
        Assert.Equal(["2", "1", "3"], await ServerList(destination));
    }

    [Fact]
    public async Task Lmpop_pops_from_the_first_non_empty_list_and_names_it()
    {
        string[] keys = ["lst:{mpop}:a", "lst:{mpop}:b", "lst:{mpop}:c"];
        await Fresh(keys);
        await _client.ListRightPushAsync(keys[1], ["1", "2", "3"]);
        await _client.ListRightPushAsync(keys[2], ["x"]);
        RedisKey[] all = [keys[0], keys[1], keys[2]];

        ListPopResult<string>? left = await _client.ListLeftPopAsync(all);
        Assert.NotNull(left);
        Assert.Equal(keys[1], left.Value.Key.ToString());
        Assert.Equal(new RedisKey(keys[1]), left.Value.Key);
        Assert.Equal(["1"], left.Value.Values);

        ListPopResult<string>? right = await _client.ListRightPopAsync(all, count: 5);
        Assert.Equal(keys[1], right!.Value.Key.ToString());
        Assert.Equal(["3", "2"], right.Value.Values); // popped tail first, only what there was
        Assert.False(await ServerHas(keys[1]));

        ListPopResult<string>? next = await _client.ListLeftPopAsync(all, 2);
        Assert.Equal(keys[2], next!.Value.Key.ToString());
        Assert.Equal(["x"], next.Value.Values);
        Assert.Null(await _client.ListLeftPopAsync(all));
        Assert.Null(await _client.ListRightPopBytesAsync(all, 3));
        foreach (string key in keys) Assert.False(await ServerHas(key));
    }

    [Fact]
    public async Task Binary_values_round_trip_exactly_through_the_bytes_forms()
    {
        const string key = "lst:{bin}", other = "lst:{bin}:other";
        await Fresh(key, other);

        Assert.Equal(3, await _client.ListRightPushAsync(key, [Binary(1), Binary(2), Binary(3)]));
        Assert.Equal(4, await _client.ListLeftPushAsync(key, Binary(0)));
        // What the server holds, byte for byte: the SHA-1 of each element, computed by the server itself.
        Assert.Equal([Sha1(Binary(0)), Sha1(Binary(1)), Sha1(Binary(2)), Sha1(Binary(3))], Lines(await OnOwner(key, "EVAL", Sha1OfElements, "1", key)));

        Assert.Equal([Binary(0), Binary(1), Binary(2), Binary(3)], await _client.ListRangeBytesAsync(key));
        Assert.Equal([Binary(1), Binary(2)], await _client.ListRangeBytesAsync(key, 1, 2));
        Assert.Equal(Binary(2), await _client.ListGetByIndexBytesAsync(key, 2));
        Assert.Equal(2, await _client.ListPositionAsync(key, Binary(2)));
        Assert.Null(await _client.ListPositionAsync(key, Binary(9)));
        Assert.True(await _client.ListSetByIndexAsync(key, 2, Binary(22)));
        Assert.Equal(-1, await _client.ListInsertAfterAsync(key, Binary(99), Binary(5)));
        Assert.Equal(5, await _client.ListInsertAfterAsync(key, Binary(22), Binary(23)));
        Assert.Equal(1, await _client.ListRemoveAsync(key, Binary(23)));
        Assert.Equal([Sha1(Binary(0)), Sha1(Binary(1)), Sha1(Binary(22)), Sha1(Binary(3))], Lines(await OnOwner(key, "EVAL", Sha1OfElements, "1", key)));

        Assert.Equal(Binary(0), await _client.ListLeftPopBytesAsync(key));
        Assert.Equal(Binary(3), await _client.ListRightPopBytesAsync(key));
        Assert.Equal(Binary(1), await _client.ListMoveBytesAsync(key, other, ListSide.Left, ListSide.Right));
        Assert.Equal([Sha1(Binary(1))], Lines(await OnOwner(other, "EVAL", Sha1OfElements, "1", other)));
        ListPopResult<byte[]>? popped = await _client.ListLeftPopBytesAsync([key, other], 5);
        Assert.Equal(key, popped!.Value.Key.ToString());
        Assert.Equal([Binary(22)], popped.Value.Values);
        Assert.Equal([Binary(1)], await _client.ListLeftPopBytesAsync(other, 5));
        Assert.False(await ServerHas(key));
        Assert.False(await ServerHas(other));

        // The text forms decode as UTF-8 (lossy for these bytes), which is why the bytes forms exist.
        await _client.ListRightPushAsync(other, [Binary(7), Binary(8)]);
        Assert.NotEqual(Binary(7), Encoding.UTF8.GetBytes((await _client.ListGetByIndexAsync(other, 0))!));
        Assert.Equal([Binary(8), Binary(7)], await _client.ListRightPopBytesAsync(other, 2));
    }

    [Fact]
    public async Task A_binary_key_is_routed_and_named_exactly()
    {
        byte[] key = [0xC3, 0x28, (byte)'{', 0x00, 0xFF, (byte)'}', 0x01];
        byte[] other = [0xC3, 0x28, (byte)'{', 0x00, 0xFF, (byte)'}', 0x02];
        Assert.Equal(ClusterClient.GetSlot(key), ClusterClient.GetSlot(other));
        await _client.KeyDeleteAsync(key);
        await _client.KeyDeleteAsync(other);

        Assert.Equal(2, await _client.ListRightPushAsync(other, [Binary(4), Binary(5)]));
        // The server's own count and hashes, asked through a raw (untyped) EVAL on the key.
        RespValue hashes = await _client.ExecuteAsync("EVAL", Sha1OfElements, 1, other);
        Assert.Equal(new[] { Sha1(Binary(4)), Sha1(Binary(5)) }, hashes.AsArray().Select(h => h.AsString()!).ToArray());

        ListPopResult<byte[]>? popped = await _client.ListRightPopBytesAsync([key, other], 1);
        Assert.Equal(other, popped!.Value.Key.ToArray()); // the binary key comes back exactly
        Assert.Equal(new RedisKey(other), popped.Value.Key);
        Assert.Equal([Binary(5)], popped.Value.Values);
        Assert.Equal(1, (long)await _client.ExecuteAsync("LLEN", other));
    }

    [Fact]
    public async Task Lmove_and_lmpop_across_slots_are_refused_before_anything_is_sent_on_every_surface()
    {
        const string a = "lst:{cross-a}", b = "lst:{cross-b}";
        Assert.NotEqual(ClusterClient.GetSlot(a), ClusterClient.GetSlot(b));
        await Fresh(a, b);
        await _client.ListRightPushAsync(a, ["1", "2"]);
        long[] before = await SeenByServers("lmove", "lmpop");

        ClusterBatch batch = _client.CreateBatch();
        ClusterTransaction tx = _client.CreateTransaction();
        foreach (IRedisCommands redis in (IRedisCommands[])[_client, batch, tx])
        {
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.ListMoveAsync(a, b, ListSide.Left, ListSide.Right); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.ListMoveBytesAsync(a, b, ListSide.Left, ListSide.Right); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.ListLeftPopAsync([a, b]); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.ListRightPopBytesAsync([b, a], 2); });
        }
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, tx.Count);
        // Nothing reached any server: no node saw LMOVE or LMPOP, the source is whole, the destination was never created.
        Assert.Equal(before, await SeenByServers("lmove", "lmpop"));
        Assert.Equal(["1", "2"], await ServerList(a));
        Assert.False(await ServerHas(b));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_on_every_surface_before_anything_is_sent()
    {
        const string key = "lst:{bad}";
        await Fresh(key);
        ClusterBatch batch = _client.CreateBatch();
        ClusterTransaction tx = _client.CreateTransaction();
        foreach (IRedisCommands redis in (IRedisCommands[])[_client, batch, tx])
        {
            Assert.Throws<ArgumentException>(() => { _ = redis.ListRightPushAsync(key, Array.Empty<RedisArgument>()); });
            Assert.Throws<ArgumentNullException>(() => { _ = redis.ListLeftPushAsync(key, (RedisArgument[])null!); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.ListLeftPushAsync(key, "v", (ListPushCondition)7); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.ListRightPushAsync(key, ["v"], (ListPushCondition)7); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.ListLeftPopAsync(key, 0); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.ListRightPopBytesAsync(key, -1); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.ListPositionAsync(key, "v", rank: 0); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.ListPositionAsync(key, "v", maxLength: -1); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.ListPositionsAsync(key, "v", -1); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.ListMoveAsync(key, key, (ListSide)5, ListSide.Left); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.ListMoveAsync(key, key, ListSide.Left, (ListSide)5); });
            Assert.Throws<ArgumentException>(() => { _ = redis.ListLeftPopAsync(Array.Empty<RedisKey>()); });
            Assert.Throws<ArgumentNullException>(() => { _ = redis.ListLeftPopAsync((RedisKey[])null!); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.ListRightPopAsync([key], 0); });
        }
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, tx.Count);
        Assert.False(await ServerHas(key));
    }

    /// <summary>A script of list commands on one hashtag, each result rendered as text.</summary>
    private static List<Task<string>> Script(IRedisCommands redis, string tag)
    {
        string k = "lst:" + tag, d = "lst:" + tag + ":dst";
        return
        [
            Text(redis.ListRightPushAsync(k, ["a", "b", "c", "b"])),
            Text(redis.ListLeftPushAsync(k, "z")),
            Text(redis.ListRightPushAsync(d, "only-if", ListPushCondition.Exists)),
            Text(redis.ListRangeAsync(k)),
            Text(redis.ListLengthAsync(k)),
            Text(redis.ListGetByIndexAsync(k, -1)),
            Text(redis.ListSetByIndexAsync(k, 0, "Z")),
            Text(redis.ListInsertBeforeAsync(k, "c", "bc")),
            Text(redis.ListPositionAsync(k, "b", rank: -1)),
            Text(redis.ListPositionsAsync(k, "b", 0)),
            Text(redis.ListRemoveAsync(k, "b", 1)),
            Text(redis.ListMoveAsync(k, d, ListSide.Right, ListSide.Left)),
            Text(redis.ListLeftPopAsync(k)),
            Text(redis.ListRightPopAsync(k, 2)),
            Text(redis.ListLeftPopAsync([k, d], 3)),
            Text(redis.ListRightPopAsync([k, d])),
            Text(redis.ListRightPushAsync(k, ["1", "2", "3", "4"])),
            Text(redis.ListTrimAsync(k, 1, 2)),
            Text(redis.ListRangeBytesAsync(k)),
        ];
    }

    private static async Task<string> Text<T>(ValueTask<T> result) => Render(await result);

    private static string Render(object? value) => value switch
    {
        null => "(nil)",
        string s => s,
        byte[] b => "0x" + Convert.ToHexString(b),
        ListPopResult<string> pop => pop.Key + "=" + Render(pop.Values),
        ListPopResult<byte[]> pop => pop.Key + "=" + Render(pop.Values),
        System.Collections.IEnumerable many => "[" + string.Join(",", many.Cast<object?>().Select(Render)) + "]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    [Fact]
    public async Task The_same_script_gives_the_same_answers_and_data_on_client_batch_and_transaction()
    {
        string clientTag = "{lst-c}", batchTag = "{lst-b}", txTag = "{lst-t}";
        foreach (string tag in (string[])[clientTag, batchTag, txTag]) await Fresh("lst:" + tag, "lst:" + tag + ":dst");

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

        // The key names differ by tag: compare with the tag taken out.
        Assert.Equal(fromClient, fromBatch.Select(r => r.Replace(batchTag, clientTag)));
        Assert.Equal(fromClient, fromTransaction.Select(r => r.Replace(txTag, clientTag)));
        Assert.Equal(
            "4|5|0|[z,a,b,c,b]|5|b|True|6|5|[2,5]|1|b|Z|[c,bc]|lst:{lst-c}=[a]|lst:{lst-c}:dst=[b]|4|True|[0x32,0x33]",
            string.Join("|", fromClient));
        foreach (string tag in (string[])[clientTag, batchTag, txTag])
        {
            Assert.Equal(["2", "3"], await ServerList("lst:" + tag));
            Assert.False(await ServerHas("lst:" + tag + ":dst"));
        }
    }

    [Fact]
    public async Task Resp2_and_resp3_clients_give_the_same_typed_answers()
    {
        await using ClusterClient resp2 = await ClusterClient.ConnectAsync(ConfigurationString + ",protocol=resp2");
        var answers = new List<string>[2];
        int i = 0;
        foreach (ClusterClient redis in (ClusterClient[])[_client, resp2])
        {
            string k = "lst:{proto}", d = "lst:{proto}:2";
            await Fresh(k, d);
            var results = new List<string>();
            async Task Add<T>(ValueTask<T> result) => results.Add(Render(await result));
            await Add(redis.ListRightPushAsync(k, ["a", "b", "a", "c"]));
            await Add(redis.ListRightPushAsync(k, Binary(3)));
            await Add(redis.ListRangeAsync(k, 0, 3));
            await Add(redis.ListRangeBytesAsync(k, -1));
            await Add(redis.ListGetByIndexBytesAsync(k, 4));
            await Add(redis.ListPositionAsync(k, "a", rank: 2));
            await Add(redis.ListPositionAsync(k, "zz"));
            await Add(redis.ListPositionsAsync(k, "a", 0));
            await Add(redis.ListPositionsAsync(k, "zz", 0));
            await Add(redis.ListMoveAsync(k, d, ListSide.Left, ListSide.Left));
            await Add(redis.ListLeftPopAsync(k, 2));
            await Add(redis.ListLeftPopAsync("lst:{proto}:missing", 2));
            await Add(redis.ListRightPopBytesAsync([k, d], 5));
            await Add(redis.ListLeftPopAsync([k, d], 5));
            await Add(redis.ListLeftPopAsync([k, d], 5));
            await Add(redis.ListLengthAsync(k));
            answers[i++] = results;
        }
        Assert.Equal(answers[0], answers[1]);
        string bin = "0x" + Convert.ToHexString(Binary(3));
        Assert.Equal("4|5|[a,b,a,c]|[" + bin + "]|" + bin + "|2|(nil)|[0,2]|[]|a|[b,a]|[]|lst:{proto}=[" + bin + ",0x63]|lst:{proto}:2=[a]|(nil)|0",
            string.Join("|", answers[0]));
    }
}

/// <summary><see cref="ListCommandTests"/> on the shared 3×1 cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterListCommandTests(ClusterFixture fixture) : ListCommandTests
{
    protected override string ConfigurationString => fixture.Cluster.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.Cluster.OnOwner(key, command);

    protected override Task<string[]> OnEveryNode(params string[] command) => fixture.Cluster.OnEveryNode(command);
}

/// <summary><see cref="ListCommandTests"/> on a single redis-server without cluster mode: one node owns every slot.</summary>
public sealed class StandaloneListCommandTests(StandaloneServerFixture fixture) : ListCommandTests, IClassFixture<StandaloneServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);

    protected override Task<string[]> OnEveryNode(params string[] command) => fixture.OnEveryNode(command);
}

/// <summary><see cref="ListCommandTests"/> on a primary with two replicas without cluster mode: one node owns every slot.</summary>
public sealed class ReplicatedListCommandTests(ReplicatedServerFixture fixture) : ListCommandTests, IClassFixture<ReplicatedServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);

    protected override Task<string[]> OnEveryNode(params string[] command) => fixture.OnEveryNode(command);
}
