using StackExchange.Redis;

namespace Keyslot.SideBySide;

internal sealed partial class StackExchangeClient
{
    public Task RunSortedSetMixAsync(string prefix, long count, int concurrency)
    {
        long next = -1;
        var workers = new Task[concurrency];
        for (int w = 0; w < concurrency; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                long op;
                while ((op = Interlocked.Increment(ref next)) < count)
                {
                    string key = prefix + "z" + (op / 2 % 100); // each pair: ZADD to a set, then read that set
                    if (op % 2 == 0) await _db.SortedSetAddAsync(key, "m" + (op % 1000), op);
                    else if ((await _db.SortedSetRangeByRankWithScoresAsync(key, 0, 9, StackExchange.Redis.Order.Descending)).Length == 0 && op > 2000)
                        throw new InvalidOperationException("an empty sorted set after writes");
                }
            });
        }
        return Task.WhenAll(workers);
    }

    public async Task PrepareStreamsAsync(string prefix, int streams)
    {
        for (int s = 0; s < streams; s++)
        {
            string key = prefix + "s" + s;
            await _db.KeyDeleteAsync(key);
            await _db.StreamCreateConsumerGroupAsync(key, "g", "0", createStream: true);
        }
    }

    public async Task<long> RunStreamCycleAsync(string prefix, int streams, long count, int concurrency)
    {
        long next = -1, acked = 0;
        var workers = new Task[concurrency];
        for (int w = 0; w < concurrency; w++)
        {
            string key = prefix + "s" + (w % streams), consumer = "c" + w;
            workers[w] = Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < count)
                {
                    await _db.StreamAddAsync(key, "f", "v");
                    StackExchange.Redis.StreamEntry[] entries = await _db.StreamReadGroupAsync(key, "g", consumer, ">", count: 1);
                    if (entries.Length == 0) continue; // another worker on this stream took it; it acks that one
                    Interlocked.Add(ref acked, await _db.StreamAcknowledgeAsync(key, "g", entries[0].Id));
                }
            });
        }
        await Task.WhenAll(workers);
        return acked;
    }
}
