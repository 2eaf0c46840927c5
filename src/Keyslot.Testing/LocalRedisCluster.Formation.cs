using System.Globalization;
using Keyslot.Testing.Internal;

namespace Keyslot.Testing;

/// <summary>Forming a new cluster from freshly started nodes.</summary>
public sealed partial class LocalRedisCluster
{
    /// <summary>
    /// Starts all nodes in parallel, gives each primary a distinct config epoch and an even slot range
    /// (ADDSLOTSRANGE), meets everyone through the first node, attaches replicas and waits for convergence.
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

        var first = started[0];
        await Task.WhenAll(started.Skip(1).Select(node =>
            RunAsync(first, cancellationToken, "CLUSTER", "MEET", node.Host, node.Port.ToString(CultureInfo.InvariantCulture)))).ConfigureAwait(false);

        await Task.WhenAll(replicas.Select((replica, i) =>
            ReplicateAsync(replica, primaries[i % primaries.Length], cancellationToken))).ConfigureAwait(false);

        await WaitForConvergenceAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
    }
}
