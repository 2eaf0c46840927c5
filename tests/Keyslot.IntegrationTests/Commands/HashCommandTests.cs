using Keyslot.IntegrationTests.Infrastructure;

namespace Keyslot.IntegrationTests.Commands;

/// <summary>
/// The rest of the hash commands (HSETNX, HINCRBYFLOAT, HKEYS, HVALS, HSTRLEN, HRANDFIELD, HSCAN) against what the
/// server holds: missing keys, binary values, RESP2 and RESP3 shapes, and the same script on client, batch and transaction.
/// </summary>
public abstract class HashCommandTests : IAsyncLifetime
{
    private ClusterClient _client = null!;

    /// <summary>What the client is configured with.</summary>
    protected abstract string ConfigurationString { get; }

    /// <summary>Runs a command on the node that owns <paramref name="key"/>, outside the client under test.</summary>
    protected abstract Task<string> OnOwner(string key, params string[] command);

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task Setnx_and_float_increments_change_only_what_the_server_says()
    {
        const string key = "{hash-a}h";
        await _client.KeyDeleteAsync(key);
        Assert.True(await _client.HashSetIfNotExistsAsync(key, "f", "first"));
        Assert.False(await _client.HashSetIfNotExistsAsync(key, "f", "second"));
        Assert.Equal("first", await OnOwner(key, "HGET", key, "f"));

        Assert.Equal(2.5, await _client.HashIncrementAsync(key, "n", 2.5));
        Assert.Equal(1.25, await _client.HashIncrementAsync(key, "n", -1.25));
        Assert.Equal("1.25", await OnOwner(key, "HGET", key, "n"));
        Assert.Equal(11, await _client.HashIncrementAsync(key, "i", 11)); // the integer form still picks HINCRBY
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = _client.HashIncrementAsync(key, "n", double.NaN); });
        var wrong = await Assert.ThrowsAsync<RedisServerException>(async () => await _client.HashIncrementAsync(key, "f", 1.0));
        Assert.Contains("not a float", wrong.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",protocol=resp2")]
    public async Task Keys_values_lengths_and_random_fields_read_what_the_server_holds(string protocol)
    {
        await using var client = await ClusterClient.ConnectAsync(ConfigurationString + protocol);
        string key = "{hash-b" + protocol.Length + "}h";
        await client.KeyDeleteAsync(key);
        byte[] binary = [0xC3, 0x28, 0x00, 0xFF, 0x80];
        await client.HashSetAsync(key, [new("a", "one"), new("b", "twotwo"), new("bin", binary)]);

        Assert.Equal(["a", "b", "bin"], (await client.HashKeysAsync(key)).Order());
        Assert.Contains(binary, await client.HashValuesBytesAsync(key));
        Assert.Contains("twotwo", await client.HashValuesAsync(key));
        Assert.Equal(6, await client.HashStringLengthAsync(key, "b"));
        Assert.Equal(5, await client.HashStringLengthAsync(key, "bin"));
        Assert.Equal(0, await client.HashStringLengthAsync(key, "missing"));

        Assert.Contains(await client.HashRandomFieldAsync(key), new[] { "a", "b", "bin" });
        Assert.Equal(["a", "b", "bin"], (await client.HashRandomFieldsAsync(key, 10)).Order()); // distinct, at most all
        Assert.Equal(7, (await client.HashRandomFieldsAsync(key, -7)).Length);                 // may repeat, exactly 7
        KeyValuePair<string, string>[] withValues = await client.HashRandomFieldsWithValuesAsync(key, 2);
        Assert.Equal(2, withValues.Length);
        foreach ((string field, string value) in withValues)
        {
            if (field != "bin") Assert.Equal(await OnOwner(key, "HGET", key, field), value); // the value belongs to its field
        }

        // A missing key: empty, zero and null, never an error.
        string missing = "{hash-b" + protocol.Length + "}missing";
        Assert.Empty(await client.HashKeysAsync(missing));
        Assert.Empty(await client.HashValuesAsync(missing));
        Assert.Null(await client.HashRandomFieldAsync(missing));
        Assert.Empty(await client.HashRandomFieldsAsync(missing, 3));
        Assert.Empty(await client.HashRandomFieldsWithValuesAsync(missing, 3));
        Assert.Empty(await client.HashRandomFieldsAsync(key, 0)); // as the server answers it
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = client.HashRandomFieldsAsync(key, long.MinValue); });
    }

    [Theory]
    [InlineData("")]
    [InlineData(",protocol=resp2")]
    public async Task Hscan_pages_through_every_field_and_the_client_enumerates_them(string protocol)
    {
        await using var client = await ClusterClient.ConnectAsync(ConfigurationString + protocol);
        string key = "{hash-c" + protocol.Length + "}h";
        await client.KeyDeleteAsync(key);
        var fields = Enumerable.Range(0, 600).Select(i => new KeyValuePair<RedisArgument, RedisArgument>("f" + i, "v" + i)).ToList();
        fields.Add(new("binary", new byte[] { 0xFF, 0x00, 0xC3 }));
        await client.HashSetAsync(key, fields); // more than a listpack: a real hashtable, scanned in several pages

        var seen = new Dictionary<string, string>();
        int pages = 0;
        ulong cursor = 0;
        do
        {
            HashScanPage<string> page = await client.HashScanPageAsync(key, cursor, "f*", 50);
            foreach ((string field, string value) in page.Entries) seen[field] = value;
            cursor = page.Cursor;
            pages++;
        }
        while (cursor != 0);
        Assert.True(pages > 1);
        Assert.Equal(600, seen.Count);
        Assert.All(seen, e => Assert.Equal("v" + e.Key[1..], e.Value));

        var all = new Dictionary<string, string>();
        await foreach ((string field, string value) in client.HashScanAsync(key, pageSize: 100)) all[field] = value;
        Assert.Equal(601, all.Count);
        HashScanPage<byte[]> binary = await client.HashScanPageBytesAsync(key, 0, "binary", 1000);
        while (binary.Entries.Length == 0 && binary.Cursor != 0) binary = await client.HashScanPageBytesAsync(key, binary.Cursor, "binary", 1000);
        Assert.Equal(new byte[] { 0xFF, 0x00, 0xC3 }, Assert.Single(binary.Entries).Value);
        Assert.Empty((await client.HashScanPageAsync("{hash-c}missing")).Entries);
    }

    [Fact]
    public async Task The_same_script_gives_the_same_answers_on_client_batch_and_transaction()
    {
        static async Task<string> Text<T>(ValueTask<T> result) => Convert.ToString(await result, System.Globalization.CultureInfo.InvariantCulture) ?? "(nil)";
        static async Task<string> Sorted(ValueTask<string[]> result) => string.Join(",", (await result).Order());
        static async Task<string> Count(ValueTask<string[]> result) => (await result).Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        static List<Task<string>> Script(IRedisCommands redis, string key) =>
        [
            Text(redis.HashSetIfNotExistsAsync(key, "a", "1")),
            Text(redis.HashSetIfNotExistsAsync(key, "a", "2")),
            Text(redis.HashIncrementAsync(key, "x", 0.5)),
            Text(redis.HashStringLengthAsync(key, "a")),
            Sorted(redis.HashKeysAsync(key)),
            Count(redis.HashRandomFieldsAsync(key, 5)),
        ];
        var answers = new List<string[]>();
        foreach (string key in (string[])["{hash-s1}h", "{hash-s2}h", "{hash-s3}h"]) await _client.KeyDeleteAsync(key);

        answers.Add([.. await Task.WhenAll(Script(_client, "{hash-s1}h"))]);
        ClusterBatch batch = _client.CreateBatch();
        List<Task<string>> batched = Script(batch, "{hash-s2}h");
        batch.Execute();
        answers.Add(await Task.WhenAll(batched));
        ClusterTransaction tx = _client.CreateTransaction();
        List<Task<string>> queued = Script(tx, "{hash-s3}h");
        Assert.True(await tx.CommitAsync());
        answers.Add(await Task.WhenAll(queued));

        Assert.Equal(["True", "False", "0.5", "1", "a,x", "2"], answers[0]);
        Assert.Equal(answers[0], answers[1]);
        Assert.Equal(answers[0], answers[2]);
        Assert.Equal("0.5", await OnOwner("{hash-s3}h", "HGET", "{hash-s3}h", "x"));
    }
}

/// <summary><see cref="HashCommandTests"/> on the shared 3×1 cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterHashCommandTests(ClusterFixture fixture) : HashCommandTests
{
    protected override string ConfigurationString => fixture.Cluster.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.Cluster.OnOwner(key, command);
}

/// <summary><see cref="HashCommandTests"/> on a single redis-server without cluster mode: one node owns every slot.</summary>
public sealed class StandaloneHashCommandTests(StandaloneServerFixture fixture) : HashCommandTests, IClassFixture<StandaloneServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);
}

/// <summary><see cref="HashCommandTests"/> on a primary with two replicas without cluster mode: one node owns every slot.</summary>
public sealed class ReplicatedHashCommandTests(ReplicatedServerFixture fixture) : HashCommandTests, IClassFixture<ReplicatedServerFixture>
{
    protected override string ConfigurationString => fixture.ConfigurationString;

    protected override Task<string> OnOwner(string key, params string[] command) => fixture.OnPrimary(command);
}
