using StackExchange.Redis;

namespace Keyslot.SideBySide;

internal sealed partial class StackExchangeClient : IPubSubClient
{
    public async Task RunPublishReceiveAsync(string channel, int count, int concurrency, TimeSpan limit)
    {
        int received = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ISubscriber subscriber = _multiplexer.GetSubscriber();
        RedisChannel name = RedisChannel.Literal(channel);
        await subscriber.SubscribeAsync(name, (_, _) =>
        {
            if (Interlocked.Increment(ref received) == count) all.TrySetResult();
        });
        try
        {
            byte[] payload = new byte[16];
            int next = -1;
            var publishers = new Task[concurrency];
            for (int p = 0; p < concurrency; p++)
            {
                publishers[p] = Task.Run(async () =>
                {
                    while (Interlocked.Increment(ref next) < count) await subscriber.PublishAsync(name, payload);
                });
            }
            await Task.WhenAll(publishers);
            await all.Task.WaitAsync(limit);
        }
        finally
        {
            await subscriber.UnsubscribeAsync(name);
        }
    }
}
