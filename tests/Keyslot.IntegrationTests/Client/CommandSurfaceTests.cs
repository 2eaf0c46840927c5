using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Client;

/// <summary>
/// Each typed command is written once (<see cref="RedisCommands"/>) and offered by the client, the batch and the
/// transaction: the same script through <see cref="IRedisCommands"/> gives the same answers and leaves the same data
/// on every surface, and bad arguments are refused alike before anything is sent.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CommandSurfaceTests : IAsyncLifetime
{
    private readonly LocalRedisCluster _cluster;
    private ClusterClient _client = null!;

    public CommandSurfaceTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    /// <summary>A script of typed commands on keys of one slot; each result rendered as text.</summary>
    private static List<Task<string>> Script(IRedisCommands redis, string tag)
    {
        static async Task<string> Text<T>(ValueTask<T> result) => Render(await result);
        return
        [
            Text(redis.StringSetAsync(tag + ":s", "abc", TimeSpan.FromMinutes(5))),
            Text(redis.StringAppendAsync(tag + ":s", "def")),
            Text(redis.StringLengthAsync(tag + ":s")),
            Text(redis.StringGetAsync(tag + ":s")),
            Text(redis.StringSetAsync(tag + ":s", "never", when: SetCondition.NotExists)),
            Text(redis.StringSetAndGetAsync(tag + ":s", "next")),
            Text(redis.StringIncrementAsync(tag + ":n", 5)),
            Text(redis.StringDecrementAsync(tag + ":n")),
            Text(redis.HashSetAsync(tag + ":h", [new("a", "1"), new("b", "2")])),
            Text(redis.HashIncrementAsync(tag + ":h", "a", 10)),
            Text(redis.HashGetAsync(tag + ":h", ["a", "b", "missing"])),
            Text(redis.HashExistsAsync(tag + ":h", "b")),
            Text(redis.HashDeleteAsync(tag + ":h", "b")),
            Text(redis.HashLengthAsync(tag + ":h")),
            Text(redis.KeyExistsAsync(tag + ":h")),
            Text(redis.KeyTypeAsync(tag + ":h")),
            Text(redis.KeyExpireAsync(tag + ":h", TimeSpan.FromMinutes(1))),
            Text(redis.KeyPersistAsync(tag + ":h")),
            Text(redis.KeyTimeToLiveSecondsAsync(tag + ":h")),
            Text(redis.StringGetDeleteAsync(tag + ":n")),
            Text(redis.KeyDeleteAsync(tag + ":n")),
        ];
    }

    private static string Render(object? value) => value switch
    {
        null => "(nil)",
        string s => s,
        System.Collections.IEnumerable many => "[" + string.Join(",", many.Cast<object?>().Select(Render)) + "]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    [Fact]
    public async Task The_same_script_gives_the_same_answers_on_client_batch_and_transaction()
    {
        string clientTag = "{surface-c}", batchTag = "{surface-b}", txTag = "{surface-t}";

        var fromClient = new List<string>();
        foreach (Task<string> step in Script(_client, clientTag)) fromClient.Add(await step); // one at a time, in order

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
        Assert.Equal("True|6|6|abcdef|False|abcdef|5|4|2|11|[11,2,(nil)]|True|True|1|True|hash|True|True|-1|4|False", string.Join("|", fromClient));
        foreach (string tag in (string[])[clientTag, batchTag, txTag])
        {
            Assert.Equal("next", await _client.StringGetAsync(tag + ":s"));
            Assert.Equal(["11"], (await _client.HashGetAllAsync(tag + ":h")).Values.ToArray());
        }
    }

    [Fact]
    public void Arguments_are_refused_alike_on_every_surface_before_anything_is_queued()
    {
        IRedisCommands[] surfaces = [_client, _client.CreateBatch(), _client.CreateTransaction()];
        foreach (IRedisCommands redis in surfaces)
        {
            // An expiry under 1 ms would go out as PX 0 (the server refuses it); keepTtl with an expiry contradicts itself.
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = redis.StringSetAsync("{surface}k", "v", TimeSpan.FromTicks(5)); });
            Assert.Throws<ArgumentException>(() => { _ = redis.StringSetAsync("{surface}k", "v", TimeSpan.FromSeconds(1), keepTtl: true); });
            Assert.Throws<ArgumentException>(() => { _ = redis.HashDeleteAsync("{surface}h", Array.Empty<RedisArgument>()); });
        }
        Assert.Equal(0, ((ClusterBatch)surfaces[1]).Count);
        Assert.Equal(0, ((ClusterTransaction)surfaces[2]).Count);
    }

    [Fact]
    public async Task A_batched_command_cancelled_before_execute_is_never_sent()
    {
        const string key = "{surface-cancel}k";
        await _client.KeyDeleteAsync(key);
        ClusterBatch batch = _client.CreateBatch();
        using var cancel = new CancellationTokenSource();
        ValueTask<bool> cancelled = batch.StringSetAsync(key, "must not be written", cancellationToken: cancel.Token);
        ValueTask<bool> kept = batch.StringSetAsync(key + ":other", "written");
        cancel.Cancel();
        batch.Execute();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cancelled);
        Assert.True(await kept);
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key));
        Assert.Equal("0", await _cluster.ExecuteAsync(owner, "EXISTS", key)); // its caller was told it was cancelled: the server never saw it
        Assert.Equal("written", await _cluster.ExecuteAsync(owner, "GET", key + ":other"));
    }
}
