using System.Diagnostics;
using System.Text;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.PubSub;

/// <summary>
/// Pub/sub on the real cluster in steady state: classic channels heard from any node, patterns, shard channels held
/// by their slot's primary, keyspace notifications from every shard, ordered and complete delivery, handlers off the
/// read loop, a bounded buffer that counts what it drops, unsubscribing, and RESP2 servers alike.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PubSubTests : IAsyncLifetime
{
    private readonly LocalRedisCluster _cluster;
    private ClusterClient _client = null!;

    public PubSubTests(ClusterFixture fixture) => _cluster = fixture.Cluster;

    public async Task InitializeAsync() => _client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",name=pubsub-tests");

    public async Task DisposeAsync() => await _client.DisposeAsync();

    /// <summary>The primaries where this test's client holds subscriptions of <paramref name="field"/> (sub, psub or ssub) per CLIENT LIST.</summary>
    private async Task<List<LocalRedisNode>> HoldersAsync(string field, string clientName = "pubsub-tests")
    {
        var holders = new List<LocalRedisNode>();
        foreach (LocalRedisNode node in await _cluster.GetPrimariesAsync())
        {
            string list = await _cluster.ExecuteAsync(node, "CLIENT", "LIST");
            foreach (string line in list.Split('\n'))
            {
                if (line.Contains($" name={clientName} ", StringComparison.Ordinal) && !line.Contains($" {field}=0 ", StringComparison.Ordinal) && line.Contains($" {field}=", StringComparison.Ordinal))
                {
                    holders.Add(node);
                    break;
                }
            }
        }
        return holders;
    }

    private static async Task<List<ChannelMessage>> TakeAsync(ChannelSubscription subscription, int count, TimeSpan? within = null)
    {
        var taken = new List<ChannelMessage>();
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        try
        {
            while (taken.Count < count) taken.Add(await subscription.Reader.ReadAsync(timeout.Token));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{taken.Count} of {count} messages on {subscription.Name} arrived in time");
        }
        return taken;
    }

    [Fact]
    public async Task A_message_published_on_another_node_reaches_the_subscriber()
    {
        await using ChannelSubscription subscription = await _client.SubscribeAsync("ps:news");
        List<LocalRedisNode> holders = await HoldersAsync("sub");
        Assert.Single(holders); // one subscriber connection for the client's classic channels
        LocalRedisNode elsewhere = (await _cluster.GetPrimariesAsync()).First(n => n.Endpoint != holders[0].Endpoint);

        Assert.Equal("0", await _cluster.ExecuteAsync(elsewhere, "PUBLISH", "ps:news", "from elsewhere")); // nobody subscribed on that node itself
        ChannelMessage message = (await TakeAsync(subscription, 1))[0];
        Assert.Equal("ps:news", message.Channel);
        Assert.Equal("from elsewhere", message.Message);
        Assert.Null(message.Pattern);
    }

    [Fact]
    public async Task A_hundred_thousand_messages_on_a_hundred_channels_arrive_complete_and_in_order()
    {
        const int channels = 100, perChannel = 1_000;
        var subscriptions = new ChannelSubscription[channels];
        for (int c = 0; c < channels; c++) subscriptions[c] = await _client.SubscribeAsync($"ps:bulk:{c}");
        try
        {
            // Each channel's messages are published one after the other (so their order is defined); the channels in parallel.
            var publishers = new Task[channels];
            for (int c = 0; c < channels; c++)
            {
                int channel = c;
                publishers[c] = Task.Run(async () =>
                {
                    for (int i = 0; i < perChannel; i++) await _client.PublishAsync($"ps:bulk:{channel}", i);
                });
            }
            var readers = new Task<List<ChannelMessage>>[channels];
            for (int c = 0; c < channels; c++) readers[c] = TakeAsync(subscriptions[c], perChannel, TimeSpan.FromSeconds(60));
            await Task.WhenAll(publishers);
            List<ChannelMessage>[] received = await Task.WhenAll(readers);
            for (int c = 0; c < channels; c++)
            {
                Assert.Equal(Enumerable.Range(0, perChannel).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), received[c].Select(m => m.Message));
                Assert.All(received[c], m => Assert.Equal($"ps:bulk:{c}", m.Channel));
                Assert.Equal(0, subscriptions[c].DroppedMessages);
            }
        }
        finally
        {
            foreach (ChannelSubscription subscription in subscriptions) await subscription.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_pattern_subscription_hears_matching_channels_only_and_names_the_pattern()
    {
        await using ChannelSubscription subscription = await _client.PatternSubscribeAsync("ps:pat.*");
        Assert.Single(await HoldersAsync("psub"));
        await _client.PublishAsync("ps:pat.a", "one");
        await _client.PublishAsync("ps:other", "not this");
        await _client.PublishAsync("ps:pat.b", "two");
        List<ChannelMessage> messages = await TakeAsync(subscription, 2);
        Assert.Equal(["ps:pat.a", "ps:pat.b"], messages.Select(m => m.Channel));
        Assert.Equal(["one", "two"], messages.Select(m => m.Message));
        Assert.All(messages, m => Assert.Equal("ps:pat.*", m.Pattern));
        await Task.Delay(100);
        Assert.False(subscription.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_shard_channel_is_held_by_its_slots_primary_and_hears_spublish()
    {
        const string channel = "{ps-shard}orders";
        await using ChannelSubscription subscription = await _client.ShardSubscribeAsync(channel);
        LocalRedisNode owner = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(channel));
        List<LocalRedisNode> holders = await HoldersAsync("ssub");
        Assert.Equal([owner.Endpoint], holders.Select(h => h.Endpoint));

        Assert.Equal(1, await _client.ShardPublishAsync(channel, "order-1"));
        byte[] binary = [0xC3, 0x28, 0x00, 0xFF];
        await _client.ShardPublishAsync(channel, binary);
        List<ChannelMessage> messages = await TakeAsync(subscription, 2);
        Assert.Equal("order-1", messages[0].Message);
        Assert.Equal(binary, messages[1].Payload);
        Assert.Equal(channel, messages[1].Channel);
    }

    [Fact]
    public async Task Keyspace_notifications_arrive_from_every_shard()
    {
        IReadOnlyList<LocalRedisNode> primaries = await _cluster.GetPrimariesAsync();
        foreach (LocalRedisNode node in primaries) await _cluster.ExecuteAsync(node, "CONFIG", "SET", "notify-keyspace-events", "E$");
        try
        {
            await using ChannelSubscription events = await _client.KeyspaceSubscribeAsync("__keyevent@0__:set");
            Assert.Equal(primaries.Count, (await HoldersAsync("psub")).Count); // on every primary
            // One key on each shard.
            var keys = new List<string>();
            foreach (LocalRedisNode node in primaries)
            {
                int slot = _client.Topology.SlotRanges.First(r => r.Primary.ToString() == node.Endpoint).Start;
                keys.Add(SlotKeys.For(slot));
            }
            foreach (string key in keys) await _client.StringSetAsync(key, "x");
            List<ChannelMessage> messages = await TakeAsync(events, keys.Count);
            Assert.Equal(keys.Order(), messages.Select(m => m.Message).Order());
            Assert.All(messages, m => Assert.Equal("__keyevent@0__:set", m.Channel));
        }
        finally
        {
            foreach (LocalRedisNode node in primaries) await _cluster.ExecuteAsync(node, "CONFIG", "SET", "notify-keyspace-events", "");
        }
    }

    [Fact]
    public async Task A_handler_runs_off_the_read_loop_in_order_and_its_exceptions_do_not_end_the_subscription()
    {
        var seen = new List<string>();
        var done = new TaskCompletionSource();
        await using ChannelSubscription subscription = await _client.SubscribeAsync("ps:handler", message =>
        {
            string text = message.Message;
            if (text == "boom") throw new InvalidOperationException("a handler's own bug");
            Thread.Sleep(1); // a slow handler holds up only its own subscription
            lock (seen) seen.Add(text);
            if (text == "last") done.TrySetResult();
        });
        foreach (string text in (string[])["a", "boom", "b", "c", "last"]) await _client.PublishAsync("ps:handler", text);
        // Meanwhile the connections serve other commands as usual.
        await _client.StringSetAsync("ps:probe", "ok");
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["a", "b", "c", "last"], seen);
        Assert.Equal(1, subscription.HandlerErrors);
    }

    [Fact]
    public async Task A_full_buffer_drops_new_messages_and_counts_them()
    {
        await using var small = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",subscriptionBuffer=10");
        await using ChannelSubscription subscription = await small.SubscribeAsync("ps:slow");
        for (int i = 0; i < 100; i++) await small.PublishAsync("ps:slow", i);
        var waited = Stopwatch.StartNew();
        while (subscription.DroppedMessages < 90 && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);
        Assert.Equal(90, subscription.DroppedMessages);
        List<ChannelMessage> kept = await TakeAsync(subscription, 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), kept.Select(m => m.Message));
    }

    [Fact]
    public async Task Disposing_the_last_subscription_of_a_channel_unsubscribes_it_on_the_server()
    {
        ChannelSubscription first = await _client.SubscribeAsync("ps:gone");
        ChannelSubscription second = await _client.SubscribeAsync("ps:gone");
        LocalRedisNode holder = Assert.Single(await HoldersAsync("sub"));
        async Task<long> PublishOnHolder(string text) => long.Parse(await _cluster.ExecuteAsync(holder, "PUBLISH", "ps:gone", text), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, await PublishOnHolder("both")); // one server-side subscription serves both
        Assert.Equal("both", (await TakeAsync(first, 1))[0].Message);
        Assert.Equal("both", (await TakeAsync(second, 1))[0].Message);

        await first.DisposeAsync();
        Assert.Equal(1, await PublishOnHolder("second only"));
        Assert.Equal("second only", (await TakeAsync(second, 1))[0].Message);
        Assert.False(await first.Reader.WaitToReadAsync()); // ended

        await second.DisposeAsync();
        var waited = Stopwatch.StartNew();
        while (await PublishOnHolder("nobody") != 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), "the server still had a subscriber 5 s after the last dispose");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_resp2_client_subscribes_with_the_resp2_protocol_alike()
    {
        await using var resp2 = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",protocol=resp2,name=pubsub-resp2");
        await using ChannelSubscription channel = await resp2.SubscribeAsync("ps2:chan");
        await using ChannelSubscription pattern = await resp2.PatternSubscribeAsync("ps2:p*");
        await using ChannelSubscription shard = await resp2.ShardSubscribeAsync("{ps2}shard");
        await resp2.PublishAsync("ps2:chan", "c");
        await resp2.PublishAsync("ps2:pattern", "p");
        await resp2.ShardPublishAsync("{ps2}shard", "s");
        Assert.Equal("c", (await TakeAsync(channel, 1))[0].Message);
        ChannelMessage matched = (await TakeAsync(pattern, 1))[0];
        Assert.Equal(("ps2:pattern", "ps2:p*", "p"), (matched.Channel, matched.Pattern, matched.Message));
        Assert.Equal("s", (await TakeAsync(shard, 1))[0].Message);
        Assert.Single(await HoldersAsync("sub", "pubsub-resp2"));
        // The subscriber connection speaks RESP2 (no HELLO 3): CLIENT LIST says resp=2.
        LocalRedisNode holder = (await HoldersAsync("sub", "pubsub-resp2"))[0];
        Assert.Contains(" resp=2", (await _cluster.ExecuteAsync(holder, "CLIENT", "LIST")).Split('\n').First(l => l.Contains(" name=pubsub-resp2 ") && l.Contains(" sub=1 ")));
    }

    [Fact]
    public async Task Bad_subscriptions_are_refused_before_anything_is_sent()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.SubscribeAsync(""));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _client.SubscribeAsync("ps:x", null!));
        await using ChannelSubscription keyspace = await _client.KeyspaceSubscribeAsync("ps:both*");
        await Assert.ThrowsAsync<ArgumentException>(() => _client.PatternSubscribeAsync("ps:both*")); // one pattern, one way
        Assert.Throws<ArgumentException>(() => { _ = _client.PublishAsync("", "x"); });
    }

    [Fact]
    public async Task Pushes_are_counted_by_the_server_as_published_to_one_subscriber_per_client()
    {
        await using ChannelSubscription a = await _client.SubscribeAsync("ps:count");
        await using ChannelSubscription b = await _client.PatternSubscribeAsync("ps:cou*");
        // PUBLISH counts receivers on the node that took it: the client's one subscriber connection, twice (channel and pattern), if it lives there.
        long receivers = 0;
        foreach (LocalRedisNode node in await _cluster.GetPrimariesAsync()) receivers += long.Parse(await _cluster.ExecuteAsync(node, "PUBLISH", "ps:count", "n"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(2, receivers);
        Assert.Equal(Encoding.UTF8.GetBytes("n"), (await TakeAsync(a, 1))[0].Payload);
    }
}
