using System.Security.Cryptography;
using Keyslot.IntegrationTests.Infrastructure;

namespace Keyslot.IntegrationTests.Commands;

/// <summary>The typed bitmap commands, checked against what the server holds, on RESP3 and RESP2, alone, batched and in a transaction.</summary>
public abstract class BitmapCommandTests : IAsyncLifetime
{
    private ClusterClient _client = null!;

    /// <summary>What the client is configured with.</summary>
    protected abstract string ConfigurationString { get; }

    /// <summary>Runs a command on the node that owns <paramref name="key"/>, outside the client under test.</summary>
    protected abstract Task<string> OnOwner(string key, params string[] command);

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private async Task Fresh(params string[] keys)
    {
        foreach (string key in keys) await OnOwner(key, "DEL", key);
    }

    /// <summary>The SHA-1 of the string value as the server holds it (binary-safe).</summary>
    private Task<string> ServerSha1(string key) => OnOwner(key, "EVAL", "return redis.sha1hex(redis.call('GET', KEYS[1]))", "1", key);

    private static string Sha1(byte[] value) => Convert.ToHexStringLower(SHA1.HashData(value));

    [Fact]
    public async Task Set_bit_and_get_bit_build_the_exact_bytes_the_server_holds()
    {
        string key = "{bm-bit}k";
        await Fresh(key);
        Assert.False(await _client.StringGetBitAsync(key, 0));                 // missing key
        // 0xC3 0x28: invalid UTF-8, built bit by bit (bit 0 is the most significant bit of byte 0).
        byte[] expected = [0xC3, 0x28];
        for (int i = 0; i < 16; i++)
        {
            if ((expected[i / 8] & (0x80 >> (i % 8))) != 0) Assert.False(await _client.StringSetBitAsync(key, i, true));
        }
        Assert.Equal(expected, await _client.StringGetBytesAsync(key));
        Assert.Equal(Sha1(expected), await ServerSha1(key));
        Assert.Equal("1", await OnOwner(key, "GETBIT", key, "0"));
        Assert.True(await _client.StringGetBitAsync(key, 1));
        Assert.False(await _client.StringGetBitAsync(key, 2));
        Assert.False(await _client.StringGetBitAsync(key, 10_000));            // beyond the string

        Assert.True(await _client.StringSetBitAsync(key, 0, false));          // the previous value
        Assert.False(await _client.StringSetBitAsync(key, 0, false));
        Assert.Equal("0", await OnOwner(key, "GETBIT", key, "0"));
        Assert.False(await _client.StringSetBitAsync(key, 100, true));        // grows the string to 13 bytes
        Assert.Equal("13", await OnOwner(key, "STRLEN", key));
        Assert.Equal("1", await OnOwner(key, "GETBIT", key, "100"));
    }

    [Fact]
    public async Task Bit_count_and_bit_position_in_bytes_and_bits_match_the_server()
    {
        string key = "{bm-count}k";
        await Fresh(key);
        Assert.Equal(0, await _client.StringBitCountAsync(key));
        Assert.Equal(0, await _client.StringBitPositionAsync(key, false));    // a missing key is all clear bits
        Assert.Equal(-1, await _client.StringBitPositionAsync(key, true));

        await _client.StringSetAsync(key, "foobar");
        Assert.Equal(26, await _client.StringBitCountAsync(key));
        Assert.Equal(long.Parse(await OnOwner(key, "BITCOUNT", key)), await _client.StringBitCountAsync(key));
        Assert.Equal(6, await _client.StringBitCountAsync(key, 1, 1));
        Assert.Equal(7, await _client.StringBitCountAsync(key, -2, -1));
        Assert.Equal(17, await _client.StringBitCountAsync(key, 5, 30, StringIndexType.Bit));
        Assert.Equal(long.Parse(await OnOwner(key, "BITCOUNT", key, "5", "30", "BIT")), await _client.StringBitCountAsync(key, 5, 30, StringIndexType.Bit));

        await _client.StringSetAsync(key, new byte[] { 0xFF, 0xF0, 0x00 });
        Assert.Equal(12, await _client.StringBitPositionAsync(key, false));
        await _client.StringSetAsync(key, new byte[] { 0x00, 0xFF, 0xF0 });
        Assert.Equal(8, await _client.StringBitPositionAsync(key, true));
        Assert.Equal(16, await _client.StringBitPositionAsync(key, true, 2));
        Assert.Equal(16, await _client.StringBitPositionAsync(key, true, 2, -1));
        Assert.Equal(8, await _client.StringBitPositionAsync(key, true, 7, 15, StringIndexType.Bit));
        Assert.Equal(long.Parse(await OnOwner(key, "BITPOS", key, "1", "7", "15", "BIT")), await _client.StringBitPositionAsync(key, true, 7, 15, StringIndexType.Bit));
        await _client.StringSetAsync(key, new byte[] { 0xFF, 0xFF, 0xFF });
        Assert.Equal(24, await _client.StringBitPositionAsync(key, false));   // no end: just past the string
        Assert.Equal(-1, await _client.StringBitPositionAsync(key, false, 0, -1));
        Assert.Equal(-1, await _client.StringBitPositionAsync(key, false, 0, -1, StringIndexType.Bit));
    }

    [Fact]
    public async Task Bit_operations_store_the_exact_result_and_refuse_other_slots()
    {
        string a = "{bm-op}a", b = "{bm-op}b", dest = "{bm-op}d", missing = "{bm-op}missing";
        await Fresh(a, b, dest, missing);
        byte[] left = [0xC3, 0x28, 0xFF], right = [0x0F, 0xF0];
        await _client.StringSetAsync(a, left);
        await _client.StringSetAsync(b, right);

        Assert.Equal(3, await _client.StringBitOperationAsync(Bitwise.And, dest, [a, b]));
        Assert.Equal(Sha1([0x03, 0x20, 0x00]), await ServerSha1(dest));
        Assert.Equal(3, await _client.StringBitOperationAsync(Bitwise.Or, dest, [a, b]));
        Assert.Equal(Sha1([0xCF, 0xF8, 0xFF]), await ServerSha1(dest));
        Assert.Equal(3, await _client.StringBitOperationAsync(Bitwise.Xor, dest, [a, b, missing]));
        Assert.Equal(Sha1([0xCC, 0xD8, 0xFF]), await ServerSha1(dest));
        Assert.Equal(3, await _client.StringBitOperationAsync(Bitwise.Not, dest, [a]));
        Assert.Equal(new byte[] { 0x3C, 0xD7, 0x00 }, await _client.StringGetBytesAsync(dest));
        // All sources missing: the destination is deleted, length 0.
        Assert.Equal(0, await _client.StringBitOperationAsync(Bitwise.Or, dest, [missing]));
        Assert.Equal("0", await OnOwner(dest, "EXISTS", dest));

        string elsewhere = "{bm-op2}d";
        Assert.NotEqual(ClusterClient.GetSlot(a), ClusterClient.GetSlot(elsewhere));
        await Fresh(elsewhere);
        ClusterBatch batch = _client.CreateBatch();
        ClusterTransaction tx = _client.CreateTransaction();
        foreach (IRedisCommands r in (IRedisCommands[])[_client, batch, tx])
        {
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.StringBitOperationAsync(Bitwise.Or, elsewhere, [a, b]); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = r.StringBitOperationAsync(Bitwise.And, dest, [a, elsewhere]); });
        }
        Assert.Equal(0, batch.Count + tx.Count);
        Assert.Equal("0", await OnOwner(elsewhere, "EXISTS", elsewhere));
        Assert.Equal("0", await OnOwner(dest, "EXISTS", dest));
    }

    [Fact]
    public async Task Bit_field_sets_increments_with_overflow_and_reads_only()
    {
        string key = "{bm-field}k";
        await Fresh(key);
        Assert.Equal(new long?[] { 0 }, await _client.StringBitFieldReadOnlyAsync(key, [BitFieldOperation.Get("u8", 0)]));
        Assert.Equal(new long?[] { 0, 0, 200 }, await _client.StringBitFieldAsync(key,
            [BitFieldOperation.Set("u8", 0, 200), BitFieldOperation.Set("i8", 1, -2, inWidths: true), BitFieldOperation.Get("u8", 0)]));
        Assert.Equal(Sha1([200, 0xFE]), await ServerSha1(key));

        long?[] answers = await _client.StringBitFieldAsync(key,
        [
            BitFieldOperation.Increment("u8", 0, 100),                                  // wraps: 300 - 256
            BitFieldOperation.Overflow(BitFieldOverflow.Saturate),
            BitFieldOperation.Increment("u8", 0, 250),
            BitFieldOperation.Increment("i8", 8, -200),
            BitFieldOperation.Overflow(BitFieldOverflow.Fail),
            BitFieldOperation.Increment("u8", 0, 1),                                    // stopped: null, unchanged
            BitFieldOperation.Overflow(BitFieldOverflow.Wrap),
            BitFieldOperation.Increment("i8", 8, -1),                                   // -128 - 1 wraps to 127
            BitFieldOperation.Get("u4", 0),
            BitFieldOperation.Get("i16", 0),
        ]);
        Assert.Equal(new long?[] { 44, 255, -128, null, 127, 15, -129 }, answers);
        Assert.Equal(Sha1([0xFF, 0x7F]), await ServerSha1(key));
        Assert.Equal("255", await OnOwner(key, "BITFIELD_RO", key, "GET", "u8", "0"));

        Assert.Equal(new long?[] { 255, 127, 0x7F }, await _client.StringBitFieldReadOnlyAsync(key,
            [BitFieldOperation.Get("u8", 0), BitFieldOperation.Get("i8", 1, inWidths: true), BitFieldOperation.Get("u8", 8)]));
        await Fresh("{bm-field}wide");
        Assert.Equal(new long?[] { 0, long.MaxValue, long.MinValue }, await _client.StringBitFieldAsync("{bm-field}wide",
            [BitFieldOperation.Set("i64", 0, long.MaxValue), BitFieldOperation.Get("i64", 0), BitFieldOperation.Increment("i64", 0, 1)]));
        Assert.Equal(Sha1([0x80, 0, 0, 0, 0, 0, 0, 0]), await ServerSha1("{bm-field}wide"));
    }

    private static List<Task<string>> Script(IRedisCommands r, string tag)
    {
        string k = tag + ":k", o = tag + ":o", d = tag + ":d";
        var steps = new List<Task<string>>();
        void Step<T>(ValueTask<T> call) => steps.Add(Rendered(call));
        static async Task<string> Rendered<T>(ValueTask<T> call)
        {
            object? value = await call;
            return value is long?[] many ? "[" + string.Join(",", many.Select(v => v?.ToString() ?? "nil")) + "]" : value?.ToString() ?? "nil";
        }
        Step(r.KeyDeleteAsync(k));
        Step(r.KeyDeleteAsync(o));
        Step(r.StringSetBitAsync(k, 3, true));
        Step(r.StringSetBitAsync(k, 3, true));
        Step(r.StringSetBitAsync(k, 15, true));
        Step(r.StringGetBitAsync(k, 3));
        Step(r.StringBitCountAsync(k));
        Step(r.StringBitCountAsync(k, 1, 1));
        Step(r.StringBitCountAsync(k, 0, 7, StringIndexType.Bit));
        Step(r.StringBitPositionAsync(k, true));
        Step(r.StringBitPositionAsync(k, true, 1));
        Step(r.StringBitPositionAsync(k, false, 3, 3, StringIndexType.Bit));
        Step(r.StringSetAsync(o, new byte[] { 0xFF, 0x00 }));
        Step(r.StringBitOperationAsync(Bitwise.Xor, d, [k, o]));
        Step(r.StringBitFieldAsync(d, [BitFieldOperation.Get("u8", 0), BitFieldOperation.Overflow(BitFieldOverflow.Fail), BitFieldOperation.Increment("u8", 8, 255), BitFieldOperation.Increment("u8", 8, 1)]));
        Step(r.StringBitFieldReadOnlyAsync(d, [BitFieldOperation.Get("u16", 0), BitFieldOperation.Get("i8", 8)]));
        Step(r.StringBitOperationAsync(Bitwise.Not, d, [d]));
        Step(r.StringGetBitAsync(d, 3));
        return steps;
    }

    [Fact]
    public async Task The_same_script_answers_alike_on_client_batch_transaction_and_resp2()
    {
        const string expected = "False|False|False|True|False|True|2|1|1|3|15|-1|True|2|[239,nil,2]|[61186,2]|2|True";
        string clientTag = "{bm-c}", batchTag = "{bm-b}", txTag = "{bm-t}", resp2Tag = "{bm-2}";
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

        Assert.Equal(expected, string.Join("|", fromClient));
        Assert.Equal(expected, string.Join("|", fromBatch));
        Assert.Equal(expected, string.Join("|", fromTransaction));
        Assert.Equal(expected, string.Join("|", fromResp2));
        foreach (string tag in (string[])[clientTag, batchTag, txTag, resp2Tag])
        {
            Assert.Equal(Sha1([0x10, 0xFD]), await ServerSha1(tag + ":d"));
            Assert.Equal("2", await OnOwner(tag + ":k", "BITCOUNT", tag + ":k"));
        }
    }

    [Fact]
    public async Task Bad_arguments_are_refused_on_every_surface_before_anything_is_queued()
    {
        string k = "{bm-bad}k";
        await Fresh(k);
        ClusterBatch batch = _client.CreateBatch();
        ClusterTransaction tx = _client.CreateTransaction();
        foreach (IRedisCommands r in (IRedisCommands[])[_client, batch, tx])
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StringSetBitAsync(k, -1, true); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StringGetBitAsync(k, -1); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StringBitCountAsync(k, 0, 1, (StringIndexType)5); });
            Assert.Throws<ArgumentException>(() => { _ = r.StringBitPositionAsync(k, true, 0, null, StringIndexType.Bit); });
            Assert.Throws<ArgumentException>(() => { _ = r.StringBitOperationAsync(Bitwise.Not, k, [k, k]); });
            Assert.Throws<ArgumentException>(() => { _ = r.StringBitOperationAsync(Bitwise.And, k, []); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = r.StringBitOperationAsync((Bitwise)9, k, [k]); });
            Assert.Throws<ArgumentException>(() => { _ = r.StringBitFieldAsync(k, []); });
            Assert.Throws<ArgumentException>(() => { _ = r.StringBitFieldAsync(k, [BitFieldOperation.Get("u8", 0), default]); });
            Assert.Throws<ArgumentException>(() => { _ = r.StringBitFieldReadOnlyAsync(k, [BitFieldOperation.Set("u8", 0, 1)]); });
            Assert.Throws<ArgumentException>(() => { _ = r.StringBitFieldReadOnlyAsync(k, [BitFieldOperation.Overflow(BitFieldOverflow.Fail)]); });
        }
        foreach (string encoding in (string[])["u64", "i65", "i0", "x8", "u", "", "u-1", "u 8"])
        {
            Assert.Throws<ArgumentException>(() => BitFieldOperation.Get(encoding, 0));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => BitFieldOperation.Set("u8", -1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BitFieldOperation.Overflow((BitFieldOverflow)3));
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, tx.Count);
        Assert.Equal("0", await OnOwner(k, "EXISTS", k));
    }
}

/// <summary><see cref="BitmapCommandTests"/> on the shared 3×1 cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterBitmapCommandTests(ClusterFixture fixture) : BitmapCommandTests
{
    protected override string ConfigurationString => fixture.Cluster.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.Cluster.OnOwner(key, command);
}

/// <summary><see cref="BitmapCommandTests"/> on a single redis-server without cluster mode: one node owns every slot.</summary>
public sealed class StandaloneBitmapCommandTests(StandaloneServerFixture fixture) : BitmapCommandTests, IClassFixture<StandaloneServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);
}

/// <summary><see cref="BitmapCommandTests"/> on a primary with two replicas without cluster mode: one node owns every slot.</summary>
public sealed class ReplicatedBitmapCommandTests(ReplicatedServerFixture fixture) : BitmapCommandTests, IClassFixture<ReplicatedServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);
}
