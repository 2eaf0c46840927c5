using System.Diagnostics;
using Keyslot.Protocol;

namespace Keyslot.Demo;

/// <summary>
/// What a web app's session store does: write a session (a hash with a sliding expiry), read it back.
/// Workers run concurrently over 10,000 session ids spread across all slots; latencies are recorded per kind.
/// </summary>
internal static class SessionWorkload
{
    public const int Workers = 64;
    private const int Sessions = 10_000;
    private const string Prefix = "keyslot-demo:session:";

    public sealed record Result(long Operations, long Errors, Percentiles Writes, Percentiles Reads);

    public static async Task<Result> RunAsync(IClusterClient cluster, TimeSpan duration)
    {
        var writes = new List<double>[Workers];
        var reads = new List<double>[Workers];
        long errors = 0;
        var stop = Stopwatch.StartNew();
        var workers = new Task[Workers];
        for (int w = 0; w < Workers; w++)
        {
            int worker = w;
            writes[worker] = new List<double>(100_000);
            reads[worker] = new List<double>(100_000);
            workers[w] = Task.Run(async () =>
            {
                var random = new Random(worker);
                while (stop.Elapsed < duration)
                {
                    string key = Prefix + random.Next(Sessions);
                    try
                    {
                        long t0 = Stopwatch.GetTimestamp();
                        await cluster.HashSetAsync(key, [new("user", "user-" + worker), new("cart", random.Next(10)), new("seen", DateTime.UtcNow.Ticks)]);
                        await cluster.KeyExpireAsync(key, TimeSpan.FromMinutes(20));
                        long t1 = Stopwatch.GetTimestamp();
                        Dictionary<string, string> session = await cluster.HashGetAllAsync(key);
                        long t2 = Stopwatch.GetTimestamp();
                        if (!session.ContainsKey("user")) throw new InvalidOperationException($"session {key} lost its fields");
                        writes[worker].Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                        reads[worker].Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                    }
                    catch (Exception ex) when (ex is RedisException or InvalidOperationException)
                    {
                        Interlocked.Increment(ref errors);
                        Console.Error.WriteLine($"  error: {ex.Message}");
                    }
                }
            });
        }
        await Task.WhenAll(workers);
        var allWrites = new Percentiles(writes.SelectMany(x => x));
        var allReads = new Percentiles(reads.SelectMany(x => x));
        return new Result(allWrites.Count * 2 + allReads.Count, errors, allWrites, allReads);
    }

    /// <summary>Deletes the demo's keys (one DEL per key: they live in different slots).</summary>
    public static async Task<long> CleanUpAsync(IClusterClient cluster)
    {
        var deletes = new List<Task<bool>>(Sessions + 1) { cluster.KeyDeleteAsync("keyslot-demo:foo").AsTask() };
        for (int i = 0; i < Sessions; i++) deletes.Add(cluster.KeyDeleteAsync(Prefix + i).AsTask());
        bool[] removed = await Task.WhenAll(deletes);
        return removed.Count(r => r);
    }
}

/// <summary>Percentiles of a set of latencies (nearest-rank).</summary>
internal sealed class Percentiles
{
    private readonly double[] _sorted;

    public Percentiles(IEnumerable<double> samples)
    {
        _sorted = samples.ToArray();
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double P(double percentile) =>
        _sorted.Length == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * _sorted.Length) - 1, 0, _sorted.Length - 1)];
}
