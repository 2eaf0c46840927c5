using Keyslot.Testing.Internal;

namespace Keyslot.Testing;

/// <summary>Reading the cluster's own view of its topology and waiting for agreement.</summary>
public sealed partial class LocalRedisCluster
{
    /// <summary>
    /// Waits until every reachable node (alive, not frozen) reports <c>cluster_state:ok</c>, sees every other
    /// reachable node as healthy, agrees on the same slot map and primary/replica pairs, and every replica's
    /// link to its primary is up.
    /// </summary>
    /// <param name="timeout">Upper bound for the wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes once the cluster has converged.</returns>
    /// <exception cref="LocalRedisClusterTimeoutException">No convergence within <paramref name="timeout"/>; the message says what differed.</exception>
    public Task WaitForConvergenceAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Poll.UntilAsync("the cluster to converge", CheckConvergenceAsync, timeout, cancellationToken, PollInterval);
    }

    /// <summary>Asks the cluster which live nodes are primaries right now (refreshes <see cref="Primaries"/>).</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The live primaries, slot-less ones included, in start order.</returns>
    public async Task<IReadOnlyList<LocalRedisNode>> GetPrimariesAsync(CancellationToken cancellationToken = default)
    {
        var view = await AnyViewAsync(cancellationToken).ConfigureAwait(false);
        return PrimariesIn(view);
    }

    /// <summary>Asks the cluster which live nodes replicate <paramref name="primary"/> right now.</summary>
    /// <param name="primary">The primary.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>Its live replicas, in start order.</returns>
    public async Task<IReadOnlyList<LocalRedisNode>> GetReplicasAsync(LocalRedisNode primary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(primary);
        var view = await AnyViewAsync(cancellationToken).ConfigureAwait(false);
        var ids = view.Entries.Where(e => e.IsReplica && e.PrimaryId == primary.NodeId).Select(e => e.NodeId).ToHashSet();
        return Nodes.Where(n => n.IsAlive && ids.Contains(n.NodeId)).ToArray();
    }

    /// <summary>Asks the cluster which node owns <paramref name="slot"/> right now.</summary>
    /// <param name="slot">A hash slot, 0-16383.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The owning primary (during a migration: the node migrating the slot away).</returns>
    public async Task<LocalRedisNode> GetSlotOwnerAsync(int slot, CancellationToken cancellationToken = default)
    {
        ValidateSlot(slot);
        var view = await AnyViewAsync(cancellationToken).ConfigureAwait(false);
        var owner = view.OwnerOf(slot) ?? throw new LocalRedisClusterException($"No node owns slot {slot}.");
        return Find(owner.NodeId) ?? throw new LocalRedisClusterException($"Slot {slot} is owned by {owner.Endpoint}, which is not a node of this cluster.");
    }

    /// <summary>
    /// One convergence check. The node that was behind at the previous check is asked first, alone: while it is still
    /// behind, the check costs one node's CLUSTER INFO and CLUSTER NODES instead of every node's (which, for 180
    /// nodes, is 180 replies of 180 lines each). Nodes that are behind are nudged (see <see cref="NudgeAsync"/>).
    /// </summary>
    private async Task<(bool Done, string State)> CheckConvergenceAsync(CancellationToken cancellationToken)
    {
        var reachable = Nodes.Where(n => n.IsReachable).ToArray();
        if (reachable.Length == 0)
        {
            return (false, "no reachable node");
        }

        var liveIds = reachable.Select(n => n.NodeId).ToHashSet(StringComparer.Ordinal);
        if (_laggard is { } laggard && reachable.Contains(laggard))
        {
            var alone = await CheckNodeAsync(laggard, liveIds, cancellationToken).ConfigureAwait(false);
            var stale = StaleEntries(laggard, alone.View);
            if (alone.Problem is not null || stale.Count > 0)
            {
                await NudgeAsync([(laggard, stale)], cancellationToken).ConfigureAwait(false);
                return (false, alone.Problem ?? DescribeStale(laggard, alone.View, stale));
            }
        }

        var checks = await Task.WhenAll(reachable.Select(n => CheckNodeAsync(n, liveIds, cancellationToken))).ConfigureAwait(false);
        _selfDescriptions = checks.Select(c => c.View.Entries.FirstOrDefault(e => e.IsMyself)).OfType<ClusterViewEntry>()
            .ToDictionary(e => e.NodeId, Describe, StringComparer.Ordinal);
        var behind = checks.Select((c, i) => (Node: reachable[i], c.Problem, c.View, Stale: StaleEntries(reachable[i], c.View)))
            .Where(x => x.Problem is not null || x.Stale.Count > 0).ToArray();
        if (behind.Length > 0)
        {
            await NudgeAsync(behind.Select(x => (x.Node, x.Stale)), cancellationToken).ConfigureAwait(false);
            _laggard = behind[0].Node;
            return (false, $"{behind.Length} of {reachable.Length} nodes are behind, e.g. {behind[0].Problem ?? DescribeStale(behind[0].Node, behind[0].View, behind[0].Stale)}");
        }

        var signatures = checks.Select(c => c.Signature).Distinct(StringComparer.Ordinal).ToArray();
        if (signatures.Length > 1)
        {
            var odd = Array.FindIndex(checks, c => c.Signature != checks[0].Signature);
            _laggard = reachable[odd];
            return (false, $"nodes disagree on the topology: {reachable[0]} sees [{checks[0].Signature}] | {reachable[odd]} sees [{checks[odd].Signature}]");
        }

        _laggard = null;
        _snapshot = checks[0].View;
        return (true, "converged");
    }

    /// <summary>Role, primary and slots of a CLUSTER NODES entry: what a node says of itself and others must repeat.</summary>
    private static string Describe(ClusterViewEntry entry) =>
        (entry.IsPrimary ? "primary" : "replica of " + entry.PrimaryId) + " " + string.Join(',', entry.Slots.Select(r => $"{r.Start}-{r.End}"));

    /// <summary>
    /// The reachable nodes that <paramref name="node"/>'s view gets wrong: flagged unhealthy, or described otherwise
    /// than they describe themselves (as of the last full check).
    /// </summary>
    private List<LocalRedisNode> StaleEntries(LocalRedisNode node, ClusterView view)
    {
        var stale = new List<LocalRedisNode>();
        var selves = _selfDescriptions;
        foreach (var entry in view.Entries)
        {
            if (entry.IsMyself || Find(entry.NodeId) is not { IsReachable: true } other || other == node)
            {
                continue;
            }

            if (entry.IsUnhealthy || (selves is not null && selves.TryGetValue(entry.NodeId, out var self) && self != Describe(entry)))
            {
                stale.Add(other);
            }
        }

        return stale;
    }

    private string DescribeStale(LocalRedisNode node, ClusterView view, IReadOnlyList<LocalRedisNode> stale)
    {
        var entry = view.Find(stale[0].NodeId);
        var seen = entry is null ? "unknown" : $"{string.Join(',', entry.Flags)} {Describe(entry)}";
        var self = _selfDescriptions?.GetValueOrDefault(stale[0].NodeId) ?? "?";
        return $"{node} has an outdated view of {stale.Count} node(s), e.g. it sees {stale[0]} as [{Shorten(seen)}] while that node says [{Shorten(self)}]";
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";

    /// <summary>
    /// Helps nodes that are behind. A node learns a node's role and slots only from that node's own cluster-bus
    /// messages (slots also from its replicas'), and on a large cluster with a long node timeout two given nodes
    /// exchange a ping only about once per half node timeout, so the last few facts can take tens of seconds to arrive.
    /// A CLUSTER MEET from a node the receiver already knows is such a message (the handshake it starts is dropped on
    /// the reply), so each node that a lagging node has wrong MEETs it: one pipeline per such node, for all the
    /// lagging nodes that have it wrong. At most once a second, and only for clusters of more than
    /// <see cref="LocalRedisClusterOptions.SmallClusterNodes"/> nodes.
    /// </summary>
    private async Task NudgeAsync(IEnumerable<(LocalRedisNode Node, List<LocalRedisNode> Stale)> lagging, CancellationToken cancellationToken)
    {
        // Small clusters converge by their own gossip within a second or two (each pair pings at least every half node
        // timeout); nudging them is not needed, and a freeze-and-thaw test timed out twice in the suite with it on.
        if (_options.TotalNodes <= LocalRedisClusterOptions.SmallClusterNodes || Environment.TickCount64 - _lastNudge < 1000)
        {
            return;
        }

        var meets = new Dictionary<LocalRedisNode, List<object[]>>();
        foreach (var (node, stale) in lagging)
        {
            var port = node.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var bus = node.BusPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var other in stale)
            {
                if (!meets.TryGetValue(other, out var list))
                {
                    meets[other] = list = [];
                }

                list.Add(["CLUSTER", "MEET", node.Host, port, bus]);
            }
        }

        _lastNudge = Environment.TickCount64;
        await Task.WhenAll(meets.Select(m => m.Key.Client.ExecuteManyAsync(m.Value, _options.CommandTimeout, cancellationToken))).ConfigureAwait(false);
    }

    private async Task<(string? Problem, string Signature, ClusterView View)> CheckNodeAsync(LocalRedisNode node, IReadOnlySet<string> liveIds, CancellationToken cancellationToken)
    {
        var info = (await RunAsync(node, cancellationToken, "CLUSTER", "INFO").ConfigureAwait(false)).ToText();
        var view = await ViewAsync(node, cancellationToken).ConfigureAwait(false);
        var signature = view.Signature(liveIds);
        if (!info.Contains("cluster_state:ok", StringComparison.Ordinal))
        {
            return ($"{node} reports cluster_state:fail ({InfoFields(info, "cluster_slots_assigned", "cluster_slots_pfail", "cluster_slots_fail", "cluster_known_nodes", "cluster_size")}; sees {view.Entries.Count} nodes)", signature, view);
        }

        foreach (var id in liveIds)
        {
            var entry = view.Find(id);
            if (entry is null || entry.IsUnhealthy)
            {
                var endpoint = Find(id)?.Endpoint ?? id;
                return ($"{node} sees {endpoint} as {(entry is null ? "unknown" : string.Join(',', entry.Flags))}", signature, view);
            }
        }

        // A MEET (the nudge below, or a node added) leaves an entry in handshake, under a made-up id, until the other
        // node answers; CLUSTER INFO counts it in cluster_known_nodes, so the cluster is not settled before it is gone.
        if (view.Entries.FirstOrDefault(e => e.Flags.Contains("handshake")) is { } handshake)
        {
            return ($"{node} has a cluster-bus handshake in progress with {handshake.Endpoint}", signature, view);
        }

        var myself = view.Entries.FirstOrDefault(e => e.IsMyself);
        if (myself is { IsReplica: true })
        {
            var replication = (await RunAsync(node, cancellationToken, "INFO", "replication").ConfigureAwait(false)).ToText();
            if (!replication.Contains("master_link_status:up", StringComparison.Ordinal))
            {
                return ($"replica {node} has no live link to its primary yet", signature, view);
            }
        }

        return (null, signature, view);
    }

    /// <summary>The named <c>field:value</c> lines of a CLUSTER INFO reply, comma-joined (for "why not yet" messages).</summary>
    private static string InfoFields(string info, params string[] names) =>
        string.Join(", ", info.Split('\n', StringSplitOptions.TrimEntries).Where(l => names.Any(n => l.StartsWith(n + ":", StringComparison.Ordinal))));

    private IReadOnlyList<LocalRedisNode> PrimariesIn(ClusterView? view)
    {
        if (view is null)
        {
            return [];
        }

        var ids = view.Entries.Where(e => e.IsPrimary).Select(e => e.NodeId).ToHashSet(StringComparer.Ordinal);
        return Nodes.Where(n => n.IsAlive && ids.Contains(n.NodeId)).ToArray();
    }

    /// <summary>CLUSTER NODES of one node, parsed.</summary>
    private async Task<ClusterView> ViewAsync(LocalRedisNode node, CancellationToken cancellationToken)
    {
        var reply = await RunAsync(node, cancellationToken, "CLUSTER", "NODES").ConfigureAwait(false);
        return ClusterView.Parse(reply.ToText());
    }

    /// <summary>CLUSTER NODES of the first reachable node (a primary if possible); refreshes the snapshot.</summary>
    private async Task<ClusterView> AnyViewAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var snapshot = _snapshot;
        var reachable = Nodes.Where(n => n.IsReachable)
            .OrderByDescending(n => snapshot?.Find(n.NodeId)?.IsPrimary == true)
            .ToArray();
        if (reachable.Length == 0)
        {
            throw new LocalRedisClusterException("No node of the cluster is reachable.");
        }

        Exception? last = null;
        foreach (var node in reachable)
        {
            try
            {
                var view = await ViewAsync(node, cancellationToken).ConfigureAwait(false);
                _snapshot = view;
                return view;
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or LocalRedisClusterTimeoutException)
            {
                last = ex;
            }
        }

        throw new LocalRedisClusterException("No node answered CLUSTER NODES.", last);
    }

    /// <summary>Runs one command through the node's cached connection; error replies throw.</summary>
    private Task<RespReply> RunAsync(LocalRedisNode node, CancellationToken cancellationToken, params object[] args) =>
        node.Client.ExecuteAsync(args, _options.CommandTimeout, cancellationToken);

    private static void ValidateSlot(int slot)
    {
        if (slot is < 0 or >= SlotCount)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), slot, "Hash slots are 0-16383.");
        }
    }
}
