using System.Text;
using Keyslot.Testing;

namespace Keyslot.SideBySide.Scenarios;

/// <summary>
/// Runs each scenario for each client on a fresh local cluster: 2 s of steady load, the disruption, then 2 s more.
/// Both clients see the same cluster shape, the same load and the same disruption, one after the other.
/// </summary>
internal static class ScenarioRunner
{
    public static readonly string[] All = ["kill-primary", "freeze-primary", "graceful-failover", "reshard-2000", "add-shard", "remove-shard"];

    public static async Task<List<ScenarioResult>> RunAsync(IReadOnlyList<string> scenarios, int workers, string extraConfiguration,
        IReadOnlyList<(string Name, Func<string, Task<IClientUnderTest>> Connect)> clients)
    {
        var results = new List<ScenarioResult>();
        foreach (string scenario in scenarios)
        {
            foreach (var (name, connect) in clients)
            {
                ScenarioResult result = await RunOneAsync(scenario, workers, config => connect(config + extraConfiguration));
                results.Add(result);
                Console.WriteLine($"{scenario,-18} {name,-20} errors {result.ErrorsByKind}; stall {result.LongestStall.TotalMilliseconds:0} ms; " +
                    $"ops/s {result.OpsPerSecondBefore:N0} → {result.OpsPerSecondDuring:N0}; during p50 {result.P50DuringMs:0.00} ms p99 {result.P99DuringMs:0.00} ms (steady p99 {result.P99SteadyMs:0.00}); " +
                    $"lost writes {result.LostWrites}; promotion→first success {Format(result.PromotionToFirstSuccessMs)}; topology reads {result.TopologyReads}");
            }
        }
        return results;
    }

    private static async Task<ScenarioResult> RunOneAsync(string scenario, int workers, Func<string, Task<IClientUnderTest>> connect)
    {
        var options = new LocalRedisClusterOptions { Primaries = scenario == "remove-shard" ? 4 : 3, ReplicasPerPrimary = 1, NodeTimeoutMilliseconds = 2000 };
        await using LocalRedisCluster cluster = await LocalRedisCluster.StartAsync(options);
        IReadOnlyList<LocalRedisNode> primaries = await cluster.GetPrimariesAsync();
        LocalRedisNode victim = primaries[0];
        HashSet<int> victimSlots = await SlotsOfAsync(cluster, victim);
        return await RunUnderLoadAsync(cluster, scenario, workers, connect, victimSlots, load => DisruptAsync(scenario, cluster, primaries, victimSlots, load));
    }

    /// <summary>
    /// Connects the client, runs the scenario load on it for 2 s, runs <paramref name="disrupt"/> (which returns when
    /// the disruption is over, with the time of the promotion if there was one), keeps the load going 2 s more, and
    /// checks every acknowledged write.
    /// </summary>
    public static async Task<ScenarioResult> RunUnderLoadAsync(LocalRedisCluster cluster, string scenario, int workers,
        Func<string, Task<IClientUnderTest>> connect, IReadOnlySet<int> victimSlots, Func<ScenarioLoad, Task<TimeSpan?>> disrupt, bool pinWorkersToSlots = false)
    {
        await using IClientUnderTest client = await connect(cluster.ConfigurationString);
        var load = new ScenarioLoad(client, workers, key => victimSlots.Contains(ClusterClient.GetSlot(key))) { PinWorkersToSlots = pinWorkersToSlots };
        load.Start();
        await Task.Delay(2000);
        load.MarkEvent();
        long topologyReadsBefore = client.TopologyReads;
        TimeSpan? promotedAt = await disrupt(load);
        await Task.Delay(2000);
        await load.StopAsync();
        int lost = await load.CountLostAcknowledgedWritesAsync();
        return load.Result(client.Name, scenario, promotedAt, lost) with { TopologyReads = client.TopologyReads - topologyReadsBefore };
    }

    /// <summary>Kills the primary and waits for its replica's promotion; returns when the promotion was agreed.</summary>
    private static async Task<TimeSpan?> KillAndWaitForFailoverAsync(LocalRedisCluster cluster, LocalRedisNode victim, ScenarioLoad load, TimeSpan timeout)
    {
        cluster.Kill(victim);
        load.MarkVictimDown();
        await cluster.WaitForFailoverAsync(victim, timeout);
        return load.Now;
    }

    private static async Task<TimeSpan?> DisruptAsync(string scenario, LocalRedisCluster cluster, IReadOnlyList<LocalRedisNode> primaries, HashSet<int> victimSlots, ScenarioLoad load)
    {
        LocalRedisNode victim = primaries[0];
        TimeSpan? promotedAt = null;
        switch (scenario)
        {
            case "kill-primary":
                promotedAt = await KillAndWaitForFailoverAsync(cluster, victim, load, TimeSpan.FromSeconds(30));
                break;
            case "freeze-primary":
                cluster.Freeze(victim);
                load.MarkVictimDown();
                await cluster.WaitForFailoverAsync(victim, TimeSpan.FromSeconds(30));
                promotedAt = load.Now;
                await Task.Delay(1000);
                cluster.Thaw(victim);
                await cluster.WaitForConvergenceAsync(TimeSpan.FromSeconds(30));
                break;
            case "graceful-failover":
                LocalRedisNode replica = (await cluster.GetReplicasAsync(victim))[0];
                await cluster.ExecuteAsync(replica, "CLUSTER", "FAILOVER");
                await cluster.WaitForFailoverAsync(victim, TimeSpan.FromSeconds(30));
                promotedAt = load.Now;
                break;
            case "reshard-2000":
                await cluster.MoveSlotsAsync(victim, primaries[1], 2000);
                break;
            case "add-shard":
                LocalRedisNode added = await cluster.AddPrimaryAsync();
                await cluster.AddReplicaAsync(added);
                await cluster.RebalanceAsync();
                break;
            case "remove-shard":
                await cluster.MoveSlotsAsync(victim, primaries[1], victimSlots.Count);
                foreach (LocalRedisNode r in await cluster.GetReplicasAsync(victim)) await cluster.RemoveNodeAsync(r);
                await cluster.RemoveNodeAsync(victim);
                break;
            default:
                throw new ArgumentException($"Unknown scenario {scenario}; known: {string.Join(", ", All)}");
        }
        return promotedAt;
    }

    public static async Task<HashSet<int>> SlotsOfAsync(LocalRedisCluster cluster, LocalRedisNode node)
    {
        // Read the map with Keyslot itself only for this bookkeeping; the client under test connects separately.
        await using ClusterClient observer = await ClusterClient.ConnectAsync(cluster.ConfigurationString);
        var slots = new HashSet<int>();
        foreach (SlotRange range in observer.Topology.SlotRanges)
        {
            if (range.Primary.ToString() != node.Endpoint) continue;
            for (int slot = range.Start; slot <= range.End; slot++) slots.Add(slot);
        }
        return slots;
    }

    private static string Format(double? ms) => ms is { } v ? $"{v:0} ms" : "n/a";

    public static string Table(IReadOnlyList<ScenarioResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | client | errors by kind | longest zero-throughput stretch | ops/s before → during | p50 / p99 during (ms) | p99 during / steady | lost acked writes | promotion → first success on failed shard | topology reads |");
        text.AppendLine("|---|---|---|---:|---|---|---:|---:|---:|---:|");
        foreach (ScenarioResult r in results)
        {
            text.AppendLine($"| {r.Scenario} | {r.Client} | {r.ErrorsByKind} | {r.LongestStall.TotalMilliseconds:0} ms | {r.OpsPerSecondBefore:N0} → {r.OpsPerSecondDuring:N0} | " +
                $"{r.P50DuringMs:0.00} / {r.P99DuringMs:0.00} | ×{r.P99DuringMs / r.P99SteadyMs:0.00} | {r.LostWrites} | {Format(r.PromotionToFirstSuccessMs)} | {r.TopologyReads} |");
        }
        return text.ToString();
    }
}
