using Keyslot.IntegrationTests.Infrastructure;

namespace Keyslot.IntegrationTests.Commands;

/// <summary>The typed HyperLogLog commands, each checked against what the server holds.</summary>
public abstract class HyperLogLogCommandTests : IAsyncLifetime
{
    private ClusterClient _client = null!;

    /// <summary>What the client is configured with.</summary>
    protected abstract string ConfigurationString { get; }

    /// <summary>Runs a command on the node that owns <paramref name="key"/>, outside the client under test.</summary>
    protected abstract Task<string> OnOwner(string key, params string[] command);

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task Add_count_and_merge_as_the_server_counts()
    {
        RedisKey a = "hll:{h}:a", b = "hll:{h}:b", dst = "hll:{h}:dst", missing = "hll:{h}:missing";
        await _client.KeyDeleteAsync([a, b, dst, missing]);
        Assert.Equal(0, await _client.HyperLogLogLengthAsync(missing));
        Assert.Equal(0, await _client.HyperLogLogLengthAsync([missing, "hll:{h}:missing2"]));

        Assert.True(await _client.HyperLogLogAddAsync(a, "x"));
        Assert.False(await _client.HyperLogLogAddAsync(a, "x"));
        Assert.True(await _client.HyperLogLogAddAsync(a, ["y", "z", 42, 1.5]));
        Assert.False(await _client.HyperLogLogAddAsync(a, ["x", "y"]));
        Assert.Equal(5, await _client.HyperLogLogLengthAsync(a));
        Assert.Equal("5", await OnOwner("hll:{h}:a", "PFCOUNT", "hll:{h}:a"));

        // No elements: creates an empty HyperLogLog (true), then changes nothing (false).
        Assert.True(await _client.HyperLogLogAddAsync(b, Array.Empty<RedisArgument>()));
        Assert.Equal("string", await OnOwner("hll:{h}:a", "TYPE", "hll:{h}:b"));
        Assert.False(await _client.HyperLogLogAddAsync(b, Array.Empty<RedisArgument>()));
        Assert.True(await _client.HyperLogLogAddAsync(b, ["z", "w", "v"]));

        // Several keys: the union's size, not a sum (z is in both).
        Assert.Equal(7, await _client.HyperLogLogLengthAsync([a, b]));
        Assert.Equal(5, await _client.HyperLogLogLengthAsync([a, missing]));
        Assert.Equal("7", await OnOwner("hll:{h}:a", "PFCOUNT", "hll:{h}:a", "hll:{h}:b"));

        Assert.True(await _client.HyperLogLogMergeAsync(dst, [a, b]));
        Assert.Equal("7", await OnOwner("hll:{h}:a", "PFCOUNT", "hll:{h}:dst"));
        Assert.Equal(7, await _client.HyperLogLogLengthAsync(dst));
        Assert.True(await _client.HyperLogLogMergeAsync("hll:{h}:empty", []));
        Assert.Equal("1", await OnOwner("hll:{h}:a", "EXISTS", "hll:{h}:empty"));
        Assert.Equal(0, await _client.HyperLogLogLengthAsync("hll:{h}:empty"));
    }

    [Fact]
    public async Task Binary_elements_are_counted_as_the_bytes_they_are()
    {
        const string key = "hll:bin:{b}";
        await _client.KeyDeleteAsync(key);
        // 0xFF and 0xFE both decode to U+FFFD: as text they would be one element.
        Assert.True(await _client.HyperLogLogAddAsync(key, new byte[] { 0xFF }));
        Assert.True(await _client.HyperLogLogAddAsync(key, new byte[] { 0xFE }));
        Assert.False(await _client.HyperLogLogAddAsync(key, new byte[] { 0xFF }));
        Assert.True(await _client.HyperLogLogAddAsync(key, [new byte[] { 0xC3, 0x28 }, new byte[] { 0x00 }, new byte[] { 0x00, 0x00 }]));
        Assert.Equal(5, await _client.HyperLogLogLengthAsync(key));
        Assert.Equal("5", await OnOwner(key, "PFCOUNT", key));
        // The server's own UTF-8 text of U+FFFD is yet another element.
        Assert.True(await _client.HyperLogLogAddAsync(key, "\uFFFD"));
        Assert.Equal("6", await OnOwner(key, "PFCOUNT", key));
    }

    private static List<Task<string>> Script(IRedisCommands redis, string tag)
    {
        static async Task<string> Text<T>(ValueTask<T> result) => Convert.ToString(await result, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        RedisKey a = tag + ":a", b = tag + ":b", dst = tag + ":dst";
        return
        [
            Text(redis.KeyDeleteAsync(a)),
            Text(redis.HyperLogLogAddAsync(a, ["1", "2", "3"])),
            Text(redis.HyperLogLogAddAsync(a, "3")),
            Text(redis.HyperLogLogAddAsync(b, "4")),
            Text(redis.HyperLogLogLengthAsync(a)),
            Text(redis.HyperLogLogLengthAsync([a, b])),
            Text(redis.HyperLogLogMergeAsync(dst, [a, b])),
            Text(redis.HyperLogLogLengthAsync(dst)),
            Text(redis.HyperLogLogLengthAsync(tag + ":missing")),
        ];
    }

    [Fact]
    public async Task The_same_script_gives_the_same_answers_on_client_batch_transaction_and_resp2()
    {
        const string expected = "False|True|False|True|3|4|True|4|0";
        var fromClient = new List<string>();
        foreach (Task<string> step in Script(_client, "{hll-c}")) fromClient.Add(await step);
        Assert.Equal(expected, string.Join("|", fromClient));

        ClusterBatch batch = _client.CreateBatch();
        List<Task<string>> batched = Script(batch, "{hll-b}");
        batch.Execute();
        Assert.Equal(expected, string.Join("|", await Task.WhenAll(batched)));

        ClusterTransaction tx = _client.CreateTransaction();
        List<Task<string>> queued = Script(tx, "{hll-t}");
        Assert.True(await tx.CommitAsync());
        Assert.Equal(expected, string.Join("|", await Task.WhenAll(queued)));

        await using ClusterClient resp2 = await ClusterClient.ConnectAsync(ConfigurationString + ",protocol=resp2");
        var fromResp2 = new List<string>();
        foreach (Task<string> step in Script(resp2, "{hll-2}")) fromResp2.Add(await step);
        Assert.Equal(expected, string.Join("|", fromResp2));

        foreach (string tag in (string[])["{hll-c}", "{hll-b}", "{hll-t}", "{hll-2}"])
        {
            Assert.Equal("4", await OnOwner(tag, "PFCOUNT", tag + ":dst"));
            Assert.Equal("3", await OnOwner(tag, "PFCOUNT", tag + ":a"));
        }
    }

    [Fact]
    public async Task Keys_in_different_slots_and_bad_arguments_are_refused_before_anything_is_sent()
    {
        RedisKey a = "hll:x:{one}", b = "hll:x:{two}";
        Assert.NotEqual(ClusterClient.GetSlot("hll:x:{one}"), ClusterClient.GetSlot("hll:x:{two}"));
        await _client.KeyDeleteAsync(a);
        await _client.KeyDeleteAsync(b);
        await _client.HyperLogLogAddAsync(b, "only-in-b");
        IRedisCommands[] surfaces = [_client, _client.CreateBatch(), _client.CreateTransaction()];
        foreach (IRedisCommands redis in surfaces)
        {
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.HyperLogLogLengthAsync([a, b]); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.HyperLogLogMergeAsync(a, [b]); });
            Assert.Throws<RedisCrossSlotException>(() => { _ = redis.HyperLogLogMergeAsync("hll:x:{one}:dst", [a, b]); });
            Assert.Throws<ArgumentException>(() => { _ = redis.HyperLogLogLengthAsync(Array.Empty<RedisKey>()); });
            Assert.Throws<ArgumentNullException>(() => { _ = redis.HyperLogLogLengthAsync((RedisKey[])null!); });
            Assert.Throws<ArgumentNullException>(() => { _ = redis.HyperLogLogAddAsync(a, (RedisArgument[])null!); });
            Assert.Throws<ArgumentNullException>(() => { _ = redis.HyperLogLogMergeAsync(a, null!); });
            Assert.Throws<ArgumentException>(() => { _ = redis.HyperLogLogAddAsync(a, [default(RedisArgument)]); });
        }
        Assert.Equal(0, ((ClusterBatch)surfaces[1]).Count);
        Assert.True(await ((ClusterTransaction)surfaces[2]).CommitAsync());
        Assert.Equal("0", await OnOwner("hll:x:{one}", "EXISTS", "hll:x:{one}", "hll:x:{one}:dst"));
        Assert.Equal("1", await OnOwner("hll:x:{two}", "PFCOUNT", "hll:x:{two}"));
    }
}

/// <summary><see cref="HyperLogLogCommandTests"/> on the shared 3×1 cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterHyperLogLogCommandTests(ClusterFixture fixture) : HyperLogLogCommandTests
{
    protected override string ConfigurationString => fixture.Cluster.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.Cluster.OnOwner(key, command);
}

/// <summary><see cref="HyperLogLogCommandTests"/> on a single redis-server without cluster mode: one node owns every slot.</summary>
public sealed class StandaloneHyperLogLogCommandTests(StandaloneServerFixture fixture) : HyperLogLogCommandTests, IClassFixture<StandaloneServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);
}

/// <summary><see cref="HyperLogLogCommandTests"/> on a primary with two replicas without cluster mode: one node owns every slot.</summary>
public sealed class ReplicatedHyperLogLogCommandTests(ReplicatedServerFixture fixture) : HyperLogLogCommandTests, IClassFixture<ReplicatedServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);
}
