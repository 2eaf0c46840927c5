using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Keyslot.ClientSideCache;
using Keyslot.Testing;
using Xunit.Abstractions;

namespace Keyslot.IntegrationTests.ClientSideCache;

/// <summary>
/// Issue 15's checker: writer clients and cached reader clients on a shared key set while the cluster reshards and
/// loses a primary to kill -9. Each key has one writer, so its versions rise in time. Every value a reader returns must
/// be one it may return: a read the server answered is at least the newest version acknowledged before the read began;
/// a read the cache answered returns what this reader's last server read of the key returned, and no invalidation of
/// the key (nor a flush) reached the reader between that read's end and this read's start; and no cached value is
/// older than a version acknowledged more than <see cref="StalenessBound"/> earlier (a lost connection sends no
/// invalidation, so that is what would show entries it protected being served). After the run, every reader's cache
/// agrees with the server.
/// </summary>
public sealed class ClientCacheCheckerTests(ITestOutputHelper output)
{
    private const int Keys = 300;
    private const int Writers = 3;
    private const int Readers = 3;
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(16);
    private static readonly TimeSpan ReshardAt = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan KillAt = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan StalenessBound = TimeSpan.FromSeconds(2);

    private static string Key(int i) => "chk:" + i.ToString(CultureInfo.InvariantCulture);

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>A write of <paramref name="Version"/>: sent at <paramref name="Sent"/>, acknowledged at <paramref name="Acked"/> (0 if it failed: it may or may not have run).</summary>
    private readonly record struct Write(int Key, int Version, long Sent, long Acked);

    private readonly record struct Read(int Key, int Version, long Start, long End, bool Hit);

    private sealed class Reader
    {
        public required ClusterClient Client { get; init; }
        public List<Read> Reads { get; } = [];
        public ConcurrentQueue<(string? Key, long At)> Invalidations { get; } = new();
        public int Failed;
    }

    [Fact]
    public async Task Every_value_read_through_the_cache_is_current_or_not_yet_invalidated_through_a_reshard_and_a_kill()
    {
        await using LocalRedisCluster cluster = await LocalRedisCluster.StartAsync();
        await using ClusterClient setup = await ClusterClient.ConnectAsync(cluster.ConfigurationString);
        for (int i = 0; i < Keys; i++) await setup.StringSetAsync(Key(i), "0");

        var writers = new List<ClusterClient>();
        var readers = new List<Reader>();
        for (int w = 0; w < Writers; w++) writers.Add(await ClusterClient.ConnectAsync(cluster.ConfigurationString + ",commandTimeout=3000"));
        for (int r = 0; r < Readers; r++)
        {
            var reader = new Reader { Client = await ClusterClient.ConnectAsync(cluster.ConfigurationString + ",clientCache=4mb,commandTimeout=3000") };
            ClientCache cache = reader.Client.ClientCache!;
            cache.InvalidationObserved = (_, key, flush) => reader.Invalidations.Enqueue((flush ? null : Encoding.UTF8.GetString(key), Stopwatch.GetTimestamp()));
            readers.Add(reader);
        }

        try
        {
            var writes = new ConcurrentBag<Write>();
            using var stop = new CancellationTokenSource();
            long started = Stopwatch.GetTimestamp();
            Task[] writing = [.. Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(writers[w], w, writes, stop.Token)))];
            Task[] reading = [.. readers.Select((reader, r) => Task.Run(() => ReadAsync(reader, r, stop.Token)))];

            await Task.Delay(ReshardAt);
            LocalRedisNode[] primaries = [.. await cluster.GetPrimariesAsync()];
            await cluster.MoveSlotsAsync(primaries[0], primaries[1], 500);
            output.WriteLine($"resharded 500 slots at {Ms(Stopwatch.GetTimestamp() - started):0} ms");
            TimeSpan wait = KillAt - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            LocalRedisNode victim = (await cluster.GetPrimariesAsync())[2];
            cluster.Kill(victim);
            output.WriteLine($"killed {victim.Endpoint} at {Ms(Stopwatch.GetTimestamp() - started):0} ms");
            await cluster.WaitForFailoverAsync(victim, TimeSpan.FromSeconds(30));
            output.WriteLine($"promoted its replica at {Ms(Stopwatch.GetTimestamp() - started):0} ms");
            wait = Run - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            stop.Cancel();
            await Task.WhenAll(writing.Concat(reading));

            Check(writes.ToArray(), readers);
            await Task.Delay(1500); // the last invalidations arrive
            await CheckAgreementAsync(readers, setup);
        }
        finally
        {
            foreach (ClusterClient writer in writers) await writer.DisposeAsync();
            foreach (Reader reader in readers) await reader.Client.DisposeAsync();
        }
    }

    /// <summary>One writer: its own keys (i % Writers == w), each SET to the key's next version, one at a time.</summary>
    private static async Task WriteAsync(ClusterClient client, int w, ConcurrentBag<Write> writes, CancellationToken stop)
    {
        var random = new Random(100 + w);
        var versions = new int[Keys];
        while (!stop.IsCancellationRequested)
        {
            int key = random.Next(Keys / Writers) * Writers + w;
            int version = ++versions[key];
            long sent = Stopwatch.GetTimestamp();
            long acked = 0;
            try
            {
                await client.StringSetAsync(Key(key), version.ToString(CultureInfo.InvariantCulture));
                acked = Stopwatch.GetTimestamp();
            }
            catch (RedisException)
            {
                // The killed shard's writes: the outcome is unknown, so the version may be on the server or not.
            }
            writes.Add(new Write(key, version, sent, acked));
            await Task.Delay(1);
        }
    }

    /// <summary>One reader: GETs one at a time over a skewed choice of keys (so the cache has a hot set).</summary>
    private static async Task ReadAsync(Reader reader, int r, CancellationToken stop)
    {
        var random = new Random(200 + r);
        ClientCache cache = reader.Client.ClientCache!;
        int n = 0;
        while (!stop.IsCancellationRequested)
        {
            int key = (int)(Keys * Math.Pow(random.NextDouble(), 3)); // mostly the low keys
            long hits = cache.Hits;
            long start = Stopwatch.GetTimestamp();
            try
            {
                string? value = await reader.Client.StringGetAsync(Key(key));
                long end = Stopwatch.GetTimestamp();
                reader.Reads.Add(new Read(key, int.Parse(value!, CultureInfo.InvariantCulture), start, end, cache.Hits > hits));
            }
            catch (RedisException)
            {
                reader.Failed++; // the killed shard's reads, until its replica is promoted
            }
            if (++n % 20 == 0) await Task.Delay(1);
        }
    }

    private void Check(Write[] writes, List<Reader> readers)
    {
        // Per key, the acknowledged writes in version order (one writer per key: versions rise with time).
        var acked = new List<Write>[Keys];
        for (int i = 0; i < Keys; i++) acked[i] = [];
        foreach (Write write in writes.Where(x => x.Acked != 0).OrderBy(x => x.Version)) acked[write.Key].Add(write);
        int Floor(int key, long at)
        {
            int floor = 0;
            foreach (Write write in acked[key])
            {
                if (write.Acked < at) floor = write.Version;
                else break;
            }
            return floor;
        }

        var violations = new List<string>();
        var latencies = new List<double>();
        long reads = 0, hits = 0;
        foreach (Reader reader in readers)
        {
            (string? Key, long At)[] invalidations = [.. reader.Invalidations];
            var byKey = invalidations.Where(i => i.Key is not null).GroupBy(i => i.Key!).ToDictionary(g => g.Key, g => g.Select(i => i.At).Order().ToArray());
            long[] flushes = [.. invalidations.Where(i => i.Key is null).Select(i => i.At)];
            var lastMiss = new Dictionary<int, Read>();
            foreach (Read read in reader.Reads)
            {
                reads++;
                if (!read.Hit)
                {
                    int floor = Floor(read.Key, read.Start);
                    if (read.Version < floor) violations.Add($"server read of {Key(read.Key)} returned {read.Version}, {floor} was acknowledged before it began");
                    lastMiss[read.Key] = read;
                    continue;
                }
                hits++;
                if (!lastMiss.TryGetValue(read.Key, out Read filled) || filled.Version != read.Version)
                {
                    violations.Add($"cached read of {Key(read.Key)} returned {read.Version}, which this reader's last server read did not");
                    continue;
                }
                long[] times = byKey.GetValueOrDefault(Key(read.Key)) ?? [];
                if (times.Any(t => t > filled.End && t < read.Start) || flushes.Any(t => t > filled.End && t < read.Start))
                {
                    violations.Add($"cached read of {Key(read.Key)} returned {read.Version} after an invalidation of it had arrived");
                }
                Write? newer = acked[read.Key].FirstOrDefault(w => w.Version > read.Version) is { Acked: not 0 } next ? next : null;
                if (newer is { } n && Stopwatch.GetElapsedTime(n.Acked, read.Start) > StalenessBound)
                {
                    violations.Add($"cached read of {Key(read.Key)} returned {read.Version}, {n.Version} was acknowledged {Ms(read.Start - n.Acked):0} ms before");
                }
            }
            // Acknowledgement to arrival: for each acknowledged write of a key this reader was tracking when it was sent
            // (a server read of it ended before, and no invalidation of it came in between), the first invalidation of
            // the key that arrived after the write was sent is the write's own.
            var missEnds = reader.Reads.Where(x => !x.Hit).GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.Select(x => x.End).Order().ToArray());
            foreach (List<Write> keyWrites in acked)
            {
                foreach (Write write in keyWrites)
                {
                    if (!byKey.TryGetValue(Key(write.Key), out long[]? times) || !missEnds.TryGetValue(write.Key, out long[]? ends)) continue;
                    int e = Array.BinarySearch(ends, write.Sent);
                    if (e < 0) e = ~e;
                    if (e == 0) continue; // never read before this write
                    long lastRead = ends[e - 1];
                    int next = Array.BinarySearch(times, lastRead);
                    if (next < 0) next = ~next;
                    if (next < times.Length && times[next] < write.Sent) continue; // already invalidated: not tracked any more
                    if (flushes.Any(t => t > lastRead && t < write.Sent)) continue;
                    if (next < times.Length) latencies.Add(Ms(times[next] - write.Acked));
                }
            }
        }
        latencies.Sort();
        output.WriteLine($"{writes.Length} writes ({writes.Count(w => w.Acked == 0)} failed), {reads} reads ({hits} from the cache, {100.0 * hits / Math.Max(1, reads):0.0} %), " +
            $"{readers.Sum(r => r.Failed)} failed reads, {readers.Sum(r => r.Invalidations.Count)} invalidations");
        if (latencies.Count > 0)
        {
            output.WriteLine($"write acknowledged → invalidation at a reader: p50 {latencies[latencies.Count / 2]:0.000} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:0.000} ms, max {latencies[^1]:0.000} ms over {latencies.Count}");
        }
        Assert.True(violations.Count == 0, $"{violations.Count} violations, the first: {string.Join("; ", violations.Take(5))}");
        Assert.True(hits > reads / 4, $"the cache answered {hits} of {reads} reads: too few to check it");
        Assert.NotEmpty(latencies);
    }

    /// <summary>Writers stopped and their invalidations arrived: through each reader (cache first), every key reads what the server holds.</summary>
    private async Task CheckAgreementAsync(List<Reader> readers, ClusterClient truth)
    {
        var server = new string?[Keys];
        for (int i = 0; i < Keys; i++) server[i] = await truth.StringGetAsync(Key(i));
        int cached = 0;
        foreach (Reader reader in readers)
        {
            ClientCache cache = reader.Client.ClientCache!;
            for (int i = 0; i < Keys; i++)
            {
                long hits = cache.Hits;
                string? value = await reader.Client.StringGetAsync(Key(i));
                if (cache.Hits > hits) cached++;
                Assert.True(server[i] == value, $"{Key(i)}: the server holds {server[i]}, a reader's cache {value}");
            }
        }
        output.WriteLine($"after the run: {Readers} × {Keys} reads agree with the server, {cached} of them from the cache");
        Assert.True(cached > 0, "no reader had anything cached after the run");
    }
}
