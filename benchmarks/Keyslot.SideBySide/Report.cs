using System.Text;

namespace Keyslot.SideBySide;

/// <summary>Medians per client over the rounds, and the Keyslot/StackExchange.Redis ratios.</summary>
internal static class Report
{
    public static string Format(IReadOnlyList<Measurement> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| client | ops/s | client CPU-s per 1M ops | allocated B/op | GET p50 µs | GET p99 µs | GET p99.9 µs | errors |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var medians = new Dictionary<string, double[]>();
        foreach (IGrouping<string, Measurement> client in results.GroupBy(r => r.Client))
        {
            double[] m =
            [
                Median(client.Select(r => r.OpsPerSecond)), Median(client.Select(r => r.CpuSecondsPerMillion)), Median(client.Select(r => r.BytesPerOperation)),
                Median(client.Select(r => r.LatencyP50Us)), Median(client.Select(r => r.LatencyP99Us)), Median(client.Select(r => r.LatencyP999Us)),
            ];
            medians[client.Key] = m;
            text.AppendLine($"| {client.Key} | {m[0]:N0} | {m[1]:0.00} | {m[2]:0.0} | {m[3]:0} | {m[4]:0} | {m[5]:0} | {client.Sum(r => r.Errors)} |");
        }
        if (medians.TryGetValue("Keyslot", out double[]? k) && medians.TryGetValue("StackExchange.Redis", out double[]? s))
        {
            text.AppendLine();
            text.AppendLine($"Keyslot / StackExchange.Redis: ops/s ×{k[0] / s[0]:0.00}, CPU per op ×{k[1] / s[1]:0.00}, bytes per op ×{k[2] / s[2]:0.00}, " +
                $"GET p50 ×{k[3] / s[3]:0.00}, p99 ×{k[4] / s[4]:0.00}");
        }
        return text.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
