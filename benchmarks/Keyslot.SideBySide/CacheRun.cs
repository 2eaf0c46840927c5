using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Keyslot.Testing;
using SE = StackExchange.Redis;

namespace Keyslot.SideBySide;

/// <summary>
/// The client-side cache side-by-side run (<c>--cache</c>, issue 15): a 90/10 GET/SET workload over a Zipf-distributed
/// key set, run by Keyslot with <c>clientCache=64mb</c>, Keyslot without it and StackExchange.Redis, in one process on
/// one local 3×1 cluster, the order rotated between rounds. Each client has its own key prefix and runs the same
/// operation sequence (keys, GET or SET, values all drawn before any timing). Reports ops/s, client CPU and allocated
/// bytes per operation, p50/p99 of every operation's latency (under load, so queueing included) and, for the cached
/// client, the hit ratio from the <c>Keyslot</c> meter. After each round a correctness guard compares a sample of keys
/// read through the cached client with an uncached read, after other-client and own writes and a short settle.
/// </summary>
internal static class CacheRun
{
    private const string CachedName = "Keyslot cached", UncachedName = "Keyslot uncached", StackExchangeName = "StackExchange.Redis";

    public sealed record Result(
        int Round, string Client, long Operations, double Seconds, double CpuSeconds, long AllocatedBytes,
        double P50Us, double P99Us, long Hits, long Misses, int Errors, string ErrorDetail, double StealPercent, double ServerCpuSeconds)
    {
        public double OpsPerSecond => Operations / Seconds;

        public double CpuSecondsPerMillion => CpuSeconds / Operations * 1_000_000;

        public double BytesPerOperation => (double)AllocatedBytes / Operations;

        public double HitRatio => Hits + Misses == 0 ? double.NaN : (double)Hits / (Hits + Misses);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        long ops = 1_000_000;
        int keys = 100_000, rounds = 3, concurrency = 1000, writePercent = 10;
        double zipf = 1.0;
        bool uniformWrites = false;
        string? only = null;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--ops": ops = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--keys": keys = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--zipf": zipf = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--writes": writePercent = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--uniform-writes": uniformWrites = true; break;
                case "--only": only = args[++i]; break;
                default: throw new ArgumentException($"Unknown option {args[i]} for --cache; see the comment at the top of Program.cs.");
            }
        }
        long warmUp = Math.Min(ops / 5, 100_000);
        var sequence = new ZipfSequence(keys, ops, zipf, writePercent, seed: 15, uniformWrites);
        Console.WriteLine($"cache: {ops:N0} ops per client per round, {100 - writePercent}/{writePercent} GET/SET over {keys:N0} keys drawn Zipf(s = {zipf:0.##}){(uniformWrites ? " for reads, uniformly for writes" : "")} " +
            $"({sequence.DistinctKeys:N0} distinct keys in the sequence, the hottest {sequence.HottestShare:P1} of ops), values 16–100 bytes; " +
            $"{concurrency:N0} in flight; {warmUp:N0} unmeasured ops per round; {rounds} round(s), order rotated; local 3×1 cluster");

        await using LocalRedisCluster cluster = await LocalRedisCluster.StartAsync();
        await using var cached = new KeyslotCacheClient(CachedName, await ClusterClient.ConnectAsync(cluster.ConfigurationString + ",clientCache=64mb"));
        await using var uncached = new KeyslotCacheClient(UncachedName, await ClusterClient.ConnectAsync(cluster.ConfigurationString));
        SE.ConfigurationOptions seOptions = SE.ConfigurationOptions.Parse(cluster.ConfigurationString);
        seOptions.AbortOnConnectFail = false;
        await using var stackExchange = new StackExchangeCacheClient(StackExchangeName, await SE.ConnectionMultiplexer.ConnectAsync(seOptions));
        ICacheClient[] clients = [cached, uncached, stackExchange];
        int[] serverPids = [.. cluster.Nodes.Select(n => n.ProcessId)];
        var keySets = new Dictionary<string, string[]>
        {
            [CachedName] = sequence.KeysWithPrefix("kc:"),
            [UncachedName] = sequence.KeysWithPrefix("ku:"),
            [StackExchangeName] = sequence.KeysWithPrefix("se:"),
        };
        if (only is not null) clients = [.. clients.Where(c => c.Name == only)]; // one client's rounds, for a profiler
        foreach (ICacheClient client in clients) await client.PopulateAsync(keySets[client.Name], sequence.InitialValues);

        using var meter = new CacheMeter();
        var ticks = new long[ops];
        foreach (ICacheClient client in clients)
        {
            await client.RunAsync(keySets[client.Name], sequence, 0, ops / 2, concurrency, ticks, new ErrorCounter());
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        Console.WriteLine($"warm-up: {ops / 2:N0} unmeasured ops per client, then 2 s for background tier-1 compilation");

        var results = new List<Result>();
        var guards = new List<int>();
        for (int round = 0; round < rounds; round++)
        {
            ICacheClient[] order = [.. Enumerable.Range(0, clients.Length).Select(i => clients[(i + round) % clients.Length])];
            foreach (ICacheClient client in order)
            {
                Result r = await MeasureAsync(round + 1, client, keySets[client.Name], sequence, warmUp, ops, concurrency, ticks, meter, serverPids);
                results.Add(r);
                string hit = double.IsNaN(r.HitRatio) ? "" : $"  hit ratio {r.HitRatio:P1} ({r.Hits:N0} hits, {r.Misses:N0} misses)";
                Console.WriteLine($"round {round + 1} {r.Client,-20} {r.OpsPerSecond,10:N0} ops/s  {r.CpuSecondsPerMillion,6:0.00} CPU-s/1M  {r.BytesPerOperation,7:0.0} B/op  " +
                    $"p50 {r.P50Us,7:0.0} µs p99 {r.P99Us,7:0} µs  errors {r.Errors}{hit}  steal {r.StealPercent:0.0} %  servers {r.ServerCpuSeconds / r.Operations * 1e6:0.00} CPU-s/1M");
            }
            (long entries, long bytes) = meter.Gauges();
            Console.WriteLine($"round {round + 1} cache: {entries:N0} entries, {bytes / 1024.0 / 1024.0:0.0} MiB; so far {meter.Evictions:N0} evictions, {meter.Invalidations:N0} invalidations");
            if (only is not null) continue; // no ratios, guard or sequential runs with one client
            Result c = results[^3..].Single(x => x.Client == CachedName), u = results[^3..].Single(x => x.Client == UncachedName), s = results[^3..].Single(x => x.Client == StackExchangeName);
            Console.WriteLine($"round {round + 1} ratios: cached/uncached ops/s ×{c.OpsPerSecond / u.OpsPerSecond:0.00}, cached/SE.Redis ops/s ×{c.OpsPerSecond / s.OpsPerSecond:0.00}; " +
                $"CPU per op ×{c.CpuSecondsPerMillion / u.CpuSecondsPerMillion:0.00} / ×{c.CpuSecondsPerMillion / s.CpuSecondsPerMillion:0.00}");
            guards.Add(await GuardAsync(round + 1, cached, uncached, keySets[CachedName], sequence, meter));
            await SequentialAsync(round + 1, cached, 100_000, keySets[CachedName][0], meter);
            await SequentialAsync(round + 1, uncached, 10_000, keySets[UncachedName][0], meter);
        }

        Console.WriteLine();
        if (only is not null) return results.Sum(r => r.Errors) == 0 ? 0 : 1;
        Console.WriteLine(Table(results, guards));
        int errors = results.Sum(r => r.Errors);
        foreach (Result r in results.Where(r => r.Errors > 0)) Console.WriteLine($"round {r.Round} {r.Client}: {r.ErrorDetail}");
        return errors == 0 && guards.All(g => g == 0) ? 0 : 1;
    }

    private static async Task<Result> MeasureAsync(int round, ICacheClient client, string[] keys, ZipfSequence sequence, long warmUp, long ops, int concurrency, long[] ticks, CacheMeter meter, int[] serverPids)
    {
        var errors = new ErrorCounter();
        await client.RunAsync(keys, sequence, 0, warmUp, concurrency, ticks, errors); // JIT, pools, connections (and the cache)
        var cost = ProcessCost.Start(serverPids);
        long hits = meter.Hits, misses = meter.Misses;
        var clock = Stopwatch.StartNew();

        await client.RunAsync(keys, sequence, 0, ops, concurrency, ticks, errors);

        clock.Stop();
        (double cpu, long allocated, double stolen, double serverCpu) = cost.Stop();
        hits = meter.Hits - hits;
        misses = meter.Misses - misses;
        Console.WriteLine($"round {round} {client.Name,-20} {LatencyByKind(ticks, sequence.Value, ops)}");
        Array.Sort(ticks);
        double Us(double percentile) => ProcessCost.PercentileMicroseconds(ticks, percentile);
        return new Result(round, client.Name, ops, clock.Elapsed.TotalSeconds, cpu, allocated, Us(50), Us(99), hits, misses, errors.Total, errors.ToString(), stolen, serverCpu);
    }

    /// <summary>
    /// Latency split by what the operation was: writes, and reads taking 20 µs or more (the cached client's misses,
    /// roughly: a hit takes about 1 µs) or less. Shows which kind of server operation waits longer in which client.
    /// </summary>
    private static string LatencyByKind(long[] ticks, string?[] values, long ops)
    {
        long slowTicks = 20 * Stopwatch.Frequency / 1_000_000;
        var writes = new List<long>();
        var slowReads = new List<long>();
        long fastReads = 0;
        for (long op = 0; op < ops; op++)
        {
            if (values[op] is not null) writes.Add(ticks[op]);
            else if (ticks[op] >= slowTicks) slowReads.Add(ticks[op]);
            else fastReads++;
        }
        return $"by kind: writes {writes.Count:N0} p50 {P50(writes):0} µs mean {Mean(writes):0} µs; reads ≥ 20 µs {slowReads.Count:N0} p50 {P50(slowReads):0} µs mean {Mean(slowReads):0} µs; reads < 20 µs {fastReads:N0}";

        static double P50(List<long> t)
        {
            if (t.Count == 0) return double.NaN;
            t.Sort();
            return t[t.Count / 2] * 1_000_000.0 / Stopwatch.Frequency;
        }

        static double Mean(List<long> t) => t.Count == 0 ? double.NaN : t.Average() * 1_000_000.0 / Stopwatch.Frequency;
    }

    /// <summary>
    /// The correctness guard: 2,000 keys (the 1,000 hottest in the sequence and 1,000 others), read through the cached
    /// client so they are cached; then another client (the uncached one) writes every fourth key and the cached client
    /// itself every fourth key offset by two; after a settle, every key is read through the cached client and through
    /// the uncached one and the disagreements counted (must be 0).
    /// </summary>
    private static async Task<int> GuardAsync(int round, KeyslotCacheClient cached, KeyslotCacheClient other, string[] keys, ZipfSequence sequence, CacheMeter meter)
    {
        const int settleMs = 200;
        int[] sample = sequence.GuardSample(2_000);
        foreach (int k in sample) await cached.GetAsync(keys[k]);
        int othersWrites = 0, ownWrites = 0;
        for (int i = 0; i < sample.Length; i++)
        {
            string value = $"guard-r{round}-{i}-" + new string('g', 16);
            if (i % 4 == 0) { await other.SetAsync(keys[sample[i]], value); othersWrites++; }
            else if (i % 4 == 2) { await cached.SetAsync(keys[sample[i]], value); ownWrites++; }
        }
        await Task.Delay(settleMs);
        long hits = meter.Hits;
        int disagreements = 0;
        string? example = null;
        foreach (int k in sample)
        {
            string? fromCache = await cached.GetAsync(keys[k]);
            string? truth = await other.GetAsync(keys[k]);
            if (fromCache != truth)
            {
                disagreements++;
                example ??= $" (first: {keys[k]} cached \"{fromCache}\", server \"{truth}\")";
            }
        }
        hits = meter.Hits - hits;
        Console.WriteLine($"round {round} guard: {sample.Length:N0} keys, {othersWrites:N0} written by another client, {ownWrites:N0} by the cached client, " +
            $"{settleMs} ms settle: {disagreements} disagreements{example}; {hits:N0} of the {sample.Length:N0} checking reads were cache hits");
        return disagreements;
    }

    /// <summary>
    /// One key read over and over by one caller, no other load: for the cached client the cost of a hit on its own
    /// (time and bytes per GET), for the uncached one the round trip it replaces.
    /// </summary>
    private static async Task SequentialAsync(int round, KeyslotCacheClient client, int count, string key, CacheMeter meter)
    {
        await client.GetAsync(key);
        var ticks = new long[count];
        long hits = meter.Hits;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        long begin = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await client.GetAsync(key);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        double elapsedUs = Stopwatch.GetElapsedTime(begin).TotalMicroseconds;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        hits = meter.Hits - hits;
        Array.Sort(ticks);
        double Us(double percentile) => ProcessCost.PercentileMicroseconds(ticks, percentile);
        Console.WriteLine($"round {round} {client.Name,-20} {count:N0} sequential GETs of one key: {elapsedUs / count,7:0.00} µs each, p50 {Us(50),6:0.00} µs p99 {Us(99),7:0.00} µs, " +
            $"{(double)allocated / count,6:0.0} B/GET, {hits:N0} cache hits");
    }

    /// <summary>Every round's figures, the medians per client, the ratios and the target.</summary>
    public static string Table(List<Result> results, List<int> guards)
    {
        var lines = new List<string>
        {
            "| round | client | ops/s | client CPU-s per 1M ops | allocated B/op | p50 µs | p99 µs | hit ratio | errors |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        };
        foreach (Result r in results)
        {
            lines.Add($"| {r.Round} | {r.Client} | {r.OpsPerSecond:N0} | {r.CpuSecondsPerMillion:0.00} | {r.BytesPerOperation:0.0} | {r.P50Us:0.0} | {r.P99Us:0} | " +
                $"{(double.IsNaN(r.HitRatio) ? "–" : r.HitRatio.ToString("P1", CultureInfo.InvariantCulture))} | {r.Errors} |");
        }
        lines.Add("");
        lines.Add("Medians:");
        lines.Add("");
        lines.Add("| client | ops/s | client CPU-s per 1M ops | allocated B/op | p50 µs | p99 µs | hit ratio | errors |");
        lines.Add("|---|---:|---:|---:|---:|---:|---:|---:|");
        var medians = new Dictionary<string, double[]>();
        foreach (IGrouping<string, Result> client in results.GroupBy(r => r.Client))
        {
            double[] m =
            [
                Median(client.Select(r => r.OpsPerSecond)), Median(client.Select(r => r.CpuSecondsPerMillion)), Median(client.Select(r => r.BytesPerOperation)),
                Median(client.Select(r => r.P50Us)), Median(client.Select(r => r.P99Us)), Median(client.Select(r => r.HitRatio)),
            ];
            medians[client.Key] = m;
            lines.Add($"| {client.Key} | {m[0]:N0} | {m[1]:0.00} | {m[2]:0.0} | {m[3]:0.0} | {m[4]:0} | " +
                $"{(double.IsNaN(m[5]) ? "–" : m[5].ToString("P1", CultureInfo.InvariantCulture))} | {client.Sum(r => r.Errors)} |");
        }
        lines.Add("");
        foreach (IGrouping<int, Result> round in results.GroupBy(r => r.Round))
        {
            Result c = round.Single(r => r.Client == CachedName), u = round.Single(r => r.Client == UncachedName), s = round.Single(r => r.Client == StackExchangeName);
            lines.Add($"round {round.Key}: cached/uncached ops/s ×{c.OpsPerSecond / u.OpsPerSecond:0.00}, cached/SE.Redis ×{c.OpsPerSecond / s.OpsPerSecond:0.00}; " +
                $"hit ratio {c.HitRatio:P1}; guard disagreements {guards[round.Key - 1]}");
        }
        double[] mc = medians[CachedName], mu = medians[UncachedName], ms = medians[StackExchangeName];
        lines.Add($"medians: cached/uncached ops/s ×{mc[0] / mu[0]:0.00}, CPU per op ×{mc[1] / mu[1]:0.00}, bytes per op ×{mc[2] / mu[2]:0.00}, p50 ×{mc[3] / mu[3]:G3}, p99 ×{mc[4] / mu[4]:G3}");
        lines.Add($"medians: cached/SE.Redis ops/s ×{mc[0] / ms[0]:0.00}, CPU per op ×{mc[1] / ms[1]:0.00}, bytes per op ×{mc[2] / ms[2]:0.00}, p50 ×{mc[3] / ms[3]:G3}, p99 ×{mc[4] / ms[4]:G3}");
        bool hitTarget = mc[5] >= 0.90, speedTarget = mc[0] / mu[0] >= 5;
        lines.Add($"target (hit ratio ≥ 90% and ≥ 5× the uncached ops/s): hit ratio {mc[5]:P1} {(hitTarget ? "met" : "NOT met")}, " +
            $"×{mc[0] / mu[0]:0.00} {(speedTarget ? "met" : "NOT met")}");
        return string.Join(Environment.NewLine, lines);
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// The operation sequence every client runs, drawn once (seeded) before any timing: operation i reads or writes key
    /// <c>Key[i]</c>, drawn Zipf(s) by rank (key 0 the hottest); a write's value is <c>Value[i]</c>, unique to the
    /// operation and 16–100 bytes long; every key starts with a 16–100-byte value.
    /// </summary>
    internal sealed class ZipfSequence
    {
        private readonly int _keyCount;

        public ZipfSequence(int keyCount, long operations, double s, int writePercent, int seed, bool uniformWrites = false)
        {
            _keyCount = keyCount;
            var random = new Random(seed);
            var cumulative = new double[keyCount];
            double total = 0;
            for (int k = 0; k < keyCount; k++) cumulative[k] = total += 1 / Math.Pow(k + 1, s);
            Key = new int[operations];
            Value = new string?[operations];
            var seen = new bool[keyCount];
            long hottest = 0;
            for (long i = 0; i < operations; i++)
            {
                double u = random.NextDouble() * total;
                int k = Array.BinarySearch(cumulative, u);
                k = Math.Min(k < 0 ? ~k : k, keyCount - 1);
                bool write = random.Next(100) < writePercent;
                if (write && uniformWrites) k = random.Next(keyCount); // writes spread evenly, reads Zipf
                Key[i] = k;
                if (!seen[k]) { seen[k] = true; DistinctKeys++; }
                if (k == 0) hottest++;
                if (write) Value[i] = Pad($"w{i}-", random.Next(16, 101));
            }
            HottestShare = (double)hottest / operations;
            InitialValues = new string[keyCount];
            for (int k = 0; k < keyCount; k++) InitialValues[k] = Pad($"i{k}-", random.Next(16, 101));
        }

        public int[] Key { get; }

        /// <summary>The value a write operation sets; null for a read.</summary>
        public string?[] Value { get; }

        public string[] InitialValues { get; }

        public int DistinctKeys { get; }

        public double HottestShare { get; }

        public string[] KeysWithPrefix(string prefix)
        {
            var keys = new string[_keyCount];
            for (int k = 0; k < keys.Length; k++) keys[k] = prefix + k.ToString(CultureInfo.InvariantCulture);
            return keys;
        }

        /// <summary>The <paramref name="count"/>/2 hottest keys and as many others spread over the rest.</summary>
        public int[] GuardSample(int count)
        {
            int hot = Math.Min(count / 2, _keyCount);
            var sample = new List<int>(Enumerable.Range(0, hot));
            int step = Math.Max(1, (_keyCount - hot) / (count - hot));
            for (int k = hot; k < _keyCount && sample.Count < count; k += step) sample.Add(k);
            return [.. sample];
        }

        private static string Pad(string start, int length) => start.Length >= length ? start : start + new string('x', length - start.Length);
    }

    /// <summary>The Keyslot meter's client-cache instruments (process-wide: only the cached client feeds them).</summary>
    private sealed class CacheMeter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _hits, _misses, _evictions, _invalidations, _entries, _bytes;

        public CacheMeter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == KeyslotTelemetry.Name && instrument.Name.StartsWith("keyslot.client_cache.", StringComparison.Ordinal)) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                switch (instrument.Name)
                {
                    case "keyslot.client_cache.hits": Interlocked.Add(ref _hits, value); break;
                    case "keyslot.client_cache.misses": Interlocked.Add(ref _misses, value); break;
                    case "keyslot.client_cache.evictions": Interlocked.Add(ref _evictions, value); break;
                    case "keyslot.client_cache.invalidations": Interlocked.Add(ref _invalidations, value); break;
                    case "keyslot.client_cache.entries": Interlocked.Exchange(ref _entries, value); break;
                    case "keyslot.client_cache.bytes": Interlocked.Exchange(ref _bytes, value); break;
                }
            });
            _listener.Start();
        }

        public long Hits => Interlocked.Read(ref _hits);

        public long Misses => Interlocked.Read(ref _misses);

        public long Evictions => Interlocked.Read(ref _evictions);

        public long Invalidations => Interlocked.Read(ref _invalidations);

        public (long Entries, long Bytes) Gauges()
        {
            _listener.RecordObservableInstruments();
            return (Interlocked.Read(ref _entries), Interlocked.Read(ref _bytes));
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>One client in the cache run, each with its own native API on the hot path.</summary>
    private interface ICacheClient : IAsyncDisposable
    {
        string Name { get; }

        Task PopulateAsync(string[] keys, string[] values);

        /// <summary>Runs operations [first, first + count) with <paramref name="concurrency"/> in flight, each one's latency into <paramref name="ticks"/>.</summary>
        Task RunAsync(string[] keys, ZipfSequence sequence, long first, long count, int concurrency, long[] ticks, ErrorCounter errors);
    }

    private sealed class KeyslotCacheClient(string name, ClusterClient client) : ICacheClient
    {
        public string Name => name;

        public async Task PopulateAsync(string[] keys, string[] values)
        {
            var writes = new Task<bool>[keys.Length];
            for (int i = 0; i < writes.Length; i++) writes[i] = client.StringSetAsync(keys[i], values[i]).AsTask();
            await Task.WhenAll(writes);
        }

        public Task RunAsync(string[] keys, ZipfSequence sequence, long first, long count, int concurrency, long[] ticks, ErrorCounter errors)
        {
            var claims = new OperationClaims(first, count);
            int[] key = sequence.Key;
            string?[] value = sequence.Value;
            var workers = new Task[concurrency];
            for (int w = 0; w < concurrency; w++)
            {
                workers[w] = Task.Run(async () =>
                {
                    while (claims.TryClaim(out long from, out long to))
                    {
                        for (long op = from; op < to; op++)
                        {
                            long start = Stopwatch.GetTimestamp();
                            try
                            {
                                if (value[op] is { } v) await client.StringSetAsync(keys[key[op]], v);
                                else await client.StringGetAsync(keys[key[op]]);
                            }
                            catch (RedisException ex)
                            {
                                errors.Add(ex);
                            }
                            ticks[op - first] = Stopwatch.GetTimestamp() - start;
                        }
                    }
                });
            }
            return Task.WhenAll(workers);
        }

        public Task SetAsync(string key, string value) => client.StringSetAsync(key, value).AsTask();

        public ValueTask<string?> GetAsync(string key) => client.StringGetAsync(key);

        public ValueTask DisposeAsync() => client.DisposeAsync();
    }

    private sealed class StackExchangeCacheClient(string name, SE.ConnectionMultiplexer multiplexer) : ICacheClient
    {
        private readonly SE.IDatabase _db = multiplexer.GetDatabase();

        public string Name => name;

        public async Task PopulateAsync(string[] keys, string[] values)
        {
            var writes = new Task<bool>[keys.Length];
            for (int i = 0; i < writes.Length; i++) writes[i] = _db.StringSetAsync(keys[i], values[i]);
            await Task.WhenAll(writes);
        }

        public Task RunAsync(string[] keys, ZipfSequence sequence, long first, long count, int concurrency, long[] ticks, ErrorCounter errors)
        {
            var claims = new OperationClaims(first, count);
            int[] key = sequence.Key;
            string?[] value = sequence.Value;
            var workers = new Task[concurrency];
            for (int w = 0; w < concurrency; w++)
            {
                workers[w] = Task.Run(async () =>
                {
                    while (claims.TryClaim(out long from, out long to))
                    {
                        for (long op = from; op < to; op++)
                        {
                            long start = Stopwatch.GetTimestamp();
                            try
                            {
                                if (value[op] is { } v) await _db.StringSetAsync(keys[key[op]], v);
                                else await _db.StringGetAsync(keys[key[op]]);
                            }
                            catch (Exception ex) when (ex is SE.RedisException or TimeoutException)
                            {
                                errors.Add(ex);
                            }
                            ticks[op - first] = Stopwatch.GetTimestamp() - start;
                        }
                    }
                });
            }
            return Task.WhenAll(workers);
        }

        public async ValueTask DisposeAsync() => await multiplexer.DisposeAsync();
    }
}
