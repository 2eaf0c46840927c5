using System.Globalization;
using Keyslot.Testing;

namespace Keyslot.IntegrationTests.Infrastructure;

/// <summary>
/// What a real node counted per command in <c>INFO commandstats</c>. <see cref="Calls"/> counts executions only; a
/// command the node answered with MOVED, ASK or TRYAGAIN counts in <see cref="Rejected"/> instead (Redis 7+), so
/// deltas of both tell where each command ran and how often it was sent. Read deltas rather than resetting: tests
/// on a shared cluster must not reconfigure it.
/// </summary>
public readonly record struct CommandStats(long Calls, long Rejected)
{
    /// <summary>Every command's counters on <paramref name="node"/>, keyed by lower-case name (e.g. "get", "fcall_ro").</summary>
    public static async Task<IReadOnlyDictionary<string, CommandStats>> ReadAsync(LocalRedisCluster cluster, LocalRedisNode node)
    {
        return Parse(await cluster.ExecuteAsync(node, "INFO", "commandstats"));
    }

    /// <summary>Every command's counters in the text of an <c>INFO commandstats</c> reply, keyed by lower-case name.</summary>
    public static IReadOnlyDictionary<string, CommandStats> Parse(string info)
    {
        var stats = new Dictionary<string, CommandStats>(StringComparer.Ordinal);
        foreach (string raw in info.Split('\n'))
        {
            string line = raw.Trim();
            if (!line.StartsWith("cmdstat_", StringComparison.Ordinal)) continue;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            var fields = line[(colon + 1)..].Split(',').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
            stats[line["cmdstat_".Length..colon]] = new CommandStats(Long(fields, "calls"), Long(fields, "rejected_calls"));
        }
        return stats;
    }

    /// <summary>The counters of <paramref name="command"/> on every given node, in the same order.</summary>
    public static async Task<CommandStats[]> ReadAsync(LocalRedisCluster cluster, IEnumerable<LocalRedisNode> nodes, string command)
    {
        var result = new List<CommandStats>();
        foreach (LocalRedisNode node in nodes) result.Add(Of(await ReadAsync(cluster, node), command));
        return [.. result];
    }

    /// <summary>The counters of <paramref name="command"/> in <paramref name="stats"/>; zero when it never ran.</summary>
    public static CommandStats Of(IReadOnlyDictionary<string, CommandStats> stats, string command) =>
        stats.TryGetValue(command, out CommandStats found) ? found : default;

    public static CommandStats operator -(CommandStats after, CommandStats before) => new(after.Calls - before.Calls, after.Rejected - before.Rejected);

    private static long Long(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out string? value) ? long.Parse(value, CultureInfo.InvariantCulture) : 0;
}
