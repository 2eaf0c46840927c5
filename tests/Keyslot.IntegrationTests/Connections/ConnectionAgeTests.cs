using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Keyslot.Testing;
using Xunit.Abstractions;

namespace Keyslot.IntegrationTests.Connections;

/// <summary>
/// <see cref="ClusterOptions.MaxConnectionAge"/> against real servers, with an age of one second: under a mixed load
/// (single commands, batches, transactions, replica reads) every connection is replaced several times with zero
/// errors and every acknowledged INCR applied exactly once; a watcher that cuts, the way ElastiCache does at 12 hours,
/// every connection of the client older than twice the age (CLIENT KILL) finds none: each was drained and closed
/// before; a subscriber loses no message across its renewals; a BLPOP waiting longer than the age is not cut.
/// </summary>
public sealed class ConnectionAgeTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private LocalRedisCluster _cluster = null!;

    public ConnectionAgeTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { Primaries = 3, ReplicasPerPrimary = 1 });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_one_second_age_under_load_replaces_every_connection_with_zero_errors_and_exact_counters()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",maxConnectionAge=1,name=age-load,readFrom=preferReplica");
        await using var checker = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const int counters = 24;
        string[] keys = [.. Enumerable.Range(0, counters).Select(i => i % 3 == 0 ? "{age-tx}c:" + i : "age:c:" + i)];
        string[] txKeys = [.. keys.Where(k => k.StartsWith("{age-tx}", StringComparison.Ordinal))];
        foreach (string key in keys) await checker.KeyDeleteAsync(key);
        var acknowledged = new long[counters];
        var errors = new ConcurrentQueue<Exception>();
        var ids = new ConcurrentDictionary<string, byte>();
        int killed = 0;
        var load = Stopwatch.StartNew();
        TimeSpan duration = TimeSpan.FromSeconds(6);

        Task[] workers = [.. Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (int n = 0; load.Elapsed < duration; n++)
            {
                try
                {
                    switch (n % 10)
                    {
                        case 0: // a pipelined batch: several INCRs written in one go
                        {
                            ClusterBatch batch = client.CreateBatch();
                            var indexes = new[] { (n + w) % counters, (n + w + 5) % counters, (n + w + 11) % counters };
                            var replies = indexes.Select(i => batch.ExecuteAsync("INCR", keys[i]).AsTask()).ToArray();
                            batch.Execute();
                            await Task.WhenAll(replies);
                            foreach (int i in indexes) Interlocked.Increment(ref acknowledged[i]);
                            break;
                        }
                        case 5: // MULTI/EXEC on one slot
                        {
                            ClusterTransaction transaction = client.CreateTransaction();
                            string a = txKeys[n % txKeys.Length], b = txKeys[(n + 3) % txKeys.Length];
                            ValueTask<RespValue> first = transaction.ExecuteAsync("INCR", a);
                            ValueTask<RespValue> second = transaction.ExecuteAsync("INCR", b);
                            Assert.True(await transaction.CommitAsync());
                            await first;
                            await second;
                            Interlocked.Increment(ref acknowledged[Array.IndexOf(keys, a)]);
                            Interlocked.Increment(ref acknowledged[Array.IndexOf(keys, b)]);
                            break;
                        }
                        default:
                        {
                            int i = (n * 7 + w) % counters;
                            await client.StringIncrementAsync(keys[i]);
                            Interlocked.Increment(ref acknowledged[i]);
                            await client.StringGetAsync(keys[(i + 1) % counters]); // a read, served by a replica
                            break;
                        }
                    }
                }
                catch (Exception ex)
                {
                    errors.Enqueue(ex);
                }
            }
        }))];

        // The server's view: the client's connection ids, sampled; and the 12-hour cut of ElastiCache, at twice the age.
        Task watcher = Task.Run(async () =>
        {
            while (load.Elapsed < duration)
            {
                foreach (LocalRedisNode node in _cluster.Nodes)
                {
                    foreach (ClientLine line in await ClientsAsync(node, "age-load"))
                    {
                        ids.TryAdd(node.Endpoint + "/" + line.Id, 0);
                        // CLIENT LIST's age is whole seconds of wall clock (a 1.1 s old connection can show 2): 3 means over 2 s.
                        if (line.AgeSeconds >= 3 && await _cluster.ExecuteAsync(node, "CLIENT", "KILL", "ID", line.Id) == "1") Interlocked.Increment(ref killed);
                    }
                }
                await Task.Delay(200);
            }
        });
        await Task.WhenAll(workers);
        await watcher;

        foreach (Exception error in errors.Take(5)) _output.WriteLine(error.ToString());
        Assert.Empty(errors);
        for (int i = 0; i < counters; i++)
        {
            Assert.Equal(acknowledged[i], await checker.StringIncrementAsync(keys[i], 0)); // every acknowledged INCR applied once: none lost, none doubled
        }
        Assert.True(acknowledged.Sum() > 500, $"only {acknowledged.Sum()} increments in {duration}");
        // At least one interactive connection per primary and one replica-read connection per replica, each renewed
        // four times or more in six seconds with a one-second age.
        int nodes = _cluster.Nodes.Count;
        _output.WriteLine($"{ids.Count} distinct connection ids on {nodes} nodes; {acknowledged.Sum()} increments; {killed} connections cut at twice the age");
        // No connection of the client lived past twice the age: each was replaced and closed by the client before the
        // cut, which therefore found nothing to fail (a cut connection would also show in the errors above).
        Assert.Equal(0, killed);
        Assert.True(ids.Count >= nodes * 4, $"{ids.Count} distinct connection ids on {nodes} nodes");
        foreach (LocalRedisNode node in _cluster.Nodes)
        {
            Assert.True(ids.Keys.Count(id => id.StartsWith(node.Endpoint + "/", StringComparison.Ordinal)) >= 3, $"{node.Endpoint}'s connections were not replaced");
        }
    }

    [Fact]
    public async Task A_subscriber_under_a_one_second_age_receives_every_numbered_message_in_order()
    {
        await using var subscriber = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",maxConnectionAge=1,name=age-sub");
        await using var publisher = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        await using ChannelSubscription channel = await subscriber.SubscribeAsync("age:news");
        await using ChannelSubscription shard = await subscriber.ShardSubscribeAsync("age:shard");
        const int count = 600;
        var ids = new ConcurrentDictionary<string, byte>();
        Task publishing = Task.Run(async () =>
        {
            for (int i = 0; i < count; i++)
            {
                await publisher.PublishAsync("age:news", i);
                await publisher.ShardPublishAsync("age:shard", i);
                await Task.Delay(8); // about five seconds: several renewals
            }
        });
        Task watching = Task.Run(async () =>
        {
            while (!publishing.IsCompleted)
            {
                foreach (LocalRedisNode node in _cluster.Nodes)
                {
                    foreach (ClientLine line in await ClientsAsync(node, "age-sub")) ids.TryAdd(node.Endpoint + "/" + line.Id, 0);
                }
                await Task.Delay(200);
            }
        });
        Task<List<int>> onChannel = ReceiveAsync(channel, count);
        Task<List<int>> onShard = ReceiveAsync(shard, count);
        await publishing;
        await watching;
        foreach ((string name, List<int> received) in new[] { ("channel", await onChannel), ("shard channel", await onShard) })
        {
            // Every message, in publishing order; a message published between the two confirmations of a handover
            // may come twice, right after its first copy's run (never reordered).
            List<int> firsts = [];
            foreach (int value in received) if (firsts.Count == 0 || value > firsts[^1]) firsts.Add(value);
            Assert.Equal(Enumerable.Range(0, count), firsts);
            Assert.Equal(count, received.Distinct().Count());
            _output.WriteLine($"{name}: {received.Count - count} duplicates");
        }
        Assert.Equal(0, channel.DroppedMessages);
        Assert.Equal(0, shard.DroppedMessages);
        Assert.True(ids.Count >= 4, $"the subscriber connections were not renewed: {ids.Count} ids");
    }

    [Fact]
    public async Task A_blpop_that_waits_longer_than_the_age_is_not_cut_and_its_connection_is_renewed_after()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",maxConnectionAge=1,name=age-block");
        await using var pusher = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        const string key = "{age-block}queue";
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key));
        ValueTask<string?> popped = client.ListBlockingLeftPopAsync(key, TimeSpan.FromSeconds(8));
        string blockedOn = await BlockedConnectionAsync(owner, "age-block");
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // past the age, with the command waiting
        Assert.False(popped.IsCompleted);
        Assert.Equal(blockedOn, await BlockedConnectionAsync(owner, "age-block")); // still the same connection, still blocked
        await pusher.ListLeftPushAsync(key, "element");
        Assert.Equal("element", await popped);

        ValueTask<string?> again = client.ListBlockingLeftPopAsync(key, TimeSpan.FromSeconds(8));
        string second = await BlockedConnectionAsync(owner, "age-block");
        Assert.NotEqual(blockedOn, second); // the aged connection was closed when its command returned
        await pusher.ListLeftPushAsync(key, "next");
        Assert.Equal("next", await again);
    }

    [Fact]
    public async Task Synchronous_commands_under_a_one_second_age_renew_their_connections_between_commands()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",maxConnectionAge=1,name=age-sync");
        const string key = "{age-sync}n";
        await client.KeyDeleteAsync(key);
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(key));
        var ids = new HashSet<string>();
        long acknowledged = 0;
        var run = Stopwatch.StartNew();
        Task caller = Task.Factory.StartNew(() =>
        {
            while (run.Elapsed < TimeSpan.FromSeconds(3.5))
            {
                client.Execute("INCR", key); // on this thread, over the synchronous pool; throws on any failure
                acknowledged++;
            }
        }, TaskCreationOptions.LongRunning);
        while (!caller.IsCompleted)
        {
            foreach (ClientLine line in await ClientsAsync(owner, "age-sync")) if (line.Command == "incr") ids.Add(line.Id); // only the synchronous connections run INCR meanwhile
            await Task.Delay(100);
        }
        await caller;
        Assert.Equal(acknowledged, await client.StringIncrementAsync(key, 0));
        Assert.True(ids.Count >= 3, $"{ids.Count} synchronous connection ids in 3.5 s with a one-second age");
    }

    private async Task<string> BlockedConnectionAsync(LocalRedisNode node, string name)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(5))
        {
            if ((await ClientsAsync(node, name)).FirstOrDefault(c => c.Command == "blpop") is { } line) return line.Id;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException("the BLPOP never reached " + node.Endpoint);
    }

    private static async Task<List<int>> ReceiveAsync(ChannelSubscription subscription, int count)
    {
        var received = new List<int>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (received.Count == 0 || received[^1] < count - 1)
            {
                received.Add(int.Parse((await subscription.Reader.ReadAsync(timeout.Token)).Message, CultureInfo.InvariantCulture));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{received.Count} of {count} messages on {subscription.Name} arrived in time");
        }
        return received;
    }

    private sealed record ClientLine(string Id, long AgeSeconds, string Command);

    /// <summary>The client's connections on <paramref name="node"/> (by CLIENT SETNAME name), as the server lists them.</summary>
    private async Task<List<ClientLine>> ClientsAsync(LocalRedisNode node, string name)
    {
        var lines = new List<ClientLine>();
        foreach (string line in (await _cluster.ExecuteAsync(node, "CLIENT", "LIST")).Split('\n'))
        {
            if (!line.Contains(" name=" + name + " ", StringComparison.Ordinal)) continue;
            string Field(string field) => line.Split(' ').First(p => p.StartsWith(field + "=", StringComparison.Ordinal))[(field.Length + 1)..];
            lines.Add(new ClientLine(Field("id"), long.Parse(Field("age"), CultureInfo.InvariantCulture), Field("cmd")));
        }
        return lines;
    }
}
