using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Keyslot.IntegrationTests.Infrastructure;
using Keyslot.Testing;
using Xunit.Abstractions;

namespace Keyslot.IntegrationTests.Resilience;

/// <summary>
/// Subscriptions outlive the cluster's changes under a steady publish rate: kill -9 of the primary holding a shard
/// channel, a 2,000-slot reshard that moves the channel's slot, kill -9 of the node holding classic channels. Each
/// time the subscription comes back by itself (the gap is logged and printed), and every message published after it
/// is back arrives. Each test runs its own cluster and a bounded load (seconds).
/// </summary>
public sealed class PubSubFailoverTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private LocalRedisCluster _cluster = null!;

    public PubSubFailoverTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync() => _cluster = await LocalRedisCluster.StartAsync(new LocalRedisClusterOptions { NodeTimeoutMilliseconds = 2000 });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>Publishes numbered messages every few ms until stopped, remembering when each acknowledged one was sent.</summary>
    private sealed class SteadyPublisher
    {
        private readonly ConcurrentDictionary<long, long> _sentAt = new();
        private readonly CancellationTokenSource _stop = new();
        private Task? _loop;

        public int Failures;

        public void Start(Func<long, Task> publish) => _loop = Task.Run(async () =>
        {
            for (long seq = 0; !_stop.IsCancellationRequested; seq++)
            {
                long sentAt = Stopwatch.GetTimestamp();
                try
                {
                    await publish(seq);
                    _sentAt[seq] = sentAt;
                }
                catch (RedisException)
                {
                    Interlocked.Increment(ref Failures); // the shard is failing over: this one was not acknowledged
                }
                await Task.Delay(2);
            }
        });

        public async Task StopAsync()
        {
            _stop.Cancel();
            await _loop!;
        }

        /// <summary>The acknowledged messages sent after <paramref name="since"/> (Stopwatch ticks).</summary>
        public long[] SentAfter(long since) => [.. _sentAt.Where(p => p.Value > since).Select(p => p.Key).Order()];
    }

    /// <summary>Collects what a subscription receives (numbers) until stopped.</summary>
    private static (ConcurrentDictionary<long, bool> Received, Task Loop) Collect(ChannelSubscription subscription, CancellationToken stop)
    {
        var received = new ConcurrentDictionary<long, bool>();
        Task loop = Task.Run(async () =>
        {
            try
            {
                await foreach (ChannelMessage message in subscription.ReadAllAsync(stop)) received[long.Parse(message.Message, CultureInfo.InvariantCulture)] = true;
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        });
        return (received, loop);
    }

    private static async Task<long> WaitForResubscriptionAsync(ChannelSubscription subscription, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (subscription.Resubscriptions == 0)
        {
            Assert.True(waited.Elapsed < limit, $"the subscription was not back within {limit.TotalSeconds} s");
            await Task.Delay(5);
        }
        return Stopwatch.GetTimestamp();
    }

    private async Task AssertEverythingAfterArrivesAsync(SteadyPublisher publisher, long backAt, ConcurrentDictionary<long, bool> received, CancellationTokenSource stopReading, Task reading)
    {
        // Keep publishing on the new holder until 200 messages sent after the subscription was back were acknowledged
        // (a count, not a time: a busy machine publishes more slowly), at most 15 s.
        var publishing = Stopwatch.StartNew();
        while (publisher.SentAfter(backAt).Length < 200 && publishing.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(20);
        await publisher.StopAsync();
        long[] after = publisher.SentAfter(backAt);
        var waited = Stopwatch.StartNew();
        while (after.Any(seq => !received.ContainsKey(seq)) && waited.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(20);
        stopReading.Cancel();
        await reading;
        long[] missing = [.. after.Where(seq => !received.ContainsKey(seq))];
        _output.WriteLine($"{after.Length} messages published after the subscription was back, {missing.Length} missing; {received.Count} received in all; {publisher.Failures} publishes failed during the change");
        Assert.True(after.Length >= 200, $"only {after.Length} messages were published after the subscription was back, in 15 s");
        Assert.Empty(missing);
    }

    [Fact]
    public async Task A_shard_subscription_is_back_soon_after_kill_9_of_its_primary_is_promoted_away()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",commandTimeout=5000");
        const string channel = "{psf}ticks";
        LocalRedisNode victim = await _cluster.GetSlotOwnerAsync(ClusterClient.GetSlot(channel));
        await using ChannelSubscription subscription = await client.ShardSubscribeAsync(channel);
        using var stopReading = new CancellationTokenSource();
        (ConcurrentDictionary<long, bool> received, Task reading) = Collect(subscription, stopReading.Token);
        var publisher = new SteadyPublisher();
        publisher.Start(seq => client.ShardPublishAsync(channel, seq).AsTask());
        await Task.Delay(500);

        _cluster.Kill(victim);
        LocalRedisNode promoted = await _cluster.WaitForFailoverAsync(victim, TimeSpan.FromSeconds(30));
        long promotedAt = Stopwatch.GetTimestamp();
        long backAt = await WaitForResubscriptionAsync(subscription, TimeSpan.FromSeconds(10));
        TimeSpan sincePromotion = Stopwatch.GetElapsedTime(promotedAt, backAt);
        _output.WriteLine($"shard subscription back on {promoted.Endpoint} {sincePromotion.TotalMilliseconds:0} ms after the promotion was visible; gap since the loss {subscription.LastGap.TotalMilliseconds:0} ms");
        // The goal (1 s) is reported above; this bound catches regressions of whole seconds on a busy CI machine.
        Assert.True(sincePromotion < TimeSpan.FromSeconds(2), $"back {sincePromotion.TotalMilliseconds:0} ms after the promotion");

        await AssertEverythingAfterArrivesAsync(publisher, backAt, received, stopReading, reading);
        Assert.Equal(1, subscription.Resubscriptions);
    }

    [Fact]
    public async Task A_shard_subscription_follows_its_slot_through_a_2000_slot_reshard()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString);
        IReadOnlyList<LocalRedisNode> primaries = await _cluster.GetPrimariesAsync();
        LocalRedisNode from = primaries[0], to = primaries[1];
        int firstSlot = client.Topology.SlotRanges.Where(r => r.Primary.ToString() == from.Endpoint).Min(r => r.Start);
        string channel = "{" + SlotKeys.For(firstSlot) + "}ticks"; // in the lowest slot of `from`: among the 2,000 that move
        await using ChannelSubscription subscription = await client.ShardSubscribeAsync(channel);
        using var stopReading = new CancellationTokenSource();
        (ConcurrentDictionary<long, bool> received, Task reading) = Collect(subscription, stopReading.Token);
        var publisher = new SteadyPublisher();
        publisher.Start(seq => client.ShardPublishAsync(channel, seq).AsTask());
        await Task.Delay(300);

        var moving = Stopwatch.StartNew();
        await _cluster.MoveSlotsAsync(from, to, 2000);
        _output.WriteLine($"2,000 slots moved in {moving.ElapsedMilliseconds} ms");
        long backAt = await WaitForResubscriptionAsync(subscription, TimeSpan.FromSeconds(10));
        _output.WriteLine($"shard subscription back after the slot moved; gap {subscription.LastGap.TotalMilliseconds:0} ms");
        Assert.Equal(to.Endpoint, (await _cluster.GetSlotOwnerAsync(firstSlot)).Endpoint);

        await AssertEverythingAfterArrivesAsync(publisher, backAt, received, stopReading, reading);
        Assert.Equal(0, publisher.Failures); // SPUBLISH followed the slot too (MOVED/ASK), without an error
    }

    [Fact]
    public async Task Classic_subscriptions_move_to_another_node_when_their_node_is_killed()
    {
        await using var client = await ClusterClient.ConnectAsync(_cluster.ConfigurationString + ",name=psf-classic,commandTimeout=5000");
        await using ChannelSubscription subscription = await client.SubscribeAsync("psf:classic");
        LocalRedisNode? holder = null;
        foreach (LocalRedisNode node in await _cluster.GetPrimariesAsync())
        {
            if ((await _cluster.ExecuteAsync(node, "CLIENT", "LIST")).Split('\n').Any(l => l.Contains(" name=psf-classic ") && l.Contains(" sub=1 "))) holder = node;
        }
        Assert.NotNull(holder);
        using var stopReading = new CancellationTokenSource();
        (ConcurrentDictionary<long, bool> received, Task reading) = Collect(subscription, stopReading.Token);
        var publisher = new SteadyPublisher();
        publisher.Start(seq => client.PublishAsync("psf:classic", seq).AsTask());
        await Task.Delay(300);

        var killed = Stopwatch.StartNew();
        _cluster.Kill(holder);
        long backAt = await WaitForResubscriptionAsync(subscription, TimeSpan.FromSeconds(10));
        _output.WriteLine($"classic subscription back on another node {killed.ElapsedMilliseconds} ms after kill -9 of its node (no failover needed); gap {subscription.LastGap.TotalMilliseconds:0} ms");
        await _cluster.WaitForFailoverAsync(holder, TimeSpan.FromSeconds(30)); // leave the cluster whole for the publisher

        await AssertEverythingAfterArrivesAsync(publisher, backAt, received, stopReading, reading);
    }
}
