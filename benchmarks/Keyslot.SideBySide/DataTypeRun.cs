using System.Diagnostics;

namespace Keyslot.SideBySide;

/// <summary>
/// The data-type side-by-side run (<c>--datatypes</c>): sorted sets and streams, both clients in one process on the
/// same cluster, rounds alternating which goes first. Reports throughput, CPU time and allocated bytes per operation.
/// </summary>
internal static class DataTypeRun
{
    public sealed record Result(string Client, string Workload, double OpsPerSecond, double CpuSecondsPerMillion, double BytesPerOperation);

    public static async Task<List<Result>> RunAsync(IDataTypeClient[] clients, int rounds, long sortedSetOps, long streamCycles, int concurrency)
    {
        var results = new List<Result>();
        foreach (IDataTypeClient client in clients)
        {
            // Warm-up (JIT, connections, the sets and streams themselves), untimed.
            await client.RunSortedSetMixAsync(Prefix(client), 20_000, concurrency);
            await client.PrepareStreamsAsync(Prefix(client), concurrency);
            await client.RunStreamCycleAsync(Prefix(client), concurrency, 5_000, concurrency);
        }
        for (int round = 0; round < rounds; round++)
        {
            IDataTypeClient[] order = round % 2 == 0 ? clients : [.. clients.Reverse()];
            foreach (IDataTypeClient client in order)
            {
                string prefix = Prefix(client);
                Result zset = await MeasureAsync(client.Name, "ZADD + ZRANGE WITHSCORES", sortedSetOps,
                    () => client.RunSortedSetMixAsync(prefix, sortedSetOps, concurrency));
                results.Add(zset);
                Print(round, zset);
                await client.PrepareStreamsAsync(prefix, concurrency);
                long acked = 0;
                Result stream = await MeasureAsync(client.Name, "XADD + XREADGROUP + XACK", streamCycles,
                    async () => acked = await client.RunStreamCycleAsync(prefix, concurrency, streamCycles, concurrency));
                if (acked != streamCycles) throw new InvalidOperationException($"{client.Name} acknowledged {acked} of {streamCycles} stream entries.");
                results.Add(stream);
                Print(round, stream);
            }
        }
        return results;
    }

    private static string Prefix(IDataTypeClient client) => client.Name == "Keyslot" ? "ks:" : "se:";

    private static async Task<Result> MeasureAsync(string client, string workload, long operations, Func<Task> run)
    {
        GC.Collect();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        await run();
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        double bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return new Result(client, workload, operations / elapsed.TotalSeconds, cpuSeconds / operations * 1_000_000, bytes / operations);
    }

    private static void Print(int round, Result r) =>
        Console.WriteLine($"round {round + 1} {r.Client,-20} {r.Workload,-26} {r.OpsPerSecond,10:N0} ops/s  {r.CpuSecondsPerMillion,6:0.00} CPU-s/1M  {r.BytesPerOperation,8:0.0} B/op");

    /// <summary>Medians per client and workload, and Keyslot's ratio to StackExchange.Redis.</summary>
    public static string Table(List<Result> results)
    {
        var lines = new List<string>
        {
            "| workload | client | ops/s (median) | CPU-s per 1M ops | allocated B/op | throughput vs SE.Redis |",
            "|---|---|---:|---:|---:|---:|",
        };
        foreach (IGrouping<string, Result> workload in results.GroupBy(r => r.Workload))
        {
            double? reference = null;
            foreach (IGrouping<string, Result> client in workload.GroupBy(r => r.Client).OrderBy(g => g.Key == "Keyslot" ? 1 : 0))
            {
                double ops = Median(client.Select(r => r.OpsPerSecond)), cpu = Median(client.Select(r => r.CpuSecondsPerMillion)), bytes = Median(client.Select(r => r.BytesPerOperation));
                reference ??= ops;
                lines.Add($"| {workload.Key} | {client.Key} | {ops:N0} | {cpu:0.00} | {bytes:0.0} | ×{ops / reference.Value:0.00} |");
            }
        }
        return string.Join(Environment.NewLine, lines);
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }
}
