using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Protocol;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>Routing against a stable 3×1 cluster: every check is made against what the servers say.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RoutingTests
{
    private readonly LocalRedisCluster _cluster;

    public RoutingTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    [Fact]
    public async Task Every_command_lands_on_the_primary_that_owns_its_slot()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        var random = new Random(42);
        var keys = new string[10_000];
        var writes = new Task<bool>[keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = $"route:{random.Next()}:{i}";
            writes[i] = client.StringSetAsync(keys[i], "v" + i).AsTask();
        }
        Assert.All(await Task.WhenAll(writes), Assert.True);

        // Ask each owner directly (no client in between): it must hold exactly the keys of its slots.
        var owners = new Dictionary<int, LocalRedisConnection>();
        try
        {
            var byNode = new Dictionary<string, LocalRedisConnection>();
            for (int i = 0; i < keys.Length; i++)
            {
                int slot = ClusterClient.GetSlot(keys[i]);
                if (!owners.TryGetValue(slot, out LocalRedisConnection? owner))
                {
                    LocalRedisNode node = await _cluster.GetSlotOwnerAsync(slot);
                    if (!byNode.TryGetValue(node.Endpoint, out owner))
                    {
                        owner = await _cluster.ConnectAsync(node);
                        byNode[node.Endpoint] = owner;
                    }
                    owners[slot] = owner;
                }
                Assert.Equal("v" + i, await owner.ExecuteAsync("GET", keys[i]));
            }
            Assert.Equal(3, byNode.Count);
        }
        finally
        {
            foreach (LocalRedisConnection connection in owners.Values.Distinct()) await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task GetSlot_equals_CLUSTER_KEYSLOT_for_random_and_tricky_keys()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        var random = new Random(7);
        var keys = new List<byte[]>
        {
            ""u8.ToArray(), "{}"u8.ToArray(), "{{a}}"u8.ToArray(), "a{b}{c}"u8.ToArray(), "{a"u8.ToArray(), "a}"u8.ToArray(),
            "}{a}"u8.ToArray(), "{}{a}"u8.ToArray(), "foo"u8.ToArray(), "123456789"u8.ToArray(), "{user1000}.following"u8.ToArray(),
            System.Text.Encoding.UTF8.GetBytes("clé-{ñandú}-键"),
        };
        byte[] alphabet = "{}ab"u8.ToArray();
        for (int i = 0; i < 20_000; i++)
        {
            var key = new byte[random.Next(0, 40)];
            if (i % 3 == 0) random.NextBytes(key); // raw bytes, braces included by chance
            else for (int j = 0; j < key.Length; j++) key[j] = alphabet[random.Next(alphabet.Length)]; // dense in braces
            keys.Add(key);
        }
        var replies = new Task<RespValue>[keys.Count];
        for (int i = 0; i < keys.Count; i++) replies[i] = client.ExecuteAsync("CLUSTER", "KEYSLOT", keys[i]).AsTask();
        RespValue[] slots = await Task.WhenAll(replies);
        for (int i = 0; i < keys.Count; i++)
        {
            Assert.True(slots[i].AsInt64() == ClusterClient.GetSlot(keys[i]), $"key #{i} ({Convert.ToHexString(keys[i])})");
        }
        Assert.Equal(12182, ClusterClient.GetSlot("foo"));
    }

    [Fact]
    public async Task GetSlot_of_a_string_equals_CLUSTER_KEYSLOT_of_its_UTF8_bytes()
    {
        // GetSlot(string) encodes the text itself (on the stack, or in a pooled buffer past 256 bytes); the server
        // hashes the bytes it receives. Send explicit UTF-8 so the check does not depend on the client's own encoding.
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        var random = new Random(2024);
        var keys = new List<string>
        {
            "", "{", "}", "{}", "{{}}", "{é}x", "x{中}y", "{😀}a", "a{😀}", "😀{}😀", "}{é}", "{中}{é}",
            new string('a', 84), new string('a', 85), new string('é', 128), new string('é', 129), new string('中', 86),
            "{tag}" + new string('中', 200), string.Concat(Enumerable.Repeat("😀", 100)) + "{x}",
        };
        // Mostly ASCII, dense in braces, with 2-, 3- and 4-byte (surrogate pair) characters; never a lone surrogate.
        string[] alphabet = ["a", "b", "z", "0", ":", "{", "}", "{", "}", "é", "ñ", "中", "键", "😀", "🚀", "\u0000", " "];
        var text = new System.Text.StringBuilder();
        while (keys.Count < 5_500)
        {
            text.Clear();
            int length = random.Next(0, 401);
            while (text.Length < length)
            {
                // Now and then any BMP character outside the surrogate range.
                if (random.Next(10) == 0) text.Append((char)random.Next(0x20, 0xD800));
                else text.Append(alphabet[random.Next(alphabet.Length)]);
            }
            keys.Add(text.ToString());
        }
        byte[][] utf8 = [.. keys.Select(k => System.Text.Encoding.UTF8.GetBytes(k))];
        Assert.True(utf8.Count(b => b.Length > 256) > 1_000, "enough keys must take the pooled-buffer path");
        Assert.True(keys.Count(k => k.Contains('{') && k.IndexOf('}', k.IndexOf('{')) > k.IndexOf('{') + 1) > 1_000, "enough keys must have a hashtag");

        var replies = new Task<RespValue>[keys.Count];
        for (int i = 0; i < keys.Count; i++) replies[i] = client.ExecuteAsync("CLUSTER", "KEYSLOT", utf8[i]).AsTask();
        RespValue[] slots = await Task.WhenAll(replies);
        for (int i = 0; i < keys.Count; i++)
        {
            Assert.True(slots[i].AsInt64() == ClusterClient.GetSlot(keys[i]), $"key #{i} ({utf8[i].Length} bytes: {Convert.ToHexString(utf8[i])})");
        }
    }

    [Fact]
    public async Task Topology_slot_ranges_match_what_CLUSTER_SLOTS_reports()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        IReadOnlyList<SlotRange> ranges = client.Topology.SlotRanges;
        Assert.Equal(16_384, ranges.Sum(r => r.Count));
        foreach (SlotRange range in ranges)
        {
            LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(range.Start);
            Assert.Equal(owner.Endpoint, range.Primary.ToString());
            Assert.Equal(owner.Endpoint, (await _cluster.GetSlotOwnerAsync(range.End)).Endpoint);
            Assert.Single(range.Replicas);
        }
    }

    [Fact]
    public async Task Any_command_is_routed_by_its_keys()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        RespValue added = await client.ExecuteAsync("HSET", "user:{42}", "name", "Ada");
        Assert.Equal(RespType.Integer, added.Type);
        Assert.Equal("Ada", (await client.ExecuteAsync("HGET", "user:{42}", "name")).AsString());
        // EVAL finds its keys through the numkeys argument.
        RespValue eval = await client.ExecuteAsync("EVAL", "return redis.call('GET', KEYS[1])", 1, "user:{42}:missing");
        Assert.True(eval.IsNull);
        // A keyless command goes to some primary.
        Assert.Equal("PONG", (await client.ExecuteAsync("PING")).AsString());
    }

    [Fact]
    public async Task Keys_in_different_slots_fail_before_anything_is_sent()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        // MSETNX is all-or-nothing, so it is never split (MSET, MGET, DEL… are: see CrossShardTests).
        var error = await Assert.ThrowsAsync<RedisCrossSlotException>(async () => await client.ExecuteAsync("MSETNX", "cross:a", "1", "cross:b", "2"));
        Assert.Equal(ClusterClient.GetSlot("cross:a"), error.FirstSlot);
        Assert.Equal(ClusterClient.GetSlot("cross:b"), error.OtherSlot);
        Assert.Contains("CROSSSLOT", error.Message, StringComparison.Ordinal);
        Assert.False(await client.KeyExistsAsync("cross:a"));
        // Typed multi-key commands split by slot instead (see CrossShardTests); keys sharing a hashtag are one command.
        Assert.Equal(0, await client.KeyDeleteAsync(["{cross}:a", "{cross}:b"]));
    }

    [Fact]
    public async Task A_server_error_surfaces_typed_and_names_the_command_not_the_arguments()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        await client.HashSetAsync("wrongtype:h", "f", "secret-value");
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await client.StringGetAsync("wrongtype:h"));
        Assert.Equal(RedisErrorKind.WrongType, error.Kind);
        Assert.Equal("GET", error.Command);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_token_cancels_and_a_disposed_client_fails_fast()
    {
        var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.StringGetAsync("cancel:k", cancelled.Token));
        await client.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => { _ = client.StringGetAsync("disposed:k"); });
        await client.DisposeAsync(); // idempotent
    }

    [Fact]
    public async Task A_bad_configuration_string_names_the_key()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",conectTimeout=5000"));
        Assert.Contains("conectTimeout", error.Message, StringComparison.Ordinal);
    }
}
