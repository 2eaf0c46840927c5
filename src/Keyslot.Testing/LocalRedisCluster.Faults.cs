using Keyslot.Testing.Internal;

namespace Keyslot.Testing;

/// <summary>Fault injection: kill, freeze and thaw nodes, and wait for the cluster to fail over.</summary>
public sealed partial class LocalRedisCluster
{
    /// <summary>Kills the node's process with SIGKILL (kill -9) and waits until it is gone. It stays in <see cref="Nodes"/> with <see cref="LocalRedisNode.IsAlive"/> false.</summary>
    /// <param name="node">The node to kill.</param>
    public void Kill(LocalRedisNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        ThrowIfDisposed();
        node.Process.Kill();
    }

    /// <summary>Suspends the node's process with SIGSTOP: it keeps its sockets but stops answering (a hung node).</summary>
    /// <param name="node">The node to freeze.</param>
    public void Freeze(LocalRedisNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        ThrowIfDisposed();
        node.Process.Freeze();
    }

    /// <summary>Resumes a frozen node with SIGCONT.</summary>
    /// <param name="node">The node to thaw.</param>
    public void Thaw(LocalRedisNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        ThrowIfDisposed();
        node.Process.Thaw();
    }

    /// <summary>
    /// Waits until one of <paramref name="oldPrimary"/>'s replicas has been promoted: every reachable node other
    /// than the old primary reports <c>cluster_state:ok</c> and sees that replica as a primary owning slots while
    /// the old primary owns none.
    /// </summary>
    /// <param name="oldPrimary">The primary that was killed or frozen.</param>
    /// <param name="timeout">Upper bound for the wait (node timeout plus election; a few seconds with defaults).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The promoted replica.</returns>
    /// <exception cref="InvalidOperationException">The old primary had no known replica.</exception>
    /// <exception cref="LocalRedisClusterTimeoutException">No agreed promotion within <paramref name="timeout"/>.</exception>
    public async Task<LocalRedisNode> WaitForFailoverAsync(LocalRedisNode oldPrimary, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oldPrimary);
        ThrowIfDisposed();
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        void Collect(ClusterView? view)
        {
            foreach (var entry in view?.Entries ?? [])
            {
                if (entry.PrimaryId == oldPrimary.NodeId)
                {
                    candidates.Add(entry.NodeId);
                }
            }
        }

        Collect(_snapshot);
        var promotedId = await Poll.UntilAsync<string?>(
            $"a replica of {oldPrimary} to be promoted",
            async ct =>
            {
                var observers = Nodes.Where(n => n != oldPrimary && n.IsReachable).ToArray();
                var views = await Task.WhenAll(observers.Select(n => ViewAsync(n, ct))).ConfigureAwait(false);
                foreach (var view in views)
                {
                    Collect(view);
                }

                if (candidates.Count == 0)
                {
                    throw new InvalidOperationException($"{oldPrimary} has no known replica, so no failover can happen.");
                }

                string? agreed = null;
                for (var i = 0; i < views.Length; i++)
                {
                    var promoted = views[i].Entries.FirstOrDefault(e => candidates.Contains(e.NodeId) && e.IsPrimary && e.SlotCount > 0);
                    var old = views[i].Find(oldPrimary.NodeId);
                    if (promoted is null || old is { SlotCount: > 0 })
                    {
                        return (false, null, $"{observers[i]} has not seen the promotion yet");
                    }

                    if (agreed is not null && agreed != promoted.NodeId)
                    {
                        return (false, null, "nodes disagree on the promoted replica");
                    }

                    agreed = promoted.NodeId;
                }

                var infos = await Task.WhenAll(observers.Select(n => RunAsync(n, ct, "CLUSTER", "INFO"))).ConfigureAwait(false);
                var failing = infos.Select((r, i) => (r, i)).FirstOrDefault(x => !x.r.ToText().Contains("cluster_state:ok", StringComparison.Ordinal));
                if (failing.r is not null)
                {
                    return (false, null, $"{observers[failing.i]} still reports cluster_state:fail");
                }

                _snapshot = views[0];
                return (agreed is not null, agreed, "promoted");
            },
            timeout,
            cancellationToken,
            intervalMilliseconds: Math.Max(50, PollInterval)).ConfigureAwait(false);

        return Find(promotedId!) ?? throw new LocalRedisClusterException($"The promoted node {promotedId} is not a node of this cluster.");
    }
}
