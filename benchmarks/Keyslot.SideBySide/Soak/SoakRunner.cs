using System.Diagnostics;
using System.Globalization;
using Keyslot.Testing;

namespace Keyslot.SideBySide.Soak;

/// <summary>
/// The bounded soak (issue 16), run only with <c>--soak</c>: mixed load on a local 3×1 cluster for the given minutes,
/// with two rounds of disruptions — a kill -9 of a primary, a freeze of another past the node timeout and a reshard of
/// 2,000 slots, at 10/20/30 % and again at 60/70/80 % of the run — recording the client process's working set, GC heap
/// and where its resident memory is at start, middle (50 %, after the first round) and end (and every 30 s).
/// The first round makes the process load and compile the code of failover, freeze and reshard handling, so memory
/// rises once; flat memory means the second round adds nothing: the middle and the end agree.
/// </summary>
internal static class SoakRunner
{
    private const int Workers = 100;

    public static async Task<int> RunAsync(double minutes)
    {
        TimeSpan length = TimeSpan.FromMinutes(minutes);
        Console.WriteLine($"soak: {minutes:0.##} min of mixed load, {Workers} workers, kill -9 / freeze / reshard at 10/20/30 % and again at 60/70/80 %; .NET {Environment.Version}, {Environment.ProcessorCount} cores");
        var options = new LocalRedisClusterOptions { Primaries = 3, ReplicasPerPrimary = 1, NodeTimeoutMilliseconds = 2000 };
        await using LocalRedisCluster cluster = await LocalRedisCluster.StartAsync(options);
        await using ClusterClient client = await ClusterClient.ConnectAsync(cluster.ConfigurationString + ",connectRetry=3");

        var counters = new Counters();
        using var stop = new CancellationTokenSource();
        var workers = new Task[Workers];
        for (int w = 0; w < Workers; w++)
        {
            int worker = w;
            workers[w] = Task.Run(() => WorkAsync(client, worker, counters, stop.Token));
        }

        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, length.TotalSeconds / 10))); // warm-up: JIT, pools, connections
        var samples = new List<(string Label, TimeSpan At, long WorkingSet, long HeapAfterGc, long HeapNow, long Ops, MemoryBreakdown Memory)>();
        void Sample(string label)
        {
            long heapNow = GC.GetTotalMemory(forceFullCollection: false);
            long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            MemoryBreakdown memory = MemoryBreakdown.Take();
            samples.Add((label, clock.Elapsed, memory.WorkingSet, heapAfter, heapNow, Volatile.Read(ref counters.Ops), memory));
            var s = samples[^1];
            Console.WriteLine($"{label,-8} t={s.At.TotalSeconds,6:0} s  working set {Mib(s.WorkingSet),7:0.0} MiB  GC heap {Mib(s.HeapNow),6:0.0} MiB (after a full GC {Mib(s.HeapAfterGc),6:0.0} MiB)  ops {s.Ops:N0}  errors {counters.Describe()}");
            Console.WriteLine($"         {memory.Describe()}");
        }
        Sample("start");

        // The primaries change roles as the run goes (a killed one comes back as a replica), so each event looks them up.
        Func<Task> kill = async () =>
        {
            LocalRedisNode victim = (await cluster.GetPrimariesAsync())[0];
            cluster.Kill(victim);
            LocalRedisNode promoted = await cluster.WaitForFailoverAsync(victim, TimeSpan.FromSeconds(60));
            // The dead node leaves and a new replica joins, so the second round finds a replica to promote again.
            await cluster.RemoveNodeAsync(victim);
            await cluster.AddReplicaAsync(promoted);
        };
        Func<Task> freeze = async () =>
        {
            LocalRedisNode victim = (await cluster.GetPrimariesAsync())[1];
            cluster.Freeze(victim);
            await cluster.WaitForFailoverAsync(victim, TimeSpan.FromSeconds(60));
            await Task.Delay(1000);
            cluster.Thaw(victim);
            await cluster.WaitForConvergenceAsync(TimeSpan.FromSeconds(120));
        };
        Func<Task> reshard = async () =>
        {
            IReadOnlyList<LocalRedisNode> primaries = await cluster.GetPrimariesAsync();
            await cluster.MoveSlotsAsync(primaries[0], primaries[1], 2000);
        };
        var events = new (double At, string Name, Func<Task> Run)[]
        {
            (0.10, "kill -9 of a primary", kill),
            (0.20, "freeze of a primary past the node timeout", freeze),
            (0.30, "reshard of 2,000 slots", reshard),
            (0.60, "kill -9 of a primary (second round)", kill),
            (0.70, "freeze of a primary past the node timeout (second round)", freeze),
            (0.80, "reshard of 2,000 slots (second round)", reshard),
        };
        int next = 0, done = 0;
        bool middle = false;
        var lastSample = clock.Elapsed;
        while (clock.Elapsed < length)
        {
            await Task.Delay(250);
            if (next < events.Length && clock.Elapsed >= length * events[next].At)
            {
                var watch = Stopwatch.StartNew();
                Console.WriteLine($"event    t={clock.Elapsed.TotalSeconds,6:0} s  {events[next].Name}");
                try
                {
                    await events[next].Run();
                    Console.WriteLine($"event    t={clock.Elapsed.TotalSeconds,6:0} s  {events[next].Name}: done in {watch.Elapsed.TotalSeconds:0.0} s");
                    done++;
                }
                catch (LocalRedisClusterTimeoutException ex)
                {
                    // The harness waiting on the servers (a resync, say) is not the client's failure: note it, go on.
                    Console.WriteLine($"event    t={clock.Elapsed.TotalSeconds,6:0} s  {events[next].Name}: the cluster did not settle in time ({ex.Message})");
                }
                next++;
            }
            if (!middle && clock.Elapsed >= length / 2)
            {
                Sample("middle");
                middle = true;
                lastSample = clock.Elapsed;
            }
            else if (clock.Elapsed - lastSample >= TimeSpan.FromSeconds(30))
            {
                Sample("sample");
                lastSample = clock.Elapsed;
            }
        }
        Sample("end");
        stop.Cancel();
        await Task.WhenAll(workers);

        var first = samples[0];
        var mid = samples.Find(s => s.Label == "middle");
        var last = samples[^1];
        Console.WriteLine();
        Console.WriteLine("| point | time | working set | GC heap | GC heap after a full GC | operations |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var s in new[] { first, mid, last })
        {
            Console.WriteLine($"| {s.Label} | {s.At.TotalSeconds:0} s | {Mib(s.WorkingSet):0.0} MiB | {Mib(s.HeapNow):0.0} MiB | {Mib(s.HeapAfterGc):0.0} MiB | {s.Ops:N0} |");
        }
        double rate = (last.Ops - first.Ops) / (last.At - first.At).TotalSeconds;
        Console.WriteLine($"soak: {last.Ops:N0} operations ({rate:N0}/s between start and end), events {done}/{events.Length} completed, errors {counters.Describe()}");
        Console.WriteLine($"soak: heap after a full GC {Mib(first.HeapAfterGc):0.0} → {Mib(mid.HeapAfterGc):0.0} → {Mib(last.HeapAfterGc):0.0} MiB; working set {Mib(first.WorkingSet):0.0} → {Mib(mid.WorkingSet):0.0} → {Mib(last.WorkingSet):0.0} MiB");
        foreach (var s in new[] { first, mid, last }) Console.WriteLine($"soak: {s.Label,-6} {s.Memory.Describe()}");
        return done == events.Length ? 0 : 1;
    }

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    // Each worker runs a mix over its own keys: GET/SET of small values, a 64 KiB value now and then (on 100 keys in
    // all, so the servers' dataset stays small and a resync after the freeze is quick), a hash, a list kept short,
    // and an MGET across slots.
    private static async Task WorkAsync(ClusterClient client, int worker, Counters counters, CancellationToken stop)
    {
        var rng = new Random(worker);
        string small = new('s', 16);
        string large = new('L', 64 * 1024);
        while (!stop.IsCancellationRequested)
        {
            int n = rng.Next(1_000);
            string key = string.Create(CultureInfo.InvariantCulture, $"soak:{worker}:{n}");
            try
            {
                switch (rng.Next(20))
                {
                    case < 8:
                        await client.StringGetAsync(key);
                        break;
                    case < 15:
                        await client.StringSetAsync(key, small);
                        break;
                    case 15:
                        await client.StringSetAsync(string.Create(CultureInfo.InvariantCulture, $"soak:big:{worker % 10}:{n % 10}"), large, TimeSpan.FromSeconds(30));
                        break;
                    case 16:
                        await client.ExecuteAsync("HSET", $"soak:h:{worker}:{n % 100}", "field", small, "n", n);
                        break;
                    case 17:
                        await client.ExecuteAsync("HGETALL", $"soak:h:{worker}:{n % 100}");
                        break;
                    case 18:
                        string list = $"soak:l:{worker}";
                        await client.ExecuteAsync("LPUSH", list, small);
                        await client.ExecuteAsync("LTRIM", list, 0, 99);
                        await client.ExecuteAsync("LRANGE", list, 0, 9);
                        break;
                    default:
                        RedisKey[] keys = [key, $"soak:{worker}:{(n + 1) % 1_000}", $"soak:{worker}:{(n + 2) % 1_000}", $"soak:{worker}:{(n + 3) % 1_000}"];
                        await client.StringGetAsync(keys);
                        break;
                }
                Interlocked.Increment(ref counters.Ops);
            }
            catch (RedisException ex)
            {
                counters.Add(ex);
            }
        }
    }

    private sealed class Counters
    {
        public long Ops;
        private readonly Dictionary<string, long> _errors = [];

        public void Add(Exception ex)
        {
            lock (_errors) _errors[ex.GetType().Name] = _errors.GetValueOrDefault(ex.GetType().Name) + 1;
        }

        public string Describe()
        {
            lock (_errors) return _errors.Count == 0 ? "0" : string.Join(", ", _errors.Select(e => $"{e.Value} {e.Key}"));
        }
    }
}
