namespace Keyslot.SideBySide;

internal sealed partial class KeyslotClient : IPubSubClient
{
    public async Task RunPublishReceiveAsync(string channel, int count, int concurrency, TimeSpan limit)
    {
        int received = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ChannelSubscription subscription = await _client.SubscribeAsync(channel, _ =>
        {
            if (Interlocked.Increment(ref received) == count) all.TrySetResult();
        });
        byte[] payload = new byte[16];
        int next = -1;
        var publishers = new Task[concurrency];
        for (int p = 0; p < concurrency; p++)
        {
            publishers[p] = Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < count) await _client.PublishAsync(channel, payload);
            });
        }
        await Task.WhenAll(publishers);
        await all.Task.WaitAsync(limit);
        if (subscription.DroppedMessages > 0) throw new InvalidOperationException($"Keyslot dropped {subscription.DroppedMessages} messages.");
    }
}
