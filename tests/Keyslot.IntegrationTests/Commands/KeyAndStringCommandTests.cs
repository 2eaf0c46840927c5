using System.Security.Cryptography;
using System.Text;
using Keyslot.IntegrationTests.Infrastructure;

namespace Keyslot.IntegrationTests.Commands;

/// <summary>
/// The rest of the key and string commands (conditional and absolute expiry, COPY, RENAME, OBJECT, DUMP/RESTORE, SORT,
/// ranges, INCRBYFLOAT, LCS, RANDOMKEY), checked against what the server holds, on RESP3 and RESP2, alone, batched and
/// in a transaction.
/// </summary>
public abstract class KeyAndStringCommandTests : IAsyncLifetime
{
    private ClusterClient _client = null!;

    /// <summary>What the client is configured with.</summary>
    protected abstract string ConfigurationString { get; }

    /// <summary>Runs a command on the node that owns <paramref name="key"/>, outside the client under test.</summary>
    protected abstract Task<string> OnOwner(string key, params string[] command);

    /// <summary>Runs a command on every primary (every node that owns slots), outside the client under test.</summary>
    protected abstract Task<string[]> OnEveryPrimary(params string[] command);

    /// <summary>Whether the server refuses SORT's BY and GET patterns (Redis 7.0 in cluster mode, even within the slot).</summary>
    protected abstract bool ServerRefusesSortPatterns { get; }

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private async Task Fresh(params string[] keys)
    {
        foreach (string key in keys) await OnOwner(key, "DEL", key);
    }

    private static byte[] Binary(int seed)
    {
        var value = new byte[258];
        value[0] = 0xC3;
        value[1] = 0x28;
        for (int i = 0; i < 256; i++) value[i + 2] = (byte)(i + seed);
        return value;
    }

    private static string Sha1(byte[] value) => Convert.ToHexStringLower(SHA1.HashData(value));

    private Task<string> ServerSha1(string key) => OnOwner(key, "EVAL", "return redis.sha1hex(redis.call('GET', KEYS[1]))", "1", key);

    private static void Same(string?[] expected, string?[] actual) => Assert.Equal((IEnumerable<string?>)expected, actual);

    private async Task<long> ServerPttl(string key) => long.Parse(await OnOwner(key, "PTTL", key));

    [Fact]
    public async Task Expire_conditions_set_the_expiry_only_when_they_hold()
    {
        string key = "{ks-exp}k";
        await Fresh(key, "{ks-exp}missing");
        await _client.StringSetAsync(key, "v");
        Assert.False(await _client.KeyExpireAsync("{ks-exp}missing", TimeSpan.FromMinutes(1), ExpireWhen.Always));
        // No expiry yet: XX and GT do nothing, NX sets.
        Assert.False(await _client.KeyExpireAsync(key, TimeSpan.FromMinutes(10), ExpireWhen.HasExpiry));
        Assert.False(await _client.KeyExpireAsync(key, TimeSpan.FromMinutes(10), ExpireWhen.GreaterThanCurrentExpiry));
        Assert.Equal(-1, await ServerPttl(key));
        Assert.True(await _client.KeyExpireAsync(key, TimeSpan.FromMinutes(10), ExpireWhen.HasNoExpiry));
        Assert.InRange(await ServerPttl(key), 590_000, 600_000);
        Assert.False(await _client.KeyExpireAsync(key, TimeSpan.FromMinutes(20), ExpireWhen.HasNoExpiry));
        // GT only later, LT only sooner; sub-second expiries go as PEXPIRE.
        Assert.False(await _client.KeyExpireAsync(key, TimeSpan.FromMinutes(5), ExpireWhen.GreaterThanCurrentExpiry));
        Assert.True(await _client.KeyExpireAsync(key, TimeSpan.FromMinutes(30), ExpireWhen.GreaterThanCurrentExpiry));
        Assert.InRange(await ServerPttl(key), 1_790_000, 1_800_000);
        Assert.False(await _client.KeyExpireAsync(key, TimeSpan.FromHours(1), ExpireWhen.LessThanCurrentExpiry));
        Assert.True(await _client.KeyExpireAsync(key, TimeSpan.FromMilliseconds(900_500), ExpireWhen.LessThanCurrentExpiry));
        Assert.InRange(await ServerPttl(key), 890_000, 900_500);
        Assert.True(await _client.KeyExpireAsync(key, TimeSpan.FromMinutes(40), ExpireWhen.HasExpiry));
        Assert.InRange(await ServerPttl(key), 2_390_000, 2_400_000);
        Assert.InRange((await _client.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(39), TimeSpan.FromMinutes(40));

        // LT on a key without expiry sets it (no expiry counts as never).
        await _client.KeyPersistAsync(key);
        Assert.True(await _client.KeyExpireAsync(key, TimeSpan.FromMinutes(3), ExpireWhen.LessThanCurrentExpiry));
        Assert.InRange(await ServerPttl(key), 170_000, 180_000);
    }

    [Fact]
    public async Task Expire_at_and_expire_time_are_exact_absolute_times()
    {
        string key = "{ks-at}k";
        await Fresh(key, "{ks-at}missing");
        await _client.StringSetAsync(key, "v");
        Assert.Null(await _client.KeyExpireTimeAsync(key));                  // no expiry
        Assert.Null(await _client.KeyExpireTimeAsync("{ks-at}missing"));     // no key
        Assert.Equal("-1", await OnOwner(key, "PEXPIRETIME", key));

        var whole = new DateTimeOffset(2100, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.True(await _client.KeyExpireAsync(key, whole));
        Assert.Equal(whole.ToUnixTimeSeconds().ToString(), await OnOwner(key, "EXPIRETIME", key));
        Assert.Equal(whole, await _client.KeyExpireTimeAsync(key));

        DateTimeOffset precise = whole.AddMilliseconds(-123);
        Assert.False(await _client.KeyExpireAsync(key, precise, ExpireWhen.HasNoExpiry));
        Assert.False(await _client.KeyExpireAsync(key, precise, ExpireWhen.GreaterThanCurrentExpiry));
        Assert.True(await _client.KeyExpireAsync(key, precise, ExpireWhen.LessThanCurrentExpiry));
        Assert.Equal(precise.ToUnixTimeMilliseconds().ToString(), await OnOwner(key, "PEXPIRETIME", key));
        Assert.Equal(precise, await _client.KeyExpireTimeAsync(key));
        Assert.Equal(TimeSpan.Zero, (await _client.KeyExpireTimeAsync(key))!.Value.Offset);   // UTC

        // A time in the past deletes the key; a missing key is not expired.
        Assert.True(await _client.KeyExpireAsync(key, DateTimeOffset.UtcNow.AddDays(-1)));
        Assert.Equal("0", await OnOwner(key, "EXISTS", key));
        Assert.False(await _client.KeyExpireAsync("{ks-at}missing", whole));
    }

    [Fact]
    public async Task Copy_and_rename_keep_values_and_expiry_and_refuse_other_slots()
    {
        string a = "{ks-cp}a", b = "{ks-cp}b", c = "{ks-cp}c", other = "{ks-cp2}x";
        Assert.NotEqual(ClusterClient.GetSlot(a), ClusterClient.GetSlot(other));
        await Fresh(a, b, c, other, "{ks-cp}missing");
        await _client.StringSetAsync(a, Binary(1), TimeSpan.FromMinutes(10));

        Assert.True(await _client.KeyCopyAsync(a, b));
        Assert.Equal(Sha1(Binary(1)), await ServerSha1(b));
        Assert.InRange(await ServerPttl(b), 590_000, 600_000);           // the expiry is copied
        await _client.StringSetAsync(c, "existing");
        Assert.False(await _client.KeyCopyAsync(a, c));                    // no REPLACE: the destination stays
        Assert.Equal("existing", await OnOwner(c, "GET", c));
        Assert.True(await _client.KeyCopyAsync(a, c, replace: true));
        Assert.Equal(Sha1(Binary(1)), await ServerSha1(c));
        Assert.False(await _client.KeyCopyAsync("{ks-cp}missing", "{ks-cp}d"));
        Assert.Equal("0", await OnOwner(a, "EXISTS", "{ks-cp}d"));

        // RENAME moves value and expiry; RENAMENX does nothing onto an existing key; a missing source is the server's error.
        Assert.True(await _client.KeyRenameAsync(b, "{ks-cp}renamed"));
        Assert.Equal("0", await OnOwner(b, "EXISTS", b));
        Assert.Equal(Sha1(Binary(1)), await ServerSha1("{ks-cp}renamed"));
        Assert.InRange(await ServerPttl("{ks-cp}renamed"), 590_000, 600_000);
        Assert.False(await _client.KeyRenameAsync("{ks-cp}renamed", c, SetCondition.NotExists));
        Assert.Equal("1", await OnOwner(a, "EXISTS", "{ks-cp}renamed"));
        Assert.True(await _client.KeyRenameAsync("{ks-cp}renamed", b, SetCondition.NotExists));
        Assert.Equal("0", await OnOwner(a, "EXISTS", "{ks-cp}renamed"));
        var missing = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.KeyRenameAsync("{ks-cp}missing", "{ks-cp}e"));
        Assert.Contains("no such key", missing.ServerMessage);

        ClusterBatch batch = _client.CreateBatch();
        ClusterTransaction tx = _client.CreateTransaction();
        foreach (IRedisCommands r in (IRedisCommands[])[_client, batch, tx])
        {
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.KeyCopyAsync(a, other); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.KeyRenameAsync(a, other); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.KeyRenameAsync(a, other, SetCondition.NotExists); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.KeyRenameAsync(a, b, SetCondition.Exists); });
        }
        Assert.Equal(0, batch.Count + tx.Count);
        Assert.Equal("0", await OnOwner(other, "EXISTS", other));
        Assert.Equal("1", await OnOwner(a, "EXISTS", a));
    }

    [Fact]
    public async Task Object_encoding_idle_time_and_frequency_answer_as_the_server_does()
    {
        string s = "{ks-obj}s", n = "{ks-obj}n", h = "{ks-obj}h", big = "{ks-obj}big", missing = "{ks-obj}missing";
        await Fresh(s, n, h, big, missing);
        await _client.StringSetAsync(s, "short");
        await _client.StringSetAsync(n, 12345);
        await _client.StringSetAsync(big, new string('x', 100));
        await _client.HashSetAsync(h, "f", "v");
        foreach (string key in (string[])[s, n, big, h]) Assert.Equal(await OnOwner(key, "OBJECT", "ENCODING", key), await _client.KeyEncodingAsync(key));
        Same(["embstr", "int", "raw", "listpack"], [await _client.KeyEncodingAsync(s), await _client.KeyEncodingAsync(n), await _client.KeyEncodingAsync(big), await _client.KeyEncodingAsync(h)]);
        Assert.Null(await _client.KeyEncodingAsync(missing));

        // An idle time given by RESTORE is what OBJECT IDLETIME reports (whole seconds).
        byte[] dump = (await _client.KeyDumpAsync(s))!;
        Assert.True(await _client.KeyRestoreAsync("{ks-obj}idle", dump, idleTime: TimeSpan.FromSeconds(5000), replace: true));
        Assert.InRange((await _client.KeyIdleTimeAsync("{ks-obj}idle"))!.Value.TotalSeconds, 5000, 5010);
        Assert.InRange(long.Parse(await OnOwner("{ks-obj}idle", "OBJECT", "IDLETIME", "{ks-obj}idle")), 5000, 5010);
        Assert.Null(await _client.KeyIdleTimeAsync(missing));

        // FREQ needs an LFU policy; under the cluster's (not LFU) the server refuses it for a key, nil for none.
        Assert.DoesNotContain("lfu", await OnOwner(s, "CONFIG", "GET", "maxmemory-policy"));
        var refused = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.KeyFrequencyAsync(s));
        Assert.Contains("LFU", refused.ServerMessage);
        Assert.Null(await _client.KeyFrequencyAsync(missing));
    }

    [Fact]
    public async Task Dump_and_restore_round_trip_values_with_ttl_replace_and_absolute_expiry()
    {
        string src = "{ks-dump}src", hash = "{ks-dump}hash", dest = "{ks-dump}dest";
        await Fresh(src, hash, dest, "{ks-dump}abs", "{ks-dump}missing");
        Assert.Null(await _client.KeyDumpAsync("{ks-dump}missing"));
        await _client.StringSetAsync(src, Binary(3));
        await _client.HashSetAsync(hash, [new(Binary(4), Binary(5))]);

        byte[] dump = (await _client.KeyDumpAsync(src))!;
        Assert.True(await _client.KeyRestoreAsync(dest, dump));
        Assert.Equal(Sha1(Binary(3)), await ServerSha1(dest));
        Assert.Equal(-1, await ServerPttl(dest));
        var busy = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.KeyRestoreAsync(dest, dump));
        Assert.StartsWith("BUSYKEY", busy.ServerMessage);

        byte[] hashDump = (await _client.KeyDumpAsync(hash))!;
        Assert.True(await _client.KeyRestoreAsync(dest, hashDump, TimeSpan.FromMinutes(10), replace: true));
        Assert.Equal("hash", await OnOwner(dest, "TYPE", dest));
        Assert.Equal(Binary(5), (await _client.HashGetAllBytesAsync(dest)).Values.Single());
        Assert.InRange(await ServerPttl(dest), 590_000, 600_000);

        var at = new DateTimeOffset(2100, 6, 1, 0, 0, 0, 250, TimeSpan.Zero);
        Assert.True(await _client.KeyRestoreAsync("{ks-dump}abs", dump, at, frequency: 10));
        Assert.Equal(at.ToUnixTimeMilliseconds().ToString(), await OnOwner(src, "PEXPIRETIME", "{ks-dump}abs"));
        Assert.Equal(at, await _client.KeyExpireTimeAsync("{ks-dump}abs"));

        // A payload that is not a DUMP is the server's error; nothing is created.
        await Assert.ThrowsAsync<RedisServerException>(async () => await _client.KeyRestoreAsync("{ks-dump}bad", Binary(1)));
        Assert.Equal("0", await OnOwner(src, "EXISTS", "{ks-dump}bad"));
    }

    [Fact]
    public async Task Sort_orders_limits_by_gets_and_stores_within_the_slot()
    {
        string list = "{ks-sort}l", dest = "{ks-sort}dest";
        await Fresh(list, dest, "{ks-sort}d2", "{ks-sort}w_1", "{ks-sort}w_2", "{ks-sort}w_3", "{ks-sort}n_1", "{ks-sort}n_2", "{ks-sort}missing");
        Assert.Empty(await _client.KeySortAsync("{ks-sort}missing"));
        await OnOwner(list, "RPUSH", list, "3", "1", "2", "10");
        await OnOwner(list, "MSET", "{ks-sort}w_1", "30", "{ks-sort}w_2", "10", "{ks-sort}w_3", "20", "{ks-sort}n_1", "one", "{ks-sort}n_2", "two");

        Same(["1", "2", "3", "10"], await _client.KeySortAsync(list));
        Same(["10", "3", "2", "1"], await _client.KeySortAsync(list, new SortOptions { Order = Order.Descending }));
        Same(["1", "10", "2", "3"], await _client.KeySortAsync(list, new SortOptions { Alpha = true }));
        Same(["2", "3"], await _client.KeySortAsync(list, new SortOptions { Offset = 1, Count = 2 }));
        Same(["3", "10"], await _client.KeySortAsync(list, new SortOptions { Offset = 2 }));
        Same(["3", "1", "2", "10"], await _client.KeySortAsync(list, new SortOptions { By = "nosort" }));
        Same(["1", "2"], await _client.KeySortAsync(list, new SortOptions { By = "nosort", Offset = 1, Count = 2 }));

        // Binary elements sort (ALPHA: by their bytes) and come back exactly.
        string binary = "{ks-sort}bin";
        await Fresh(binary);
        await _client.ExecuteAsync("RPUSH", [binary, Binary(9), Binary(7)]);
        byte[]?[] bytes = await _client.KeySortBytesAsync(binary, new SortOptions { Alpha = true });
        Assert.Equal([Binary(7), Binary(9)], bytes);
        Assert.Equal([Binary(9)], await _client.KeySortBytesAsync(binary, new SortOptions { Alpha = true, Order = Order.Descending, Count = 1 }));

        Assert.Equal(4, await _client.KeySortAndStoreAsync(list, dest, new SortOptions { Order = Order.Descending, Alpha = true }));
        Assert.Equal("3\n2\n10\n1", await OnOwner(dest, "LRANGE", dest, "0", "-1"));
        Assert.Equal("3\n1\n2\n10", await OnOwner(list, "LRANGE", list, "0", "-1"));     // the source is untouched

        // BY and GET patterns: Redis 7.0 refuses them in cluster mode even within the key's slot (newer servers accept
        // patterns whose keys share its slot); the refusal is the server's, and nothing is stored.
        if (ServerRefusesSortPatterns)
        {
            var by = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.KeySortAsync(list, new SortOptions { By = "{ks-sort}w_*" }));
            Assert.Contains("BY option of SORT denied in Cluster mode", by.ServerMessage);
            var get = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.KeySortAndStoreAsync(list, "{ks-sort}d2", new SortOptions { Get = ["#", "{ks-sort}n_*"] }));
            Assert.Contains("GET option of SORT denied in Cluster mode", get.ServerMessage);
            Assert.Equal("0", await OnOwner(list, "EXISTS", "{ks-sort}d2"));
        }
        else
        {
            // Without cluster mode the server resolves them: sorted by the weights (10 has none: 0), names read alongside.
            Same(["10", "2", "3", "1"], await _client.KeySortAsync(list, new SortOptions { By = "{ks-sort}w_*" }));
            Same(["1", "one", "2", "two", "3", null, "10", null], await _client.KeySortAsync(list, new SortOptions { Get = ["#", "{ks-sort}n_*"] }));
            Assert.Equal(8, await _client.KeySortAndStoreAsync(list, "{ks-sort}d2", new SortOptions { Get = ["#", "{ks-sort}n_*"] }));
            Assert.Equal("1\none\n2\ntwo\n3\n\n10\n", await OnOwner(list, "LRANGE", "{ks-sort}d2", "0", "-1"));
        }

        // A destination in another slot is refused before sending.
        string elsewhere = "{ks-sort2}dest";
        await Fresh(elsewhere);
        ClusterBatch batch = _client.CreateBatch();
        ClusterTransaction tx = _client.CreateTransaction();
        foreach (IRedisCommands r in (IRedisCommands[])[_client, batch, tx])
        {
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.KeySortAndStoreAsync(list, elsewhere); });
        }
        Assert.Equal(0, batch.Count + tx.Count);
        Assert.Equal("0", await OnOwner(elsewhere, "EXISTS", elsewhere));
    }

    [Fact]
    public async Task Ranges_and_float_increments_match_the_server_and_keep_bytes_exact()
    {
        string key = "{ks-rng}k", f = "{ks-rng}f";
        await Fresh(key, f, "{ks-rng}missing");
        Assert.Equal("", await _client.StringGetRangeAsync("{ks-rng}missing", 0, -1));
        Assert.Empty(await _client.StringGetRangeBytesAsync("{ks-rng}missing", 0, -1));

        Assert.Equal(8, await _client.StringSetRangeAsync(key, 5, "abc"));           // zero-padded
        Assert.Equal(Sha1([0, 0, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c']), await ServerSha1(key));
        Assert.Equal(8, await _client.StringSetRangeAsync(key, 0, "Hello"));
        Assert.Equal("Helloabc", await OnOwner(key, "GET", key));
        Assert.Equal("lloa", await _client.StringGetRangeAsync(key, 2, 5));
        Assert.Equal("bc", await _client.StringGetRangeAsync(key, -2, -1));
        Assert.Equal("", await _client.StringGetRangeAsync(key, 100, 200));
        Assert.Equal(258 + 8, await _client.StringSetRangeAsync(key, 8, Binary(2)));
        Assert.Equal(Binary(2), await _client.StringGetRangeBytesAsync(key, 8, -1));
        Assert.Equal(Binary(2)[..2], await _client.StringGetRangeBytesAsync(key, 8, 9));
        Assert.Equal(Sha1([.. "Helloabc"u8.ToArray(), .. Binary(2)]), await ServerSha1(key));
        // A range cutting a UTF-8 character: the bytes are exact; the text variant is for text.
        await _client.StringSetAsync(f, "✓");
        Assert.Equal(Encoding.UTF8.GetBytes("✓")[..2], await _client.StringGetRangeBytesAsync(f, 0, 1));

        await Fresh(f);
        Assert.Equal(1.5, await _client.StringIncrementAsync(f, 1.5));
        Assert.Equal("1.5", await OnOwner(f, "GET", f));
        Assert.Equal(1.25, await _client.StringIncrementAsync(f, -0.25));
        Assert.Equal(3.25e10, await _client.StringIncrementAsync(f, 3.25e10 - 1.25));
        Assert.Equal("32500000000", await OnOwner(f, "GET", f));
        Assert.Equal(32500000001, await _client.StringIncrementAsync(f, 1));        // the integer form still works on it
        await _client.StringSetAsync(f, "text");
        await Assert.ThrowsAsync<RedisServerException>(async () => await _client.StringIncrementAsync(f, 1.0));
        Assert.Equal("text", await OnOwner(f, "GET", f));
    }

    [Fact]
    public async Task Longest_common_subsequence_text_bytes_length_and_matches()
    {
        string a = "{ks-lcs}a", b = "{ks-lcs}b", missing = "{ks-lcs}missing";
        await Fresh(a, b, missing);
        await _client.StringSetAsync(a, "ohmytext");
        await _client.StringSetAsync(b, "mynewtext");
        Assert.Equal("mytext", await _client.StringLongestCommonSubsequenceAsync(a, b));
        Assert.Equal(await OnOwner(a, "LCS", a, b), await _client.StringLongestCommonSubsequenceAsync(a, b));
        Assert.Equal(6, await _client.StringLongestCommonSubsequenceLengthAsync(a, b));
        LcsMatchResult all = await _client.StringLongestCommonSubsequenceWithMatchesAsync(a, b);
        Assert.Equal(6, all.LongestMatchLength);
        Assert.Equal([new LcsMatch(new LcsRange(4, 7), new LcsRange(5, 8), 4), new LcsMatch(new LcsRange(2, 3), new LcsRange(0, 1), 2)], all.Matches);
        Assert.Equal("matches\n4\n7\n5\n8\n4\n2\n3\n0\n1\n2\nlen\n6", await OnOwner(a, "LCS", a, b, "IDX", "WITHMATCHLEN"));
        LcsMatchResult longOnes = await _client.StringLongestCommonSubsequenceWithMatchesAsync(a, b, minLength: 4);
        Assert.Equal([new LcsMatch(new LcsRange(4, 7), new LcsRange(5, 8), 4)], longOnes.Matches);
        Assert.Equal(6, longOnes.LongestMatchLength);

        Assert.Equal("", await _client.StringLongestCommonSubsequenceAsync(a, missing));
        Assert.Equal(0, await _client.StringLongestCommonSubsequenceLengthAsync(missing, missing));
        Assert.Empty((await _client.StringLongestCommonSubsequenceWithMatchesAsync(a, missing)).Matches);

        await _client.StringSetAsync(a, Binary(0));
        await _client.StringSetAsync(b, (byte[])[.. Binary(0)[..100], 0x41, .. Binary(0)[100..]]);
        Assert.Equal(Binary(0), await _client.StringLongestCommonSubsequenceBytesAsync(a, b));

        string other = "{ks-lcs2}x";
        ClusterBatch batch = _client.CreateBatch();
        ClusterTransaction tx = _client.CreateTransaction();
        foreach (IRedisCommands r in (IRedisCommands[])[_client, batch, tx])
        {
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.StringLongestCommonSubsequenceAsync(a, other); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.StringLongestCommonSubsequenceBytesAsync(a, other); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.StringLongestCommonSubsequenceLengthAsync(a, other); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.StringLongestCommonSubsequenceWithMatchesAsync(a, other); });
        }
        Assert.Equal(0, batch.Count + tx.Count);
    }

    [Fact]
    public async Task Random_key_is_null_for_an_empty_cluster_and_finds_the_only_key_on_any_primary()
    {
        await OnEveryPrimary("FLUSHALL");
        Assert.Null(await _client.KeyRandomAsync());

        // One key in the whole cluster: whichever primary is asked first, it is found (an empty one passes on).
        byte[] key = [0xC3, 0x28, (byte)'{', (byte)'r', (byte)'k', (byte)'}', 0x00, 0xFF];
        await _client.StringSetAsync(key, "v");
        for (int i = 0; i < 6; i++)
        {
            RedisKey? found = await _client.KeyRandomAsync();
            Assert.Equal(key, found!.Value.ToArray());
        }
        await _client.KeyDeleteAsync(key);
        Assert.Null(await _client.KeyRandomAsync());

        var keys = new HashSet<string> { "{ks-rnd}a", "{ks-rnd-b}b", "{ks-rnd-c}c" };
        foreach (string k in keys) await _client.StringSetAsync(k, "v");
        RedisKey? any = await _client.KeyRandomAsync();
        Assert.Contains(any!.Value.ToString(), keys);
        Assert.Equal("1", await OnOwner(any.Value.ToString(), "EXISTS", any.Value.ToString()));
        await using var resp2 = await ClusterClient.ConnectAsync(ConfigurationString + ",protocol=resp2");
        Assert.Contains((await resp2.KeyRandomAsync())!.Value.ToString(), keys);
    }

    /// <summary>A script with fixed values and absolute times, so every surface and protocol answers exactly alike.</summary>
    private static List<Task<string>> Script(IRedisCommands r, string tag, byte[] dump)
    {
        string k = tag + ":k", c = tag + ":c", l = tag + ":l", s = tag + ":s", f = tag + ":f", x = tag + ":x";
        var at = new DateTimeOffset(2100, 1, 1, 0, 0, 0, 500, TimeSpan.Zero);
        var steps = new List<Task<string>>();
        void Step<T>(ValueTask<T> call) => steps.Add(Rendered(call));
        static async Task<string> Rendered<T>(ValueTask<T> call)
        {
            object? value = await call;
            return value switch
            {
                null => "nil",
                string?[] many => "[" + string.Join(",", many.Select(v => v ?? "nil")) + "]",
                byte[] bytes => Convert.ToHexString(bytes),
                LcsMatchResult m => m.LongestMatchLength + ":" + string.Join(",", m.Matches.Select(x => $"{x.First.Start}-{x.First.End}/{x.Second.Start}-{x.Second.End}/{x.Length}")),
                DateTimeOffset t => t.ToUnixTimeMilliseconds().ToString(),
                double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
        }
        foreach (string key in (string[])[k, c, s, f, x, tag + ":r", tag + ":n"]) Step(r.KeyDeleteAsync(key));   // l: filled by the test
        Step(r.StringSetAsync(k, "hello world"));
        Step(r.KeyExpireAsync(k, TimeSpan.FromHours(1), ExpireWhen.HasExpiry));
        Step(r.KeyExpireAsync(k, at, ExpireWhen.HasNoExpiry));
        Step(r.KeyExpireAsync(k, at.AddDays(1), ExpireWhen.LessThanCurrentExpiry));
        Step(r.KeyExpireTimeAsync(k));
        Step(r.KeyExpireTimeAsync(c));
        Step(r.KeyCopyAsync(k, c));
        Step(r.KeyCopyAsync(k, c));
        Step(r.KeyExpireTimeAsync(c));
        Step(r.KeyRenameAsync(c, tag + ":r"));
        Step(r.KeyRenameAsync(k, tag + ":r", SetCondition.NotExists));
        Step(r.KeyEncodingAsync(k));
        Step(r.KeyEncodingAsync(c));
        Step(r.KeyRestoreAsync(x, dump, at));
        Step(r.StringGetAsync(x));
        Step(r.KeyRestoreAsync(x, dump, TimeSpan.FromHours(1), replace: true, frequency: 5));
        Step(r.StringGetRangeAsync(k, 0, 4));
        Step(r.StringGetRangeBytesAsync(k, -5, -1));
        Step(r.StringSetRangeAsync(k, 6, "there"));
        Step(r.StringGetAsync(k));
        Step(r.StringIncrementAsync(f, 2.5));
        Step(r.StringIncrementAsync(f, -0.125));
        Step(r.KeySortAsync(l, new SortOptions { Alpha = true, Order = Order.Descending }));
        Step(r.KeySortAsync(l, new SortOptions { Alpha = true, Offset = 1, Count = 1 }));
        Step(r.KeySortAndStoreAsync(l, s, new SortOptions { Alpha = true }));
        Step(r.StringSetAsync(tag + ":n", "hello there"));
        Step(r.StringLongestCommonSubsequenceAsync(k, tag + ":n"));
        Step(r.StringLongestCommonSubsequenceLengthAsync(k, tag + ":n"));
        Step(r.StringLongestCommonSubsequenceWithMatchesAsync(k, tag + ":n", 2));
        return steps;
    }

    private const string Expected =
        "False|False|False|False|False|False|False|True|False|True|False|4102444800500|nil|True|False|4102444800500|True|False|embstr|nil|" +
        "True|dumped|True|hello|776F726C64|11|hello there|2.5|2.375|[c,b,a]|[b]|3|True|hello there|11|11:0-10/0-10/11";

    [Fact]
    public async Task The_same_script_answers_alike_on_client_batch_transaction_and_resp2()
    {
        await Fresh("{ks-script}src");
        await _client.StringSetAsync("{ks-script}src", "dumped");
        byte[] dump = (await _client.KeyDumpAsync("{ks-script}src"))!;
        string clientTag = "{ks-c}", batchTag = "{ks-b}", txTag = "{ks-t}", resp2Tag = "{ks-2}";
        foreach (string tag in (string[])[clientTag, batchTag, txTag, resp2Tag])
        {
            await Fresh(tag + ":l");
            await OnOwner(tag + ":l", "RPUSH", tag + ":l", "b", "a", "c");
        }
        var fromClient = new List<string>();
        foreach (Task<string> step in Script(_client, clientTag, dump)) fromClient.Add(await step);

        ClusterBatch batch = _client.CreateBatch();
        List<Task<string>> batched = Script(batch, batchTag, dump);
        batch.Execute();
        string[] fromBatch = await Task.WhenAll(batched);

        ClusterTransaction tx = _client.CreateTransaction();
        List<Task<string>> queued = Script(tx, txTag, dump);
        Assert.True(await tx.CommitAsync());
        string[] fromTransaction = await Task.WhenAll(queued);

        await using var resp2 = await ClusterClient.ConnectAsync(ConfigurationString + ",protocol=resp2");
        var fromResp2 = new List<string>();
        foreach (Task<string> step in Script(resp2, resp2Tag, dump)) fromResp2.Add(await step);

        Assert.Equal(Expected, string.Join("|", fromClient));
        Assert.Equal(Expected, string.Join("|", fromBatch));
        Assert.Equal(Expected, string.Join("|", fromTransaction));
        Assert.Equal(Expected, string.Join("|", fromResp2));
        foreach (string tag in (string[])[clientTag, batchTag, txTag, resp2Tag])
        {
            Assert.Equal("hello there", await OnOwner(tag + ":k", "GET", tag + ":k"));
            Assert.Equal("4102444800500", await OnOwner(tag + ":k", "PEXPIRETIME", tag + ":k"));
            Assert.Equal("4102444800500", await OnOwner(tag + ":k", "PEXPIRETIME", tag + ":r"));
            Assert.Equal("a\nb\nc", await OnOwner(tag + ":s", "LRANGE", tag + ":s", "0", "-1"));
            Assert.Equal("2.375", await OnOwner(tag + ":f", "GET", tag + ":f"));
            Assert.Equal("dumped", await OnOwner(tag + ":x", "GET", tag + ":x"));
            Assert.InRange(await ServerPttl(tag + ":x"), 3_500_000, 3_600_000);
        }
    }

    [Fact]
    public async Task Bad_arguments_are_refused_on_every_surface_before_anything_is_queued()
    {
        string k = "{ks-bad}k";
        await Fresh(k);
        ClusterBatch batch = _client.CreateBatch();
        ClusterTransaction tx = _client.CreateTransaction();
        foreach (IRedisCommands r in (IRedisCommands[])[_client, batch, tx])
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.KeyExpireAsync(k, TimeSpan.Zero, ExpireWhen.HasNoExpiry); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.KeyExpireAsync(k, TimeSpan.FromSeconds(1), (ExpireWhen)9); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.KeyExpireAsync(k, DateTimeOffset.UtcNow, (ExpireWhen)9); });
            Assert.Throws<ArgumentNullException>(() => { _ = r.KeyRestoreAsync(k, null!); });
            Assert.Throws<ArgumentException>(() => { _ = r.KeyRestoreAsync(k, []); });
            Assert.Throws<ArgumentException>(() => { _ = r.KeyRestoreAsync(k, [1], idleTime: TimeSpan.FromSeconds(1), frequency: 1); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.KeyRestoreAsync(k, [1], frequency: 256); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.KeyRestoreAsync(k, [1], idleTime: TimeSpan.FromSeconds(-1)); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.KeyRestoreAsync(k, [1], TimeSpan.FromTicks(1)); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.KeyRestoreAsync(k, [1], DateTimeOffset.UnixEpoch); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.KeySortAsync(k, new SortOptions { Offset = -1 }); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.KeySortAsync(k, new SortOptions { Count = -2 }); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.KeySortAsync(k, new SortOptions { Order = (Order)4 }); });
            Assert.Throws<ArgumentException>(() => { _ = r.KeySortBytesAsync(k, new SortOptions { By = "" }); });
            Assert.Throws<ArgumentException>(() => { _ = r.KeySortAndStoreAsync(k + "d", k, new SortOptions { Get = ["#", ""] }); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StringSetRangeAsync(k, -1, "x"); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StringIncrementAsync(k, double.NaN); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StringIncrementAsync(k, double.PositiveInfinity); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StringLongestCommonSubsequenceWithMatchesAsync(k, k, -1); });
        }
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, tx.Count);
        Assert.Equal("0", await OnOwner(k, "EXISTS", k));
    }
}

/// <summary><see cref="KeyAndStringCommandTests"/> on the shared 3×1 cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterKeyAndStringCommandTests(ClusterFixture fixture) : KeyAndStringCommandTests
{
    protected override string ConfigurationString => fixture.Cluster.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.Cluster.OnOwner(key, command);

    protected override Task<string[]> OnEveryPrimary(params string[] command) => fixture.Cluster.OnEveryPrimary(command);

    protected override bool ServerRefusesSortPatterns => true;
}

/// <summary><see cref="KeyAndStringCommandTests"/> on a single redis-server without cluster mode: one node owns every slot.</summary>
public sealed class StandaloneKeyAndStringCommandTests(StandaloneServerFixture fixture) : KeyAndStringCommandTests, IClassFixture<StandaloneServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);

    protected override async Task<string[]> OnEveryPrimary(params string[] command) => [await fixture.OnPrimary(command)];

    protected override bool ServerRefusesSortPatterns => false;
}

/// <summary><see cref="KeyAndStringCommandTests"/> on a primary with two replicas without cluster mode: one node owns every slot.</summary>
public sealed class ReplicatedKeyAndStringCommandTests(ReplicatedServerFixture fixture) : KeyAndStringCommandTests, IClassFixture<ReplicatedServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);

    protected override async Task<string[]> OnEveryPrimary(params string[] command) => [await fixture.OnPrimary(command)];

    protected override bool ServerRefusesSortPatterns => false;
}
