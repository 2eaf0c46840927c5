using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Keyslot.SideBySide.Scenarios;
using Keyslot.Testing;

namespace Keyslot.SideBySide.Scale;

/// <summary>
/// The scale run (<c>--scale</c>): one local cluster of 90 primaries × 1 replica (180 redis-server processes), started
/// here, and on it, in order: connect and first map, memory per node connection, the live cost of one topology
/// refresh, 1M mixed operations over all shards, a 1,000-slot reshard under load and a kill -9 of one primary under
/// load, for Keyslot and (connect, 1M, reshard, kill) StackExchange.Redis. Bounded: every wait has a timeout.
/// </summary>
internal static class ScaleRun
{
    private const int Workers = 200;
    private const int ReshardSlots = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        int primaries = Array.IndexOf(args, "--primaries") is int p and >= 0 ? int.Parse(args[p + 1], CultureInfo.InvariantCulture) : 90;
        long operations = Array.IndexOf(args, "--ops") is int o and >= 0 ? long.Parse(args[o + 1], CultureInfo.InvariantCulture) : 1_000_000;
        var total = Stopwatch.StartNew();
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        var options = new LocalRedisClusterOptions { Primaries = primaries, ReplicasPerPrimary = 1, OperationTimeout = TimeSpan.FromMinutes(3) };
        options.ExtraConfig["cluster-require-full-coverage"] = "no"; // ElastiCache's default: a dead shard does not stop the others

        var formation = Stopwatch.StartNew();
        await using LocalRedisCluster cluster = await LocalRedisCluster.StartAsync(options);
        formation.Stop();
        long rss = cluster.Nodes.Sum(n => RssOf(n.ProcessId));
        Console.WriteLine($"cluster: {primaries} primaries × 1 replica = {cluster.Nodes.Count} redis-server processes, formed in {formation.Elapsed.TotalSeconds:0.0} s; " +
            $"node timeout {options.NodeTimeoutMilliseconds} ms; resident memory of all nodes {rss / 1048576.0:N0} MiB ({rss / 1024.0 / cluster.Nodes.Count:N0} KiB per node); " +
            "cluster-require-full-coverage no");
        string config = cluster.ConfigurationString;
        IReadOnlyList<LocalRedisNode> primaryNodes = await cluster.GetPrimariesAsync();
        string[] oneKeyPerShard = await OneKeyPerShardAsync(primaryNodes);

        // Connect, first map, first command on every shard; sockets opened; memory per node connection.
        var connects = new List<string>();
        foreach (Func<string, Task<IClientUnderTest>> connect in new Func<string, Task<IClientUnderTest>>[]
        {
            async c => await KeyslotClient.ConnectAsync(c),
            async c => await StackExchangeClient.ConnectAsync(c),
        })
        {
            for (int round = 0; round < 3; round++)
            {
                Footprint before = Footprint.Take();
                var clock = Stopwatch.StartNew();
                await using IClientUnderTest client = await connect(config);
                double connectMs = clock.Elapsed.TotalMilliseconds;
                Footprint connected = Footprint.Take();
                clock.Restart();
                await Task.WhenAll(oneKeyPerShard.Select(client.GetAsync));
                double allShardsMs = clock.Elapsed.TotalMilliseconds;
                Footprint touched = Footprint.Take();
                int opened = touched.Sockets - before.Sockets;
                string line = $"{client.Name,-20} connect + first map {connectMs,7:N0} ms ({connected.Sockets - before.Sockets} sockets open); first GET on all {primaries} shards {allShardsMs,6:N0} ms " +
                    $"({opened} sockets open); managed heap {(touched.HeapBytes - before.HeapBytes) / 1024.0:N0} KiB, working set {(touched.WorkingSetBytes - before.WorkingSetBytes) / 1048576.0:N1} MiB; " +
                    $"per socket {(touched.HeapBytes - before.HeapBytes) / 1024.0 / Math.Max(1, opened):N1} KiB heap, {(touched.WorkingSetBytes - before.WorkingSetBytes) / 1024.0 / Math.Max(1, opened):N0} KiB working set";
                Console.WriteLine($"round {round + 1} {line}");
                if (round == 2) connects.Add(line);
            }
        }

        await MeasureRefreshAsync(config, cluster);

        // 1M mixed GET/SET over 100,000 keys (all slots, so all shards), each client in turn.
        var settings = new RunSettings(operations, 1000, 100_000, 50_000, Math.Min(operations / 5, 100_000), 1);
        var mixes = new List<Measurement>();
        foreach (Func<Task<IClientUnderTest>> connect in new Func<Task<IClientUnderTest>>[]
        {
            async () => await KeyslotClient.ConnectAsync(config),
            async () => await StackExchangeClient.ConnectAsync(config),
        })
        {
            await using IClientUnderTest client = await connect();
            var workload = new Workload(client.Name == "Keyslot" ? "ks:" : "se:", settings.KeyCount);
            await client.PopulateAsync(workload);
            Measurement m = await Measurement.TakeAsync(client, workload, settings, [.. cluster.Nodes.Select(n => n.ProcessId)]);
            mixes.Add(m);
            Console.WriteLine($"mix {m.Client,-20} {m.Operations:N0} ops {m.OpsPerSecond,9:N0} ops/s  {m.CpuSecondsPerMillion,6:0.00} CPU-s/1M  {m.BytesPerOperation,6:0.0} B/op  " +
                $"GET p50 {m.LatencyP50Us,5:0} µs p99 {m.LatencyP99Us,6:0} µs  errors {m.Errors} {(m.Errors > 0 ? m.ErrorDetail : "")}");
        }

        // A 1,000-slot reshard under load: six primaries give about 167 slots each to six others; StackExchange.Redis's turn moves them back.
        var scenarios = new List<ScenarioResult>();
        LocalRedisNode[] sources = [.. primaryNodes.Take(6)], targets = [.. primaryNodes.Skip(6).Take(6)];
        int[] counts = [.. Enumerable.Range(0, 6).Select(i => ReshardSlots / 6 + (i < ReshardSlots % 6 ? 1 : 0))];
        HashSet<int> moved = [];
        for (int i = 0; i < 6; i++) moved.UnionWith((await ScenarioRunner.SlotsOfAsync(cluster, sources[i])).Order().Take(counts[i]));
        ScenarioResult reshardKeyslot = await ScenarioRunner.RunUnderLoadAsync(cluster, "reshard-1000", Workers, async c => await KeyslotClient.ConnectAsync(c), moved,
            async _ => { for (int i = 0; i < 6; i++) await cluster.MoveSlotsAsync(sources[i], targets[i], counts[i]); return null; });
        Report(reshardKeyslot);
        scenarios.Add(reshardKeyslot);
        ScenarioResult reshardSe = await ScenarioRunner.RunUnderLoadAsync(cluster, "reshard-1000", Workers, async c => await StackExchangeClient.ConnectAsync(c), moved,
            async _ => { for (int i = 0; i < 6; i++) await cluster.MoveSlotsAsync(targets[i], sources[i], counts[i]); return null; });
        Report(reshardSe);
        scenarios.Add(reshardSe);

        // kill -9 of one primary under load, each worker pinned to one slot so a stuck worker holds up only its own shard.
        TimeSpan failoverTimeout = TimeSpan.FromMilliseconds(options.NodeTimeoutMilliseconds * 6);
        foreach ((int index, Func<string, Task<IClientUnderTest>> connect) in new (int, Func<string, Task<IClientUnderTest>>)[]
        {
            (primaries * 2 / 9, async c => await KeyslotClient.ConnectAsync(c)), // primaries 20 and 40 of 90: untouched by the reshard
            (primaries * 4 / 9, async c => await StackExchangeClient.ConnectAsync(c)),
        })
        {
            LocalRedisNode victim = primaryNodes[index];
            HashSet<int> victimSlots = await ScenarioRunner.SlotsOfAsync(cluster, victim);
            LocalRedisNode replica = (await cluster.GetReplicasAsync(victim))[0];
            ScenarioResult kill = await ScenarioRunner.RunUnderLoadAsync(cluster, "kill-1-of-" + primaries, Workers, connect, victimSlots,
                load => KillAndWaitForPromotionAsync(cluster, victim, replica, load, failoverTimeout), pinWorkersToSlots: true);
            await cluster.WaitForFailoverAsync(victim, failoverTimeout); // every node agrees before the next run (outside the measurement)
            Report(kill);
            scenarios.Add(kill);
        }

        Console.WriteLine();
        Console.WriteLine($"scale run took {total.Elapsed.TotalMinutes:0.0} min");
        Console.WriteLine();
        foreach (string line in connects) Console.WriteLine(line);
        Console.WriteLine();
        Console.WriteLine(Keyslot.SideBySide.Report.Format(mixes));
        Console.WriteLine(ScenarioRunner.Table(scenarios));
        Console.WriteLine("| scenario | client | moved/killed slots: ops/s before → during | other slots: ops/s before → during | other slots: longest zero-throughput stretch |");
        Console.WriteLine("|---|---|---|---|---:|");
        foreach (ScenarioResult r in scenarios)
        {
            Console.WriteLine($"| {r.Scenario} | {r.Client} | {r.VictimOpsPerSecondBefore:N0} → {r.VictimOpsPerSecondDuring:N0} | {r.OthersOpsPerSecondBefore:N0} → {r.OthersOpsPerSecondDuring:N0} " +
                $"(×{r.OthersOpsPerSecondDuring / r.OthersOpsPerSecondBefore:0.00}) | {r.OthersLongestStall.TotalMilliseconds:0} ms |");
        }
        return mixes.Sum(m => m.Errors) + scenarios.Where(s => s.Scenario.StartsWith("reshard", StringComparison.Ordinal)).Sum(s => s.ErrorCount + s.LostWrites) == 0 ? 0 : 1;
    }

    /// <summary>
    /// kill -9, then wait for the promotion by asking only the replica (ROLE, every 250 ms): the harness's usual wait
    /// reads all 179 other nodes' CLUSTER NODES twice a second, which on a saturated 2-core machine would itself take
    /// throughput from the shards under measurement.
    /// </summary>
    private static async Task<TimeSpan?> KillAndWaitForPromotionAsync(LocalRedisCluster cluster, LocalRedisNode victim, LocalRedisNode replica, ScenarioLoad load, TimeSpan timeout)
    {
        cluster.Kill(victim);
        load.MarkVictimDown();
        var deadline = Stopwatch.StartNew();
        while (!(await cluster.ExecuteAsync(replica, "ROLE")).StartsWith("master", StringComparison.Ordinal))
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"{replica} was not promoted within {timeout.TotalSeconds:0} s of killing {victim}.");
            await Task.Delay(250);
        }
        return load.Now;
    }

    private static void Report(ScenarioResult r) =>
        Console.WriteLine($"{r.Scenario,-14} {r.Client,-20} errors {r.ErrorsByKind}; lost writes {r.LostWrites}; topology reads {r.TopologyReads}; ops/s {r.OpsPerSecondBefore:N0} → {r.OpsPerSecondDuring:N0}; " +
            $"victim slots {r.VictimOpsPerSecondBefore:N0} → {r.VictimOpsPerSecondDuring:N0}; other slots {r.OthersOpsPerSecondBefore:N0} → {r.OthersOpsPerSecondDuring:N0} " +
            $"(longest stall {r.OthersLongestStall.TotalMilliseconds:0} ms); during p50 {r.P50DuringMs:0.00} ms p99 {r.P99DuringMs:0.00} ms");

    /// <summary>
    /// The live cost of a topology refresh. One refresh a second is lost in the noise of an idle process, so 20 idle
    /// Keyslot clients refresh every second (topologyRefreshSeconds=1) for 15 s, and the process's CPU time and
    /// allocations over that window, minus those of the same 20 clients connected with no periodic refresh, are
    /// divided by the refreshes counted; alternated three times, medians reported. Plus the size of the CLUSTER SHARDS
    /// reply on the wire.
    /// </summary>
    private static async Task MeasureRefreshAsync(string config, LocalRedisCluster cluster)
    {
        const int clients = 20;
        TimeSpan window = TimeSpan.FromSeconds(15);
        var cpuPerRefresh = new List<double>();
        var bytesPerRefresh = new List<double>();
        long refreshes = 0;
        for (int round = 0; round < 3; round++)
        {
            (double idleCpu, long idleBytes, _) = await CostOfClientsAsync(config + ",topologyRefreshSeconds=0", clients, window);
            (double cpu, long bytes, refreshes) = await CostOfClientsAsync(config + ",topologyRefreshSeconds=1", clients, window);
            cpuPerRefresh.Add((cpu - idleCpu) / Math.Max(1, refreshes));
            bytesPerRefresh.Add((double)(bytes - idleBytes) / Math.Max(1, refreshes));
            Console.WriteLine($"refresh round {round + 1}: {refreshes} refreshes by {clients} clients in {window.TotalSeconds:0} s: {cpu * 1000:0} ms CPU, {bytes / 1048576.0:N1} MiB allocated; " +
                $"the same clients without refreshing {idleCpu * 1000:0} ms, {idleBytes / 1048576.0:N1} MiB");
        }
        int replyBytes = await ReplySizeAsync(cluster.Nodes[0].Port, "CLUSTER", "SHARDS");
        Console.WriteLine($"refresh: per live refresh (fetch, parse, build, compare; map unchanged) {cpuPerRefresh.Order().ElementAt(1) * 1000:0.00} ms CPU and " +
            $"{bytesPerRefresh.Order().ElementAt(1) / 1024:N0} KiB allocated (medians of 3); CLUSTER SHARDS reply {replyBytes / 1024.0:N1} KiB on the wire (RESP2)");
    }

    private static async Task<(double CpuSeconds, long AllocatedBytes, long Refreshes)> CostOfClientsAsync(string config, int count, TimeSpan window)
    {
        var clients = new List<KeyslotClient>();
        try
        {
            for (int i = 0; i < count; i++) clients.Add(await KeyslotClient.ConnectAsync(config));
            await Task.Delay(1500); // let connection set-up finish before the window opens
            long readsBefore = clients[0].TopologyReads; // the refresh counter is process-wide: one client's count covers all
            (double cpu, long bytes) = await CostOverAsync(window);
            return (cpu, bytes, clients[0].TopologyReads - readsBefore);
        }
        finally
        {
            foreach (KeyslotClient client in clients) await client.DisposeAsync();
        }
    }

    private static async Task<(double CpuSeconds, long AllocatedBytes)> CostOverAsync(TimeSpan window)
    {
        using Process self = Process.GetCurrentProcess();
        TimeSpan cpu = self.TotalProcessorTime;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        await Task.Delay(window);
        self.Refresh();
        return ((self.TotalProcessorTime - cpu).TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    /// <summary>Sends one command on a raw connection and counts the reply's bytes (read until the line goes quiet).</summary>
    private static async Task<int> ReplySizeAsync(int port, params string[] command)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        NetworkStream stream = tcp.GetStream();
        string request = $"*{command.Length}\r\n" + string.Concat(command.Select(c => $"${c.Length}\r\n{c}\r\n"));
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        var buffer = new byte[1 << 16];
        int total = 0;
        while (true)
        {
            using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(total == 0 ? 5000 : 300));
            try
            {
                int read = await stream.ReadAsync(buffer, quiet.Token);
                if (read == 0) break;
                total += read;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return total;
    }

    /// <summary>One key owned by each primary (found with CLUSTER KEYSLOT-free arithmetic: the client's slot hash).</summary>
    private static async Task<string[]> OneKeyPerShardAsync(IReadOnlyList<LocalRedisNode> primaries)
    {
        await using ClusterClient observer = await ClusterClient.ConnectAsync(string.Join(',', primaries.Take(3).Select(n => n.Endpoint)));
        var keys = new Dictionary<string, string>();
        for (int i = 0; keys.Count < primaries.Count && i < 1_000_000; i++)
        {
            string key = "shard-probe:" + i.ToString(CultureInfo.InvariantCulture);
            int slot = ClusterClient.GetSlot(key);
            string owner = observer.Topology.SlotRanges.First(r => r.Contains(slot)).Primary.ToString();
            keys.TryAdd(owner, key);
        }
        return [.. keys.Values];
    }

    private static long RssOf(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return process.WorkingSet64;
        }
        catch (ArgumentException)
        {
            return 0;
        }
    }

    /// <summary>Managed heap after a full collection, working set, and open sockets of this process.</summary>
    private readonly record struct Footprint(long HeapBytes, long WorkingSetBytes, int Sockets)
    {
        public static Footprint Take()
        {
            long heap = GC.GetTotalMemory(forceFullCollection: true);
            using Process self = Process.GetCurrentProcess();
            int sockets = Directory.EnumerateFileSystemEntries("/proc/self/fd")
                .Count(fd => new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);
            return new Footprint(heap, self.WorkingSet64, sockets);
        }
    }
}
