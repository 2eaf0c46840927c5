namespace Keyslot.SideBySide;

internal sealed partial class KeyslotClient
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
                    if (op % 2 == 0) await _client.SortedSetAddAsync(key, "m" + (op % 1000), op);
                    else if ((await _client.SortedSetRangeByRankWithScoresAsync(key, 0, 9, Order.Descending)).Length == 0 && op > 2000)
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
            await _client.KeyDeleteAsync(key);
            await _client.StreamCreateConsumerGroupAsync(key, "g", "0", createStream: true);
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
                    await _client.StreamAddAsync(key, "f", "v");
                    StreamEntry[] entries = await _client.StreamReadGroupAsync(key, "g", consumer, ">", count: 1);
                    if (entries.Length == 0) continue;
                    if (await _client.StreamAcknowledgeAsync(key, "g", entries[0].Id)) Interlocked.Increment(ref acked);
                }
            });
        }
        await Task.WhenAll(workers);
        return acked;
    }
}
