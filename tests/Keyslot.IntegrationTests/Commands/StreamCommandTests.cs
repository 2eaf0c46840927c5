using System.Security.Cryptography;
using System.Text;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Protocol;

namespace Keyslot.IntegrationTests.Commands;

/// <summary>The typed stream commands, each checked against what the server holds, on RESP3 and RESP2, alone, batched and in a transaction.</summary>
public abstract class StreamCommandTests : IAsyncLifetime
{
    private ClusterClient _client = null!;

    /// <summary>What the client is configured with.</summary>
    protected abstract string ConfigurationString { get; }

    /// <summary>Runs a command on the node that owns <paramref name="key"/>, outside the client under test.</summary>
    protected abstract Task<string> OnOwner(string key, params string[] command);

    /// <summary>Runs a command on every primary (every node that owns slots), outside the client under test.</summary>
    protected abstract Task<string[]> OnEveryPrimary(params string[] command);

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    /// <summary>The counters of <paramref name="command"/> on every primary, in the same order.</summary>
    private async Task<CommandStats[]> StatsOnEveryPrimary(string command) =>
        [.. (await OnEveryPrimary("INFO", "commandstats")).Select(info => CommandStats.Of(CommandStats.Parse(info), command))];

    private async Task Fresh(params string[] keys)
    {
        foreach (string key in keys) await OnOwner(key, "DEL", key);
    }

    private static KeyValuePair<RedisArgument, RedisArgument> P(RedisArgument field, RedisArgument value) => new(field, value);

    /// <summary>Every byte value once, led by 0xC3 0x28 (invalid UTF-8).</summary>
    private static byte[] Binary(int seed)
    {
        var value = new byte[258];
        value[0] = 0xC3;
        value[1] = 0x28;
        for (int i = 0; i < 256; i++) value[i + 2] = (byte)(i + seed);
        return value;
    }

    private static string Sha1(byte[] value) => Convert.ToHexStringLower(SHA1.HashData(value));

    /// <summary>The SHA-1 the server computes of the value of pair <paramref name="pair"/> (1-based) of entry <paramref name="entry"/>.</summary>
    private Task<string> ServerSha1(string key, int entry, int pair) =>
        OnOwner(key, "EVAL", $"return redis.sha1hex(redis.call('XRANGE', KEYS[1], '-', '+')[{entry}][2][{pair * 2}])", "1", key);

    private static string Render(StreamEntry[] entries) =>
        string.Join(";", entries.Select(e => e.Id + ":" + string.Join(",", e.Values.Select(v => v.Key + "=" + v.Value))));

    private static string Render(StreamReadResult[] streams) =>
        string.Join("|", streams.Select(s => s.Key + ">" + Render(s.Entries)));

    private static string Render(StreamPendingInfo p) =>
        $"{p.Count}[{p.LowestId ?? "-"}..{p.HighestId ?? "-"}]{string.Join(",", p.Consumers.Select(c => c.Name + "=" + c.Count))}";

    private static string Render(StreamGroupInfo[] groups) =>
        string.Join(";", groups.Select(g => $"{g.Name}:{g.Consumers}:{g.Pending}:{g.LastDeliveredId}:{g.EntriesRead}:{g.Lag}"));

    [Fact]
    public async Task Add_with_auto_and_given_ids_keeps_the_fields_in_order()
    {
        await Fresh("{xs-add}s", "{xs-add}none");
        string? auto = await _client.StreamAddAsync("{xs-add}s", "f", "v");
        Assert.Matches("^[0-9]+-[0-9]+$", auto);
        Assert.Equal($"{auto}\nf\nv", await OnOwner("{xs-add}s", "XRANGE", "{xs-add}s", "-", "+"));

        await Fresh("{xs-add}s");
        Assert.Equal("5-1", await _client.StreamAddAsync("{xs-add}s", [P("a", "1"), P("b", 2L), P("a", "dup")], id: "5-1"));
        Assert.Equal("5-2", await _client.StreamAddAsync("{xs-add}s", "f", 1.5, id: "5-*"));
        Assert.Equal("5-1\na\n1\nb\n2\na\ndup\n5-2\nf\n1.5", await OnOwner("{xs-add}s", "XRANGE", "{xs-add}s", "-", "+"));
        // An ID not above the last is the server's error, and nothing is added.
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.StreamAddAsync("{xs-add}s", "f", "v", id: "5-1"));
        Assert.Contains("equal or smaller", error.ServerMessage);
        Assert.Equal("2", await OnOwner("{xs-add}s", "XLEN", "{xs-add}s"));

        // NOMKSTREAM: nothing for a missing stream (null, and no key), an ID for an existing one.
        Assert.Null(await _client.StreamAddAsync("{xs-add}none", "f", "v", noMakeStream: true));
        Assert.Equal("0", await OnOwner("{xs-add}none", "EXISTS", "{xs-add}none"));
        Assert.Equal("6-0", await _client.StreamAddAsync("{xs-add}s", "f", "v", id: "6-0", noMakeStream: true));
    }

    [Fact]
    public async Task Add_and_trim_evict_by_max_length_and_min_id()
    {
        string key = "{xs-trim}s";
        await Fresh(key);
        for (int i = 1; i <= 5; i++) await _client.StreamAddAsync(key, "n", i, id: $"{i}-0");
        Assert.Equal("6-0", await _client.StreamAddAsync(key, "n", 6, id: "6-0", trim: StreamTrim.MaxLength(3)));
        Assert.Equal("3", await OnOwner(key, "XLEN", key));
        Assert.Equal("4-0\nn\n4\n5-0\nn\n5\n6-0\nn\n6", await OnOwner(key, "XRANGE", key, "-", "+"));

        Assert.Equal("7-0", await _client.StreamAddAsync(key, "n", 7, id: "7-0", trim: StreamTrim.MinId("6-0")));
        Assert.Equal("6-0\nn\n6\n7-0\nn\n7", await OnOwner(key, "XRANGE", key, "-", "+"));

        // Approximate trims evict whole radix nodes only: with one node of 100 entries, nothing goes.
        Assert.Equal(0, await _client.StreamTrimAsync(key, StreamTrim.MaxLength(1, approximate: true, limit: 10)));
        Assert.Equal("2", await OnOwner(key, "XLEN", key));
        Assert.Equal(1, await _client.StreamTrimAsync(key, StreamTrim.MaxLength(1)));
        Assert.Equal("7-0\nn\n7", await OnOwner(key, "XRANGE", key, "-", "+"));
        Assert.Equal(1, await _client.StreamTrimAsync(key, StreamTrim.MinId("8-0")));
        Assert.Equal("0", await OnOwner(key, "XLEN", key));
        // The stream stays, empty; a missing one trims nothing.
        Assert.Equal("stream", await OnOwner(key, "TYPE", key));
        Assert.Equal(0, await _client.StreamTrimAsync("{xs-trim}missing", StreamTrim.MaxLength(0)));
    }

    [Fact]
    public async Task Range_length_and_delete_on_empty_missing_and_filled_streams()
    {
        string key = "{xs-range}s";
        await Fresh(key);
        Assert.Empty(await _client.StreamRangeAsync(key));
        Assert.Empty(await _client.StreamRangeBytesAsync(key));
        Assert.Equal(0, await _client.StreamLengthAsync(key));
        Assert.Equal(0, await _client.StreamDeleteAsync(key, ["1-0"]));

        for (int i = 1; i <= 4; i++) await _client.StreamAddAsync(key, [P("i", i), P("sq", i * i)], id: $"{i}-0");
        Assert.Equal(4, await _client.StreamLengthAsync(key));
        Assert.Equal("1-0:i=1,sq=1;2-0:i=2,sq=4;3-0:i=3,sq=9;4-0:i=4,sq=16", Render(await _client.StreamRangeAsync(key)));
        Assert.Equal("2-0:i=2,sq=4;3-0:i=3,sq=9", Render(await _client.StreamRangeAsync(key, "2", "3")));
        Assert.Equal("3-0:i=3,sq=9;4-0:i=4,sq=16", Render(await _client.StreamRangeAsync(key, "(2-0", "+")));
        Assert.Equal("1-0:i=1,sq=1;2-0:i=2,sq=4", Render(await _client.StreamRangeAsync(key, count: 2)));
        Assert.Equal("4-0:i=4,sq=16;3-0:i=3,sq=9", Render(await _client.StreamRangeAsync(key, count: 2, order: Order.Descending)));
        Assert.Equal("3-0:i=3,sq=9;2-0:i=2,sq=4", Render(await _client.StreamRangeAsync(key, "2-0", "3-0", order: Order.Descending)));
        Assert.Equal("16", (await _client.StreamRangeAsync(key, "4-0", "4-0"))[0]["sq"]);

        Assert.Equal(2, await _client.StreamDeleteAsync(key, ["1-0", "3-0", "9-0"]));
        Assert.Equal("2", await OnOwner(key, "XLEN", key));
        Assert.Equal("2-0\n4-0", await OnOwner(key, "EVAL", "local r = {} for i, e in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do r[i] = e[1] end return r", "1", key));
    }

    [Fact]
    public async Task Read_one_or_several_streams_of_a_slot_and_nothing_new_is_empty()
    {
        string a = "{xs-read}a", b = "{xs-read}b", missing = "{xs-read}missing";
        await Fresh(a, b, missing);
        await _client.StreamAddAsync(a, "n", 1, id: "1-0");
        await _client.StreamAddAsync(a, "n", 2, id: "2-0");
        await _client.StreamAddAsync(b, "m", "x", id: "3-0");

        Assert.Equal("1-0:n=1;2-0:n=2", Render(await _client.StreamReadAsync(a, "0")));
        Assert.Equal("1-0:n=1", Render(await _client.StreamReadAsync(a, "0", count: 1)));
        Assert.Equal("2-0:n=2", Render(await _client.StreamReadAsync(a, "1-0")));
        Assert.Empty(await _client.StreamReadAsync(a, "2-0"));        // nil reply: nothing new
        Assert.Empty(await _client.StreamReadAsync(missing, "0"));
        Assert.Empty(await _client.StreamReadBytesAsync(missing, "0"));

        StreamReadResult[] both = await _client.StreamReadAsync([new StreamPosition(a, "0"), new StreamPosition(b, "0"), new StreamPosition(missing, "0")], countPerStream: 1);
        Assert.Equal("{xs-read}a>1-0:n=1|{xs-read}b>3-0:m=x", Render(both));
        Assert.Equal((RedisKey)a, both[0].Key);
        // Only the streams with something new come back.
        Assert.Equal("{xs-read}b>3-0:m=x", Render(await _client.StreamReadAsync([new StreamPosition(a, "2-0"), new StreamPosition(b, "0")])));
        Assert.Empty(await _client.StreamReadAsync([new StreamPosition(a, "2-0"), new StreamPosition(b, "3-0")]));
        Assert.Empty(await _client.StreamReadBytesAsync([new StreamPosition(a, "2-0"), new StreamPosition(b, "3-0")]));
        // XREAD reads: nothing changed.
        Assert.Equal("2", await OnOwner(a, "XLEN", a));
    }

    [Fact]
    public async Task Consumer_groups_deliver_track_acknowledge_and_are_managed()
    {
        string key = "{xs-group}s";
        await Fresh(key, "{xs-group}missing");
        // MKSTREAM creates the stream; without it a missing stream is the server's error.
        Assert.True(await _client.StreamCreateConsumerGroupAsync(key, "g", "0"));
        Assert.Equal("stream", await OnOwner(key, "TYPE", key));
        var busy = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.StreamCreateConsumerGroupAsync(key, "g"));
        Assert.StartsWith("BUSYGROUP", busy.ServerMessage);
        await Assert.ThrowsAsync<RedisServerException>(async () => await _client.StreamCreateConsumerGroupAsync("{xs-group}missing", "g", "0", createStream: false));
        Assert.Equal("0", await OnOwner(key, "EXISTS", "{xs-group}missing"));

        Assert.Empty(await _client.StreamReadGroupAsync(key, "g", "c1"));   // nothing yet
        for (int i = 1; i <= 4; i++) await _client.StreamAddAsync(key, "n", i, id: $"{i}-0");

        Assert.Equal("1-0:n=1;2-0:n=2", Render(await _client.StreamReadGroupAsync(key, "g", "c1", ">", count: 2)));
        Assert.Equal("3-0:n=3", Render(await _client.StreamReadGroupAsync(key, "g", "c2", count: 1)));
        Assert.Equal("3[1-0..3-0]c1=2,c2=1", Render(await _client.StreamPendingAsync(key, "g")));
        Assert.Equal("3\n1-0\n3-0\nc1\n2\nc2\n1", await OnOwner(key, "XPENDING", key, "g"));

        // An ID reads this consumer's pending entries again; NOACK delivers without adding to the pending list.
        Assert.Equal("2-0:n=2", Render(await _client.StreamReadGroupAsync(key, "g", "c1", "1-0")));
        Assert.Equal("4-0:n=4", Render(await _client.StreamReadGroupAsync(key, "g", "c3", noAck: true)));
        Assert.Equal("3", (await OnOwner(key, "XPENDING", key, "g")).Split('\n')[0]);

        StreamPendingEntry[] c1 = await _client.StreamPendingMessagesAsync(key, "g", 10, consumer: "c1");
        Assert.Equal(["1-0", "2-0"], c1.Select(p => p.Id));
        Assert.All(c1, p => Assert.Equal("c1", p.Consumer));
        Assert.Equal([1L, 2L], c1.Select(p => p.DeliveryCount));     // 2-0 was delivered twice
        Assert.Equal(["1-0"], (await _client.StreamPendingMessagesAsync(key, "g", 1)).Select(p => p.Id));
        Assert.Equal(["3-0"], (await _client.StreamPendingMessagesAsync(key, "g", 10, start: "(2-0", end: "+")).Select(p => p.Id));
        Assert.Empty(await _client.StreamPendingMessagesAsync(key, "g", 10, minIdle: TimeSpan.FromHours(1)));

        Assert.Equal(2, await _client.StreamAcknowledgeAsync(key, "g", ["1-0", "3-0", "4-0"]));
        Assert.Equal("1\n2-0\n2-0\nc1\n1", await OnOwner(key, "XPENDING", key, "g"));

        // Consumers: created explicitly (false when there), deleted with their pending count.
        Assert.True(await _client.StreamCreateConsumerAsync(key, "g", "c4"));
        Assert.False(await _client.StreamCreateConsumerAsync(key, "g", "c4"));
        Assert.Equal(1, await _client.StreamDeleteConsumerAsync(key, "g", "c1"));
        Assert.Equal(0, await _client.StreamDeleteConsumerAsync(key, "g", "c4"));
        Assert.Equal("0", (await OnOwner(key, "XPENDING", key, "g")).Split('\n')[0]);
        Assert.Equal(["c2", "c3"], (await _client.StreamConsumerInfoAsync(key, "g")).Select(c => c.Name).Order());

        // SETID moves the group back: everything is new again.
        Assert.True(await _client.StreamConsumerGroupSetPositionAsync(key, "g", "0"));
        Assert.Equal(4, (await _client.StreamReadGroupAsync(key, "g", "c2")).Length);
        Assert.True(await _client.StreamConsumerGroupSetPositionAsync(key, "g", "$"));
        Assert.Empty(await _client.StreamReadGroupAsync(key, "g", "c2"));

        Assert.True(await _client.StreamDeleteConsumerGroupAsync(key, "g"));
        Assert.False(await _client.StreamDeleteConsumerGroupAsync(key, "g"));
        Assert.Equal("", await OnOwner(key, "XINFO", "GROUPS", key));
    }

    [Fact]
    public async Task Read_group_of_several_streams_and_deleted_pending_entries()
    {
        string a = "{xs-rg}a", b = "{xs-rg}b";
        await Fresh(a, b);
        await _client.StreamCreateConsumerGroupAsync(a, "g", "0");
        await _client.StreamCreateConsumerGroupAsync(b, "g", "0");
        await _client.StreamAddAsync(a, "n", 1, id: "1-0");
        await _client.StreamAddAsync(b, "n", 2, id: "2-0");
        await _client.StreamAddAsync(b, "n", 3, id: "3-0");
        Assert.Equal("{xs-rg}a>1-0:n=1|{xs-rg}b>2-0:n=2", Render(await _client.StreamReadGroupAsync([new StreamPosition(a, ">"), new StreamPosition(b, ">")], "g", "c", countPerStream: 1)));
        Assert.Equal("1\n1-0\n1-0\nc\n1", await OnOwner(a, "XPENDING", a, "g"));

        // A pending entry deleted from the stream reads back with no values.
        await _client.StreamDeleteAsync(b, ["2-0"]);
        StreamReadResult[] pending = await _client.StreamReadGroupAsync([new StreamPosition(a, "0"), new StreamPosition(b, "0")], "g", "c");
        Assert.Equal("{xs-rg}a>1-0:n=1|{xs-rg}b>2-0:", Render(pending));
        Assert.Empty(pending[1].Entries[0].Values);
        Assert.Null(pending[1].Entries[0]["n"]);
    }

    [Fact]
    public async Task Claim_with_options_and_auto_claim_move_pending_entries()
    {
        string key = "{xs-claim}s";
        await Fresh(key);
        await _client.StreamCreateConsumerGroupAsync(key, "g", "0");
        for (int i = 1; i <= 5; i++) await _client.StreamAddAsync(key, "n", i, id: $"{i}-0");
        Assert.Equal(4, (await _client.StreamReadGroupAsync(key, "g", "c1", count: 4)).Length);

        // XCLAIM gives c2 the entries (not idle long enough: nothing), with a set retry count and idle time.
        Assert.Empty(await _client.StreamClaimAsync(key, "g", "c2", TimeSpan.FromHours(1), ["1-0"]));
        Assert.Equal("1-0:n=1", Render(await _client.StreamClaimAsync(key, "g", "c2", TimeSpan.Zero, ["1-0"],
            new StreamClaimOptions { RetryCount = 7, Idle = TimeSpan.FromSeconds(500) })));
        string[] one = (await OnOwner(key, "XPENDING", key, "g", "-", "+", "1")).Split('\n');
        Assert.Equal("1-0", one[0]);
        Assert.Equal("c2", one[1]);
        Assert.InRange(long.Parse(one[2]), 500_000, 600_000);
        Assert.Equal("7", one[3]);

        // TIME: an absolute last delivery; JUSTID returns IDs and leaves the delivery count alone.
        Assert.Equal(["2-0", "3-0"], await _client.StreamClaimIdsOnlyAsync(key, "g", "c2", TimeSpan.Zero, ["2-0", "3-0"],
            new StreamClaimOptions { Time = DateTimeOffset.UtcNow.AddHours(-2) }));
        string[] two = (await OnOwner(key, "XPENDING", key, "g", "2-0", "2-0", "1")).Split('\n');
        Assert.Equal("c2", two[1]);
        Assert.InRange(long.Parse(two[2]), 7_100_000, 7_300_000);
        Assert.Equal("1", two[3]);

        // FORCE claims an ID that was never delivered (5-0); without it nothing happens.
        Assert.Empty(await _client.StreamClaimIdsOnlyAsync(key, "g", "c3", TimeSpan.Zero, ["5-0"]));
        Assert.Equal(["5-0"], await _client.StreamClaimIdsOnlyAsync(key, "g", "c3", TimeSpan.Zero, ["5-0"], new StreamClaimOptions { Force = true }));
        Assert.Equal("c3", (await OnOwner(key, "XPENDING", key, "g", "5-0", "5-0", "1")).Split('\n')[1]);

        // XAUTOCLAIM: pages through the pending list; a deleted entry comes back as deleted and leaves it.
        await _client.StreamDeleteAsync(key, ["4-0"]);
        StreamAutoClaimResult page = await _client.StreamAutoClaimAsync(key, "g", "c4", TimeSpan.Zero, count: 2);
        Assert.Equal("1-0:n=1;2-0:n=2", Render(page.Entries));
        Assert.Equal("3-0", page.NextStartId);
        Assert.Empty(page.DeletedIds);
        StreamAutoClaimResult rest = await _client.StreamAutoClaimAsync(key, "g", "c4", TimeSpan.Zero, page.NextStartId);
        Assert.Equal("3-0:n=3;5-0:n=5", Render(rest.Entries));
        Assert.Equal(["4-0"], rest.DeletedIds);
        Assert.Equal("0-0", rest.NextStartId);
        Assert.Equal("4\n1-0\n5-0\nc4\n4", await OnOwner(key, "XPENDING", key, "g"));
        // Nothing idle long enough: nothing claimed.
        Assert.Empty((await _client.StreamAutoClaimAsync(key, "g", "c5", TimeSpan.FromHours(1))).Entries);
    }

    [Fact]
    public async Task Info_of_stream_groups_and_consumers_is_typed()
    {
        string key = "{xs-info}s";
        await Fresh(key, "{xs-info}missing");
        await Assert.ThrowsAsync<RedisServerException>(async () => await _client.StreamInfoAsync("{xs-info}missing"));
        await Assert.ThrowsAsync<RedisServerException>(async () => await _client.StreamGroupInfoAsync("{xs-info}missing"));

        await _client.StreamCreateConsumerGroupAsync(key, "g", "0");
        StreamInfo empty = await _client.StreamInfoAsync(key);
        Assert.Equal(0, empty.Length);
        Assert.Null(empty.FirstEntry);
        Assert.Null(empty.LastEntry);
        Assert.Equal(1, empty.Groups);
        Assert.Equal("0-0", empty.LastGeneratedId);

        for (int i = 1; i <= 3; i++) await _client.StreamAddAsync(key, [P("n", i), P("t", "x" + i)], id: $"{i}-0");
        await _client.StreamDeleteAsync(key, ["3-0"]);
        await _client.StreamCreateConsumerGroupAsync(key, "h", "$");
        await _client.StreamReadGroupAsync(key, "g", "alice", count: 1);
        await _client.StreamCreateConsumerAsync(key, "g", "bob");

        StreamInfo info = await _client.StreamInfoAsync(key);
        Assert.Equal(long.Parse(await OnOwner(key, "XLEN", key)), info.Length);
        Assert.Equal(2, info.Length);
        Assert.Equal("3-0", info.LastGeneratedId);
        Assert.Equal("3-0", info.MaxDeletedEntryId);
        Assert.Equal(3, info.EntriesAdded);
        Assert.Equal("1-0", info.RecordedFirstEntryId);
        Assert.Equal(2, info.Groups);
        Assert.True(info.RadixTreeKeys >= 1 && info.RadixTreeNodes >= 1);
        Assert.Equal("1-0:n=1,t=x1", Render([info.FirstEntry!.Value]));
        Assert.Equal("2-0:n=2,t=x2", Render([info.LastEntry!.Value]));

        StreamGroupInfo[] groups = await _client.StreamGroupInfoAsync(key);
        // As the server reports them (7.0: no read counter after a deletion; h is up to date).
        string[] server = (await OnOwner(key, "XINFO", "GROUPS", key)).Split('\n');
        Assert.Equal(24, server.Length);
        for (int g = 0; g < 2; g++)
        {
            var fields = new Dictionary<string, string>();
            for (int i = 0; i < 12; i += 2) fields[server[g * 12 + i]] = server[g * 12 + i + 1];
            Assert.Equal((fields["name"], fields["consumers"], fields["pending"], fields["last-delivered-id"], fields["entries-read"], fields["lag"]),
                (groups[g].Name, groups[g].Consumers.ToString(), groups[g].Pending.ToString(), groups[g].LastDeliveredId, groups[g].EntriesRead?.ToString() ?? "", groups[g].Lag?.ToString() ?? ""));
        }
        Assert.Equal("g:2:1:1-0::;h:0:0:3-0::0", Render(groups));

        StreamConsumerInfo[] consumers = await _client.StreamConsumerInfoAsync(key, "g");
        Assert.Equal(["alice:1", "bob:0"], consumers.Select(c => $"{c.Name}:{c.Pending}").Order());
        Assert.All(consumers, c => Assert.InRange(c.Idle, TimeSpan.Zero, TimeSpan.FromMinutes(1)));
        Assert.Contains("alice", await OnOwner(key, "XINFO", "CONSUMERS", key, "g"));
        await Assert.ThrowsAsync<RedisServerException>(async () => await _client.StreamConsumerInfoAsync(key, "nogroup"));
    }

    [Fact]
    public async Task Binary_values_round_trip_exactly_through_the_bytes_variants()
    {
        string key = "{xs-bin}s", other = "{xs-bin}t";
        await Fresh(key, other);
        byte[] first = Binary(1), second = Binary(2), third = Binary(3);
        Assert.Equal("1-0", await _client.StreamAddAsync(key, [P("a", first), P("b", second)], id: "1-0"));
        Assert.Equal("2-0", await _client.StreamAddAsync(key, "c", third, id: "2-0"));
        await _client.StreamAddAsync(other, "d", Binary(4), id: "1-0");
        // What the server holds is the exact bytes.
        Assert.Equal(Sha1(first), await ServerSha1(key, 1, 1));
        Assert.Equal(Sha1(second), await ServerSha1(key, 1, 2));
        Assert.Equal(Sha1(third), await ServerSha1(key, 2, 1));

        StreamBytesEntry[] range = await _client.StreamRangeBytesAsync(key);
        Assert.Equal("1-0", range[0].Id);
        Assert.Equal(["a", "b"], range[0].Values.Select(v => v.Key));
        Assert.Equal(first, range[0]["a"]);
        Assert.Equal(second, range[0]["b"]);
        Assert.Equal(third, range[1]["c"]);
        Assert.Equal(third, (await _client.StreamRangeBytesAsync(key, order: Order.Descending, count: 1))[0]["c"]);
        // The text variant cannot keep them: that is what the bytes variants are for.
        Assert.NotEqual(first, Encoding.UTF8.GetBytes((await _client.StreamRangeAsync(key))[0]["a"]!));

        Assert.Equal(third, (await _client.StreamReadBytesAsync(key, "1-0"))[0]["c"]);
        StreamReadBytesResult[] both = await _client.StreamReadBytesAsync([new StreamPosition(key, "1-0"), new StreamPosition(other, "0")]);
        Assert.Equal((RedisKey)other, both[1].Key);
        Assert.Equal(Binary(4), both[1].Entries[0]["d"]);

        await _client.StreamCreateConsumerGroupAsync(key, "g", "0");
        Assert.Equal(first, (await _client.StreamReadGroupBytesAsync(key, "g", "c1", count: 1))[0]["a"]);
        Assert.Equal(third, (await _client.StreamReadGroupBytesAsync([new StreamPosition(key, ">")], "g", "c1"))[0].Entries[0]["c"]);
        Assert.Equal(second, (await _client.StreamClaimBytesAsync(key, "g", "c2", TimeSpan.Zero, ["1-0"]))[0]["b"]);
        StreamAutoClaimBytesResult auto = await _client.StreamAutoClaimBytesAsync(key, "g", "c3", TimeSpan.Zero);
        Assert.Equal(["1-0", "2-0"], auto.Entries.Select(e => e.Id));
        Assert.Equal(third, auto.Entries[1]["c"]);

        // Binary stream keys route and come back by their bytes.
        byte[] binaryKey = [0xC3, 0x28, (byte)'{', (byte)'x', (byte)'b', (byte)'}', 0x00, 0xFF];
        await _client.KeyDeleteAsync(binaryKey);
        await _client.StreamAddAsync(binaryKey, "v", first, id: "1-0");
        StreamReadBytesResult[] byKey = await _client.StreamReadBytesAsync([new StreamPosition(binaryKey, "0")]);
        Assert.Equal(binaryKey, byKey[0].Key.ToArray());
        Assert.Equal(first, byKey[0].Entries[0]["v"]);
    }

    /// <summary>A stream script with fixed IDs, so that every surface and protocol must answer exactly alike.</summary>
    private static List<Task<string>> Script(IRedisCommands r, string tag)
    {
        string s = tag + ":s", t = tag + ":t";
        var steps = new List<Task<string>>();
        void Step<T>(ValueTask<T> call, Func<T, string> render) => steps.Add(Rendered(call, render));
        static async Task<string> Rendered<T>(ValueTask<T> call, Func<T, string> render) => render(await call);

        Step(r.KeyDeleteAsync(s), _ => "del");
        Step(r.KeyDeleteAsync(t), _ => "del");
        Step(r.StreamAddAsync(s, "f", "v1", id: "1-1"), x => x ?? "(null)");
        Step(r.StreamAddAsync(s, [P("a", "1"), P("b", "2")], id: "1-2"), x => x ?? "(null)");
        Step(r.StreamAddAsync(t, "g", "x", id: "2-1"), x => x ?? "(null)");
        Step(r.StreamAddAsync(tag + ":none", "f", "v", noMakeStream: true), x => x ?? "(null)");
        Step(r.StreamLengthAsync(s), x => x.ToString());
        Step(r.StreamRangeAsync(s), Render);
        Step(r.StreamRangeAsync(s, count: 1, order: Order.Descending), Render);
        Step(r.StreamReadAsync(s, "1-1"), Render);
        Step(r.StreamReadAsync([new StreamPosition(s, "0"), new StreamPosition(t, "0")], 1), Render);
        Step(r.StreamCreateConsumerGroupAsync(s, "g", "0"), x => x.ToString());
        Step(r.StreamReadGroupAsync(s, "g", "c1", ">", 1), Render);
        Step(r.StreamReadGroupAsync([new StreamPosition(s, ">")], "g", "c1"), Render);
        Step(r.StreamPendingAsync(s, "g"), Render);
        Step(r.StreamPendingMessagesAsync(s, "g", 10, "c1"), x => string.Join(",", x.Select(p => $"{p.Id}/{p.Consumer}/{p.DeliveryCount}")));
        Step(r.StreamAcknowledgeAsync(s, "g", ["1-1"]), x => x.ToString());
        Step(r.StreamClaimIdsOnlyAsync(s, "g", "c2", TimeSpan.Zero, ["1-2"]), x => string.Join(",", x));
        Step(r.StreamClaimAsync(s, "g", "c2", TimeSpan.Zero, ["1-2"], new StreamClaimOptions { RetryCount = 3 }), Render);
        Step(r.StreamAutoClaimAsync(s, "g", "c3", TimeSpan.Zero), x => x.NextStartId + "/" + Render(x.Entries) + "/" + string.Join(",", x.DeletedIds));
        Step(r.StreamGroupInfoAsync(s), Render);
        Step(r.StreamConsumerInfoAsync(s, "g"), x => string.Join(",", x.Select(c => c.Name + "=" + c.Pending).Order()));
        Step(r.StreamInfoAsync(s), x => $"{x.Length}/{x.LastGeneratedId}/{x.EntriesAdded}/{x.Groups}/{x.FirstEntry?.Id}/{x.LastEntry?.Id}");
        Step(r.StreamDeleteAsync(s, ["1-1"]), x => x.ToString());
        Step(r.StreamTrimAsync(s, StreamTrim.MaxLength(0)), x => x.ToString());
        Step(r.StreamDeleteConsumerAsync(s, "g", "c3"), x => x.ToString());
        Step(r.StreamDeleteConsumerGroupAsync(s, "g"), x => x.ToString());
        Step(r.StreamLengthAsync(s), x => x.ToString());
        return steps;
    }

    private const string Expected =
        "del|del|1-1|1-2|2-1|(null)|2|1-1:f=v1;1-2:a=1,b=2|1-2:a=1,b=2|1-2:a=1,b=2|" +
        "{TAG}:s>1-1:f=v1|{TAG}:t>2-1:g=x|True|1-1:f=v1|{TAG}:s>1-2:a=1,b=2|2[1-1..1-2]c1=2|1-1/c1/1,1-2/c1/1|1|1-2|1-2:a=1,b=2|" +
        "0-0/1-2:a=1,b=2/|g:3:1:1-2:2:0|c1=0,c2=0,c3=1|2/1-2/2/1/1-1/1-2|1|1|1|True|0";

    [Fact]
    public async Task The_same_script_answers_alike_on_client_batch_transaction_and_resp2()
    {
        string clientTag = "{xs-c}", batchTag = "{xs-b}", txTag = "{xs-t}", resp2Tag = "{xs-2}";
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

        await using var resp2 = await ClusterClient.ConnectAsync(ConfigurationString + ",protocol=resp2");
        var fromResp2 = new List<string>();
        foreach (Task<string> step in Script(resp2, resp2Tag)) fromResp2.Add(await step);

        Assert.Equal(Expected.Replace("{TAG}", clientTag), string.Join("|", fromClient));
        Assert.Equal(Expected.Replace("{TAG}", batchTag), string.Join("|", fromBatch));
        Assert.Equal(Expected.Replace("{TAG}", txTag), string.Join("|", fromTransaction));
        Assert.Equal(Expected.Replace("{TAG}", resp2Tag), string.Join("|", fromResp2));
        foreach (string tag in (string[])[clientTag, batchTag, txTag, resp2Tag])
        {
            Assert.Equal("stream", await OnOwner(tag + ":s", "TYPE", tag + ":s"));
            Assert.Equal("0", await OnOwner(tag + ":s", "XLEN", tag + ":s"));
            Assert.Equal("2-1\ng\nx", await OnOwner(tag + ":t", "XRANGE", tag + ":t", "-", "+"));
        }
    }

    [Fact]
    public async Task Resp2_gives_the_same_typed_answers_for_info_pending_bytes_and_deleted_entries()
    {
        await using var resp2 = await ClusterClient.ConnectAsync(ConfigurationString + ",protocol=resp2");
        var answers = new List<string>();
        foreach ((IRedisCommands r, string tag) in ((IRedisCommands, string)[])[(_client, "{xs-r3}"), (resp2, "{xs-r2}")])
        {
            string key = tag + "s", other = tag + "t";
            await Fresh(key, other);
            await r.StreamAddAsync(key, [P("a", Binary(5)), P("b", "text")], id: "1-0");
            await r.StreamAddAsync(key, "c", Binary(6), id: "2-0");
            await r.StreamAddAsync(other, "d", Binary(7), id: "3-0");
            await r.StreamCreateConsumerGroupAsync(key, "g", "0");
            await r.StreamCreateConsumerGroupAsync(other, "e", "$");
            Assert.Equal(2, (await r.StreamReadGroupAsync(key, "g", "c1")).Length);
            await r.StreamDeleteAsync(key, ["2-0"]);

            StreamBytesEntry[] range = await r.StreamRangeBytesAsync(key);
            Assert.Equal(Binary(5), Assert.Single(range)["a"]);
            Assert.Equal("text"u8.ToArray(), range[0]["b"]);
            StreamReadBytesResult[] read = await r.StreamReadBytesAsync([new StreamPosition(key, "0"), new StreamPosition(other, "0")]);
            Assert.Equal(Binary(7), read[1].Entries[0]["d"]);
            // The pending entry deleted from the stream: a nil field list in both protocols.
            StreamBytesEntry[] pending = await r.StreamReadGroupBytesAsync(key, "g", "c1", "0");
            Assert.Equal(["1-0", "2-0"], pending.Select(e => e.Id));
            Assert.Empty(pending[1].Values);

            StreamInfo info = await r.StreamInfoAsync(key);
            Assert.Equal("text", info.FirstEntry!.Value["b"]);
            StreamAutoClaimBytesResult auto = await r.StreamAutoClaimBytesAsync(key, "g", "c2", TimeSpan.Zero);
            Assert.Equal(Binary(5), Assert.Single(auto.Entries)["a"]);
            answers.Add(string.Join("|",
                Render(await r.StreamPendingAsync(other, "e")),
                $"{info.Length}/{info.LastGeneratedId}/{info.MaxDeletedEntryId}/{info.EntriesAdded}/{info.RecordedFirstEntryId}/{info.Groups}/{info.FirstEntry?.Id}/{info.LastEntry?.Id}",
                string.Join(",", auto.DeletedIds) + "/" + auto.NextStartId,
                Render(await r.StreamPendingAsync(key, "g")),
                string.Join(",", (await r.StreamPendingMessagesAsync(key, "g", 10)).Select(p => $"{p.Id}/{p.Consumer}/{p.DeliveryCount}")),
                Render(await r.StreamGroupInfoAsync(key)),
                string.Join(",", (await r.StreamConsumerInfoAsync(key, "g")).Select(c => $"{c.Name}:{c.Pending}").Order()),
                Render(await r.StreamReadAsync(other, "0"))));
        }
        Assert.Equal("0[-..-]|1/2-0/2-0/2/1-0/1/1-0/1-0|2-0/0-0|1[1-0..1-0]c2=1|1-0/c2/3|g:2:1:2-0:2:0|c1:0,c2:1|3-0:d=" + Encoding.UTF8.GetString(Binary(7)), answers[0]);
        Assert.Equal(answers[0], answers[1]);
    }

    [Fact]
    public async Task Reads_of_streams_in_different_slots_throw_before_anything_is_sent()
    {
        string a = "{xs-x1}s", b = "{xs-x2}s";
        Assert.NotEqual(ClusterClient.GetSlot(a), ClusterClient.GetSlot(b));
        await Fresh(a, b);
        await _client.StreamAddAsync(a, "n", 1, id: "1-0");
        await _client.StreamCreateConsumerGroupAsync(a, "g", "0");
        await _client.StreamCreateConsumerGroupAsync(b, "g", "0");
        StreamPosition[] positions = [new StreamPosition(a, ">"), new StreamPosition(b, ">")];
        StreamPosition[] fromStart = [new StreamPosition(a, "0"), new StreamPosition(b, "0")];
        CommandStats[] read = await StatsOnEveryPrimary("xread");
        CommandStats[] group = await StatsOnEveryPrimary("xreadgroup");

        ClusterBatch batch = _client.CreateBatch();
        ClusterTransaction tx = _client.CreateTransaction();
        foreach (IRedisCommands r in (IRedisCommands[])[_client, batch, tx])
        {
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.StreamReadAsync(fromStart); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.StreamReadBytesAsync(fromStart); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.StreamReadGroupAsync(positions, "g", "c"); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.StreamReadGroupBytesAsync(positions, "g", "c"); });
        }
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, tx.Count);

        Assert.Equal(read, await StatsOnEveryPrimary("xread"));
        Assert.Equal(group, await StatsOnEveryPrimary("xreadgroup"));
        // Nothing was delivered to the group.
        Assert.Equal("0", (await OnOwner(a, "XPENDING", a, "g")).Split('\n')[0]);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_on_every_surface_before_anything_is_queued()
    {
        ClusterBatch batch = _client.CreateBatch();
        ClusterTransaction tx = _client.CreateTransaction();
        string k = "{xs-bad}s";
        CommandStats[] added = await StatsOnEveryPrimary("xadd");
        foreach (IRedisCommands r in (IRedisCommands[])[_client, batch, tx])
        {
            Assert.Throws<ArgumentException>(() => { _ = r.StreamAddAsync(k, Array.Empty<KeyValuePair<RedisArgument, RedisArgument>>()); });
            Assert.Throws<ArgumentNullException>(() => { _ = r.StreamAddAsync(k, (IEnumerable<KeyValuePair<RedisArgument, RedisArgument>>)null!); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamAddAsync(k, "f", "v", id: " "); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamAddAsync(k, "f", "v", trim: default(StreamTrim)); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamAddAsync(k, "f", default(RedisArgument)); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamTrimAsync(k, default); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StreamRangeAsync(k, count: 0); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamRangeAsync(k, ""); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StreamRangeAsync(k, order: (Order)7); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamDeleteAsync(k, []); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamDeleteAsync(k, ["1-0", null!]); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamReadAsync([]); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamReadAsync(k, ""); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StreamReadAsync(k, "0", count: -1); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamReadGroupAsync(k, "", "c"); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamReadGroupAsync(k, "g", ""); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamCreateConsumerGroupAsync(k, "g", ""); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamAcknowledgeAsync(k, "g", []); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StreamPendingMessagesAsync(k, "g", 0); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StreamPendingMessagesAsync(k, "g", 1, minIdle: TimeSpan.FromSeconds(-1)); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StreamClaimAsync(k, "g", "c", TimeSpan.FromSeconds(-1), ["1-0"]); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamClaimAsync(k, "g", "c", TimeSpan.Zero, ["1-0"], new StreamClaimOptions { Idle = TimeSpan.Zero, Time = DateTimeOffset.UtcNow }); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StreamClaimIdsOnlyAsync(k, "g", "c", TimeSpan.Zero, ["1-0"], new StreamClaimOptions { RetryCount = -1 }); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StreamAutoClaimAsync(k, "g", "c", TimeSpan.Zero, count: 0); });
            Assert.Throws<ArgumentException>(() => { _ = r.StreamConsumerInfoAsync(k, ""); });
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamTrim.MaxLength(-1));
        Assert.Throws<ArgumentException>(() => StreamTrim.MaxLength(10, approximate: false, limit: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamTrim.MinId("1-0", approximate: true, limit: -1));
        Assert.Throws<ArgumentException>(() => StreamTrim.MinId(""));
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, tx.Count);
        Assert.Equal(added, await StatsOnEveryPrimary("xadd"));
        Assert.Equal("0", await OnOwner(k, "EXISTS", k));
    }

    /// <summary>The internal builders the blocking forms will share: BLOCK goes after COUNT and before STREAMS, keys before IDs.</summary>
    [Fact]
    public void Read_builders_place_block_where_the_server_expects_it_and_check_slots()
    {
        static string Args(RespCommand c)
        {
            var all = new List<string> { c.Name };
            for (int i = 0; i < c.Count; i++) all.Add(c[i].ToString());
            return string.Join(" ", all);
        }
        RespCommand read = StreamCommands.Read([new StreamPosition("{xs-blk}a", "0"), new StreamPosition("{xs-blk}b", "$")], 2, 1500, out int slot);
        Assert.Equal(ClusterClient.GetSlot("{xs-blk}a"), slot);
        Assert.Equal("XREAD COUNT 2 BLOCK 1500 STREAMS {xs-blk}a {xs-blk}b 0 $", Args(read));
        Assert.Equal("XREAD STREAMS {xs-blk}a 0", Args(StreamCommands.Read([new StreamPosition("{xs-blk}a", "0")], null, null, out _)));
        RespCommand group = StreamCommands.ReadGroup("g", "c", [new StreamPosition("{xs-blk}a", ">")], null, noAck: true, blockMilliseconds: 0, out int groupSlot);
        Assert.Equal(slot, groupSlot);
        Assert.Equal("XREADGROUP GROUP g c BLOCK 0 NOACK STREAMS {xs-blk}a >", Args(group));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamCommands.Read([new StreamPosition("{xs-blk}a", "0")], null, -1, out _));
        Assert.Throws<RedisCrossSlotException>(() => StreamCommands.ReadGroup("g", "c", [new StreamPosition("{xs-x1}a", ">"), new StreamPosition("{xs-x2}b", ">")], null, false, 10, out _));
    }
}

/// <summary><see cref="StreamCommandTests"/> on the shared 3×1 cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterStreamCommandTests(ClusterFixture fixture) : StreamCommandTests
{
    protected override string ConfigurationString => fixture.Cluster.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.Cluster.OnOwner(key, command);

    protected override Task<string[]> OnEveryPrimary(params string[] command) => fixture.Cluster.OnEveryPrimary(command);
}

/// <summary><see cref="StreamCommandTests"/> on a single redis-server without cluster mode: one node owns every slot.</summary>
public sealed class StandaloneStreamCommandTests(StandaloneServerFixture fixture) : StreamCommandTests, IClassFixture<StandaloneServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);

    protected override async Task<string[]> OnEveryPrimary(params string[] command) => [await fixture.OnPrimary(command)];
}

/// <summary><see cref="StreamCommandTests"/> on a primary with two replicas without cluster mode: one node owns every slot.</summary>
public sealed class ReplicatedStreamCommandTests(ReplicatedServerFixture fixture) : StreamCommandTests, IClassFixture<ReplicatedServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);

    protected override async Task<string[]> OnEveryPrimary(params string[] command) => [await fixture.OnPrimary(command)];
}
