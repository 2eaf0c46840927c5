using System.Globalization;
using Keyslot.Testing.Internal;

namespace Keyslot.Testing;

/// <summary>Forming a new cluster from freshly started nodes.</summary>
public sealed partial class LocalRedisCluster
{
    /// <summary>
    /// Starts all nodes in parallel (a bounded number loading at once), gives each primary a distinct config epoch and
    /// an even slot range (ADDSLOTSRANGE), has every other node MEET the first one over its own connection (all at
    /// once; gossip spreads the rest), attaches replicas and waits for convergence. Every wait is bounded by
    /// <see cref="LocalRedisClusterOptions.OperationTimeout"/>, and its polling slows down with the cluster's size.
    /// </summary>
    private async Task FormAsync(CancellationToken cancellationToken)
    {
        var total = _options.Primaries * (1 + _options.ReplicasPerPrimary);
        var started = await Task.WhenAll(Enumerable.Range(0, total).Select(_ => StartNodeAsync(cancellationToken))).ConfigureAwait(false);
        lock (_sync)
        {
            // Nodes finish starting in any order; keep primaries first, then replicas in primary order.
            _nodes.Clear();
            _nodes.AddRange(started);
        }

        var primaries = started.Take(_options.Primaries).ToArray();
        var replicas = started.Skip(_options.Primaries).ToArray();

        await Task.WhenAll(primaries.Select(async (primary, i) =>
        {
            var (start, end) = SlotPlanner.EvenRange(i, primaries.Length);
            await RunAsync(primary, cancellationToken, "CLUSTER", "SET-CONFIG-EPOCH", (i + 1).ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            await RunAsync(primary, cancellationToken, "CLUSTER", "ADDSLOTSRANGE", start.ToString(CultureInfo.InvariantCulture), end.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        })).ConfigureAwait(false);

        // Node i meets nodes 0..i-1 (one pipeline of MEETs on its own connection, all nodes at once): every pair
        // meets exactly once, so the full mesh is there without waiting for gossip, which on a 180-node cluster with
        // a long node timeout takes minutes to introduce everyone to everyone.
        await Task.WhenAll(started.Skip(1).Select((node, i) => PipelineAsync(
            node,
            started.Take(i + 1).Select(other => Cmd("CLUSTER", "MEET", other.Host, other.Port.ToString(CultureInfo.InvariantCulture), other.BusPort.ToString(CultureInfo.InvariantCulture))),
            cancellationToken))).ConfigureAwait(false);

        await Task.WhenAll(replicas.Select((replica, i) =>
            ReplicateAsync(replica, primaries[i % primaries.Length], cancellationToken))).ConfigureAwait(false);

        await WaitForConvergenceAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
    }
}
