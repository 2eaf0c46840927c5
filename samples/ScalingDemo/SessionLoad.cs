using System.Diagnostics;
using System.Globalization;

namespace Keyslot.ScalingDemo;

/// <summary>
/// The seed experiment's workload: web sessions written (a hash of a few fields with a 20-minute sliding expiry) and
/// read back, by concurrent workers, over 20,000 session ids spread across all slots. Only keyslot-scaling:* keys.
/// </summary>
internal sealed class SessionLoad
{
    private const int Workers = 32;
    private const int Sessions = 20_000;
    private const string Prefix = "keyslot-scaling:session:";
    private readonly IClusterClient _cluster;
    private readonly WindowedRecorder _recorder;

    public SessionLoad(IClusterClient cluster, WindowedRecorder recorder)
    {
        _cluster = cluster;
        _recorder = recorder;
    }

    public Task RunAsync(TimeSpan duration)
    {
        var stop = Stopwatch.StartNew();
        var workers = new Task[Workers];
        for (int w = 0; w < Workers; w++)
        {
            int seed = w;
            workers[w] = Task.Run(async () =>
            {
                var random = new Random(seed);
                while (stop.Elapsed < duration)
                {
                    string key = Prefix + random.Next(Sessions).ToString(CultureInfo.InvariantCulture);
                    bool write = random.Next(4) == 0; // sessions are read more than written
                    long started = Stopwatch.GetTimestamp();
                    try
                    {
                        if (write)
                        {
                            await _cluster.HashSetAsync(key, [new("user", "u" + seed), new("cart", random.Next(10)), new("seen", DateTime.UtcNow.Ticks)]);
                            await _cluster.KeyExpireAsync(key, TimeSpan.FromMinutes(20));
                        }
                        else
                        {
                            await _cluster.HashGetAllAsync(key);
                        }
                        _recorder.Record(write, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    catch (RedisException ex)
                    {
                        _recorder.RecordError(ex);
                    }
                }
            });
        }
        return Task.WhenAll(workers);
    }

    public async Task CleanUpAsync()
    {
        var deletes = new Task<bool>[Sessions];
        for (int i = 0; i < Sessions; i++) deletes[i] = _cluster.KeyDeleteAsync(Prefix + i.ToString(CultureInfo.InvariantCulture)).AsTask();
        await Task.WhenAll(deletes);
    }
}
