using System.Text;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// The typed commands a session store and a cache need, each checked against the server: run on the shared cluster
/// and, unchanged, without cluster mode on a single server (<see cref="StandaloneTypedCommandTests"/>) and on a primary
/// with two replicas (<see cref="ReplicatedTypedCommandTests"/>).
/// </summary>
public abstract class TypedCommandTests : IAsyncLifetime
{
    private ClusterClient _client = null!;

    /// <summary>What the client is configured with.</summary>
    protected abstract string ConfigurationString { get; }

    /// <summary>How many primaries the keys of many slots spread over.</summary>
    protected abstract int PrimaryCount { get; }

    /// <summary>Runs a command on the node that owns <paramref name="key"/>, outside the client under test.</summary>
    protected abstract Task<string> OnOwner(string key, params string[] command);

    /// <summary>The port of the primary that owns <paramref name="slot"/>.</summary>
    protected abstract Task<int> OwnerPortAsync(int slot);

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task Set_with_expiry_conditions_and_get()
    {
        Assert.True(await _client.StringSetAsync("str:a", "one", TimeSpan.FromMinutes(20)));
        Assert.Equal("one", await _client.StringGetAsync("str:a"));
        long ttl = long.Parse(await OnOwner("str:a", "TTL", "str:a"));
        Assert.InRange(ttl, 1190, 1200);

        Assert.False(await _client.StringSetAsync("str:a", "two", when: SetCondition.NotExists));
        Assert.False(await _client.StringSetAsync("str:missing", "x", when: SetCondition.Exists));
        Assert.True(await _client.StringSetAsync("str:a", "three", when: SetCondition.Exists, keepTtl: true));
        Assert.Equal("three", await OnOwner("str:a", "GET", "str:a"));
        Assert.InRange(long.Parse(await OnOwner("str:a", "TTL", "str:a")), 1190, 1200);

        Assert.True(await _client.StringSetAsync("str:px", "v", TimeSpan.FromMilliseconds(1500)));
        Assert.InRange(long.Parse(await OnOwner("str:px", "PTTL", "str:px")), 1, 1500);

        Assert.Equal("three", await _client.StringSetAndGetAsync("str:a", "four"));
        Assert.Null(await _client.StringSetAndGetAsync("str:new", "x"));
        Assert.Equal("four", await _client.StringGetDeleteAsync("str:a"));
        Assert.Equal("", await OnOwner("str:a", "GET", "str:a"));
        Assert.Null(await _client.StringGetAsync("str:a"));
    }

    [Fact]
    public async Task Bytes_keys_and_values_round_trip_exactly()
    {
        byte[] key = [0x00, 0xFF, (byte)'{', 0x10, (byte)'}', 0x80];
        byte[] value = new byte[70_000];
        new Random(3).NextBytes(value);
        Assert.True(await _client.StringSetAsync(key, value));
        Assert.Equal(value, await _client.StringGetBytesAsync(key));
        Assert.Equal(value, await _client.StringGetBytesAsync(new ReadOnlyMemory<byte>(key)));
        Assert.Equal(value.Length, await _client.StringLengthAsync(key));
        string text = "ünïcødé ✓ 键";
        await _client.StringSetAsync("str:utf8", text);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), await _client.StringLengthAsync("str:utf8"));
        Assert.Equal(text, await _client.StringGetAsync("str:utf8"));
    }

    /// <summary>
    /// A value holding every byte value once (rotated by <paramref name="seed"/>, so values differ), led by 0xC3 0x28:
    /// invalid UTF-8, which a text round trip would replace.
    /// </summary>
    private static byte[] Binary(int seed)
    {
        var value = new byte[258];
        value[0] = 0xC3;
        value[1] = 0x28;
        for (int i = 0; i < 256; i++) value[i + 2] = (byte)(i + seed);
        return value;
    }

    [Fact]
    public void Binary_values_hold_every_byte_and_invalid_utf8()
    {
        byte[] value = Binary(7);
        Assert.Equal(256, value.Skip(2).Distinct().Count());
        Assert.Contains((byte)0x00, value);
        Assert.Contains((byte)0xFF, value);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(value));
    }

    [Fact]
    public async Task Mget_bytes_across_slots_returns_exact_values_in_order_with_nulls()
    {
        // Text keys with one hashtag each, plus binary keys: many slots, owned by every primary.
        var keys = new RedisKey[60];
        var expected = new byte[]?[keys.Length];
        var slots = new HashSet<int>();
        var owners = new HashSet<int>();
        for (int i = 0; i < keys.Length; i++)
        {
            byte[] keyBytes = i % 4 == 3 ? [0x00, 0xFF, 0xC3, 0x28, (byte)i] : Encoding.UTF8.GetBytes($"bytes:mget:{{{i}}}");
            keys[i] = keyBytes;
            int slot = ClusterClient.GetSlot(keyBytes);
            slots.Add(slot);
            owners.Add(await OwnerPortAsync(slot));
            if (i % 3 == 1)
            {
                await _client.KeyDeleteAsync(keys[i]);
                continue;
            }
            expected[i] = Binary(i);
            Assert.True(await _client.StringSetAsync(keys[i], expected[i]!));
        }
        Assert.True(slots.Count > 40, $"the keys should span many slots, not {slots.Count}");
        Assert.Equal(PrimaryCount, owners.Count);

        byte[]?[] values = await _client.StringGetBytesAsync(keys);
        Assert.Equal(keys.Length, values.Length);
        for (int i = 0; i < keys.Length; i++) Assert.Equal(expected[i], values[i]);

        // Repeated keys and a single slot (one MGET, no split) read the same bytes; no keys read nothing.
        Assert.Equal(new[] { expected[2], null, expected[2] }, await _client.StringGetBytesAsync([keys[2], keys[1], keys[2]]));
        Assert.Equal(new[] { expected[0] }, await _client.StringGetBytesAsync([keys[0]]));
        Assert.Empty(await _client.StringGetBytesAsync([]));

        // The text MGET, sharing the split, still answers as text.
        await _client.StringSetAsync("bytes:mget:text", "plain");
        Assert.Equal(new[] { "plain", null }, await _client.StringGetAsync(["bytes:mget:text", keys[1]]));
    }

    [Fact]
    public async Task Set_and_get_bytes_returns_the_previous_binary_value()
    {
        byte[] key = [0xC3, 0x28, (byte)'{', 0x00, 0xFF, (byte)'}', 0x01];
        await _client.KeyDeleteAsync(key);
        Assert.Null(await _client.StringSetAndGetBytesAsync(key, Binary(1)));
        Assert.Equal(Binary(1), await _client.StringSetAndGetBytesAsync(key, Binary(2)));
        Assert.Equal(Binary(2), await _client.StringSetAndGetBytesAsync(key, Binary(3), TimeSpan.FromMinutes(20)));
        Assert.Equal(Binary(3), await _client.StringGetBytesAsync(key));
        Assert.InRange(await _client.KeyTimeToLiveSecondsAsync(key), 1190, 1200);

        // KEEPTTL keeps the expiry; XX on a missing key writes nothing and returns null.
        Assert.Equal(Binary(3), await _client.StringSetAndGetBytesAsync(key, Binary(4), keepTtl: true));
        Assert.InRange(await _client.KeyTimeToLiveSecondsAsync(key), 1190, 1200);
        Assert.Equal(Binary(4), await _client.StringGetBytesAsync(key));
        await _client.KeyDeleteAsync("bytes:setget:missing");
        Assert.Null(await _client.StringSetAndGetBytesAsync("bytes:setget:missing", Binary(5), when: SetCondition.Exists));
        Assert.False(await _client.KeyExistsAsync("bytes:setget:missing"));
    }

    [Fact]
    public async Task Get_delete_bytes_returns_the_binary_value_and_removes_the_key()
    {
        byte[] key = [(byte)'g', 0x00, 0xC3, 0x28, 0xFF];
        Assert.True(await _client.StringSetAsync(key, Binary(9)));
        Assert.Equal(Binary(9), await _client.StringGetDeleteBytesAsync(key));
        Assert.False(await _client.KeyExistsAsync(key));
        Assert.Null(await _client.StringGetDeleteBytesAsync(key));
        Assert.True(await _client.StringSetAsync("bytes:getdel:empty", Array.Empty<byte>()));
        Assert.Equal(Array.Empty<byte>(), await _client.StringGetDeleteBytesAsync("bytes:getdel:empty"));
    }

    [Fact]
    public async Task Get_set_expiry_bytes_returns_the_binary_value_and_sets_or_removes_the_expiry()
    {
        string key = "bytes:getex";
        Assert.True(await _client.StringSetAsync(key, Binary(200)));
        Assert.Equal(Binary(200), await _client.StringGetSetExpiryBytesAsync(key, TimeSpan.FromSeconds(30)));
        Assert.InRange(long.Parse(await OnOwner(key, "TTL", key)), 1, 30);
        Assert.Equal(Binary(200), await _client.StringGetSetExpiryBytesAsync(key, null));
        Assert.Equal("-1", await OnOwner(key, "TTL", key));
        await _client.KeyDeleteAsync(key);
        Assert.Null(await _client.StringGetSetExpiryBytesAsync(key, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Counters_append_and_getex()
    {
        await _client.KeyDeleteAsync("str:n");
        Assert.Equal(1, await _client.StringIncrementAsync("str:n"));
        Assert.Equal(11, await _client.StringIncrementAsync("str:n", 10));
        Assert.Equal(10, await _client.StringDecrementAsync("str:n"));
        Assert.Equal(5, await _client.StringDecrementAsync("str:n", 5));
        Assert.Equal("5", await OnOwner("str:n", "GET", "str:n"));
        Assert.Equal(2, await _client.StringAppendAsync("str:n", "0"));
        Assert.Equal("50", await _client.StringGetSetExpiryAsync("str:n", TimeSpan.FromSeconds(30)));
        Assert.InRange(long.Parse(await OnOwner("str:n", "TTL", "str:n")), 1, 30);
        Assert.Equal("50", await _client.StringGetSetExpiryAsync("str:n", null));
        Assert.Equal("-1", await OnOwner("str:n", "TTL", "str:n"));
    }

    [Fact]
    public async Task Key_commands()
    {
        await _client.StringSetAsync("{keys}:a", "1");
        await _client.StringSetAsync("{keys}:b", "2");
        Assert.True(await _client.KeyExistsAsync("{keys}:a"));
        Assert.Equal(2, await _client.KeyExistsAsync(["{keys}:a", "{keys}:b", "{keys}:c"]));
        Assert.Equal("string", await _client.KeyTypeAsync("{keys}:a"));
        Assert.Equal("none", await _client.KeyTypeAsync("{keys}:c"));
        Assert.Null(await _client.KeyTimeToLiveAsync("{keys}:a"));
        Assert.Equal(-1, await _client.KeyTimeToLiveSecondsAsync("{keys}:a"));
        Assert.Equal(-2, await _client.KeyTimeToLiveSecondsAsync("{keys}:c"));
        Assert.True(await _client.KeyExpireAsync("{keys}:a", TimeSpan.FromSeconds(100)));
        Assert.InRange(await _client.KeyTimeToLiveAsync("{keys}:a") ?? TimeSpan.Zero, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(100));
        Assert.True(await _client.KeyExpireAsync("{keys}:a", TimeSpan.FromMilliseconds(90_500)));
        Assert.InRange(long.Parse(await OnOwner("{keys}:a", "PTTL", "{keys}:a")), 80_000, 90_500);
        Assert.True(await _client.KeyPersistAsync("{keys}:a"));
        Assert.Equal("-1", await OnOwner("{keys}:a", "TTL", "{keys}:a"));
        Assert.True(await _client.KeyUnlinkAsync("{keys}:b"));
        Assert.False(await _client.KeyDeleteAsync("{keys}:b"));
        Assert.Equal(1, await _client.KeyDeleteAsync(["{keys}:a", "{keys}:b"]));
        Assert.Equal("0", await OnOwner("{keys}:a", "EXISTS", "{keys}:a"));
    }

    [Fact]
    public async Task Hash_commands_for_session_data()
    {
        string key = "session:{abc}";
        await _client.KeyDeleteAsync(key);
        Assert.True(await _client.HashSetAsync(key, "user", "ada"));
        Assert.False(await _client.HashSetAsync(key, "user", "ada2"));
        Assert.Equal(2, await _client.HashSetAsync(key, new Dictionary<RedisArgument, RedisArgument> { ["cart"] = "3", ["lang"] = "en" }));
        Assert.Equal("ada2", await _client.HashGetAsync(key, "user"));
        Assert.Equal("ada2"u8.ToArray(), await _client.HashGetBytesAsync(key, "user"));
        Assert.Equal(new string?[] { "ada2", null, "en" }, await _client.HashGetAsync(key, ["user", "nope", "lang"]));
        Assert.Equal(new Dictionary<string, string> { ["user"] = "ada2", ["cart"] = "3", ["lang"] = "en" }, await _client.HashGetAllAsync(key));
        Assert.Equal(5, await _client.HashIncrementAsync(key, "cart", 2));
        Assert.True(await _client.HashExistsAsync(key, "cart"));
        Assert.Equal(3, await _client.HashLengthAsync(key));
        Assert.True(await _client.HashDeleteAsync(key, "lang"));
        Assert.Equal(1, await _client.HashDeleteAsync(key, ["cart", "nope"]));
        Assert.Equal("user\nada2", await OnOwner(key, "HGETALL", key));
    }

    [Fact]
    public async Task Hash_get_bytes_of_several_fields_returns_exact_values_in_order_with_nulls()
    {
        byte[] key = [(byte)'h', (byte)'{', 0xC3, 0x28, (byte)'}', 0x00];
        byte[] binaryField = [0xC3, 0x28, 0x00, 0xFF];
        await _client.KeyDeleteAsync(key);
        Assert.Equal(3, await _client.HashSetAsync(key, new Dictionary<RedisArgument, RedisArgument>
        {
            ["all"] = Binary(0),
            [binaryField] = Binary(128),
            ["empty"] = Array.Empty<byte>(),
        }));
        byte[]?[] values = await _client.HashGetBytesAsync(key, ["all", "nope", binaryField, "empty"]);
        Assert.Equal(new[] { Binary(0), null, Binary(128), [] }, values);
        Assert.Equal(new byte[]?[] { null }, await _client.HashGetBytesAsync("bytes:hmget:missing", ["all"]));
    }

    [Fact]
    public async Task Hash_get_all_bytes_has_text_fields_and_exact_binary_values()
    {
        string key = "bytes:hgetall";
        await _client.KeyDeleteAsync(key);
        var fields = new Dictionary<string, byte[]> { ["all"] = Binary(0), ["ünïcødé"] = Binary(77), ["empty"] = [] };
        var arguments = new Dictionary<RedisArgument, RedisArgument>();
        foreach (KeyValuePair<string, byte[]> field in fields) arguments[field.Key] = field.Value;
        Assert.Equal(3, await _client.HashSetAsync(key, arguments));

        Dictionary<string, byte[]> all = await _client.HashGetAllBytesAsync(key);
        AssertSameHash(fields, all);
        Assert.Empty(await _client.HashGetAllBytesAsync("bytes:hgetall:missing"));
    }

    private static void AssertSameHash(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (KeyValuePair<string, byte[]> field in expected) Assert.Equal(field.Value, actual[field.Key]);
    }

    [Fact]
    public async Task Resp2_clients_read_the_same_bytes()
    {
        await using var resp2 = await ClusterClient.ConnectAsync(ConfigurationString + ",protocol=resp2");
        string hash = "r2:{bytes}";
        await resp2.KeyDeleteAsync(hash);
        await resp2.HashSetAsync(hash, new Dictionary<RedisArgument, RedisArgument> { ["a"] = Binary(1), ["b"] = Binary(2) });
        AssertSameHash(new Dictionary<string, byte[]> { ["a"] = Binary(1), ["b"] = Binary(2) }, await resp2.HashGetAllBytesAsync(hash));
        Assert.Equal(new[] { Binary(2), null, Binary(1) }, await resp2.HashGetBytesAsync(hash, ["b", "nope", "a"]));

        RedisKey[] keys = ["r2:bytes:{1}", "r2:bytes:{2}", "r2:bytes:{3}", "r2:bytes:{4}"];
        await resp2.KeyDeleteAsync(keys);
        await resp2.StringSetAsync(keys[0], Binary(10));
        await resp2.StringSetAsync(keys[3], Binary(13));
        Assert.Equal(new[] { Binary(10), null, null, Binary(13) }, await resp2.StringGetBytesAsync(keys));
        Assert.Equal(Binary(13), await resp2.StringGetSetExpiryBytesAsync(keys[3], TimeSpan.FromMinutes(1)));
        Assert.Equal(Binary(13), await resp2.StringSetAndGetBytesAsync(keys[3], Binary(14)));
        Assert.Equal(Binary(14), await resp2.StringGetDeleteBytesAsync(keys[3]));
    }

    [Fact]
    public async Task Resp2_clients_get_the_same_results()
    {
        await using var resp2 = await ClusterClient.ConnectAsync(ConfigurationString + ",protocol=resp2");
        await resp2.HashSetAsync("r2:{h}", "a", "1");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1" }, await resp2.HashGetAllAsync("r2:{h}"));
        Assert.Equal("1", await resp2.HashGetAsync("r2:{h}", "a"));
        Assert.Null(await resp2.StringGetAsync("r2:{h}:missing"));
    }
}

/// <summary><see cref="TypedCommandTests"/> on the shared 3×1 cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTypedCommandTests(ClusterFixture fixture) : TypedCommandTests
{
    private readonly LocalRedisCluster _cluster = fixture.Cluster;

    protected override string ConfigurationString => _cluster.ConfigurationString;

    protected override int PrimaryCount => 3;

    protected override async Task<string> OnOwner(string key, params string[] command) =>
        await _cluster.ExecuteAsync(await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key)), command);

    protected override async Task<int> OwnerPortAsync(int slot) => (await _cluster.GetSlotOwnerAsync(slot)).Port;
}

/// <summary><see cref="TypedCommandTests"/> on a single redis-server without cluster mode: one node owns every slot.</summary>
public sealed class StandaloneTypedCommandTests(StandaloneServerFixture fixture) : TypedCommandTests, IClassFixture<StandaloneServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override int PrimaryCount => 1;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);

    protected override Task<int> OwnerPortAsync(int slot) => Task.FromResult(fixture.Server.Primary.Port);
}

/// <summary><see cref="TypedCommandTests"/> on a primary with two replicas without cluster mode: one node owns every slot.</summary>
public sealed class ReplicatedTypedCommandTests(ReplicatedServerFixture fixture) : TypedCommandTests, IClassFixture<ReplicatedServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override int PrimaryCount => 1;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);

    protected override Task<int> OwnerPortAsync(int slot) => Task.FromResult(fixture.Server.Primary.Port);
}
