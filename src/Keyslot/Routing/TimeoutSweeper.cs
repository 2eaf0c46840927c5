using System.Diagnostics;
using Keyslot.Connections;

namespace Keyslot.Routing;

/// <summary>
/// Every 100 ms, fails the written commands whose deadline passed (each connection's queue is swept; a connection
/// stuck in the middle of a reply is replaced there), and asks for a topology refresh when a node that holds
/// commands has been silent for a second: it may be hung and failing over.
/// </summary>
internal sealed class TimeoutSweeper : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly NodeRegistry _nodes;
    private readonly TimeSpan _silence;
    private readonly Action<string> _requestRefresh;
    private readonly Timer _timer;
    private int _sweeping;

    public TimeoutSweeper(NodeRegistry nodes, TimeSpan silence, Action<string> requestRefresh)
    {
        _nodes = nodes;
        _silence = silence;
        _requestRefresh = requestRefresh;
        _timer = BackgroundWork.Timer(static s => ((TimeoutSweeper)s!).Sweep(), this, Interval, Interval);
    }

    private void Sweep()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1) return;
        try
        {
            long now = Stopwatch.GetTimestamp();
            var scratch = new List<PendingReply>();
            NodeConnector? silent = null;
            foreach (NodeConnector node in _nodes.Connectors)
            {
                node.SweepRetiring(now, scratch);
                if (node.Current is not { } connection) continue;
                connection.SweepTimeouts(now, scratch);
                // Shared, pipelined connections renew here at their maximum age; subscribers are renewed by the
                // pub/sub hub (which must resubscribe), blocking ones between commands by their pool.
                if (node.Role is ConnectionRole.Interactive or ConnectionRole.ReplicaReads) node.RenewIfDue(now);
                if (connection.IsSilent(_silence)) silent = node;
            }
            // The refresher rate-limits this to one refresh per interval.
            if (silent is not null) _requestRefresh("silent node " + silent.Endpoint);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    public ValueTask DisposeAsync() => _timer.DisposeAsync();
}
