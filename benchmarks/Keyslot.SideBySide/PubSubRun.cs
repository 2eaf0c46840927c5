using System.Diagnostics;

namespace Keyslot.SideBySide;

/// <summary>
/// The pub/sub side-by-side run (<c>--pubsub</c>): each client subscribes with a handler and publishes to itself
/// through the cluster; messages per second end to end (first publish to last message received), CPU and allocated
/// bytes per message (publishing and receiving both counted). Rounds alternate which client goes first.
/// </summary>
internal static class PubSubRun
{
    public sealed record Result(string Client, double MessagesPerSecond, double CpuSecondsPerMillion, double BytesPerMessage);

    public static async Task<List<Result>> RunAsync(IPubSubClient[] clients, int rounds, int messages, int concurrency)
    {
        foreach (IPubSubClient client in clients) await client.RunPublishReceiveAsync(client.Name + ":warm", 20_000, concurrency, TimeSpan.FromSeconds(60));
        var results = new List<Result>();
        for (int round = 0; round < rounds; round++)
        {
            IPubSubClient[] order = round % 2 == 0 ? clients : [.. clients.Reverse()];
            foreach (IPubSubClient client in order)
            {
                GC.Collect();
                long allocated = GC.GetTotalAllocatedBytes(precise: true);
                TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                await client.RunPublishReceiveAsync($"{client.Name}:bench:{round}", messages, concurrency, TimeSpan.FromSeconds(120));
                TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                var r = new Result(client.Name, messages / elapsed.TotalSeconds, cpuSeconds / messages * 1_000_000,
                    (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / messages);
                results.Add(r);
                Console.WriteLine($"round {round + 1} {r.Client,-20} {r.MessagesPerSecond,10:N0} msg/s  {r.CpuSecondsPerMillion,6:0.00} CPU-s/1M  {r.BytesPerMessage,8:0.0} B/msg");
            }
        }
        return results;
    }

    public static string Table(List<Result> results)
    {
        var lines = new List<string>
        {
            "| client | messages/s end to end (median) | CPU-s per 1M messages | allocated B/message | vs SE.Redis |",
            "|---|---:|---:|---:|---:|",
        };
        double? reference = null;
        foreach (IGrouping<string, Result> client in results.GroupBy(r => r.Client).OrderBy(g => g.Key == "Keyslot" ? 1 : 0))
        {
            double rate = Median(client.Select(r => r.MessagesPerSecond));
            reference ??= rate;
            lines.Add($"| {client.Key} | {rate:N0} | {Median(client.Select(r => r.CpuSecondsPerMillion)):0.00} | {Median(client.Select(r => r.BytesPerMessage)):0.0} | ×{rate / reference.Value:0.00} |");
        }
        return string.Join(Environment.NewLine, lines);
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }
}
